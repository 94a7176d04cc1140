"""Every change to organisations and roles goes through here: permission check, transaction, audit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from veche.audit.services import record
from veche.core.permissions import require_permission
from veche.organisations.choices import RoleKind
from veche.organisations.models import Organisation, Role
from veche.organisations.roles import forget_roles


def grant_role(*, actor: Any, organisation: Organisation, user: Any, kind: str) -> Role:
    """Give user the role kind in organisation.

    Raises PermissionDenied unless actor may manage roles there, ValidationError when the person already holds it.
    Relies on the unique (user, organisation, kind) constraint. Audits.
    """
    require_permission(actor, "organisations.manage_roles", organisation)
    if kind not in RoleKind.values:
        raise ValidationError(_("Unknown role."), code="unknown_role")
    try:
        with transaction.atomic():
            role = Role.objects.create(user=user, organisation=organisation, kind=kind)
            record(
                actor=actor,
                action="organisations.role_granted",
                target=role,
                organisation=organisation,
                data={"user": user.pk, "role": kind},
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(person)s already has this role."), code="duplicate_role", params={"person": user.public_name}
        ) from exc
    forget_roles(user)
    return role


def revoke_role(*, actor: Any, role: Role) -> None:
    """Remove a role. An organisation keeps at least one administrator, so the last one cannot be removed. Audits."""
    organisation = role.organisation
    require_permission(actor, "organisations.manage_roles", organisation)
    with transaction.atomic():
        if role.kind == RoleKind.ADMINISTRATOR:
            administrators = (
                Role.objects.select_for_update(of=("self",))
                .filter(organisation=organisation, kind=RoleKind.ADMINISTRATOR, user__is_active=True)
                .values_list("pk", flat=True)
            )
            if list(administrators) == [role.pk]:
                raise ValidationError(
                    _("An organisation needs at least one administrator; appoint another one first."),
                    code="last_administrator",
                )
        record(
            actor=actor,
            action="organisations.role_revoked",
            target=role,
            organisation=organisation,
            data={"user": role.user_id, "role": role.kind},
        )
        role.delete()
    forget_roles(role.user)


def update_organisation(*, actor: Any, organisation: Organisation, changes: dict[str, Any]) -> Organisation:
    """Apply field changes (already validated by a form) to organisation and audit which fields changed."""
    require_permission(actor, "organisations.change_organisation", organisation)
    changed = sorted(name for name, value in changes.items() if getattr(organisation, name) != value)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(organisation, name, value)
        organisation.full_clean()
        organisation.save()
        record(
            actor=actor,
            action="organisations.updated",
            target=organisation,
            organisation=organisation,
            data={"fields": changed},
        )
    return organisation
