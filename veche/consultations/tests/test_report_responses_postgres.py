"""Two staff answering the same contribution (or theme) at the same moment: the row is locked, both succeed, and
one response remains — the later one. PostgreSQL only: SQLite serialises writers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from veche.consultations.models import OfficialResponse, ResponseOutcome
from veche.consultations.services import responses as services
from veche.consultations.tests.factories import consultation_in, contribution
from veche.core.testing.factories import RoleFactory, UserFactory
from veche.organisations.choices import RoleKind

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]

STAFF = 6


def _race(calls):
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _staff(organisation):
    return [
        RoleFactory(organisation=organisation, kind=RoleKind.COORDINATOR, user=UserFactory()).user for _ in range(STAFF)
    ]


def test_concurrent_answers_to_one_contribution_leave_one_response():
    from veche.core.testing.factories import OrganisationFactory

    consultation = consultation_in(OrganisationFactory(), phase="analysis")
    item = contribution(consultation)
    staff = _staff(consultation.organisation)
    outcomes = list(ResponseOutcome.values)

    def answer(user, index):
        return lambda: services.respond(
            actor=user, contribution=item, outcome=outcomes[index % 4], justification=f"Answer {index}"
        )

    errors = _race([answer(user, index) for index, user in enumerate(staff)])
    assert errors == []
    response = OfficialResponse.objects.get(contribution=item)
    assert response.justification.startswith("Answer ")
    from veche.audit.models import AuditEntry

    actions = list(
        AuditEntry.objects.filter(action__startswith="consultations.response").values_list("action", flat=True)
    )
    assert sorted(actions) == ["consultations.response_changed"] * (STAFF - 1) + ["consultations.response_given"]


def test_concurrent_answers_to_one_theme_and_bulk_answers_do_not_clash():
    from veche.core.testing.factories import OrganisationFactory

    consultation = consultation_in(OrganisationFactory(), phase="analysis")
    items = [contribution(consultation) for _ in range(5)]
    staff = _staff(consultation.organisation)
    theme = services.create_theme(actor=staff[0], consultation=consultation, title="Trees")
    services.assign_to_theme(actor=staff[0], theme=theme, contributions=items[:2], consultation=consultation)

    def theme_answer(user):
        return lambda: services.respond_to_theme(
            actor=user, theme=theme, outcome=ResponseOutcome.ACCEPTED, justification="Yes"
        )

    def bulk(user, chosen):
        return lambda: services.respond_many(
            actor=user,
            consultation=consultation,
            contributions=chosen,
            outcome=ResponseOutcome.PARTLY,
            justification="Partly",
        )

    # Overlapping selections in opposite orders: rows are locked in primary-key order, so no deadlock.
    calls = [theme_answer(staff[0]), theme_answer(staff[1]), bulk(staff[2], items), bulk(staff[3], items[::-1])]
    errors = _race(calls)
    assert errors == []
    assert OfficialResponse.objects.filter(theme=theme).count() == 1
    assert OfficialResponse.objects.filter(contribution__in=items).count() == 5
