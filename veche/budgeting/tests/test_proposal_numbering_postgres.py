"""Proposal numbers under concurrency: authors creating proposals at the same moment get distinct, consecutive
numbers (the edition row is locked while the next number is chosen). PostgreSQL only: SQLite serialises writers."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from veche.budgeting.models import Proposal
from veche.budgeting.services.proposals import ProposalInput, create_proposal
from veche.budgeting.tests.factories import make_edition
from veche.core.testing.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]

AUTHORS = 12


def test_concurrent_creations_get_distinct_numbers():
    edition = make_edition()
    pool = edition.pools.first()
    authors = [UserFactory() for _ in range(AUTHORS)]
    barrier = threading.Barrier(AUTHORS)
    errors: list[BaseException] = []

    def write(author):
        try:
            barrier.wait(timeout=10)
            data = ProposalInput(title="Idea", description="A tree.", pool=pool, cost_estimate=Decimal(100))
            create_proposal(actor=author, edition=edition, data=data)
        except BaseException as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(author,)) for author in authors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    numbers = sorted(Proposal.objects.filter(edition=edition).values_list("number", flat=True))
    assert numbers == list(range(1, AUTHORS + 1))
