"""The evaluation after the report: one answer per participant, signed links for anonymous participants, results."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from veche.consultations.models import EvaluationAnswer
from veche.consultations.services.evaluation import (
    answer_evaluation,
    evaluation_results,
    evaluation_token,
    participant_from_token,
)
from veche.consultations.tests.factories import consultation_in, participant

pytestmark = pytest.mark.django_db

GOOD = {"clear_information": "5", "enough_time": "4", "views_used": "3", "comment": "Díky"}


@pytest.fixture
def reported(personas):
    return consultation_in(personas.organisation, phase="finished", report_published_at=timezone.now())


def _url(consultation, token=None):
    args = [consultation.organisation.slug, consultation.slug]
    if token:
        return reverse("consultations:evaluation_signed", args=[*args, token])
    return reverse("consultations:evaluation", args=args)


def test_a_signed_in_participant_evaluates_once(client, personas, reported):
    participant(reported, user=personas.resident)
    client.force_login(personas.resident)
    assert client.get(_url(reported)).status_code == 200
    response = client.post(_url(reported), GOOD)
    assert response.status_code == 302
    answer = EvaluationAnswer.objects.get()
    assert (answer.clear_information, answer.enough_time, answer.views_used, answer.comment) == (5, 4, 3, "Díky")
    response = client.post(_url(reported), GOOD)
    assert response.status_code == 400 and EvaluationAnswer.objects.count() == 1


def test_an_anonymous_participant_uses_the_signed_link(client, reported):
    person = participant(reported, email="a@example.org", email_verified_at=timezone.now())
    token = evaluation_token(person)
    assert participant_from_token(reported, token) == person
    assert client.post(_url(reported, token), GOOD).status_code == 302
    assert EvaluationAnswer.objects.get().participant == person


def test_a_forged_or_foreign_link_is_refused(client, personas, reported):
    other = consultation_in(personas.organisation, phase="finished", report_published_at=timezone.now())
    stranger = participant(other, email="b@example.org")
    assert participant_from_token(reported, evaluation_token(stranger)) is None
    assert participant_from_token(reported, "nonsense") is None
    response = client.post(_url(reported, "nonsense"), GOOD)
    assert response.status_code == 400 and not EvaluationAnswer.objects.exists()
    assert "This link is not valid" in response.content.decode()


def test_non_participants_and_visitors_are_told_what_to_do(client, personas, reported):
    assert "Sign in" in client.get(_url(reported)).content.decode()
    client.force_login(personas.member)
    assert "people who took part" in client.get(_url(reported)).content.decode()
    assert client.post(_url(reported), GOOD).status_code == 400


def test_no_evaluation_before_the_report(personas):
    consultation = consultation_in(personas.organisation, phase="analysis")
    person = participant(consultation, user=personas.resident)
    with pytest.raises(ValidationError):
        answer_evaluation(participant=person, consultation=consultation, answers={"clear_information": 5})


def test_scores_outside_the_scale_are_refused(reported):
    person = participant(reported, email="c@example.org")
    with pytest.raises(ValidationError):
        answer_evaluation(
            participant=person,
            consultation=reported,
            answers={"clear_information": 6, "enough_time": 1, "views_used": 1},
        )


def test_results_show_averages_once_enough_answered(client, reported):
    for index in range(3):
        answer_evaluation(
            participant=participant(reported, email=f"p{index}@example.org"),
            consultation=reported,
            answers={"clear_information": 5, "enough_time": index + 1, "views_used": 4},
            comment="x" if index == 0 else "",
        )
    results = evaluation_results(reported)
    assert results.shown and results.answers == 3 and results.comments == 1
    enough = next(question for question in results.questions if question.key == "enough_time")
    assert enough.average == 2.0 and enough.distribution == (1, 1, 1, 0, 0)
    content = client.get(reported.get_absolute_url()).content.decode()
    assert "2.0 of 5" in content or "2,0 of 5" in content
