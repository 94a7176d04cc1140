"""The survey's services: building with the answers-exist lock, answering once, results and demographics."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from veche.audit.models import AuditEntry
from veche.consultations.choices import ContributionKind
from veche.consultations.models import Contribution, Option, Participant, Question, SurveyAnswer, SurveyResponse
from veche.consultations.models.surveys import QuestionKind
from veche.consultations.services import surveys as services
from veche.consultations.services.surveys import Demographics, OptionInput, QuestionInput
from veche.consultations.tests.factories import consultation_in, participant
from veche.consultations.tests.surveys_factories import AREA, full_answers, make_survey, question
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(personas):
    return consultation_in(personas.organisation)


def answer(survey, consultation, user=None, **kwargs):
    person = participant(consultation, user or UserFactory())
    return services.submit_response(participant=person, survey=survey, values=full_answers(survey), **kwargs)


# --- building ----------------------------------------------------------------------------------------------------
def test_coordinator_builds_a_survey_and_it_is_audited(personas, consultation):
    survey = services.get_or_create_survey(actor=personas.coordinator, consultation=consultation)
    assert services.get_or_create_survey(actor=personas.coordinator, consultation=consultation) == survey
    added = services.add_question(
        actor=personas.coordinator,
        survey=survey,
        kind=QuestionKind.RANKING,
        data=QuestionInput(text="Rank these", options=[OptionInput("A"), OptionInput(" "), OptionInput("B")]),
    )
    assert list(added.options.values_list("text", flat=True)) == ["A", "B"]
    services.update_survey(actor=personas.coordinator, survey=survey, title="Park", is_published=True)
    assert survey.is_published
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"consultations.survey_created", "consultations.survey_question_added"} <= actions


@pytest.mark.parametrize("persona", ["anonymous", "resident", "member", "expert", "moderator", "other_administrator"])
def test_only_coordinators_build(personas, consultation, persona):
    with pytest.raises(PermissionDenied):
        services.get_or_create_survey(actor=personas.get(persona), consultation=consultation)


def test_publishing_needs_a_question_and_a_title(personas, consultation):
    survey = services.get_or_create_survey(actor=personas.coordinator, consultation=consultation)
    with pytest.raises(ValidationError) as caught:
        services.update_survey(actor=personas.coordinator, survey=survey, title="Park", is_published=True)
    assert "is_published" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.update_survey(actor=personas.coordinator, survey=survey, title=" ")


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        (QuestionKind.SINGLE, QuestionInput(text="Pick", options=[OptionInput("only one")]), "options"),
        (QuestionKind.SCALE, QuestionInput(text="Rate", scale_min=5, scale_max=5), "scale_max"),
        (QuestionKind.SCALE, QuestionInput(text="Rate", scale_min=0, scale_max=11), "scale_max"),
        (QuestionKind.SHORT_TEXT, QuestionInput(text="  "), "text"),
        (
            QuestionKind.MULTIPLE,
            QuestionInput(text="Pick", max_choices=3, options=[OptionInput("a"), OptionInput("b")]),
            "max_choices",
        ),
    ],
)
def test_question_structure_is_checked(personas, consultation, kind, data, field):
    survey = services.get_or_create_survey(actor=personas.coordinator, consultation=consultation)
    with pytest.raises(ValidationError) as caught:
        services.add_question(actor=personas.coordinator, survey=survey, kind=kind, data=data)
    assert field in caught.value.message_dict


def test_before_answers_everything_may_change(personas, consultation):
    survey = make_survey(consultation, kinds=[QuestionKind.SINGLE, QuestionKind.SCALE])
    single = question(survey, QuestionKind.SINGLE)
    trees, playground, benches = single.options.all()
    services.update_question(
        actor=personas.coordinator,
        question=single,
        data=QuestionInput(
            text="Pick one",
            required=True,
            options=[OptionInput("Benches", benches), OptionInput("Trees", trees), OptionInput("x", playground, True)],
        ),
    )
    assert list(single.options.values_list("text", flat=True)) == ["Benches", "Trees"]
    services.move_question(actor=personas.coordinator, question=question(survey, QuestionKind.SCALE), up=True)
    assert list(survey.questions.values_list("kind", flat=True)) == ["scale", "single"]
    services.delete_question(actor=personas.coordinator, question=single)
    assert not Question.objects.filter(pk=single.pk).exists()


def test_once_answers_exist_only_wording_changes(personas, consultation):
    survey = make_survey(consultation, kinds=[QuestionKind.SINGLE, QuestionKind.SCALE, QuestionKind.MULTIPLE])
    answer(survey, consultation)
    single = question(survey, QuestionKind.SINGLE)
    options = list(single.options.all())
    wording = [OptionInput(option.text + "!", option) for option in options]
    services.update_question(
        actor=personas.coordinator,
        question=single,
        data=QuestionInput(text="Fixed typo", required=True, options=wording),
    )
    assert Option.objects.filter(question=single, text="Trees!").exists()
    refused = [
        QuestionInput(text="x", required=True, options=wording + [OptionInput("New")]),  # added option
        QuestionInput(text="x", required=True, options=wording[:2] + [OptionInput("z", options[2], True)]),  # removed
        QuestionInput(text="x", required=True, options=list(reversed(wording))),  # reordered
    ]
    for data in refused:
        with pytest.raises(ValidationError) as caught:
            services.update_question(actor=personas.coordinator, question=single, data=data)
        assert "Answers have already come in" in caught.value.messages[0]
    scale = question(survey, QuestionKind.SCALE)
    with pytest.raises(ValidationError):
        services.update_question(
            actor=personas.coordinator, question=scale, data=QuestionInput(text="x", required=True, scale_max=7)
        )
    services.update_question(
        actor=personas.coordinator,
        question=scale,
        data=QuestionInput(text="Relaxed", required=False, scale_min_label="no", scale_max_label="yes"),
    )
    with pytest.raises(ValidationError):
        services.update_question(
            actor=personas.coordinator, question=scale, data=QuestionInput(text="x", required=True)
        )
    with pytest.raises(ValidationError):
        services.delete_question(actor=personas.coordinator, question=single)
    with pytest.raises(ValidationError) as caught:
        services.add_question(
            actor=personas.coordinator,
            survey=survey,
            kind=QuestionKind.SHORT_TEXT,
            data=QuestionInput(text="New?", required=True),
        )
    assert "required" in caught.value.message_dict
    services.add_question(
        actor=personas.coordinator,
        survey=survey,
        kind=QuestionKind.SHORT_TEXT,
        data=QuestionInput(text="Anything else?"),
    )
    services.move_question(actor=personas.coordinator, question=scale, up=True)


# --- answering ---------------------------------------------------------------------------------------------------
def test_a_resident_answers_every_kind_once_and_text_answers_become_contributions(consultation):
    survey = make_survey(consultation)
    person = participant(consultation, UserFactory())
    response, created = services.submit_response(participant=person, survey=survey, values=full_answers(survey))
    assert created
    again, created_again = services.submit_response(participant=person, survey=survey, values=full_answers(survey))
    assert again == response and not created_again
    assert SurveyResponse.objects.count() == 1
    assert SurveyAnswer.objects.filter(response=response).count() == len(QuestionKind.values)
    texts = Contribution.objects.filter(kind=ContributionKind.SURVEY_ANSWER)
    assert sorted(texts.values_list("text", flat=True)) == ["More trees along the river, please.", "Shade"]
    assert all(item.participant == person and item.channel == "online" for item in texts)
    linked = SurveyAnswer.objects.get(question__kind=QuestionKind.SHORT_TEXT)
    assert linked.contribution.text == "Shade"
    ranking = SurveyAnswer.objects.get(question__kind=QuestionKind.RANKING)
    options = list(question(survey, QuestionKind.RANKING).options.values_list("pk", flat=True))
    assert ranking.choices == list(reversed(options))


def test_answers_are_checked_by_the_engine(consultation):
    survey = make_survey(consultation)
    values = full_answers(survey)
    ranking = question(survey, QuestionKind.RANKING)
    values[ranking.pk] = dict.fromkeys(values[ranking.pk], 1)
    values[question(survey, QuestionKind.SCALE).pk] = 9
    del values[question(survey, QuestionKind.SHORT_TEXT).pk]
    with pytest.raises(ValidationError) as caught:
        services.submit_response(participant=participant(consultation, UserFactory()), survey=survey, values=values)
    errors = caught.value.message_dict
    assert set(errors) == {
        str(ranking.pk),
        str(question(survey, QuestionKind.SCALE).pk),
        str(question(survey, QuestionKind.SHORT_TEXT).pk),
    }
    assert not SurveyResponse.objects.exists()


def test_a_map_point_must_lie_in_the_consultations_area(personas):
    consultation = consultation_in(personas.organisation, area=AREA)
    survey = make_survey(consultation, kinds=[QuestionKind.MAP_POINT])
    point = question(survey, QuestionKind.MAP_POINT)
    person = participant(consultation, UserFactory())
    with pytest.raises(ValidationError) as caught:
        services.submit_response(participant=person, survey=survey, values={point.pk: (49.0, 14.42)})
    assert "inside the area" in caught.value.message_dict[str(point.pk)][0]
    services.submit_response(participant=person, survey=survey, values={point.pk: (50.08, 14.42)})


@pytest.mark.parametrize("phase", ["announcement", "analysis", "finished"])
def test_answers_only_in_the_open_phase(personas, phase):
    consultation = consultation_in(personas.organisation, phase=phase)
    survey = make_survey(consultation)
    with pytest.raises(ValidationError, match="not open"):
        answer(survey, consultation)


def test_an_unpublished_survey_takes_no_answers(consultation):
    survey = make_survey(consultation, published=False)
    with pytest.raises(ValidationError):
        answer(survey, consultation)


def test_a_participant_of_another_consultation_is_refused(personas, consultation):
    survey = make_survey(consultation)
    stranger = participant(consultation_in(personas.organisation), UserFactory())
    with pytest.raises(PermissionDenied):
        services.submit_response(participant=stranger, survey=survey, values=full_answers(survey))


def test_demographics_are_stored_once_per_consultation(consultation):
    survey = make_survey(consultation, kinds=[QuestionKind.SCALE], ask_demographics=True, districts=["North", "South"])
    person = participant(consultation, UserFactory())
    assert services.demographics_wanted(survey, person)
    services.submit_response(
        participant=person,
        survey=survey,
        values=full_answers(survey),
        demographics=Demographics(age_band="30_44", gender="woman", district="Atlantis"),
    )
    person.refresh_from_db()
    assert (person.age_band, person.gender, person.district) == ("30_44", "woman", "")
    assert person.demographics_answered_at is not None
    assert not services.demographics_wanted(survey, person)
    assert not services.record_demographics(participant=person, survey=survey, answers=Demographics(age_band="65_plus"))
    person.refresh_from_db()
    assert person.age_band == "30_44"


# --- results -----------------------------------------------------------------------------------------------------
def test_survey_results_are_plain_aggregates(consultation, django_assert_num_queries):
    survey = make_survey(consultation)
    for _ in range(3):
        answer(survey, consultation)
    with django_assert_num_queries(5):
        data = services.survey_results(consultation)
    assert data["responses"] == 3 and data["online"] == 3
    by_kind = {item["kind"]: item for item in data["questions"]}
    assert by_kind["single"]["options"][0] == {
        "id": by_kind["single"]["options"][0]["id"],
        "count": 3,
        "percent": 100.0,
        "text": "Trees",
    }
    assert by_kind["scale"]["mean"] == 4.0
    assert by_kind["ranking"]["options"][0]["text"] == "Benches"
    assert by_kind["ranking"]["options"][0]["average_rank"] == 1.0
    assert by_kind["map_point"]["points"] == [[50.08, 14.42]] * 3
    assert by_kind["long_text"]["answered"] == 3
    import json

    json.dumps(data)  # plain data
    assert services.survey_results(consultation_in(consultation.organisation)) is None


def test_results_cost_the_same_queries_with_many_answers(consultation, django_assert_num_queries):
    survey = make_survey(consultation)
    answer(survey, consultation)
    with django_assert_num_queries(5):
        services.survey_results(consultation)
    for _ in range(10):
        answer(survey, consultation)
    with django_assert_num_queries(5):
        services.survey_results(consultation)


def test_demographics_summary_hides_small_groups(consultation):
    from django.utils import timezone

    make_survey(consultation, kinds=[QuestionKind.SCALE], ask_demographics=True, districts=["North", "South"])
    now = timezone.now()
    people = [("18_29", "woman", "North")] * 7 + [("65_plus", "man", "South")] * 2 + [("30_44", "man", "North")] * 6
    Participant.objects.bulk_create(
        Participant(consultation=consultation, age_band=a, gender=g, district=d, demographics_answered_at=now)
        for a, g, d in people
    )
    participant(consultation, UserFactory(), age_band="45_64")  # never answered the step: not counted
    summary = services.demographics_summary(consultation)
    assert summary["respondents"] == 15
    ages = {row["key"]: row for row in summary["age_band"]}
    assert ages["18_29"]["count"] == 7
    assert ages["65_plus"]["count"] is None and ages["65_plus"]["reason"] == "small"
    assert ages["30_44"]["count"] is None and ages["30_44"]["reason"] == "complement"
    assert ages["45_64"]["count"] == 0
    genders = {row["key"]: row["count"] for row in summary["gender"]}
    assert genders == {"woman": 7, "man": 8, "other": 0, "undisclosed": 0, "": 0}
    districts = {row["key"]: row["reason"] for row in summary["district"]}
    assert districts == {"North": "complement", "South": "small", "": ""}  # else 15 − 13 would tell South's count


def test_the_csv_table_is_anonymous(consultation):
    survey = make_survey(consultation, ask_demographics=True, districts=["North"])
    for _ in range(2):
        answer(survey, consultation, demographics=Demographics(age_band="18_29", district="North"))
    header, rows = services.choice_answers_table(survey)
    assert len(header) == 5  # no text questions
    assert len(rows) == 2
    flat = " ".join(" ".join(row) for row in rows)
    assert "Shade" not in flat and "18_29" not in flat and "North" not in flat and "@" not in flat
    assert "1. Benches | 2. Playground | 3. Trees" in flat


def test_paper_responses_are_recorded_by_staff(personas, consultation):
    survey = make_survey(consultation)
    response = services.record_paper_response(actor=personas.moderator, survey=survey, values=full_answers(survey))
    assert response.channel == "paper" and response.participant is None
    assert Contribution.objects.filter(kind=ContributionKind.SURVEY_ANSWER, channel="paper").count() == 2
    with pytest.raises(PermissionDenied):
        services.record_paper_response(actor=personas.resident, survey=survey, values=full_answers(survey))
    assert services.survey_results(consultation)["paper"] == 1
