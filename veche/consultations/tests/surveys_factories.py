"""Factories for the survey part's tests: a published survey with one question of every kind."""

from __future__ import annotations

from veche.consultations.models import Option, Question, Survey
from veche.consultations.models.surveys import QuestionKind

AREA = {
    "type": "Polygon",
    "coordinates": [[[14.40, 50.07], [14.44, 50.07], [14.44, 50.10], [14.40, 50.10], [14.40, 50.07]]],
}


def make_survey(consultation, *, published=True, kinds=None, required=True, **fields) -> Survey:
    """A survey on consultation with one question per kind (all of them by default), each required unless told."""
    survey = Survey.objects.create(
        consultation=consultation, title="What should the park have?", is_published=published, **fields
    )
    for weight, kind in enumerate(kinds or QuestionKind.values):
        question = Question.objects.create(
            survey=survey,
            kind=kind,
            text=f"Question {weight + 1} ({kind})",
            required=required,
            weight=weight,
            scale_min=1,
            scale_max=5,
            scale_min_label="not at all" if kind == QuestionKind.SCALE else "",
            scale_max_label="very much" if kind == QuestionKind.SCALE else "",
        )
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING):
            Option.objects.bulk_create(
                Option(question=question, text=text, weight=index)
                for index, text in enumerate(["Trees", "Playground", "Benches"])
            )
    return survey


def question(survey, kind) -> Question:
    return survey.questions.prefetch_related("options").get(kind=kind)


def full_answers(survey) -> dict:
    """Values (as services.submit_response takes them) answering every question of make_survey()."""
    values = {}
    for item in survey.questions.prefetch_related("options"):
        options = [option.pk for option in item.options.all()]
        values[item.pk] = {
            QuestionKind.SINGLE: options[0] if options else None,
            QuestionKind.MULTIPLE: options[:2],
            QuestionKind.SCALE: 4,
            QuestionKind.SHORT_TEXT: "Shade",
            QuestionKind.LONG_TEXT: "More trees along the river, please.",
            QuestionKind.RANKING: {option: rank for rank, option in enumerate(reversed(options), start=1)},
            QuestionKind.MAP_POINT: (50.08, 14.42),
        }[item.kind]
    return values


def post_data(survey) -> dict:
    """The same answers as the answer form's POST data."""
    data = {}
    for item in survey.questions.prefetch_related("options"):
        options = [option.pk for option in item.options.all()]
        key = f"q{item.pk}"
        if item.kind == QuestionKind.SINGLE:
            data[key] = str(options[0])
        elif item.kind == QuestionKind.MULTIPLE:
            data[key] = [str(options[0]), str(options[1])]
        elif item.kind == QuestionKind.SCALE:
            data[key] = "4"
        elif item.kind == QuestionKind.SHORT_TEXT:
            data[key] = "Shade"
        elif item.kind == QuestionKind.LONG_TEXT:
            data[key] = "More trees along the river, please."
        elif item.kind == QuestionKind.RANKING:
            for rank, option in enumerate(reversed(options), start=1):
                data[f"{key}_o{option}"] = str(rank)
        elif item.kind == QuestionKind.MAP_POINT:
            data[f"{key}_lat"], data[f"{key}_lon"] = "50,08", "14.42"
    return data
