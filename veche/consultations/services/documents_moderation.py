"""Moderating contributions: hiding one with a public reason (the page shows "hidden by the moderator because …" in
its place) and restoring it. Both are audited and close the community's open reports on it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veche.audit.services import record
from veche.consultations.choices import ContributionStatus
from veche.consultations.models import Contribution
from veche.contributions.services import resolve_reports
from veche.core.permissions import require_permission

MAX_REASON = 1000


def _moderate(*, actor: Any, contribution: Contribution, reason: str, status: str, action: str) -> Contribution:
    require_permission(actor, "consultations.moderate_contribution", contribution)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Give the reason; it is shown publicly.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("Keep the reason short (at most %(limit)s characters).") % {"limit": MAX_REASON}}
        )
    with transaction.atomic():
        locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if locked.status == status:
            message = _("It is already hidden.") if status == ContributionStatus.HIDDEN else _("It is already shown.")
            raise ValidationError(message, code="unchanged")
        locked.status = status
        locked.moderation_reason = reason
        locked.moderated_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.moderated_at = timezone.now()
        locked.save(update_fields=["status", "moderation_reason", "moderated_by", "moderated_at"])
        record(
            actor=actor,
            action=action,
            target=locked,
            organisation=contribution.consultation.organisation_id,
            data={"reason": reason, "consultation": contribution.consultation_id},
        )
        if status == ContributionStatus.HIDDEN:
            resolve_reports(actor=actor, target=locked, note=reason)
    return locked


def hide_contribution(*, actor: Any, contribution: Contribution, reason: str) -> Contribution:
    """Hide a contribution; its place shows the reason. Needs consultations.moderate_contribution (the consultation's
    organisation's moderators, coordinators and administrators). Audits; resolves open reports on it."""
    return _moderate(
        actor=actor,
        contribution=contribution,
        reason=reason,
        status=ContributionStatus.HIDDEN,
        action="consultations.contribution_hidden",
    )


def restore_contribution(*, actor: Any, contribution: Contribution, reason: str) -> Contribution:
    """Show a hidden contribution again, with the reason (shown as "restored by the moderator: …"). Audits."""
    return _moderate(
        actor=actor,
        contribution=contribution,
        reason=reason,
        status=ContributionStatus.PUBLISHED,
        action="consultations.contribution_restored",
    )
