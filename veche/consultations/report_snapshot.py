"""The report's data, read from the consultation in a fixed number of queries and frozen as JSON: what was asked,
who took part through which channel, who they were (aggregate demographics against the population), what was heard
(by section and theme), what was decided and why (responses and the coordinator's account), the standards
checklist, and every contribution with its response. Exports (CSV, XLSX, PDF) and the report page read only this
snapshot, so a published report never changes under its readers.

Keys (kinds, channels, outcomes, age bands…) are stored as keys; labels are added when rendering (presentation in
report_exports.py), so the page speaks the reader's language and the files the consultation's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Count
from django.utils import timezone

from veche.consultations.choices import AgeBand, ContributionKind, ContributionStatus, Gender
from veche.consultations.representation import compare, normalise_group, suppress
from veche.consultations.scoring import checklist_score

SNAPSHOT_VERSION = 1
CHUNK = 500
UNANSWERED = "unanswered"
HIDDEN = "hidden"

Progress = Callable[[int, int], None]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _about(consultation: Any) -> dict[str, Any]:
    return {
        "id": consultation.pk,
        "subject": consultation.subject,
        "summary": consultation.summary,
        "decision": consultation.decision,
        "decision_maker": consultation.decision_maker,
        "organisation": consultation.organisation.name,
        "organisation_slug": consultation.organisation.slug,
        "slug": consultation.slug,
        "language": consultation.language,
        "url": consultation.get_absolute_url(),
        "opens_at": _iso(consultation.opens_at),
        "closes_at": _iso(consultation.closes_at),
        "report_due": _iso(consultation.report_due),
        "open_days": consultation.open_days,
        "methods": [
            {
                "kind": method.kind,
                "description": method.description,
                "starts_at": _iso(method.starts_at),
                "place": method.place,
            }
            for method in consultation.methods.all()
        ],
        "target_groups": [row.group for row in consultation.target_groups.all()],
    }


def _population(consultation: Any) -> dict[str, dict[str, int]]:
    from veche.consultations.models import PopulationFigure

    figures: dict[str, dict[str, int]] = defaultdict(dict)
    for row in PopulationFigure.objects.filter(organisation_id=consultation.organisation_id):
        figures[row.dimension][row.group] = row.residents
    return figures


def demographics(consultation: Any) -> dict[str, Any]:
    """Participants per age band, gender and district (undisclosed answers counted apart), each compared with the
    organisation's population figures when it supplied them. Counts under 5 are suppressed. Four queries."""
    from veche.consultations.models import Participant

    participants = Participant.objects.filter(consultation=consultation)
    answered = participants.filter(demographics_answered_at__isnull=False).count()
    population = _population(consultation)
    result: dict[str, Any] = {"answered": suppress(answered), "dimensions": []}
    for dimension, choices in (("age_band", AgeBand), ("gender", Gender), ("district", None)):
        counts = Counter(
            {
                row[dimension]: row["n"]
                for row in participants.exclude(**{dimension: ""}).values(dimension).annotate(n=Count("pk"))
            }
        )
        undisclosed = counts.pop("undisclosed", 0) if choices is not None else 0
        figures = population.get(dimension, {})
        if choices is None:  # districts: match the population's spelling loosely
            spelling = {normalise_group(name): name for name in figures}
            merged: Counter[str] = Counter()
            for name, count in counts.items():
                merged[spelling.get(normalise_group(name), name.strip())] += count
            counts = merged
            order = list(figures) + sorted(set(counts) - set(figures))
        else:
            order = [key for key in choices.values if key != "undisclosed"]
        ordered_population = {group: figures[group] for group in order if group in figures}
        sample = {group: counts.get(group, 0) for group in order if group in counts or group in figures}
        rows = compare(sample, ordered_population)
        result["dimensions"].append(
            {
                "dimension": dimension,
                "has_population": bool(figures),
                "undisclosed": suppress(undisclosed) if undisclosed else 0,
                "groups": [
                    {
                        "group": row.group,
                        "count": row.count,
                        "share": row.share,
                        "population_share": row.population_share,
                        "under_represented": row.under_represented,
                    }
                    for row in rows
                ],
            }
        )
    return result


def _standards(consultation: Any) -> dict[str, Any] | None:
    standard = consultation.standard_set
    if standard is None:
        return None
    from veche.consultations.models import StandardAssessment

    assessments = {row.item_id: row for row in StandardAssessment.objects.filter(consultation=consultation)}
    items = list(standard.items.all())
    score = checklist_score([assessments[item.pk].rating for item in items if item.pk in assessments], len(items))
    return {
        "name": standard.name,
        "min_open_days": standard.min_open_days,
        "items": [
            {
                "key": item.key,
                "title": item.title,
                "rating": assessments[item.pk].rating if item.pk in assessments else "",
                "note": assessments[item.pk].note if item.pk in assessments else "",
            }
            for item in items
        ],
        "score": {
            "items": score.items,
            "assessed": score.assessed,
            "met": score.met,
            "partly": score.partly,
            "not_met": score.not_met,
            "percent": score.percent,
        },
    }


def _contribution_row(item: Any, sections: dict[int, dict[str, Any]]) -> dict[str, Any]:
    from veche.consultations.services.responses import effective_response

    response = effective_response(item)
    hidden = item.status == ContributionStatus.HIDDEN
    link = getattr(item, "theme_link", None)
    paragraph = item.paragraph
    section = sections.get(paragraph.section_id) if paragraph is not None else None
    return {
        "id": item.pk,
        "kind": item.kind,
        "channel": item.channel,
        "date": (item.received_on or timezone.localtime(item.created_at).date()).isoformat(),
        "document": section["document"] if section else "",
        "section": section["label"] if section else "",
        "section_id": paragraph.section_id if paragraph is not None else None,
        "paragraph": paragraph.number if paragraph is not None else None,
        "from": item.author_label,
        "hidden": hidden,
        "text": "" if hidden else item.text,
        "proposed_text": "" if hidden else item.proposed_text,
        "moderation_reason": item.moderation_reason if hidden else "",
        "theme": link.theme.title if link is not None else "",
        "theme_id": link.theme_id if link is not None else None,
        "outcome": HIDDEN if hidden else (response.outcome if response else UNANSWERED),
        "justification": response.justification if response and not hidden else "",
        "via_theme": bool(response and response.theme_id is not None),
    }


def build_snapshot(consultation: Any, *, progress: Progress | None = None) -> dict[str, Any]:
    """The whole report as JSON-serialisable data. progress(done, total) is called after every chunk of
    contributions. A fixed number of queries whatever the number of contributions (contributions are read in
    chunks of CHUNK rows)."""
    from veche.consultations.models import Consultation, ConsultationReport, Contribution, Participant, Section, Theme
    from veche.consultations.querysets_report import with_responses

    consultation = (
        Consultation.objects.for_detail_page()
        .select_related("standard_set")
        .prefetch_related("standard_set__items")
        .get(pk=consultation.pk)
    )
    report = ConsultationReport.objects.filter(consultation=consultation).first()
    sections: dict[int, dict[str, Any]] = {}
    for section in (
        Section.objects.filter(document__consultation=consultation)
        .select_related("document")
        .order_by("document__weight", "document_id", "weight", "id")
    ):
        label = " ".join(part for part in (section.number, section.heading) if part) or str(section.pk)
        sections[section.pk] = {"id": section.pk, "document": section.document.title, "label": label}

    queryset = with_responses(Contribution.objects.filter(consultation=consultation).answerable()).order_by(
        "created_at", "id"
    )
    total = queryset.count()
    rows: list[dict[str, Any]] = []
    for item in queryset.iterator(chunk_size=CHUNK):
        rows.append(_contribution_row(item, sections))
        if progress is not None and len(rows) % CHUNK == 0:
            progress(len(rows), total)
    if progress is not None:
        progress(len(rows), total)

    outcomes = Counter(row["outcome"] for row in rows)
    by_section: dict[Any, Counter[str]] = defaultdict(Counter)
    for row in rows:
        by_section[row["section_id"]][row["outcome"]] += 1
    themes = []
    theme_members: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row["theme_id"] is not None:
            theme_members[row["theme_id"]][row["outcome"]] += 1
    for theme in Theme.objects.filter(consultation=consultation).select_related("response").order_by("title", "id"):
        response = getattr(theme, "response", None)
        members = theme_members.get(theme.pk, Counter())
        themes.append(
            {
                "id": theme.pk,
                "title": theme.title,
                "description": theme.description,
                "members": sum(members.values()),
                "outcomes": dict(members),
                "outcome": response.outcome if response else "",
                "justification": response.justification if response else "",
            }
        )
    channels = Counter(row["channel"] for row in rows)
    kinds = Counter(row["kind"] for row in rows)
    replies = Contribution.objects.filter(consultation=consultation, kind=ContributionKind.REPLY).count()
    return {
        "version": SNAPSHOT_VERSION,
        "built_at": timezone.now().isoformat(),
        "consultation": _about(consultation),
        "outcome_text": report.outcome if report else "",
        "participation": {
            "participants": Participant.objects.filter(consultation=consultation).count(),
            "contributions": len(rows),
            "replies": replies,
            "by_channel": [{"channel": key, "count": count} for key, count in channels.most_common()],
            "by_kind": [{"kind": key, "count": count} for key, count in kinds.most_common()],
        },
        "demographics": demographics(consultation),
        "outcomes": dict(outcomes),
        "sections": [
            {**section, "count": sum(by_section[key].values()), "outcomes": dict(by_section[key])}
            for key, section in sections.items()
        ]
        + (
            [
                {
                    "id": None,
                    "document": "",
                    "label": "",
                    "count": sum(by_section[None].values()),
                    "outcomes": dict(by_section[None]),
                }
            ]
            if by_section.get(None)
            else []
        ),
        "themes": themes,
        "standards": _standards(consultation),
        "contributions": rows,
    }
