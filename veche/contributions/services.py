"""Following things and reporting content. Apps call these; they never write Follow or Report rows themselves."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veche.audit.services import record
from veche.contributions.choices import ReportReason, ReportStatus
from veche.contributions.models import Follow, Report
from veche.contributions.registry import reportable_for
from veche.core.permissions import require_permission
from veche.notifications.services import notify, translatable


def _target_keys(target: models.Model) -> dict[str, Any]:
    return {"content_type": ContentType.objects.get_for_model(target), "object_id": target.pk}


# --- Follows ----------------------------------------------------------------------------------------------------------


def set_following(*, user: Any, target: models.Model, following: bool) -> bool:
    """Follow or unfollow target; returns whether the user follows it now. Idempotent (the unique constraint, not a
    prior check, keeps one row). The calling app checks its own permission first (e.g. consultations.follow)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    keys = _target_keys(target)
    with transaction.atomic():
        if following:
            Follow.objects.get_or_create(user=user, **keys)
        else:
            Follow.objects.filter(user=user, **keys).delete()
    return following


def is_following(user: Any, target: models.Model) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, **_target_keys(target)).exists()


def followers_of(target: models.Model) -> models.QuerySet:
    """The active people following target (for notify())."""
    keys = _target_keys(target)
    follows = Follow.objects.filter(**keys).values("user_id")
    return get_user_model().objects.filter(pk__in=follows, is_active=True)


def followed_ids(user: Any, model: type[models.Model]) -> set[int]:
    """Ids of the objects of model that user follows, in one query (for list pages that mark followed items)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    content_type = ContentType.objects.get_for_model(model)
    return set(Follow.objects.filter(user=user, content_type=content_type).values_list("object_id", flat=True))


# --- Reports ----------------------------------------------------------------------------------------------------------


def report_content(*, reporter: Any, target: models.Model, reason: str, explanation: str = "") -> Report:
    """Report target to the moderators of the organisation it belongs to.

    Raises PermissionDenied unless the reporter is signed in and may see the target, and ValidationError for an
    unknown reason or a second open report by the same person (the partial unique constraint decides, not a check).
    Reporting something already hidden is refused too: there is nothing left to moderate.
    """
    require_permission(reporter, "contributions.report_content", target)
    reportable = reportable_for(target)
    if not reportable.is_visible_to(reporter, target):
        raise PermissionDenied
    if reason not in ReportReason.values:
        raise ValidationError({"reason": ValidationError(_("Choose one of the reasons."), code="invalid_reason")})
    if reason == ReportReason.OTHER and not explanation.strip():
        raise ValidationError(
            {"explanation": ValidationError(_("Tell the moderators what is wrong."), code="explanation_needed")}
        )
    if reportable.is_hidden(target):
        raise ValidationError(_("The moderators have already hidden this."), code="already_hidden")
    organisation_id = reportable.organisation_id(target)
    if organisation_id is None:
        raise ValidationError(_("This cannot be reported."), code="no_organisation")
    try:
        with transaction.atomic():
            return Report.objects.create(
                reporter=reporter,
                organisation_id=organisation_id,
                reason=reason,
                explanation=explanation.strip(),
                **_target_keys(target),
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this; the moderators will look at it."), code="already_reported"
        ) from None


def open_reports_on(target: models.Model) -> models.QuerySet:
    return Report.objects.open().filter(**_target_keys(target))


def _decide(*, actor: Any, target: models.Model, status: str, note: str, check: Any = None) -> int:
    reports = list(open_reports_on(target).select_for_update(of=("self",)).select_related("reporter"))
    if not reports:
        return 0
    if check is not None:
        require_permission(actor, "contributions.decide_report", reports[0])
    now = timezone.now()
    Report.objects.filter(pk__in=[report.pk for report in reports]).update(
        status=status,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        decided_at=now,
        decision_note=note,
    )
    action = "contributions.report_resolved" if status == ReportStatus.RESOLVED else "contributions.report_dismissed"
    record(
        actor=actor,
        action=action,
        target=reports[0],
        organisation=reports[0].organisation_id,
        data={"reports": len(reports), "note": note[:500]},
    )
    if status == ReportStatus.RESOLVED:
        title = translatable(_("Thank you for your report: the moderators acted on it."))
    else:
        title = translatable(_("The moderators looked at your report and left the content up."))
    reporters = [report.reporter for report in reports if report.reporter is not None]
    url = reportable_for(target).url(target)
    notify(recipients=reporters, kind="contributions.report_decided", title=title, body=note, url=url, email=False)
    return len(reports)


def resolve_reports(*, actor: Any, target: models.Model, note: str = "") -> int:
    """Close every open report on target as acted upon. The content's app calls this from its own moderation service
    (which has already checked the actor's permission and hidden the content), inside its transaction."""
    with transaction.atomic():
        return _decide(actor=actor, target=target, status=ReportStatus.RESOLVED, note=note)


def dismiss_reports(*, actor: Any, target: models.Model, note: str) -> int:
    """Close every open report on target without action (the content stays). Needs contributions.decide_report on
    the reports' organisation and a note, which the reporters see."""
    if not note.strip():
        message = _("Say why the content stays, for the people who reported it.")
        raise ValidationError({"note": ValidationError(message, code="note_needed")})
    with transaction.atomic():
        return _decide(actor=actor, target=target, status=ReportStatus.DISMISSED, note=note.strip(), check=True)
