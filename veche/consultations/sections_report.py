"""The report part's sections of the consultation page: for staff, how far the answering has come and where to
continue; for everyone, the published report, the standards checklist and the evaluation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from veche.consultations.sections import DetailSection, register_detail_section


def staff_responses_context(request: HttpRequest, consultation: Any) -> dict[str, Any] | None:
    """Staff only, once the consultation has closed: one query (the progress)."""
    if not consultation.is_closed() or not request.user.has_perm("consultations.view_response_queue", consultation):
        return None
    from veche.consultations.querysets_report import response_progress
    from veche.consultations.services.responses import can_respond_now

    answered, total = response_progress(consultation)
    return {
        "answered": answered,
        "total": total,
        "can_respond": can_respond_now(request.user, consultation),
        "can_assess": request.user.has_perm("consultations.assess_standards", consultation),
    }


def register() -> None:
    register_detail_section(
        DetailSection(
            key="report.staff_responses",
            template_name="consultations/report/_section_staff.html",
            context=staff_responses_context,
            order=80,
        )
    )


def checklist_summary(consultation: Any) -> Any:
    """The standards checklist score of consultation (two queries), or None without a standard."""
    from veche.consultations.models import StandardAssessment, StandardItem
    from veche.consultations.scoring import checklist_score

    if consultation.standard_set_id is None:
        return None
    items = StandardItem.objects.filter(standard_set_id=consultation.standard_set_id).count()
    ratings = StandardAssessment.objects.filter(
        consultation=consultation, item__standard_set_id=consultation.standard_set_id
    ).values_list("rating", flat=True)
    return checklist_score(list(ratings), items)


def report_context(request: HttpRequest, consultation: Any) -> dict[str, Any] | None:
    """Everyone, once the report is out: the report, its files, the checklist score and the evaluation results.
    Three queries."""
    if consultation.report_published_at is None:
        return None
    from veche.consultations.services.evaluation import evaluation_results

    args = [consultation.organisation.slug, consultation.slug]
    from django.urls import reverse

    return {
        "report_url": reverse("consultations:report", args=args),
        "pdf_url": reverse("consultations:report_file", args=[*args, "report.pdf"]),
        "csv_url": reverse("consultations:report_file", args=[*args, "contributions.csv"]),
        "xlsx_url": reverse("consultations:report_file", args=[*args, "contributions.xlsx"]),
        "evaluation_url": reverse("consultations:evaluation", args=args),
        "score": checklist_summary(consultation),
        "evaluation": evaluation_results(consultation),
    }


def register_public() -> None:
    register_detail_section(
        DetailSection(
            key="report.published",
            template_name="consultations/report/_section_report.html",
            context=report_context,
            order=10,
        )
    )
