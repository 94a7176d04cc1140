"""Two editors deciding on the same case at the same moment: exactly one decision wins, the other is told that someone
has decided already; one version, one audit entry. Also for proposed changes to a published case. PostgreSQL only:
SQLite serialises writers, so the race cannot happen there."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from veche.audit.models import AuditEntry
from veche.cases import services
from veche.cases.choices import CaseStatus, RevisionKind
from veche.cases.models import Case, CaseRevision
from veche.cases.tests.factories import case_input
from veche.core.models import Method, Topic
from veche.core.testing.factories import NetworkFactory, RoleFactory, UserFactory
from veche.core.vocabulary import MethodChoices, TopicChoices

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]

EDITORS = 6


def setup():
    # A transactional test flushes the tables afterwards, the vocabulary rows seeded by migrations included.
    for index, slug in enumerate(MethodChoices.values):
        Method.objects.get_or_create(slug=slug, defaults={"weight": index})
    for index, slug in enumerate(TopicChoices.values):
        Topic.objects.get_or_create(slug=slug, defaults={"weight": index})
    network = NetworkFactory()
    author = RoleFactory(organisation=network, kind="member").user
    editors = [RoleFactory(organisation=network, kind="coordinator", user=UserFactory()).user for _ in range(EDITORS)]
    case = services.create_case(actor=author, network=network, data=case_input())
    services.submit_case(actor=author, case=case)
    return network, author, editors, case


def race(editors, decide):
    barrier = threading.Barrier(len(editors))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def run(index, editor):
        try:
            barrier.wait(timeout=10)
            decide(index, editor)
            outcomes.append("decided")
        except ValidationError as error:
            outcomes.append(error.code)
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, editor)) for index, editor in enumerate(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return outcomes


def test_one_of_the_racing_decisions_wins():
    _network, _author, editors, case = setup()

    def decide(index, editor):
        decision = "publish" if index % 2 == 0 else "return"
        services.decide_case(actor=editor, case=Case.objects.get(pk=case.pk), decision=decision, note="Because.")

    outcomes = race(editors, decide)
    assert outcomes.count("decided") == 1
    assert outcomes.count("already_decided") == EDITORS - 1
    case.refresh_from_db()
    assert case.status in (CaseStatus.PUBLISHED, CaseStatus.RETURNED)
    decisions = CaseRevision.objects.filter(case=case, kind__in=[RevisionKind.PUBLISHED, RevisionKind.RETURNED])
    assert decisions.count() == 1
    assert AuditEntry.objects.filter(action__in=["cases.case_published", "cases.case_returned"]).count() == 1
    numbers = list(CaseRevision.objects.filter(case=case).order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))


def test_one_of_the_racing_decisions_on_proposed_changes_wins():
    _network, author, editors, case = setup()
    services.decide_case(actor=editors[0], case=case, decision="publish")
    services.update_case(actor=author, case=Case.objects.get(pk=case.pk), data=case_input(title="Renamed"))

    def decide(index, editor):
        decision = "publish" if index % 2 == 0 else "return"
        services.decide_changes(actor=editor, case=Case.objects.get(pk=case.pk), decision=decision, note="Because.")

    outcomes = race(editors, decide)
    assert outcomes.count("decided") == 1
    assert outcomes.count("no_pending_changes") == EDITORS - 1
    assert not CaseRevision.objects.filter(case=case, is_pending=True).exists()
    assert AuditEntry.objects.filter(action__in=["cases.changes_published", "cases.changes_returned"]).count() == 1
