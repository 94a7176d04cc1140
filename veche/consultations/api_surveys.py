"""Read API of the survey part: a consultation's survey (its questions and options) and its aggregate results.

The survey is public once published, on a consultation the caller may see. Results follow the survey's setting
(public once the consultation has closed, live, or staff only) — the rule consultations.view_survey_results. Results
are aggregates only: counts, percentages, the scale's mean, rankings' average rank and points, map points, and the
demographics with groups under five hidden. Nothing identifies a respondent.
"""

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema

from veche.api.auth import PUBLIC, caller
from veche.api.errors import ApiError, Error
from veche.api.routing import ApiRouter
from veche.consultations.models import Consultation, Survey
from veche.consultations.services import surveys as services

router = ApiRouter(tags=["consultations"])

MAX_ID = 2**31 - 1
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


class OptionOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    number: int = Field(description="Position in the survey, from 1.")
    kind: str = Field(description="single, multiple, scale, short_text, long_text, ranking or map_point")
    text: str
    help_text: str
    required: bool
    options: list[OptionOut] = Field(description="Choices of single, multiple and ranking questions.")
    scale_min: int | None = None
    scale_max: int | None = None
    scale_min_label: str | None = None
    scale_max_label: str | None = None
    max_choices: int | None = Field(None, description="Multiple choice: at most this many (null: no limit).")


class SurveyOut(Schema):
    id: int
    consultation: int
    title: str
    intro: str
    accepting_answers: bool = Field(description="The survey takes answers now (the consultation's open phase).")
    asks_demographics: bool
    districts: list[str]
    results_visibility: str = Field(description="after_close, live or staff")
    results_available: bool = Field(description="Whether the caller may read the results now.")
    questions: list[QuestionOut]


class ResultsOut(Schema):
    survey: dict[str, Any]
    responses: int
    online: int
    paper: int
    questions: list[dict[str, Any]] = Field(
        description=(
            "Per question, by kind — single/multiple: options with count and percent; scale: mean, median and steps; "
            "ranking: options best first with average_rank, borda points and first places; map_point: points "
            "[lat, lon], centre and bbox; text: the number of answers (the texts are contributions)."
        )
    )
    demographics: dict[str, Any] | None = Field(
        description="Counts per age band, gender and district; counts under 5 are null (suppressed)."
    )


def _survey_for(request: HttpRequest, consultation_id: int) -> Survey:
    user = caller(request)
    consultation = Consultation.objects.visible_to(user).with_timeline().filter(pk=consultation_id).first()
    if consultation is None:
        raise ApiError(404, "not_found", _("There is no consultation with this number."))
    survey = services.survey_for(consultation)
    if survey is None or not (survey.is_published or user.has_perm("consultations.change_survey", consultation)):
        raise ApiError(404, "not_found", _("This consultation has no published survey."))
    survey.consultation = consultation
    return survey


def _question_out(number: int, question: Any) -> dict[str, Any]:
    scale = question.kind == "scale"
    return {
        "id": question.pk,
        "number": number,
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "options": [{"id": option.pk, "text": option.text} for option in question.options.all()],
        "scale_min": question.scale_min if scale else None,
        "scale_max": question.scale_max if scale else None,
        "scale_min_label": question.scale_min_label if scale else None,
        "scale_max_label": question.scale_max_label if scale else None,
        "max_choices": question.max_choices,
    }


@router.get(
    "/{consultation_id}/survey",
    auth=PUBLIC,
    response={200: SurveyOut, 404: Error},
    url_name="consultation_survey",
    summary="A consultation's survey",
)
def get_survey(request: HttpRequest, consultation_id: ObjectId) -> Any:
    """The survey's questions in order, with their options and scales."""
    survey = _survey_for(request, consultation_id)
    consultation = survey.consultation
    from veche.consultations.module import SURVEY

    return {
        "id": survey.pk,
        "consultation": consultation.pk,
        "title": survey.title,
        "intro": survey.intro,
        "accepting_answers": bool(survey.is_published and consultation.module.allows(SURVEY)),
        "asks_demographics": survey.ask_demographics,
        "districts": list(survey.districts),
        "results_visibility": survey.results_visibility,
        "results_available": caller(request).has_perm("consultations.view_survey_results", survey),
        "questions": [
            _question_out(number, question) for number, question in enumerate(services.questions_of(survey), start=1)
        ],
    }


@router.get(
    "/{consultation_id}/survey/results",
    auth=PUBLIC,
    response={200: ResultsOut, 403: Error, 404: Error},
    url_name="consultation_survey_results",
    summary="Aggregate results of a consultation's survey",
)
def get_survey_results(request: HttpRequest, consultation_id: ObjectId) -> Any:
    """Aggregate results, when the survey makes them public (or for the organisation's staff)."""
    survey = _survey_for(request, consultation_id)
    if not caller(request).has_perm("consultations.view_survey_results", survey):
        raise ApiError(403, "results_not_public", _("The results of this survey are not public yet."))
    results = services.survey_results(survey.consultation) or {}
    results["demographics"] = services.demographics_summary(survey.consultation) if survey.ask_demographics else None
    return results
