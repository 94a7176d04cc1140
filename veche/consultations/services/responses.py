"""Official responses and themes: every change after closing that answers residents.

A contribution gets its own response, or a response through its theme (one per theme, applying to every member);
its own response wins. Responses are given while the consultation is closed and its report not yet published
(`consultations.respond_contribution`); publishing the report freezes them. Two staff may answer the same
contribution at once: the contribution (or theme) row is locked with select_for_update, so the later answer
replaces the earlier one instead of failing on the unique constraint. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veche.audit.services import record
from veche.consultations.models import Contribution, OfficialResponse, ResponseOutcome, Theme, ThemeMember
from veche.consultations.querysets_report import needing_response
from veche.core.permissions import require_permission

RESPOND = "consultations.respond_contribution"
MAX_JUSTIFICATION = 5000

ACTION_LABELS = {
    "consultations.response_given": gettext_lazy("Consultation: official response given"),
    "consultations.response_changed": gettext_lazy("Consultation: official response changed"),
    "consultations.response_removed": gettext_lazy("Consultation: official response removed"),
    "consultations.theme_created": gettext_lazy("Consultation: theme created"),
    "consultations.theme_changed": gettext_lazy("Consultation: theme changed"),
    "consultations.theme_deleted": gettext_lazy("Consultation: theme deleted"),
    "consultations.theme_assigned": gettext_lazy("Consultation: contributions assigned to a theme"),
}


def check_responding_time(consultation: Any) -> None:
    """ValidationError unless responses may be given now: after closing, before the report is published (the rule
    says the same; this also holds for superusers, whom every permission check lets through)."""
    if consultation.report_published_at is not None:
        raise ValidationError(_("The report is published: its responses can no longer change."))
    if not consultation.is_closed():
        raise ValidationError(_("Responses can be given once the consultation has closed."))


def can_respond_now(user: Any, consultation: Any) -> bool:
    """Whether the page should offer answering: the permission and the responding time (superusers included)."""
    if not user.has_perm(RESPOND, consultation):
        return False
    try:
        check_responding_time(consultation)
    except ValidationError:
        return False
    return True


def _authorise(actor: Any, consultation: Any) -> None:
    require_permission(actor, RESPOND, consultation)
    check_responding_time(consultation)


def _clean(outcome: str, justification: str) -> str:
    errors: dict[str, str] = {}
    if outcome not in ResponseOutcome.values:
        errors["outcome"] = _(
            "Choose whether the contribution is accepted, partly accepted, not accepted or out of scope."
        )
    text = (justification or "").strip()
    if not text:
        errors["justification"] = _("Explain the decision: residents read this justification in the report.")
    elif len(text) > MAX_JUSTIFICATION:
        errors["justification"] = _("Keep the justification under %(limit)s characters.") % {"limit": MAX_JUSTIFICATION}
    if errors:
        raise ValidationError(errors)
    return text


def effective_response(contribution: Contribution) -> OfficialResponse | None:
    """The response that answers contribution: its own, else its theme's. Query-free on rows loaded with
    querysets_report.with_responses."""
    own = getattr(contribution, "official_response", None)
    if own is not None:
        return own
    link = getattr(contribution, "theme_link", None)
    return getattr(link.theme, "response", None) if link is not None else None


def _save_response(
    *, actor: Any, consultation: Any, target: Contribution | Theme, outcome: str, justification: str
) -> OfficialResponse:
    """Create or replace the response of target, which the caller has locked."""
    lookup = {"contribution": target} if isinstance(target, Contribution) else {"theme": target}
    existing = OfficialResponse.objects.filter(**lookup).first()
    if existing is None:
        response = OfficialResponse.objects.create(
            consultation=consultation, outcome=outcome, justification=justification, answered_by=actor, **lookup
        )
        action, data = "consultations.response_given", {"outcome": outcome}
    else:
        data = {"outcome": outcome, "previous_outcome": existing.outcome}
        existing.outcome, existing.justification, existing.answered_by = outcome, justification, actor
        existing.save(update_fields=["outcome", "justification", "answered_by", "updated_at"])
        response, action = existing, "consultations.response_changed"
    data["target"] = "contribution" if "contribution" in lookup else "theme"
    record(actor=actor, action=action, target=response, organisation=consultation.organisation_id, data=data)
    return response


def _check_answerable(contribution: Contribution, consultation: Any) -> None:
    if contribution.consultation_id != consultation.pk:
        raise ValidationError(_("This contribution belongs to another consultation."))
    if not contribution.is_answerable or contribution.parent_id is not None:
        raise ValidationError(_("Replies are part of a conversation and get no official response."))
    if contribution.is_hidden:
        raise ValidationError(_("A hidden contribution is answered by the moderator's public reason."))


def respond(*, actor: Any, contribution: Contribution, outcome: str, justification: str) -> OfficialResponse:
    """Give (or replace) the official response to one contribution.

    Preconditions: actor may respond (coordinators, while the consultation is closed and its report unpublished);
    the contribution needs a response (not a reply, not hidden). Raises PermissionDenied / ValidationError. Locks the
    contribution row, so two staff answering at once leave one response (the later one). Audits.
    """
    consultation = contribution.consultation
    _authorise(actor, consultation)
    justification = _clean(outcome, justification)
    _check_answerable(contribution, consultation)
    with transaction.atomic():
        Contribution.objects.select_for_update().filter(pk=contribution.pk).first()
        return _save_response(
            actor=actor, consultation=consultation, target=contribution, outcome=outcome, justification=justification
        )


@dataclass
class BulkOutcome:
    answered: list[Contribution] = field(default_factory=list)
    refused: list[tuple[Contribution, str]] = field(default_factory=list)


def respond_many(
    *, actor: Any, consultation: Any, contributions: Iterable[Contribution], outcome: str, justification: str
) -> BulkOutcome:
    """Give each selected contribution its own response with the same outcome and justification, in one
    transaction. Contributions that cannot be answered are left as they are and reported in the outcome."""
    _authorise(actor, consultation)
    justification = _clean(outcome, justification)
    result = BulkOutcome()
    chosen = list(contributions)
    with transaction.atomic():
        locked = {
            row.pk: row
            for row in Contribution.objects.select_for_update()
            .filter(pk__in=[item.pk for item in chosen])
            .order_by("pk")
        }
        for item in chosen:
            row = locked.get(item.pk)
            if row is None:
                continue
            try:
                _check_answerable(row, consultation)
            except ValidationError as exc:
                result.refused.append((row, " ".join(exc.messages)))
                continue
            _save_response(
                actor=actor, consultation=consultation, target=row, outcome=outcome, justification=justification
            )
            result.answered.append(row)
    return result


def remove_response(*, actor: Any, response: OfficialResponse) -> None:
    """Withdraw a response (it was given to the wrong contribution); the contribution is unanswered again."""
    consultation = response.consultation
    _authorise(actor, consultation)
    with transaction.atomic():
        record(
            actor=actor,
            action="consultations.response_removed",
            target=response,
            organisation=consultation.organisation_id,
            data={"outcome": response.outcome},
        )
        response.delete()


# --- themes -------------------------------------------------------------------------------------------------------


def _clean_theme(consultation: Any, title: str, description: str, *, exclude: int | None = None) -> tuple[str, str]:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give the theme a short title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    clash = Theme.objects.filter(consultation=consultation, title__iexact=title)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"title": _("This consultation already has a theme with this title.")})
    return title, (description or "").strip()


def create_theme(*, actor: Any, consultation: Any, title: str, description: str = "") -> Theme:
    """A new theme of consultation. Same permission as responding. Audits."""
    _authorise(actor, consultation)
    title, description = _clean_theme(consultation, title, description)
    try:
        with transaction.atomic():
            theme = Theme.objects.create(
                consultation=consultation, title=title, description=description, created_by=actor
            )
            record(
                actor=actor,
                action="consultations.theme_created",
                target=theme,
                organisation=consultation.organisation_id,
            )
    except IntegrityError as exc:  # a double click created it meanwhile
        raise ValidationError({"title": _("This consultation already has a theme with this title.")}) from exc
    return theme


def update_theme(*, actor: Any, theme: Theme, title: str, description: str = "") -> Theme:
    consultation = theme.consultation
    _authorise(actor, consultation)
    theme.title, theme.description = _clean_theme(consultation, title, description, exclude=theme.pk)
    with transaction.atomic():
        theme.save(update_fields=["title", "description"])
        record(
            actor=actor, action="consultations.theme_changed", target=theme, organisation=consultation.organisation_id
        )
    return theme


def delete_theme(*, actor: Any, theme: Theme) -> None:
    """Delete a theme, its response and its memberships; members that had no own response become unanswered."""
    consultation = theme.consultation
    _authorise(actor, consultation)
    with transaction.atomic():
        record(
            actor=actor,
            action="consultations.theme_deleted",
            target=theme,
            organisation=consultation.organisation_id,
            data={"members": theme.members.count()},
        )
        theme.delete()


def assign_to_theme(
    *, actor: Any, theme: Theme | None, contributions: Iterable[Contribution], consultation: Any
) -> int:
    """Put the contributions into theme (moving them from any other theme), or take them out of their theme when
    theme is None. Replies and contributions of other consultations are skipped. Returns how many moved."""
    _authorise(actor, consultation)
    if theme is not None and theme.consultation_id != consultation.pk:
        raise ValidationError(_("This theme belongs to another consultation."))
    ids = list(
        needing_response(consultation).filter(pk__in=[item.pk for item in contributions]).values_list("pk", flat=True)
    )
    with transaction.atomic():
        if theme is not None:
            Theme.objects.select_for_update().filter(pk=theme.pk).first()
        ThemeMember.objects.filter(contribution_id__in=ids).delete()
        if theme is not None:
            ThemeMember.objects.bulk_create(ThemeMember(theme=theme, contribution_id=pk) for pk in ids)
        record(
            actor=actor,
            action="consultations.theme_assigned",
            target=theme or consultation,
            organisation=consultation.organisation_id,
            data={"contributions": len(ids), "theme": theme.pk if theme else None},
        )
    return len(ids)


def respond_to_theme(*, actor: Any, theme: Theme, outcome: str, justification: str) -> OfficialResponse:
    """Give (or replace) the theme's response, which answers every member without its own response. Locks the
    theme row. Audits."""
    consultation = theme.consultation
    _authorise(actor, consultation)
    justification = _clean(outcome, justification)
    with transaction.atomic():
        Theme.objects.select_for_update().filter(pk=theme.pk).first()
        return _save_response(
            actor=actor, consultation=consultation, target=theme, outcome=outcome, justification=justification
        )
