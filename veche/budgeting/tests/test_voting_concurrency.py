"""Reliability of the ballot box on PostgreSQL: many voters at once, each submitting several times at the same moment,
get exactly one ballot each — the register's unique constraints decide, not a check-then-insert. Threads with their
own database connections, so the tests commit for real (transaction=True)."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from veche.budgeting.choices import BallotType, VoteChannel
from veche.budgeting.models import Ballot, Pool, VoterRecord
from veche.budgeting.services import voting
from veche.budgeting.tests.factories import ProposalFactory, make_edition, schedule

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (CI sets VECHE_REQUIRE_POSTGRES)"),
    pytest.mark.django_db(transaction=True),
]

VOTERS = 200
ATTEMPTS = 3  # submissions per voter, released together by a barrier
WORKERS = 30  # database connections at once (a multiple of ATTEMPTS; PostgreSQL allows 100 by default)


def _attempt(barrier: threading.Barrier, voter: voting.Voter, pool_id: int, projects: list[int]) -> str:
    try:
        pool = Pool.objects.get(pk=pool_id)
        barrier.wait(timeout=30)
        voting.cast_ballot(voter=voter, pool=pool, projects=projects)
        return "cast"
    except ValidationError as error:
        return error.code or "invalid"
    finally:
        connection.close()


def _storm(jobs: list[tuple[voting.Voter, int, list[int]]]) -> Counter[str]:
    """Each job ATTEMPTS times at once; jobs go in order, so each voter's attempts are always scheduled together."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = []
        for voter, pool_id, projects in jobs:
            barrier = threading.Barrier(ATTEMPTS)
            futures += [pool.submit(_attempt, barrier, voter, pool_id, projects) for _ in range(ATTEMPTS)]
        return Counter(future.result() for future in futures)


def test_200_voters_submitting_three_times_at_once_get_one_ballot_each():
    edition = make_edition(phase="voting", secret_ballot=True)
    pool = edition.pools.get()
    projects = [ProposalFactory(edition=edition, cost_estimate=Decimal(15_000)).pk for _ in range(10)]
    jobs = [
        (voting.Voter(f"u:{n}", VoteChannel.ONLINE), pool.pk, [projects[n % 10], projects[(n + 3) % 10]])
        for n in range(VOTERS)
    ]
    outcomes = _storm(jobs)
    assert outcomes == {"cast": VOTERS, "already_voted": VOTERS * (ATTEMPTS - 1)}
    assert VoterRecord.objects.filter(pool=pool).count() == Ballot.objects.filter(pool=pool).count() == VOTERS
    assert set(VoterRecord.objects.values_list("voter_key", flat=True)) == {f"u:{n}" for n in range(VOTERS)}
    assert Ballot.objects.filter(pool=pool).values("receipt").distinct().count() == VOTERS
    # None lost: the box holds exactly the selections submitted, no more and no fewer.
    submitted = Counter(tuple(projects) for _voter, _pool, projects in jobs)
    stored = Counter(tuple(ballot) for ballot in Ballot.objects.values_list("projects", flat=True))
    assert stored == submitted


def test_one_district_at_a_time_even_when_submitted_together():
    """A voter sending ballots to two district pools at the same moment ends up in exactly one of them."""
    edition = make_edition(phase="voting", pools=3)
    _citywide, first, second = edition.pools.order_by("weight")
    in_first = ProposalFactory(edition=edition, pool=first).pk
    in_second = ProposalFactory(edition=edition, pool=second).pk
    voters = [voting.Voter(f"u:{n}", VoteChannel.ONLINE) for n in range(30)]
    results: list[str] = []
    lock = threading.Lock()

    def race(voter: voting.Voter, barrier: threading.Barrier, pool_id: int, project: int) -> None:
        outcome = _attempt(barrier, voter, pool_id, [project])
        with lock:
            results.append(outcome)

    with ThreadPoolExecutor(max_workers=WORKERS) as executor:
        for voter in voters:
            barrier = threading.Barrier(2)
            executor.submit(race, voter, barrier, first.pk, in_first)
            executor.submit(race, voter, barrier, second.pk, in_second)
    assert Counter(results) == {"cast": 30, "one_district_only": 30}
    assert Counter(VoterRecord.objects.values_list("voter_key", flat=True)) == {voter.key: 1 for voter in voters}
    assert Ballot.objects.count() == 30


def test_a_vote_after_the_phase_closed_is_refused():
    edition = make_edition(phase="voting")
    pool = edition.pools.get()
    project = ProposalFactory(edition=edition).pk
    schedule(edition, "results")
    with pytest.raises(PermissionDenied, match="Voting is closed."):
        voting.cast_ballot(voter=voting.Voter("u:1", VoteChannel.ONLINE), pool=pool, projects=[project])
    assert not VoterRecord.objects.exists() and not Ballot.objects.exists()


def test_a_ballot_that_breaks_the_rules_is_refused_with_the_reason():
    edition = make_edition(phase="voting", ballot_type=BallotType.KNAPSACK)
    pool = edition.pools.get()
    projects = [ProposalFactory(edition=edition, cost_estimate=Decimal(60_000)).pk for _ in range(2)]
    with pytest.raises(ValidationError) as error:
        voting.cast_ballot(voter=voting.Voter("u:1", VoteChannel.ONLINE), pool=pool, projects=projects)
    assert error.value.error_list[0].code == "over_budget"
    assert error.value.messages == [
        "Your choices cost 120,000 CZK, 20,000 CZK more than this pool's budget of 100,000 CZK. "
        "Remove a project or choose cheaper ones."
    ]
    assert not VoterRecord.objects.exists() and not Ballot.objects.exists()
