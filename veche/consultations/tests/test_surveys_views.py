"""The survey's pages through the client: answering (every kind, once), the builder, results, CSV and the section on
the consultation page."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veche.consultations.choices import ContributionKind, ParticipationMode
from veche.consultations.models import Contribution, Option, Participant, Question, Survey, SurveyResponse
from veche.consultations.models.surveys import QuestionKind, ResultsVisibility
from veche.consultations.services.participants import remember_participant
from veche.consultations.tests.factories import consultation_in, participant
from veche.consultations.tests.surveys_factories import make_survey, post_data, question
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(consultation, name="survey", **kwargs):
    return reverse(
        f"consultations:{name}",
        kwargs={"org_slug": consultation.organisation.slug, "slug": consultation.slug, **kwargs},
    )


@pytest.fixture
def consultation(personas):
    return consultation_in(personas.organisation)


def test_resident_answers_every_kind_and_a_double_submit_is_stored_once(client, personas, consultation):
    survey = make_survey(consultation, ask_demographics=True, districts=["North", "South"])
    client.force_login(personas.resident)
    page = client.get(url(consultation))
    assert page.status_code == 200
    content = page.content.decode()
    assert "<legend" in content and "data-ranking" in content and "data-map" in content
    data = post_data(survey) | {"demo_age_band": "18_29", "demo_gender": "woman", "demo_district": "North"}
    first = client.post(url(consultation), data)
    assert first.status_code == 302
    second = client.post(url(consultation), data)
    assert second.status_code == 302
    assert SurveyResponse.objects.count() == 1
    assert Contribution.objects.filter(kind=ContributionKind.SURVEY_ANSWER).count() == 2
    person = Participant.objects.get(user=personas.resident)
    assert (person.age_band, person.district) == ("18_29", "North")
    done = client.get(url(consultation)).content.decode()
    assert "You have answered this survey" in done
    assert "18_29" not in done and "North" not in done


def test_bad_answers_come_back_with_messages(client, personas, consultation):
    survey = make_survey(consultation)
    client.force_login(personas.resident)
    data = post_data(survey)
    ranking = question(survey, QuestionKind.RANKING)
    for option in ranking.options.all():
        data[f"q{ranking.pk}_o{option.pk}"] = "1"
    del data[f"q{question(survey, QuestionKind.SINGLE).pk}"]
    data[f"q{question(survey, QuestionKind.MAP_POINT).pk}_lat"] = "north"
    response = client.post(url(consultation), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "two options have the same number" in content
    assert "Please answer this question." in content
    assert "latitude and longitude as numbers" in content
    assert not SurveyResponse.objects.exists()


def test_signed_in_mode_asks_anonymous_visitors_to_sign_in(client, consultation):
    make_survey(consultation)
    page = client.get(url(consultation)).content.decode()
    assert "Sign in to answer" in page
    assert client.post(url(consultation), {}).status_code == 403


def test_anonymous_mode_uses_the_participant_remembered_in_the_session(client, personas):
    consultation = consultation_in(personas.organisation, participation_mode=ParticipationMode.VERIFIED_EMAIL)
    survey = make_survey(consultation)
    page = client.get(url(consultation)).content.decode()
    assert "Tell us who you are first" in page
    person = Participant.objects.create(consultation=consultation, email="a@example.org")
    session = client.session
    remember_participant(type("R", (), {"session": session})(), person)
    session.save()
    assert client.post(url(consultation), post_data(survey)).status_code == 302
    assert SurveyResponse.objects.get().participant == person


def test_a_closed_survey_says_so(client, personas):
    consultation = consultation_in(personas.organisation, phase="analysis")
    make_survey(consultation)
    client.force_login(personas.resident)
    assert "not open for answers" in client.get(url(consultation)).content.decode()
    assert client.post(url(consultation), {}).status_code == 403


def test_unpublished_survey_is_404_for_residents_and_a_preview_for_coordinators(client, personas, consultation):
    make_survey(consultation, published=False)
    client.force_login(personas.resident)
    assert client.get(url(consultation)).status_code == 404
    client.force_login(personas.coordinator)
    page = client.get(url(consultation))
    assert page.status_code == 200 and b"Preview" in page.content


def test_answer_page_query_count_does_not_grow(client, personas, consultation):
    survey = make_survey(consultation, kinds=[QuestionKind.SINGLE])
    client.force_login(personas.resident)
    with CaptureQueriesContext(connection) as small:
        client.get(url(consultation))
    make_survey_more = [QuestionKind.MULTIPLE, QuestionKind.RANKING, QuestionKind.SCALE, QuestionKind.LONG_TEXT]
    for index, kind in enumerate(make_survey_more):
        extra = Question.objects.create(survey=survey, kind=kind, text=f"Extra {index}", weight=10 + index)
        extra.options.create(text="a")
        extra.options.create(text="b")
    with CaptureQueriesContext(connection) as big:
        client.get(url(consultation))
    assert len(big) == len(small)


# --- builder -------------------------------------------------------------------------------------------------------
def test_coordinator_builds_a_survey_without_javascript(client, personas, consultation):
    client.force_login(personas.coordinator)
    builder = url(consultation, "survey_builder")
    assert b"Create the survey" in client.get(builder).content
    assert client.post(builder).status_code == 302
    survey = Survey.objects.get(consultation=consultation)
    add = url(consultation, "survey_question_add")
    assert client.get(add, {"kind": "ranking"}).status_code == 200
    data = {
        "kind": "ranking",
        "text": "Rank what matters",
        "help_text": "",
        "options-TOTAL_FORMS": "4",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "30",
        "options-0-text": "Trees",
        "options-0-ORDER": "2",
        "options-1-text": "Benches",
        "options-1-ORDER": "1",
        "options-2-text": "",
        "options-3-text": "",
    }
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ranking = survey.questions.get()
    assert list(ranking.options.values_list("text", flat=True)) == ["Benches", "Trees"]
    client.post(add, {"kind": "short_text", "text": "Anything else?", "required": "on"})
    settings_data = {
        "title": "Park survey",
        "intro": "",
        "results_visibility": "after_close",
        "districts": "North\nSouth\nNorth",
        "is_published": "on",
        "ask_demographics": "on",
    }
    assert client.post(builder, settings_data).status_code == 302
    survey.refresh_from_db()
    assert survey.is_published and survey.districts == ["North", "South"]
    text_question = survey.questions.get(kind="short_text")
    client.post(url(consultation, "survey_question_move", question_id=text_question.pk), {"direction": "up"})
    assert list(survey.questions.values_list("kind", flat=True)) == ["short_text", "ranking"]
    edit = url(consultation, "survey_question_edit", question_id=ranking.pk)
    page = client.get(edit)
    assert page.status_code == 200 and b"Benches" in page.content
    delete = url(consultation, "survey_question_delete", question_id=text_question.pk)
    assert client.get(delete).status_code == 200
    client.post(delete)
    assert not Question.objects.filter(pk=text_question.pk).exists()


def test_builder_refuses_invalidating_changes_once_answered(client, personas, consultation):
    survey = make_survey(consultation, kinds=[QuestionKind.SINGLE])
    SurveyResponse.objects.create(survey=survey, participant=participant(consultation, UserFactory()))
    single = question(survey, QuestionKind.SINGLE)
    client.force_login(personas.coordinator)
    options = list(single.options.all())
    data = {
        "kind": "single",
        "text": "Pick",
        "required": "on",
        "options-TOTAL_FORMS": "4",
        "options-INITIAL_FORMS": "3",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "30",
    }
    for index, option in enumerate(options):
        data[f"options-{index}-option"] = str(option.pk)
        data[f"options-{index}-text"] = option.text
        data[f"options-{index}-ORDER"] = str(index + 1)
    data["options-3-text"] = "A new option"
    response = client.post(url(consultation, "survey_question_edit", question_id=single.pk), data)
    assert response.status_code == 200
    assert "Answers have already come in" in response.content.decode()
    data["options-3-text"] = ""
    data["options-0-text"] = "Trees (typo fixed)"
    assert client.post(url(consultation, "survey_question_edit", question_id=single.pk), data).status_code == 302
    assert Option.objects.filter(question=single).first().text == "Trees (typo fixed)"
    assert (
        b"can no longer be deleted"
        in client.get(url(consultation, "survey_question_delete", question_id=single.pk)).content
    )


@pytest.mark.parametrize("persona", ["resident", "member", "expert", "moderator", "other_administrator"])
def test_builder_is_for_coordinators(client, personas, consultation, persona):
    make_survey(consultation)
    client.force_login(personas.get(persona))
    assert client.get(url(consultation, "survey_builder")).status_code == 403


# --- results ---------------------------------------------------------------------------------------------------------
def _answered(consultation, count=2, **fields):
    from veche.consultations.services.surveys import submit_response
    from veche.consultations.tests.surveys_factories import full_answers

    survey = make_survey(consultation, **fields)
    for _ in range(count):
        person = participant(consultation, UserFactory())
        submit_response(participant=person, survey=survey, values=full_answers(survey))
    return survey


def test_results_for_staff_while_open_and_for_everyone_after_closing(client, personas, consultation):
    _answered(consultation)
    results = url(consultation, "survey_results")
    assert client.get(results).status_code == 403
    client.force_login(personas.expert)
    page = client.get(results)
    assert page.status_code == 200
    content = page.content.decode()
    assert "2 people answered the survey." in content and "More trees along the river" in content
    Survey.objects.filter(consultation=consultation).update(results_visibility=ResultsVisibility.LIVE)
    client.logout()
    public = client.get(results).content.decode()
    assert "Trees" in public and "More trees along the river" not in public


def test_results_page_query_count_does_not_grow(client, personas, consultation):
    survey = _answered(consultation, count=1)
    client.force_login(personas.coordinator)
    results = url(consultation, "survey_results")
    with CaptureQueriesContext(connection) as small:
        client.get(results)
    from veche.consultations.services.surveys import submit_response
    from veche.consultations.tests.surveys_factories import full_answers

    for _ in range(8):
        submit_response(
            participant=participant(consultation, UserFactory()), survey=survey, values=full_answers(survey)
        )
    with CaptureQueriesContext(connection) as big:
        client.get(results)
    assert len(big) == len(small)


def test_csv_export_is_anonymous_and_for_staff(client, personas, consultation):
    _answered(consultation, ask_demographics=True, districts=["North"])
    export = url(consultation, "survey_results_csv")
    client.force_login(personas.resident)
    assert client.get(export).status_code == 403
    client.force_login(personas.moderator)
    response = client.get(export)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and len(rows[0]) == 5
    assert "resident" not in response.content.decode()


def test_individual_demographics_are_never_shown(client, personas, consultation):
    """Five people share an age band; one is the only one aged 65+: the pages show counts of the first and
    nothing that singles out the second."""
    from django.utils import timezone

    survey = _answered(consultation, count=1, ask_demographics=True, districts=["North", "Lonely Lane"])
    Participant.objects.filter(consultation=consultation).update(
        age_band="65_plus", district="Lonely Lane", demographics_answered_at=timezone.now()
    )
    for _ in range(5):
        participant(
            consultation, UserFactory(), age_band="18_29", district="North", demographics_answered_at=timezone.now()
        )
    Survey.objects.filter(pk=survey.pk).update(results_visibility=ResultsVisibility.LIVE)
    client.force_login(personas.coordinator)
    page = client.get(url(consultation, "survey_results")).content.decode()
    assert "fewer than 5" in page
    from veche.consultations.services.surveys import demographics_summary

    summary = demographics_summary(consultation)
    lonely = next(row for row in summary["district"] if row["key"] == "Lonely Lane")
    assert lonely["count"] is None
    csv_text = client.get(url(consultation, "survey_results_csv")).content.decode()
    assert "65" not in csv_text and "Lonely" not in csv_text
    api = client.get(f"/api/v1/consultations/{consultation.pk}/survey/results")
    if api.status_code == 200:
        assert "Lonely" not in api.content.decode() or '"count": null' in api.content.decode()


# --- page section ----------------------------------------------------------------------------------------------------
def test_section_invites_residents_and_links_staff(client, personas, consultation):
    make_survey(consultation)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Answer the survey" in page and url(consultation) in page
    assert "Edit the survey" not in page
    client.force_login(personas.coordinator)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Edit the survey" in page and "Record offline input" in page


def test_section_keeps_the_page_query_count_fixed(client, personas, consultation):
    survey = make_survey(consultation)
    client.force_login(personas.resident)
    with CaptureQueriesContext(connection) as small:
        client.get(consultation.get_absolute_url())
    from veche.consultations.services.surveys import submit_response
    from veche.consultations.tests.surveys_factories import full_answers

    for _ in range(5):
        submit_response(
            participant=participant(consultation, UserFactory()), survey=survey, values=full_answers(survey)
        )
    with CaptureQueriesContext(connection) as big:
        client.get(consultation.get_absolute_url())
    assert len(big) == len(small)
