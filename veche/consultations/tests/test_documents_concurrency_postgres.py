"""Races residents can cause: the same comment sent twice at the same moment (a double click, two tabs) is stored
once; one one-time code typed by two people at once lets one of them in. PostgreSQL only: SQLite serialises writers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from veche.consultations.choices import ParticipationMode
from veche.consultations.models import Contribution, OneTimeCode, Participant
from veche.consultations.services.documents_comments import post_contribution
from veche.consultations.services.documents_participation import generate_codes, redeem_code
from veche.consultations.services.participants import participant_for_user
from veche.consultations.tests.factories import consultation_in, document_for
from veche.core.testing.personas import make_personas

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]

RACERS = 6


def _race(action):
    barrier = threading.Barrier(RACERS)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(action())
        except BaseException as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_the_same_comment_sent_at_once_is_stored_once():
    personas = make_personas()
    consultation = consultation_in(personas.organisation)
    paragraph = document_for(consultation, sections=1, paragraphs=1).paragraphs.get()
    participant = participant_for_user(user=personas.resident, consultation=consultation)

    def post():
        return post_contribution(
            actor=personas.resident,
            participant=participant,
            consultation=consultation,
            paragraph=paragraph,
            text="Double click",
            token="same-form",
        )

    results, errors = _race(post)
    assert errors == []
    assert Contribution.objects.filter(consultation=consultation).count() == 1
    assert sum(result.created for result in results) == 1


def test_a_code_typed_by_two_people_at_once_admits_one():
    personas = make_personas()
    consultation = consultation_in(personas.organisation, participation_mode=ParticipationMode.ONE_TIME_CODE)
    _batch, codes = generate_codes(actor=personas.coordinator, consultation=consultation, count=1)
    results, errors = _race(lambda: redeem_code(consultation=consultation, code=codes[0]))
    assert len(results) == 1
    assert len(errors) == RACERS - 1
    assert all("already been used" in str(error) for error in errors)
    assert Participant.objects.filter(consultation=consultation).count() == 1
    assert OneTimeCode.objects.get().participant == results[0]
