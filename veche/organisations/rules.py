"""Permissions on organisations. The roles × actions table in docs/domain/permissions.md is the specification;
veche/organisations/tests/test_permission_matrix.py checks these rules against it."""

from __future__ import annotations

from typing import Any

import rules

from veche.organisations.choices import RoleKind
from veche.organisations.roles import roles_in


def organisation_id_of(obj: Any) -> int | None:
    """Objects that belong to an organisation expose organisation_id; an Organisation is its own."""
    if obj is None:
        return None
    from veche.organisations.models import Organisation

    if isinstance(obj, Organisation):
        return obj.pk
    return getattr(obj, "organisation_id", None)


def has_role(*kinds: str) -> rules.Predicate:
    wanted = frozenset(kinds)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def predicate(user: Any, obj: Any) -> bool:
        return bool(roles_in(user, organisation_id_of(obj)) & wanted)

    return predicate


is_administrator = has_role(RoleKind.ADMINISTRATOR)
is_coordinator_or_admin = has_role(RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR)
is_moderating_staff = has_role(RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.MODERATOR)
holds_any_role = has_role(*RoleKind.values)


@rules.predicate
def is_published_organisation(user: Any, organisation: Any) -> bool:
    return bool(organisation is not None and organisation.is_published)


is_staff_member = has_role(RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.MODERATOR, RoleKind.EXPERT)

# Staff prepare an unpublished organisation (and its processes) before it goes public, so they must see it.
rules.add_perm("organisations.view_organisation", is_published_organisation | is_staff_member)
rules.add_perm("organisations.change_organisation", is_administrator)
rules.add_perm("organisations.manage_roles", is_administrator)
rules.add_perm("organisations.view_audit_log", is_coordinator_or_admin)
rules.add_perm("organisations.view_members_area", holds_any_role)
