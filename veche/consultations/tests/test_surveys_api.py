"""The survey's read API: questions once published, results as the survey says, aggregates only."""

from __future__ import annotations

import pytest

from veche.consultations.models import Survey
from veche.consultations.models.surveys import ResultsVisibility
from veche.consultations.services.surveys import Demographics, submit_response
from veche.consultations.tests.factories import consultation_in, participant
from veche.consultations.tests.surveys_factories import full_answers, make_survey
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def answered(consultation, count=3):
    survey = make_survey(consultation, ask_demographics=True, districts=["North"])
    for _ in range(count):
        person = participant(consultation, UserFactory())
        submit_response(
            participant=person,
            survey=survey,
            values=full_answers(survey),
            demographics=Demographics(age_band="18_29", district="North"),
        )
    return survey


def test_questions_of_a_published_survey(client, personas):
    consultation = consultation_in(personas.organisation)
    make_survey(consultation)
    response = client.get(f"/api/v1/consultations/{consultation.pk}/survey")
    assert response.status_code == 200
    data = response.json()
    assert data["accepting_answers"] is True and data["results_available"] is False
    assert [question["kind"] for question in data["questions"]] == [
        "single",
        "multiple",
        "scale",
        "short_text",
        "long_text",
        "ranking",
        "map_point",
    ]
    assert [option["text"] for option in data["questions"][0]["options"]] == ["Trees", "Playground", "Benches"]
    assert data["questions"][2]["scale_max"] == 5


def test_unpublished_survey_and_draft_consultation_are_404(client, personas):
    consultation = consultation_in(personas.organisation)
    make_survey(consultation, published=False)
    assert client.get(f"/api/v1/consultations/{consultation.pk}/survey").status_code == 404
    draft = consultation_in(personas.organisation, published=False)
    make_survey(draft)
    assert client.get(f"/api/v1/consultations/{draft.pk}/survey").status_code == 404
    assert client.get("/api/v1/consultations/999999/survey").status_code == 404


def test_results_are_public_after_closing_and_aggregate_only(client, personas):
    consultation = consultation_in(personas.organisation)
    survey = answered(consultation, count=6)
    url = f"/api/v1/consultations/{consultation.pk}/survey/results"
    assert client.get(url).status_code == 403
    Survey.objects.filter(pk=survey.pk).update(results_visibility=ResultsVisibility.LIVE)
    response = client.get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["responses"] == 6
    scale = next(question for question in data["questions"] if question["kind"] == "scale")
    assert scale["mean"] == 4.0
    ages = {row["key"]: row["count"] for row in data["demographics"]["age_band"]}
    assert ages["18_29"] == 6
    text = response.content.decode()
    assert "More trees along the river" not in text and "resident" not in text and "@" not in text


def test_staff_read_results_while_open(client, personas):
    consultation = consultation_in(personas.organisation)
    answered(consultation, count=2)
    client.force_login(personas.expert)
    data = client.get(f"/api/v1/consultations/{consultation.pk}/survey/results").json()
    districts = {row["key"]: row for row in data["demographics"]["district"]}
    assert districts["North"]["count"] is None and districts["North"]["suppressed"] is True
