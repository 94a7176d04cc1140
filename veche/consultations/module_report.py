"""What a consultation tells other apps through its module type (module.py): headline `stats` and, once its report
is published, a `case_summary` for the network's map of participation. Real figures from the published report:
participants, channels, dates, topics, the checklist score and the evaluation."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veche.core.vocabulary import MethodChoices
from veche.participation.registry import CaseSummary

# Channels and methods of a consultation as the shared vocabulary of participation methods.
CHANNEL_METHODS = {
    "meeting": MethodChoices.PUBLIC_MEETING,
    "walk": MethodChoices.CONSULTATION_WALK,
    "workshop": MethodChoices.PLANNING_WORKSHOP,
}
KIND_METHODS = {"survey_answer": MethodChoices.SURVEY}


def _consultation(module: Any) -> Any:
    from veche.consultations.models import Consultation

    return (
        Consultation.objects.select_related("organisation", "module__process")
        .prefetch_related("topics")
        .filter(module_id=module.pk)
        .first()
    )


def consultation_stats(module: Any) -> dict[str, Any]:
    """Headline numbers: contributions, participants, answered, whether the report is out, the checklist score and
    the evaluation's averages (a handful of queries)."""
    from veche.consultations.models import Participant
    from veche.consultations.querysets_report import response_progress
    from veche.consultations.sections_report import checklist_summary
    from veche.consultations.services.evaluation import evaluation_results

    consultation = _consultation(module)
    if consultation is None:
        return {}
    answered, total = response_progress(consultation)
    score = checklist_summary(consultation)
    evaluation = evaluation_results(consultation)
    return {
        "contributions": total,
        "answered": answered,
        "participants": Participant.objects.filter(consultation=consultation).count(),
        "report_published": consultation.report_published_at is not None,
        "standards_score": score.percent if score is not None and score.assessed else None,
        "evaluation_answers": evaluation.answers,
        "evaluation": {question.key: question.average for question in evaluation.questions} if evaluation.shown else {},
    }


def consultation_case_summary(module: Any) -> CaseSummary | None:
    """The published report as a case for the map; None until the report is out."""
    from veche.consultations.services.report import published_build

    consultation = _consultation(module)
    if consultation is None or consultation.report_published_at is None:
        return None
    build = published_build(consultation)
    if build is None or not build.snapshot:
        return None
    snapshot = build.snapshot
    participation = snapshot["participation"]
    channels = [row["channel"] for row in participation["by_channel"]]
    kinds = [row["kind"] for row in participation["by_kind"]]
    methods = [MethodChoices.CONSULTATION.value]
    for key in [CHANNEL_METHODS.get(channel) for channel in channels] + [KIND_METHODS.get(kind) for kind in kinds]:
        if key is not None and key.value not in methods:
            methods.append(key.value)
    people, contributions = participation["participants"], participation["contributions"]
    answered = sum(count for key, count in snapshot["outcomes"].items() if key not in ("unanswered", "hidden"))
    accepted = snapshot["outcomes"].get("accepted", 0) + snapshot["outcomes"].get("partly", 0)
    note = ngettext(
        "%(people)s people took part online; %(count)s contribution through all channels.",
        "%(people)s people took part online; %(count)s contributions through all channels.",
        contributions,
    ) % {
        "people": number_format(people, force_grouping=True),
        "count": number_format(contributions, force_grouping=True),
    }
    results = _(
        "Every contribution was answered (%(answered)s); %(accepted)s were accepted in full or in part. %(outcome)s"
    ) % {"answered": answered, "accepted": accepted, "outcome": snapshot["outcome_text"][:600]}
    args = [consultation.organisation.slug, consultation.slug]
    links = (
        (_("Consultation report"), reverse("consultations:report", args=args)),
        (_("Report (PDF)"), reverse("consultations:report_file", args=[*args, "report.pdf"])),
        (_("All contributions (CSV)"), reverse("consultations:report_file", args=[*args, "contributions.csv"])),
    )
    return CaseSummary(
        title=consultation.subject,
        summary=consultation.summary,
        organisation_id=consultation.organisation_id,
        methods=tuple(methods),
        url=consultation.get_absolute_url(),
        topics=tuple(topic.slug for topic in consultation.topics.all()),
        started_on=timezone.localdate(consultation.opens_at) if consultation.opens_at else None,
        ended_on=timezone.localdate(consultation.report_published_at),
        participants=people or None,
        participants_note=note,
        results=results.strip(),
        latitude=consultation.latitude,
        longitude=consultation.longitude,
        links=links,
    )
