"""Answering under concurrency: the same resident submitting from two tabs (or a double click that reaches two
workers) at the same moment gets one response, stored once with its text answers; different residents answering at
once are all stored. PostgreSQL only: SQLite serialises writers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from veche.consultations.choices import ContributionKind
from veche.consultations.models import Contribution, SurveyAnswer, SurveyResponse
from veche.consultations.services.surveys import submit_response
from veche.consultations.tests.factories import make_consultation, participant
from veche.consultations.tests.surveys_factories import full_answers, make_survey
from veche.core.testing.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]

WRITERS = 8


def _race(jobs):
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []
    results: list = []

    def run(job):
        try:
            barrier.wait(timeout=10)
            results.append(job())
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def test_one_resident_submitting_at_once_from_many_tabs_is_stored_once():
    consultation = make_consultation()
    survey = make_survey(consultation)
    person = participant(consultation, UserFactory())
    values = full_answers(survey)
    results = _race([lambda: submit_response(participant=person, survey=survey, values=values)] * WRITERS)
    assert sum(1 for _, created in results if created) == 1
    assert len({response.pk for response, _ in results}) == 1
    assert SurveyResponse.objects.count() == 1
    assert SurveyAnswer.objects.count() == 7
    assert Contribution.objects.filter(kind=ContributionKind.SURVEY_ANSWER).count() == 2


def test_many_residents_answering_at_once_are_all_stored():
    consultation = make_consultation()
    survey = make_survey(consultation)
    values = full_answers(survey)
    people = [participant(consultation, UserFactory()) for _ in range(WRITERS)]
    jobs = [
        lambda person=person: submit_response(participant=person, survey=survey, values=values) for person in people
    ]
    results = _race(jobs)
    assert all(created for _, created in results)
    assert SurveyResponse.objects.count() == WRITERS
    assert Contribution.objects.filter(kind=ContributionKind.SURVEY_ANSWER).count() == 2 * WRITERS
