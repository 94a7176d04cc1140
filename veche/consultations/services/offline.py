"""Offline input: what staff write down from public meetings, walks, workshops, duty hours, paper forms and letters,
recorded as contributions (kind offline) so that every channel ends up in one place and in one report.

Allowed to moderators, coordinators and administrators of the organisation in the open and analysis phases and after
them until the report is published (rule consultations.record_offline). An entry can be changed or deleted by whoever
recorded it (coordinators: anyone's) until it has an official response.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from veche.audit.services import record
from veche.consultations.choices import OFFLINE_CHANNELS, ContributionKind
from veche.consultations.models import Contribution, Paragraph
from veche.core.permissions import require_permission

MAX_TEXT = 10_000


@dataclass
class OfflineEntry:
    channel: str
    received_on: date
    text: str
    author_label: str = ""
    paragraph: int | None = None  # a paragraph id of one of the consultation's documents


def has_official_response(contribution: Contribution) -> bool:
    """Whether the contribution has been answered, directly or through its theme (one query)."""
    from veche.consultations.models import OfficialResponse

    return OfficialResponse.objects.filter(
        models.Q(contribution=contribution) | models.Q(theme__members__contribution=contribution)
    ).exists()


def offline_window_open(consultation: Any) -> bool:
    """Open and analysis phases, and after them until the report is published — for everyone, superusers too (the
    permission says who; this says when)."""
    from veche.consultations.module import RECORD_OFFLINE

    if consultation.report_published_at is not None:
        return False
    return bool(consultation.module.allows(RECORD_OFFLINE) or consultation.is_closed())


def _require_window(consultation: Any) -> None:
    if not offline_window_open(consultation):
        raise ValidationError(
            _("Offline input is recorded while the consultation is open or analysed, until the report is published.")
        )


def _clean(consultation: Any, entries: Sequence[OfflineEntry]) -> list[OfflineEntry]:
    channels = {channel.value for channel in OFFLINE_CHANNELS}
    wanted = {entry.paragraph for entry in entries if entry.paragraph}
    paragraphs = set(
        Paragraph.objects.filter(pk__in=wanted, document__consultation=consultation).values_list("pk", flat=True)
    )
    today = timezone.localdate()
    errors: list[str] = []
    for number, entry in enumerate(entries, start=1):
        problems = []
        if entry.channel not in channels:
            problems.append(_("choose where it came from"))
        if entry.received_on is None or entry.received_on > today:
            problems.append(_("give a date that is not in the future"))
        if not entry.text.strip():
            problems.append(_("write what was said"))
        elif len(entry.text) > MAX_TEXT:
            problems.append(_("shorten the text to %(limit)s characters") % {"limit": MAX_TEXT})
        if entry.paragraph and entry.paragraph not in paragraphs:
            problems.append(_("choose a paragraph of this consultation's documents"))
        if problems:
            errors.append(_("Entry %(number)s: %(problems)s.") % {"number": number, "problems": "; ".join(problems)})
    if errors:
        raise ValidationError(errors)
    return list(entries)


def record_offline_contributions(
    *, actor: Any, consultation: Any, entries: Sequence[OfflineEntry]
) -> list[Contribution]:
    """Record several offline contributions at once (a stack of paper forms, a meeting's notes), all or none.

    Raises PermissionDenied unless actor may record offline input now, ValidationError naming each bad entry.
    Audits each entry.
    """
    require_permission(actor, "consultations.record_offline", consultation)
    _require_window(consultation)
    if not entries:
        raise ValidationError(_("Fill in at least one contribution."))
    cleaned = _clean(consultation, entries)
    with transaction.atomic():
        created = Contribution.objects.bulk_create(
            Contribution(
                consultation=consultation,
                kind=ContributionKind.OFFLINE,
                channel=entry.channel,
                author_label=entry.author_label.strip(),
                paragraph_id=entry.paragraph or None,
                text=entry.text.strip(),
                received_on=entry.received_on,
                recorded_by=actor,
            )
            for entry in cleaned
        )
        for contribution in created:
            record(
                actor=actor,
                action="consultations.offline_recorded",
                target=contribution,
                organisation=consultation.organisation_id,
                data={"channel": contribution.channel, "received_on": contribution.received_on.isoformat()},
            )
    return created


def _require_changeable(actor: Any, contribution: Contribution) -> None:
    require_permission(actor, "consultations.change_offline_contribution", contribution)
    _require_window(contribution.consultation)
    if has_official_response(contribution):
        raise ValidationError(_("This contribution has an official response already, so it can no longer be changed."))


def update_offline_contribution(*, actor: Any, contribution: Contribution, entry: OfflineEntry) -> Contribution:
    """Correct an offline entry. Raises PermissionDenied (not yours, or the window has closed) or ValidationError
    (bad values, or it has been answered). Audits."""
    _require_changeable(actor, contribution)
    _clean(contribution.consultation, [entry])
    with transaction.atomic():
        contribution.channel = entry.channel
        contribution.received_on = entry.received_on
        contribution.text = entry.text.strip()
        contribution.author_label = entry.author_label.strip()
        contribution.paragraph_id = entry.paragraph or None
        contribution.save(update_fields=["channel", "received_on", "text", "author_label", "paragraph"])
        record(
            actor=actor,
            action="consultations.offline_changed",
            target=contribution,
            organisation=contribution.consultation.organisation_id,
        )
    return contribution


def delete_offline_contribution(*, actor: Any, contribution: Contribution) -> None:
    """Delete an offline entry typed in by mistake. Same conditions as update_offline_contribution. Audits."""
    _require_changeable(actor, contribution)
    with transaction.atomic():
        record(
            actor=actor,
            action="consultations.offline_deleted",
            target=contribution,
            organisation=contribution.consultation.organisation_id,
            data={"channel": contribution.channel, "text": contribution.text[:100]},
        )
        contribution.delete()


def offline_contributions(consultation: Any) -> models.QuerySet[Contribution]:
    """The consultation's offline contributions for the staff list, newest received first (who recorded them and
    the paragraph loaded)."""
    return (
        Contribution.objects.filter(consultation=consultation, kind=ContributionKind.OFFLINE)
        .select_related("recorded_by", "paragraph")
        .order_by("-received_on", "-id")
    )
