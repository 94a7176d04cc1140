"""The consultation module type: its phases and what each allows. Timeline fields on Consultation are mirrored into
these phases by the set-up service, so the module answers "what is possible now" in one place."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from veche.participation.registry import ModuleType, PhaseType

# Features (what people can do in a phase)
FOLLOW = "follow"
COMMENT = "comment"  # comment on paragraphs, propose wording, reply, support
SURVEY = "survey"  # answer the survey
RECORD_OFFLINE = "record_offline"  # staff type in input from meetings, walks and paper forms
RESPOND = "respond"  # staff give official responses

ANNOUNCEMENT = "announcement"
OPEN = "open"
ANALYSIS = "analysis"


def create_consultation_row(*, module: Any, actor: Any) -> None:
    """A consultations module added from the process page gets its consultation at once (a draft to fill in)."""
    from veche.consultations.services.consultations import attach_consultation

    attach_consultation(module=module, actor=actor)


def consultation_url(module: Any) -> str:
    from veche.consultations.models import Consultation

    consultation = Consultation.objects.select_related("organisation").filter(module=module).first()
    return consultation.get_absolute_url() if consultation else ""


def consultation_timeline_url(module: Any) -> str:
    from veche.consultations.views.setup import module_timeline_url

    return module_timeline_url(module)


def consultation_publishing_problems(module: Any) -> list[str]:
    """The consultation's own publishing checks (services.setup.publishing_problems), for publishing its process
    from the process's edit page or the admin."""
    from veche.consultations.models import Consultation
    from veche.consultations.services.setup import publishing_problems

    consultation = Consultation.objects.select_related("standard_set").filter(module=module).first()
    return publishing_problems(consultation) if consultation else []


def consultation_stats(module: Any) -> dict[str, Any]:
    from veche.consultations.module_report import consultation_stats as stats

    return stats(module)


def consultation_case_summary(module: Any) -> Any:
    from veche.consultations.module_report import consultation_case_summary as summary

    return summary(module)


CONSULTATION = ModuleType(
    key="consultation",
    name=_("Public consultation"),
    description=_(
        "Residents read and comment on a draft, answer a survey and come to meetings; every contribution "
        "gets an answer and the report explains the decision."
    ),
    phases=(
        PhaseType(ANNOUNCEMENT, _("Announcement"), frozenset({FOLLOW})),
        PhaseType(OPEN, _("Open for comments"), frozenset({FOLLOW, COMMENT, SURVEY, RECORD_OFFLINE})),
        PhaseType(ANALYSIS, _("Analysis and responses"), frozenset({FOLLOW, RECORD_OFFLINE, RESPOND})),
    ),
    on_module_added=create_consultation_row,
    entry_url=consultation_url,
    schedule_url=consultation_timeline_url,
    publishing_problems=consultation_publishing_problems,
    stats=consultation_stats,
    case_summary=consultation_case_summary,
)
