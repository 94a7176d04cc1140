"""Announcing openings under concurrency: several runs of notify_consultation_openings at once (two timers, two
machines) tell each follower once. PostgreSQL only: SQLite serialises writers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from veche.consultations.services import following
from veche.consultations.tests.factories import consultation_in
from veche.core.testing.factories import OrganisationFactory, UserFactory
from veche.notifications.models import Notification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]

RUNS = 6


def test_concurrent_runs_announce_each_opening_once():
    organisation = OrganisationFactory()
    consultations = [consultation_in(organisation, subject=f"Open {index}") for index in range(3)]
    follower = UserFactory()
    for consultation in consultations:
        following.set_following(user=follower, consultation=consultation, following=True)
    barrier = threading.Barrier(RUNS)
    announced: list[int] = []
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait(timeout=10)
            announced.extend(following.notify_openings())
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(announced) == sorted(consultation.pk for consultation in consultations)
    assert Notification.objects.filter(recipient=follower, kind="consultations.opened").count() == 3
