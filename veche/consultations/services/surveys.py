"""The survey: building it (coordinators), answering it (residents, once), and its aggregate results.

Once answers have come in, the questions may only change in ways that keep every stored answer valid: wording fixes
(question, help text, option and scale labels), moving questions, relaxing a required question or a choice limit, and
adding optional questions. Everything else is refused with a message that says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veche.audit.services import record
from veche.consultations.choices import AgeBand, Channel, ContributionKind, ContributionStatus, Gender
from veche.consultations.models import (
    Contribution,
    Option,
    Participant,
    Question,
    Survey,
    SurveyAnswer,
    SurveyResponse,
)
from veche.consultations.models.surveys import QuestionKind, ResponseChannel
from veche.consultations.module import SURVEY
from veche.consultations.survey_engine import results as engine_results
from veche.consultations.survey_engine.geometry import area_from_geojson
from veche.consultations.survey_engine.spec import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    SCALE_LIMIT,
    Kind,
    QuestionSpec,
)
from veche.consultations.survey_engine.validate import AnswerError, validate_answers
from veche.core.permissions import require_permission

MAX_DISTRICTS = 100
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING)


# --- reading ---------------------------------------------------------------------------------------------------------
def survey_for(consultation: Any) -> Survey | None:
    """The consultation's survey, or None (one query)."""
    return Survey.objects.filter(consultation=consultation).first()


def questions_of(survey: Survey) -> list[Question]:
    """The survey's questions with their options, in order (two queries)."""
    return list(
        Question.objects.filter(survey=survey).prefetch_related(models.Prefetch("options", Option.objects.all()))
    )


def has_answers(survey: Survey) -> bool:
    return SurveyResponse.objects.filter(survey=survey).exists()


def response_of(survey: Survey, participant: Participant | None) -> SurveyResponse | None:
    if participant is None:
        return None
    return SurveyResponse.objects.filter(survey=survey, participant=participant).first()


def question_spec(question: Question, consultation: Any) -> QuestionSpec:
    """What the survey engine needs to check answers to question (its options prefetched)."""
    return QuestionSpec(
        id=question.pk,
        kind=Kind(question.kind),
        required=question.required,
        option_ids=tuple(option.pk for option in question.options.all()),
        scale_min=question.scale_min,
        scale_max=question.scale_max,
        max_choices=question.max_choices,
        area=area_from_geojson(consultation.area) if question.kind == QuestionKind.MAP_POINT else None,
    )


def answer_error_message(error: AnswerError) -> str:
    """The message a resident reads for an answer the engine refused."""
    params, code = error.params, error.code
    if code == "too_many_choices":
        limit = params["limit"]
        return ngettext("Choose at most %(limit)s option.", "Choose at most %(limit)s options.", limit) % params
    if code == "ranking_incomplete":
        return (
            ngettext(
                "Give every option a rank from 1 to %(count)s.",
                "Give every option a different rank from 1 to %(count)s.",
                params["count"],
            )
            % params
        )
    if code == "out_of_range":
        return _("Choose a value from %(low)s to %(high)s.") % params
    if code == "too_long":
        return _("Please shorten your answer to %(limit)s characters (it has %(length)s).") % params
    messages = {
        "required": _("Please answer this question."),
        "unknown_option": _("Choose one of the options shown."),
        "duplicate_choice": _("Choose each option once."),
        "not_a_whole_number": _("Choose one of the values of the scale."),
        "ranking_duplicate": _("Give each option a different rank: two options have the same number."),
        "bad_point": _("Give the latitude and longitude as numbers, e.g. 50.0875 and 14.4213."),
        "outside_area": _("Choose a point inside the area of the consultation."),
    }
    return messages.get(code, _("This answer is not valid."))


# --- building --------------------------------------------------------------------------------------------------------
LOCKED_MESSAGE = _(
    "Answers have already come in, so this change would make them invalid. You can still fix the wording of the "
    "question, its help text and its options, and move it."
)


def _lock_survey(survey: Survey) -> Survey:
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _audit(actor: Any, action: str, target: Any, survey: Survey, **data: Any) -> None:
    record(
        actor=actor,
        action=f"consultations.{action}",
        target=target,
        organisation=survey.consultation.organisation_id,
        data=data,
    )


def get_or_create_survey(*, actor: Any, consultation: Any) -> Survey:
    """The consultation's survey, created (unpublished, titled after the consultation) on the coordinator's first
    visit to the builder. Raises PermissionDenied unless actor may build it. Audits the creation."""
    require_permission(actor, "consultations.change_survey", consultation)
    existing = survey_for(consultation)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            survey = Survey.objects.create(consultation=consultation, title=_("Survey"))
            _audit(actor, "survey_created", survey, survey)
    except IntegrityError:
        return Survey.objects.get(consultation=consultation)
    return survey


def clean_districts(lines: Sequence[str]) -> list[str]:
    """Districts without blanks or repeats, each at most 100 characters; raises ValidationError."""
    districts = list(dict.fromkeys(line.strip() for line in lines if line.strip()))
    if len(districts) > MAX_DISTRICTS:
        raise ValidationError({"districts": _("List at most %(count)s districts.") % {"count": MAX_DISTRICTS}})
    if any(len(district) > 100 for district in districts):
        raise ValidationError({"districts": _("Keep each district's name under 100 characters.")})
    return districts


def update_survey(
    *,
    actor: Any,
    survey: Survey,
    title: str,
    intro: str = "",
    is_published: bool = False,
    ask_demographics: bool = False,
    districts: Sequence[str] = (),
    results_visibility: str = "",
) -> Survey:
    """Change the survey's settings. Publishing needs at least one question. Raises PermissionDenied or
    ValidationError. Audits."""
    require_permission(actor, "consultations.change_survey", survey.consultation)
    if not title.strip():
        raise ValidationError({"title": _("Give the survey a title.")})
    cleaned = clean_districts(districts)
    with transaction.atomic():
        locked = _lock_survey(survey)
        if is_published and not Question.objects.filter(survey=locked).exists():
            raise ValidationError({"is_published": _("Add at least one question before publishing the survey.")})
        locked.title = title.strip()
        locked.intro = intro.strip()
        locked.is_published = is_published
        locked.ask_demographics = ask_demographics
        locked.districts = cleaned
        locked.results_visibility = results_visibility or locked.results_visibility
        locked.save()
        _audit(actor, "survey_changed", locked, locked, published=is_published, demographics=ask_demographics)
    survey.refresh_from_db()
    return survey


@dataclass
class OptionInput:
    """One option row of the question form: an existing option (option) or a new one, its text, and whether to drop
    it. Rows come in their new order."""

    text: str
    option: Option | None = None
    delete: bool = False


@dataclass
class QuestionInput:
    text: str
    help_text: str = ""
    required: bool = False
    scale_min: int = 1
    scale_max: int = 5
    scale_min_label: str = ""
    scale_max_label: str = ""
    max_choices: int | None = None
    options: Sequence[OptionInput] = ()


def _check_structure(kind: str, data: QuestionInput, option_count: int) -> None:
    errors: dict[str, str] = {}
    if not data.text.strip():
        errors["text"] = _("Write the question.")
    if kind == QuestionKind.SCALE and not 0 <= data.scale_min < data.scale_max <= SCALE_LIMIT:
        errors["scale_max"] = _(
            "A scale runs from a lower to a higher whole number between 0 and %(limit)s, e.g. 1 to 5."
        ) % {"limit": SCALE_LIMIT}
    if kind in CHOICE_KINDS and not MIN_OPTIONS <= option_count <= MAX_OPTIONS:
        errors["options"] = _("Give between %(low)s and %(high)s options.") % {
            "low": MIN_OPTIONS,
            "high": MAX_OPTIONS,
        }
    limit = data.max_choices
    if kind == QuestionKind.MULTIPLE and limit is not None and not 1 <= limit <= max(option_count, 1):
        errors["max_choices"] = _("The limit must be between 1 and the number of options.")
    if errors:
        raise ValidationError(errors)


def add_question(*, actor: Any, survey: Survey, kind: str, data: QuestionInput) -> Question:
    """Add a question at the end. Once answers exist only optional questions may be added (a required one would
    leave the earlier respondents' answers incomplete). Raises PermissionDenied or ValidationError. Audits."""
    require_permission(actor, "consultations.change_survey", survey.consultation)
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose a kind of question.")})
    options = [row.text.strip() for row in data.options if row.text.strip() and not row.delete]
    _check_structure(kind, data, len(options))
    with transaction.atomic():
        locked = _lock_survey(survey)
        if data.required and has_answers(locked):
            raise ValidationError(
                {"required": _("Answers have already come in: a question added now can only be optional.")}
            )
        last = Question.objects.filter(survey=locked).aggregate(top=models.Max("weight"))["top"]
        question = Question.objects.create(
            survey=locked,
            kind=kind,
            text=data.text.strip(),
            help_text=data.help_text.strip(),
            required=data.required,
            weight=(last + 1) if last is not None else 0,
            scale_min=data.scale_min if kind == QuestionKind.SCALE else 1,
            scale_max=data.scale_max if kind == QuestionKind.SCALE else 5,
            scale_min_label=data.scale_min_label.strip() if kind == QuestionKind.SCALE else "",
            scale_max_label=data.scale_max_label.strip() if kind == QuestionKind.SCALE else "",
            max_choices=data.max_choices if kind == QuestionKind.MULTIPLE else None,
        )
        if kind in CHOICE_KINDS:
            Option.objects.bulk_create(
                Option(question=question, text=text, weight=index) for index, text in enumerate(options)
            )
        _audit(actor, "survey_question_added", question, locked, kind=kind)
    return question


def update_question(*, actor: Any, question: Question, data: QuestionInput) -> Question:
    """Change a question (its kind stays). With answers in, only changes that keep them valid pass: wording,
    labels, making it optional, raising the choice limit; no options added, removed or reordered, no other scale.
    Raises PermissionDenied or ValidationError (LOCKED_MESSAGE for a change answers forbid). Audits."""
    survey = question.survey
    require_permission(actor, "consultations.change_survey", survey.consultation)
    kind = question.kind
    with transaction.atomic():
        _lock_survey(survey)
        current = {option.pk: option for option in Option.objects.filter(question=question)}
        rows = [row for row in data.options if row.option is not None or (row.text.strip() and not row.delete)]
        kept = [row for row in rows if not row.delete]
        if kind in CHOICE_KINDS:
            _check_structure(kind, data, len(kept))
            if any(not row.text.strip() for row in kept):
                raise ValidationError({"options": _("An option needs its text; to remove it, tick its box.")})
        else:
            _check_structure(kind, data, 0)
        if has_answers(survey):
            kept_ids = [row.option.pk for row in kept if row.option is not None]
            invalidating = (
                (data.required and not question.required)
                or (
                    kind == QuestionKind.SCALE
                    and (data.scale_min, data.scale_max) != (question.scale_min, question.scale_max)
                )
                or (
                    kind == QuestionKind.MULTIPLE
                    and data.max_choices is not None
                    and (question.max_choices is None or data.max_choices < question.max_choices)
                )
                or (kind in CHOICE_KINDS and (len(kept) != len(current) or kept_ids != list(current)))
            )
            if invalidating:
                raise ValidationError(LOCKED_MESSAGE)
        question.text = data.text.strip()
        question.help_text = data.help_text.strip()
        question.required = data.required
        if kind == QuestionKind.SCALE:
            question.scale_min, question.scale_max = data.scale_min, data.scale_max
            question.scale_min_label = data.scale_min_label.strip()
            question.scale_max_label = data.scale_max_label.strip()
        if kind == QuestionKind.MULTIPLE:
            question.max_choices = data.max_choices
        question.save()
        if kind in CHOICE_KINDS:
            Option.objects.filter(pk__in=[row.option.pk for row in rows if row.delete and row.option]).delete()
            for index, row in enumerate(kept):
                if row.option is None:
                    Option.objects.create(question=question, text=row.text.strip(), weight=index)
                elif row.option.pk in current:
                    option = current[row.option.pk]
                    if (option.text, option.weight) != (row.text.strip(), index):
                        option.text, option.weight = row.text.strip(), index
                        option.save(update_fields=["text", "weight"])
        _audit(actor, "survey_question_changed", question, survey)
    return question


def delete_question(*, actor: Any, question: Question) -> None:
    """Delete a question and its options; refused once answers exist (they would be lost). Audits."""
    survey = question.survey
    require_permission(actor, "consultations.change_survey", survey.consultation)
    with transaction.atomic():
        _lock_survey(survey)
        if has_answers(survey):
            raise ValidationError(
                _("Answers have already come in, so this question can no longer be deleted; you can fix its wording.")
            )
        _audit(actor, "survey_question_deleted", question, survey, text=question.text[:100])
        question.delete()
        if not Question.objects.filter(survey=survey).exists() and survey.is_published:
            Survey.objects.filter(pk=survey.pk).update(is_published=False)


def move_question(*, actor: Any, question: Question, up: bool) -> None:
    """Swap the question with its neighbour above (up) or below; numbers the questions 0…n−1. Answers are kept:
    they belong to questions, not to positions."""
    survey = question.survey
    require_permission(actor, "consultations.change_survey", survey.consultation)
    with transaction.atomic():
        _lock_survey(survey)
        ordered = list(Question.objects.filter(survey=survey).order_by("weight", "id"))
        position = next(index for index, item in enumerate(ordered) if item.pk == question.pk)
        other = position - 1 if up else position + 1
        if 0 <= other < len(ordered):
            ordered[position], ordered[other] = ordered[other], ordered[position]
        for index, item in enumerate(ordered):
            item.weight = index
        Question.objects.bulk_update(ordered, ["weight"])


# --- answering -------------------------------------------------------------------------------------------------------
@dataclass
class Demographics:
    age_band: str = ""
    gender: str = ""
    district: str = ""


def demographics_wanted(survey: Survey, participant: Participant | None) -> bool:
    """Ask the demographic questions: the survey asks them and this participant has not answered them yet."""
    return bool(survey.ask_demographics and (participant is None or participant.demographics_answered_at is None))


def record_demographics(*, participant: Participant, survey: Survey, answers: Demographics) -> bool:
    """Store the participant's demographic answers, once per consultation (a second call changes nothing). Each
    answer is optional; values not offered are dropped. Returns whether they were stored now."""
    if participant.demographics_answered_at is not None:
        return False
    updated = Participant.objects.filter(pk=participant.pk, demographics_answered_at__isnull=True).update(
        age_band=answers.age_band if answers.age_band in AgeBand.values else "",
        gender=answers.gender if answers.gender in Gender.values else "",
        district=answers.district if answers.district in survey.districts else "",
        demographics_answered_at=timezone.now(),
    )
    return bool(updated)


def _answer_rows(
    question: Question, value: Any, response: SurveyResponse, received_on: Any
) -> tuple[SurveyAnswer, Contribution | None]:
    answer = SurveyAnswer(response=response, question=question)
    contribution = None
    if question.kind == QuestionKind.SINGLE:
        answer.choices = [value]
    elif question.kind in (QuestionKind.MULTIPLE, QuestionKind.RANKING):
        answer.choices = list(value)
    elif question.kind == QuestionKind.SCALE:
        answer.number = value
    elif question.kind == QuestionKind.MAP_POINT:
        answer.latitude, answer.longitude = value
    else:
        answer.text = value
        contribution = Contribution(
            consultation_id=response.survey.consultation_id,
            kind=ContributionKind.SURVEY_ANSWER,
            channel=Channel.ONLINE if response.channel == ResponseChannel.ONLINE else Channel.PAPER,
            participant=response.participant,
            text=value,
            recorded_by=response.recorded_by,
            received_on=received_on,
        )
    return answer, contribution


def _store_answers(
    response: SurveyResponse, questions: Sequence[Question], answers: Mapping[int, Any], received_on: Any = None
) -> None:
    pairs = [
        _answer_rows(question, answers[question.pk], response, received_on)
        for question in questions
        if question.pk in answers
    ]
    contributions = [contribution for _, contribution in pairs if contribution is not None]
    Contribution.objects.bulk_create(contributions)
    for answer, contribution in pairs:
        if contribution is not None:
            answer.contribution = contribution
    SurveyAnswer.objects.bulk_create(answer for answer, _ in pairs)


def check_answers(survey: Survey, questions: Sequence[Question], values: Mapping[int, Any]) -> dict[int, Any]:
    """Normalised answers; raises ValidationError keyed by question id (as strings) with the residents' messages."""
    specs = [question_spec(question, survey.consultation) for question in questions]
    answers, errors = validate_answers(specs, values)
    if errors:
        raise ValidationError({str(key): answer_error_message(error) for key, error in errors.items()})
    return answers


def submit_response(
    *,
    participant: Participant,
    survey: Survey,
    values: Mapping[int, Any],
    demographics: Demographics | None = None,
) -> tuple[SurveyResponse, bool]:
    """Store the participant's answers to the survey, once: returns (response, created). A second submission
    (a double click, another tab, a race) returns the first response unchanged — the unique (survey, participant)
    constraint decides, not a prior check.

    Preconditions: the survey is published and the consultation's phase allows answering (else ValidationError with
    a message for the resident); the participant belongs to this consultation. Values are checked by the survey
    engine (ValidationError keyed by question id). Text answers become contributions (kind survey_answer) in the same
    transaction. Demographic answers are stored on the participant when the survey asks them and they were not
    given before. Not audited: what a resident answered is theirs, not staff's action.
    """
    consultation = survey.consultation
    if participant.consultation_id != consultation.pk:
        raise PermissionDenied
    if not survey.is_published or not consultation.module.allows(SURVEY):
        raise ValidationError(_("This survey is not open for answers now."))
    existing = response_of(survey, participant)
    if existing is not None:
        return existing, False
    questions = questions_of(survey)
    answers = check_answers(survey, questions, values)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(survey=survey, participant=participant)
            response.survey = survey
            _store_answers(response, questions, answers)
            if demographics is not None and survey.ask_demographics:
                record_demographics(participant=participant, survey=survey, answers=demographics)
    except IntegrityError:
        return SurveyResponse.objects.get(survey=survey, participant=participant), False
    return response, True


def record_paper_response(
    *, actor: Any, survey: Survey, values: Mapping[int, Any], received_on: Any = None
) -> SurveyResponse:
    """Type in one paper form's answers (no participant; recorded_by the actor). Allowed to whoever may record
    offline input now. Audits (the entry, not the answers)."""
    require_permission(actor, "consultations.record_offline", survey.consultation)
    questions = questions_of(survey)
    answers = check_answers(survey, questions, values)
    with transaction.atomic():
        response = SurveyResponse.objects.create(survey=survey, channel=ResponseChannel.PAPER, recorded_by=actor)
        response.survey = survey
        _store_answers(response, questions, answers, received_on or timezone.localdate())
        _audit(actor, "survey_paper_response_recorded", response, survey)
    return response


# --- results ---------------------------------------------------------------------------------------------------------
def _answers_by_question(survey: Survey) -> dict[int, list[tuple[Any, ...]]]:
    by_question: dict[int, list[tuple[Any, ...]]] = {}
    rows = SurveyAnswer.objects.filter(response__survey=survey).values_list(
        "question_id", "choices", "number", "latitude", "longitude", "text"
    )
    for question_id, *rest in rows.iterator(chunk_size=5000):
        by_question.setdefault(question_id, []).append(tuple(rest))
    return by_question


def _question_result(question: Question, rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    options = list(question.options.all())
    option_ids = [option.pk for option in options]
    labels = {option.pk: option.text for option in options}
    base = {
        "id": question.pk,
        "kind": question.kind,
        "kind_label": str(question.get_kind_display()),
        "text": question.text,
        "required": question.required,
    }
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        summary = engine_results.choice_counts(option_ids, [choices for choices, *_ in rows])
    elif question.kind == QuestionKind.RANKING:
        summary = engine_results.ranking_summary(option_ids, [choices for choices, *_ in rows])
    elif question.kind == QuestionKind.SCALE:
        summary = engine_results.scale_summary(
            question.scale_min, question.scale_max, [number for _, number, *_ in rows if number is not None]
        )
        summary["min_label"], summary["max_label"] = question.scale_min_label, question.scale_max_label
    elif question.kind == QuestionKind.MAP_POINT:
        summary = engine_results.points_summary(
            [(lat, lon) for _, _, lat, lon, _ in rows if lat is not None and lon is not None]
        )
    else:
        summary = {"answered": sum(1 for *_, text in rows if text)}
    for option in summary.get("options", []):
        option["text"] = labels.get(option["id"], "")
    return base | summary


def survey_results(consultation: Any) -> dict[str, Any] | None:
    """Aggregate results of the consultation's survey as plain data (None without a survey), in a fixed number of
    queries whatever the number of answers:

    {"survey": {"id", "title"}, "responses": n, "online": n, "paper": n,
     "questions": [{"id", "kind", "kind_label", "text", "required", "answered", …per kind…}]}

    per kind — single/multiple: "options": [{"id", "text", "count", "percent"}]; scale: "mean", "median", "steps":
    [{"value", "count", "percent"}], "min_label", "max_label"; ranking: "options" best first with "average_rank",
    "borda", "first", "first_percent"; map_point: "points" [[lat, lon]], "centre", "bbox"; text: only "answered" (the
    texts are contributions). Nothing in it identifies a respondent.
    """
    survey = survey_for(consultation)
    if survey is None:
        return None
    questions = questions_of(survey)
    channels = dict(
        SurveyResponse.objects.filter(survey=survey)
        .values_list("channel")
        .annotate(count=models.Count("id"))
        .values_list("channel", "count")
    )
    by_question = _answers_by_question(survey)
    return {
        "survey": {"id": survey.pk, "title": survey.title},
        "responses": sum(channels.values()),
        "online": channels.get(ResponseChannel.ONLINE, 0),
        "paper": channels.get(ResponseChannel.PAPER, 0),
        "questions": [_question_result(question, by_question.get(question.pk, [])) for question in questions],
    }


def demographics_summary(consultation: Any) -> dict[str, Any]:
    """Who took part, in aggregate only: counts of participants who answered the demographic questions, per age
    band, gender and district, with small groups hidden (engine_results.suppressed_counts: 1–4 shown as "fewer than
    5", plus one more when only one is hidden). Plain data for the report:

    {"respondents": n, "threshold": 5,
     "age_band": [{"key", "label", "count" (None when hidden), "suppressed"}], "gender": [...], "district": [...]}

    "not answered" rows count participants who skipped one question. Never lists a participant.
    """
    answered = Participant.objects.filter(consultation=consultation, demographics_answered_at__isnull=False)
    survey = survey_for(consultation)
    districts = list(survey.districts) if survey is not None else []
    total = answered.count()

    def counted(field: str) -> dict[str, int]:
        return dict(answered.values_list(field).annotate(count=models.Count("id")).values_list(field, "count"))

    def dimension(field: str, labelled: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
        counts = counted(field)
        keys = [key for key, _ in labelled]
        extra = sorted(key for key in counts if key and key not in keys)
        pairs = [(key, counts.get(key, 0)) for key in keys] + [(key, counts[key]) for key in extra]
        pairs.append(("", counts.get("", 0)))
        labels = dict(labelled) | {key: key for key in extra} | {"": str(_("not answered"))}
        rows = engine_results.suppressed_counts(pairs)
        for row in rows:
            row["label"] = labels[row["key"]]
        return rows

    return {
        "respondents": total,
        "threshold": engine_results.SMALL_COUNT,
        "age_band": dimension("age_band", [(key, str(label)) for key, label in AgeBand.choices]),
        "gender": dimension("gender", [(key, str(label)) for key, label in Gender.choices]),
        "district": dimension("district", [(name, name) for name in districts]),
    }


def choice_answers_table(survey: Survey) -> tuple[list[str], list[list[str]]]:
    """The anonymous table of choice answers for the CSV export: one row per response with the option texts chosen
    (ranking: "1. … | 2. …"), the scale values and map points; no participant, date, text answer or demographics,
    and rows sorted by their contents so that their order says nothing about who answered when."""
    questions = [question for question in questions_of(survey) if not question.is_text]
    header = [question.text for question in questions]
    labels = {option.pk: option.text for question in questions for option in question.options.all()}
    by_response: dict[int, dict[int, str]] = {}
    rows = SurveyAnswer.objects.filter(response__survey=survey, question__in=questions).values_list(
        "response_id", "question_id", "question__kind", "choices", "number", "latitude", "longitude"
    )
    for response_id, question_id, kind, choices, number, lat, lon in rows.iterator(chunk_size=5000):
        if kind == QuestionKind.RANKING:
            cell = " | ".join(f"{rank}. {labels.get(option, '')}" for rank, option in enumerate(choices, start=1))
        elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            cell = " | ".join(labels.get(option, "") for option in choices)
        elif kind == QuestionKind.SCALE:
            cell = "" if number is None else str(number)
        else:
            cell = "" if lat is None else f"{lat:.6f}, {lon:.6f}"
        by_response.setdefault(response_id, {})[question_id] = cell
    table = sorted([answers.get(question.pk, "") for question in questions] for answers in by_response.values())
    return header, table


TEXTS_SHOWN = 50


def text_answers_for_staff(survey: Survey) -> dict[int, list[dict[str, Any]]]:
    """The latest text answers per text question (at most TEXTS_SHOWN each, one query per text question), for the
    staff results page: text and whether a moderator hid it; never who wrote it. All of them are in the report."""
    shown: dict[int, list[dict[str, Any]]] = {}
    text_kinds = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
    for question_id in Question.objects.filter(survey=survey, kind__in=text_kinds).values_list("pk", flat=True):
        rows = (
            SurveyAnswer.objects.filter(question_id=question_id)
            .exclude(text="")
            .order_by("-id")
            .values_list("text", "contribution__status")[:TEXTS_SHOWN]
        )
        shown[question_id] = [{"text": text, "hidden": status == ContributionStatus.HIDDEN} for text, status in rows]
    return shown
