"""Permissions on cases. The "Map of participation" table in docs/domain/permissions.md is the specification;
tests/test_permission_matrix.py checks every cell. Objects: a case, a network (for add_case and review_cases) or a
participation module (for publish_module). Predicates read loaded fields and the cached roles only."""

from __future__ import annotations

from typing import Any

import rules

from veche.cases.choices import CaseStatus
from veche.cases.membership import is_editor, is_member
from veche.organisations.rules import is_coordinator_or_admin


def _network_id(obj: Any) -> int | None:
    from veche.organisations.models import Organisation

    if isinstance(obj, Organisation):
        return obj.pk if obj.is_network else None
    return getattr(obj, "network_id", None)


@rules.predicate
def is_network_editor(user: Any, obj: Any) -> bool:
    return is_editor(user, _network_id(obj))


@rules.predicate
def is_network_member(user: Any, obj: Any) -> bool:
    return is_member(user, _network_id(obj))


@rules.predicate
def is_author(user: Any, case: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and case is not None and case.author_id == user.pk)


@rules.predicate
def is_published(user: Any, case: Any) -> bool:
    return case is not None and case.status == CaseStatus.PUBLISHED


@rules.predicate
def is_draft_or_returned(user: Any, case: Any) -> bool:
    return case is not None and case.status in (CaseStatus.DRAFT, CaseStatus.RETURNED)


@rules.predicate
def is_submitted(user: Any, case: Any) -> bool:
    return case is not None and case.status == CaseStatus.SUBMITTED


@rules.predicate
def runs_the_module(user: Any, module: Any) -> bool:
    """A coordinator or administrator of the organisation whose process the module belongs to."""
    process = getattr(module, "process", None)
    return process is not None and is_coordinator_or_admin(user, process)


rules.add_perm("cases.view_case", is_published | is_author | is_network_editor)
rules.add_perm("cases.add_case", is_network_member | is_network_editor)
# Authors change their case in any state (a published one through proposed changes that editors review).
rules.add_perm("cases.change_case", is_author | is_network_editor)
rules.add_perm("cases.submit_case", is_author & is_draft_or_returned)
rules.add_perm("cases.delete_case", (is_author & is_draft_or_returned) | is_network_editor)
rules.add_perm("cases.add_photo", (is_author & ~is_published) | is_network_editor)
rules.add_perm("cases.review_case", is_network_editor)
rules.add_perm("cases.view_history", is_network_editor)
rules.add_perm("cases.review_cases", is_network_editor)
rules.add_perm("cases.publish_module", runs_the_module)
rules.add_perm("cases.publish_processes", is_coordinator_or_admin)
