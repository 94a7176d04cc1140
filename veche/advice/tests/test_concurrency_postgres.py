"""Two coordinators assigning the same request at the same moment: the request row is locked, so one wins and the
other is told that the expert changed meanwhile. PostgreSQL only: SQLite serialises writers."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from veche.advice import services
from veche.advice.choices import AdviceStatus
from veche.advice.models import AdviceRequest
from veche.audit.models import AuditEntry
from veche.core.testing.factories import RoleFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]


def run_at_once(actions):
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except BaseException as error:  # noqa: BLE001 — reported below
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_coordinators_assigning_at_once(cast):
    second = RoleFactory(organisation=cast.network, kind="coordinator", user=UserFactory()).user
    request = cast.request()

    def assign(actor, expert):
        def action():
            fresh = AdviceRequest.objects.select_related("network").get(pk=request.pk)
            return services.assign_expert(actor=actor, request=fresh, expert=expert, expected_expert_id=None)

        return action

    outcomes = run_at_once([assign(cast.coordinator, cast.expert), assign(second, cast.other_expert)])
    winners = [item for item in outcomes if isinstance(item, AdviceRequest)]
    losers = [item for item in outcomes if isinstance(item, ValidationError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].code == "assigned_meanwhile"
    stored = AdviceRequest.objects.get(pk=request.pk)
    assert stored.status == AdviceStatus.ASSIGNED and stored.expert_id == winners[0].expert_id
    assert AuditEntry.objects.filter(action="advice.expert_assigned").count() == 1


def test_rating_twice_at_once_keeps_one_rating(cast):
    request = cast.request(AdviceStatus.CLOSED)

    def rate(value):
        def action():
            fresh = AdviceRequest.objects.select_related("network").get(pk=request.pk)
            return services.rate_request(actor=cast.requester, request=fresh, rating=value)

        return action

    outcomes = run_at_once([rate(5), rate(1)])
    assert sum(isinstance(item, AdviceRequest) for item in outcomes) == 1, outcomes
    assert AuditEntry.objects.filter(action="advice.rated").count() == 1
