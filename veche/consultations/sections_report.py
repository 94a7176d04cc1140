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

    answered, total = response_progress(consultation)
    return {
        "answered": answered,
        "total": total,
        "can_respond": request.user.has_perm("consultations.respond_contribution", consultation),
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
