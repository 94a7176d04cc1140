"""The survey's section of the consultation page: the call to answer it (with the visitor's state), and links for
staff to the builder, the results and offline input. Three queries at most, whatever the number of answers."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse

from veche.consultations.models import Question, Survey, SurveyResponse
from veche.consultations.module import SURVEY
from veche.consultations.sections import DetailSection, register_detail_section
from veche.consultations.services.participants import current_participant


def _count(queryset: Any) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.values("survey").annotate(total=Count("id")).values("total")[:1], output_field=IntegerField()
        ),
        0,
    )


def survey_section(request: HttpRequest, consultation: Any) -> dict[str, Any] | None:
    user = request.user
    can_build = user.has_perm("consultations.change_survey", consultation)
    can_record = user.has_perm("consultations.record_offline", consultation)
    is_staff = user.has_perm("consultations.export_survey_answers", consultation)
    survey = (
        Survey.objects.filter(consultation=consultation)
        .annotate(
            question_count=_count(Question.objects.filter(survey=OuterRef("pk"))),
            response_count=_count(SurveyResponse.objects.filter(survey=OuterRef("pk"))),
        )
        .first()
    )
    if survey is not None:
        survey.consultation = consultation
    visible = survey is not None and survey.is_published and survey.question_count > 0
    if not (visible or can_build or can_record or is_staff):
        return None
    kwargs = {"org_slug": consultation.organisation.slug, "slug": consultation.slug}
    response = None
    if visible and consultation.module.allows(SURVEY):
        participant = current_participant(request, consultation)
        if participant is not None:
            response = SurveyResponse.objects.filter(survey=survey, participant=participant).first()
    is_open = visible and consultation.module.allows(SURVEY)
    return {
        "survey": survey,
        "visible": visible,
        "is_open": is_open,
        "is_closed": consultation.is_closed(),
        "response": response,
        "answer_url": reverse("consultations:survey", kwargs=kwargs),
        "results_url": reverse("consultations:survey_results", kwargs=kwargs)
        if survey is not None and user.has_perm("consultations.view_survey_results", survey)
        else None,
        "builder_url": reverse("consultations:survey_builder", kwargs=kwargs) if can_build else None,
        "offline_url": reverse("consultations:offline_list", kwargs=kwargs) if (can_record or is_staff) else None,
        "can_record": can_record,
    }


register_detail_section(
    DetailSection(key="surveys", template_name="consultations/surveys/_section.html", context=survey_section, order=40)
)
