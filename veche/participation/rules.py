"""Permissions on processes. The "Participation" table in docs/domain/permissions.md is the specification;
veche/participation/tests/test_permission_matrix.py checks these rules against it.

Module apps build their own rules on module_allows(feature): "may vote" is "the phase active now allows voting"
combined with whatever else the module requires.
"""

from __future__ import annotations

from typing import Any

import rules

from veche.organisations.rules import is_coordinator_or_admin, is_moderating_staff


@rules.predicate
def is_published_process(user: Any, process: Any) -> bool:
    """Public only when the process and its organisation are both published (an unpublished organisation's
    processes must not reveal it)."""
    return bool(process is not None and process.is_published and process.organisation.is_published)


def module_allows(feature: str) -> rules.Predicate:
    """A predicate true when the object's module (a Module, or anything with .module) allows feature right now.

    Needs the module's phases prefetched to stay query-free.
    """

    @rules.predicate(name=f"module_allows({feature})")
    def predicate(user: Any, obj: Any) -> bool:
        module = getattr(obj, "module", obj)
        return bool(module is not None and hasattr(module, "allows") and module.allows(feature))

    return predicate


can_manage = is_coordinator_or_admin | rules.is_superuser

rules.add_perm("participation.view_process", is_published_process | is_moderating_staff | rules.is_superuser)
rules.add_perm("participation.add_process", can_manage)
rules.add_perm("participation.change_process", can_manage)
rules.add_perm("participation.moderate_process", is_moderating_staff | rules.is_superuser)
