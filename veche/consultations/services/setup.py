"""Setting a consultation up: its description, timeline (mirrored into the module's phases), methods, target groups,
topics, area and contact, and publishing it. Every change checks `consultations.change_consultation`, runs in one
transaction and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veche.audit.services import record
from veche.consultations.choices import MethodKind, TargetGroup
from veche.consultations.geo import Area
from veche.consultations.models import Consultation, ConsultationMethod, ConsultationTargetGroup
from veche.consultations.module import ANALYSIS, ANNOUNCEMENT, OPEN
from veche.consultations.services.consultations import create_consultation
from veche.core.permissions import require_permission
from veche.core.translation import language_codes
from veche.participation import services as participation

ACTION_LABELS = {
    "consultations.consultation_created": gettext_lazy("Consultation created"),
    "consultations.consultation_updated": gettext_lazy("Consultation description changed"),
    "consultations.timeline_set": gettext_lazy("Consultation timeline set"),
    "consultations.short_period_confirmed": gettext_lazy("Consultation shorter than the standard confirmed"),
    "consultations.methods_set": gettext_lazy("Consultation methods changed"),
    "consultations.area_set": gettext_lazy("Consultation area changed"),
    "consultations.published": gettext_lazy("Consultation published"),
    "consultations.unpublished": gettext_lazy("Consultation unpublished"),
}

DETAIL_FIELDS = (
    "subject",
    "summary",
    "decision",
    "decision_maker",
    "language",
    "contact_name",
    "contact_email",
    "contact_phone",
)


def _require_change(actor: Any, consultation: Consultation) -> None:
    require_permission(actor, "consultations.change_consultation", consultation)


def start_consultation(
    *,
    actor: Any,
    organisation: Any,
    subject: str,
    summary: str,
    language: str,
    decision: str = "",
    decision_maker: str = "",
) -> Consultation:
    """Create a draft consultation (an unpublished process with one consultations module). Raises PermissionDenied
    unless actor coordinates organisation, ValidationError for a missing subject or summary or an unknown language."""
    require_permission(actor, "consultations.add_consultation", organisation)
    if language not in language_codes():
        raise ValidationError({"language": _("Choose one of the site's languages.")}, code="language")
    return create_consultation(
        actor=actor,
        organisation=organisation,
        subject=subject,
        summary=summary,
        language=language,
        decision=(decision or "").strip(),
        decision_maker=(decision_maker or "").strip(),
    )


def update_details(
    *,
    actor: Any,
    consultation: Consultation,
    values: Mapping[str, Any],
    topics: Iterable[Any] | None = None,
    target_groups: Iterable[str] | None = None,
) -> Consultation:
    """Change the description (DETAIL_FIELDS given in values), and when given, the topics and target groups.

    The subject and the plain-language summary stay required. Raises PermissionDenied, ValidationError. Audits the
    names of the fields that changed."""
    _require_change(actor, consultation)
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not a detail field: {sorted(unknown)}")
    cleaned = {name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()}
    errors: dict[str, str] = {}
    if "subject" in cleaned and not cleaned["subject"]:
        errors["subject"] = _("Give the consultation a subject.")
    if "summary" in cleaned and not cleaned["summary"]:
        errors["summary"] = _("Write a plain-language summary: what is decided and why residents' views matter.")
    if "language" in cleaned and cleaned["language"] not in language_codes():
        errors["language"] = _("Choose one of the site's languages.")
    groups = list(dict.fromkeys(target_groups)) if target_groups is not None else None
    if groups is not None and set(groups) - set(TargetGroup.values):
        errors["target_groups"] = _("Choose target groups from the list.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        changed = [name for name, value in cleaned.items() if getattr(locked, name) != value]
        for name, value in cleaned.items():
            setattr(consultation, name, value)
        if changed:
            consultation.save(update_fields=[*changed, "updated_at"])
        if topics is not None:
            wanted = {topic.pk for topic in topics}
            before = set(consultation.topics.values_list("pk", flat=True))
            if wanted != before:
                consultation.topics.set(wanted)
                changed.append("topics")
        if groups is not None:
            before_groups = set(consultation.target_groups.values_list("group", flat=True))
            if set(groups) != before_groups:
                ConsultationTargetGroup.objects.filter(consultation=consultation).exclude(group__in=groups).delete()
                ConsultationTargetGroup.objects.bulk_create(
                    ConsultationTargetGroup(consultation=consultation, group=group)
                    for group in groups
                    if group not in before_groups
                )
                changed.append("target_groups")
        if changed:
            record(
                actor=actor,
                action="consultations.consultation_updated",
                target=consultation,
                organisation=consultation.organisation_id,
                data={"fields": changed},
            )
    return consultation


# --- Timeline -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    announced_at: dt.datetime | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    report_due: dt.date | None

    @property
    def open_days(self) -> int | None:
        if self.opens_at is None or self.closes_at is None:
            return None
        return (self.closes_at - self.opens_at).days

    @property
    def analysis_ends(self) -> dt.datetime | None:
        """The analysis phase ends when the day the report is due ends (in the site's time zone)."""
        if self.report_due is None:
            return None
        next_day = self.report_due + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(next_day, dt.time.min))


def minimum_days(consultation: Consultation) -> int:
    """The minimum number of days open in the consultation's standard (0 without a standard)."""
    standard = consultation.standard_set
    return standard.min_open_days if standard is not None else 0


def timeline_problems(timeline: Timeline) -> dict[str, str]:
    """Field → message for a timeline that cannot be saved (before the minimum-length check)."""
    problems: dict[str, str] = {}
    dates = (timeline.opens_at, timeline.closes_at, timeline.report_due)
    if any(value is not None for value in dates) and not all(value is not None for value in dates):
        for name, value in zip(("opens_at", "closes_at", "report_due"), dates, strict=True):
            if value is None:
                problems[name] = _("Give the opening, the closing and the report's due date together.")
        return problems
    if timeline.announced_at is not None and timeline.opens_at is None:
        problems["opens_at"] = _("Give the opening date too, or leave the announcement empty.")
    if timeline.opens_at is not None and timeline.closes_at is not None and timeline.closes_at <= timeline.opens_at:
        problems["closes_at"] = _("The consultation must close after it opens.")
    if (
        timeline.announced_at is not None
        and timeline.opens_at is not None
        and timeline.announced_at > timeline.opens_at
    ):
        problems["announced_at"] = _("Announce the consultation before it opens (or when it opens).")
    analysis_ends = timeline.analysis_ends
    if analysis_ends is not None and timeline.closes_at is not None and analysis_ends <= timeline.closes_at:
        problems["report_due"] = _("The report is due after the consultation closes.")
    return problems


def is_short(consultation: Consultation, timeline: Timeline) -> bool:
    days = timeline.open_days
    return days is not None and days < minimum_days(consultation)


def needs_confirmation(consultation: Consultation, timeline: Timeline) -> bool:
    """A timeline shorter than the standard needs the coordinator's confirmation, again whenever its opening or
    closing changes (a confirmation is for the dates it was given for)."""
    if not is_short(consultation, timeline):
        return False
    unchanged = (consultation.opens_at, consultation.closes_at) == (timeline.opens_at, timeline.closes_at)
    return not (unchanged and consultation.short_period_confirmed)


def short_period_message(consultation: Consultation, timeline: Timeline) -> str:
    return _(
        "The consultation would be open for %(days)s days; the standard “%(standard)s” asks for at least "
        "%(minimum)s. Confirm that a shorter consultation is justified, or move the closing date."
    ) % {
        "days": timeline.open_days,
        "minimum": minimum_days(consultation),
        "standard": consultation.standard_set.name if consultation.standard_set else "",
    }


def set_timeline(
    *,
    actor: Any,
    consultation: Consultation,
    announced_at: dt.datetime | None,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    report_due: dt.date | None,
    confirm_short_period: bool = False,
) -> Consultation:
    """Set the timeline and mirror it into the module's phases: announcement [announced, opens), open [opens, closes),
    analysis [closes, end of the day the report is due).

    A timeline open for fewer days than the consultation's standard asks is refused (ValidationError code
    "short_period") unless confirm_short_period is given — for these very dates: changing the opening or closing of
    a confirmed short consultation needs a new confirmation. Raises PermissionDenied. Audits (and audits the
    confirmation separately, so the log shows who accepted a short consultation)."""
    _require_change(actor, consultation)
    timeline = Timeline(announced_at, opens_at, closes_at, report_due)
    problems = timeline_problems(timeline)
    if problems:
        raise ValidationError(problems, code="invalid_timeline")
    short = is_short(consultation, timeline)
    if needs_confirmation(consultation, timeline) and not confirm_short_period:
        raise ValidationError(
            {"confirm_short_period": ValidationError(short_period_message(consultation, timeline), code="short_period")}
        )
    module = consultation.module
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        unchanged = (locked.opens_at, locked.closes_at) == (opens_at, closes_at)
        previously_confirmed = unchanged and locked.short_period_confirmed
        confirmed = short and (confirm_short_period or previously_confirmed)
        phases = {phase.phase_type: phase for phase in module.phases.all()}
        spans = {
            ANNOUNCEMENT: (announced_at, opens_at) if announced_at is not None and announced_at < opens_at else None,
            OPEN: (opens_at, closes_at),
            ANALYSIS: (closes_at, timeline.analysis_ends),
        }
        schedule = {}
        for key, span in spans.items():
            phase = phases.get(key)
            if phase is not None:
                schedule[phase.pk] = span if span is not None and span[0] is not None else (None, None)
        try:
            scheduled = participation.schedule_phases(actor=actor, module=module, schedule=schedule)
        except ValidationError as error:
            raise ValidationError({"opens_at": error.messages}, code="invalid_timeline") from error
        cache = getattr(module, "_prefetched_objects_cache", None)
        if cache is not None and "phases" in cache:
            cache["phases"] = scheduled
        consultation.announced_at, consultation.opens_at = announced_at, opens_at
        consultation.closes_at, consultation.report_due = closes_at, report_due
        consultation.short_period_confirmed = confirmed
        update = ["announced_at", "opens_at", "closes_at", "report_due", "short_period_confirmed", "updated_at"]
        if opens_at != locked.opens_at:
            # A new opening: followers hear about it when it comes (again, if the old one was announced).
            consultation.opening_notified_at = None
            update.append("opening_notified_at")
        consultation.save(update_fields=update)
        data = {
            "announced_at": _iso(announced_at),
            "opens_at": _iso(opens_at),
            "closes_at": _iso(closes_at),
            "report_due": report_due.isoformat() if report_due else None,
            "open_days": timeline.open_days,
        }
        record(
            actor=actor,
            action="consultations.timeline_set",
            target=consultation,
            organisation=consultation.organisation_id,
            data=data,
        )
        if confirmed and not previously_confirmed:
            record(
                actor=actor,
                action="consultations.short_period_confirmed",
                target=consultation,
                organisation=consultation.organisation_id,
                data={"open_days": timeline.open_days, "minimum": minimum_days(consultation)},
            )
    return consultation


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


# --- Methods and area -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MethodInput:
    kind: str
    description: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    place: str = ""


def set_methods(*, actor: Any, consultation: Consultation, methods: Sequence[MethodInput]) -> list[ConsultationMethod]:
    """Replace the consultation's methods with methods, in this order. Raises ValidationError (a list, one message per
    bad method, numbered as shown) for an unknown kind or an end before the start; PermissionDenied. Audits."""
    _require_change(actor, consultation)
    errors = []
    for number, method in enumerate(methods, start=1):
        if method.kind not in MethodKind.values:
            errors.append(_("Method %(number)s: choose a method from the list.") % {"number": number})
        if method.starts_at and method.ends_at and method.ends_at < method.starts_at:
            errors.append(_("Method %(number)s: the end must come after the start.") % {"number": number})
        if method.ends_at and not method.starts_at:
            errors.append(_("Method %(number)s: give the start too.") % {"number": number})
    if errors:
        raise ValidationError(errors, code="invalid_methods")
    with transaction.atomic():
        Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
        consultation.methods.all().delete()
        created = ConsultationMethod.objects.bulk_create(
            ConsultationMethod(
                consultation=consultation,
                kind=method.kind,
                description=method.description.strip(),
                starts_at=method.starts_at,
                ends_at=method.ends_at,
                place=method.place.strip(),
                weight=index,
            )
            for index, method in enumerate(methods)
        )
        record(
            actor=actor,
            action="consultations.methods_set",
            target=consultation,
            organisation=consultation.organisation_id,
            data={"methods": [method.kind for method in methods]},
        )
    return created


def set_area(*, actor: Any, consultation: Consultation, area: Area | None) -> Consultation:
    """Store the area (a checked geometry, see veche.consultations.geo.parse_area) and its centre, or clear both.
    Raises PermissionDenied. Audits the geometry's type and centre."""
    _require_change(actor, consultation)
    with transaction.atomic():
        consultation.area = area.geometry if area else None
        consultation.latitude = area.latitude if area else None
        consultation.longitude = area.longitude if area else None
        consultation.save(update_fields=["area", "latitude", "longitude", "updated_at"])
        record(
            actor=actor,
            action="consultations.area_set",
            target=consultation,
            organisation=consultation.organisation_id,
            data={
                "type": area.geometry["type"] if area else None,
                "centre": [area.latitude, area.longitude] if area else None,
            },
        )
    return consultation


# --- Publishing -----------------------------------------------------------------------------------------------------


def publishing_problems(consultation: Consultation) -> list[str]:
    """What must be done before the consultation can be published (empty when it is ready)."""
    problems = []
    if not consultation.summary.strip():
        problems.append(_("Write the plain-language summary."))
    if consultation.opens_at is None or consultation.closes_at is None:
        problems.append(_("Set the timeline: when the consultation opens and closes, and when the report is due."))
    elif is_short(consultation, Timeline(None, consultation.opens_at, consultation.closes_at, None)) and not (
        consultation.short_period_confirmed
    ):
        problems.append(_("Confirm the shorter period on the timeline page, or lengthen it."))
    return problems


def publish_consultation(*, actor: Any, consultation: Consultation) -> Consultation:
    """Make the consultation public (its process is published). Raises ValidationError listing what is missing
    (publishing_problems), PermissionDenied. Idempotent. Audits."""
    _require_change(actor, consultation)
    problems = publishing_problems(consultation)
    if problems:
        raise ValidationError(problems, code="not_ready")
    process = consultation.module.process
    with transaction.atomic():
        was_published = process.is_published
        participation.publish_process(actor=actor, process=process)
        if not was_published:
            record(actor=actor, action="consultations.published", target=consultation)
    return consultation


def unpublish_consultation(*, actor: Any, consultation: Consultation) -> Consultation:
    """Hide the consultation from everyone but its organisation's staff (its process becomes a draft). Idempotent."""
    _require_change(actor, consultation)
    process = consultation.module.process
    with transaction.atomic():
        was_published = process.is_published
        participation.unpublish_process(actor=actor, process=process)
        if was_published:
            record(actor=actor, action="consultations.unpublished", target=consultation)
    return consultation
