"""Counting, publishing, the results page, the anonymised ballots and the Pabulib download."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from veche.audit.models import AuditEntry
from veche.budgeting import pabulib
from veche.budgeting.choices import BallotType, Completion, CountingRule, ImplementationStatus
from veche.budgeting.models import Ballot, Edition, Implementation, PoolResult
from veche.budgeting.services import results
from veche.budgeting.tests.factories import ProposalFactory, make_edition, schedule
from veche.notifications.models import Notification

pytestmark = pytest.mark.django_db


def ballot(pool, projects, points=None, receipt=None):
    number = Ballot.objects.count() + 1
    return Ballot.objects.create(
        pool=pool, receipt=receipt or f"R{number:04d}-XXXXX", channel="online", projects=projects, points=points
    )


@pytest.fixture
def counted_setup(personas):
    """A results-phase edition with a budget of 1,000 (small numbers keep MES's add-one completion short):
    A (600) and B (500) are the large group's, C (300) the small group's."""
    edition = make_edition(phase="results", organisation=personas.organisation, currency="CZK")
    pool = edition.pools.get()
    pool.budget = Decimal(1000)
    pool.save()
    a = ProposalFactory(edition=edition, title="Playground", cost_estimate=Decimal(600), author=personas.resident)
    b = ProposalFactory(edition=edition, title="Library", cost_estimate=Decimal(500))
    c = ProposalFactory(
        edition=edition,
        title="Bench",
        cost_estimate=Decimal(300),
        latitude=Decimal("50.02"),
        longitude=Decimal("15.2"),
    )
    ProposalFactory(edition=edition, title="Rejected idea", status="rejected")
    for _ in range(5):
        ballot(pool, [a.pk, b.pk])
    for _ in range(2):
        ballot(pool, [c.pk])
    ballot(pool, [b.pk, c.pk])
    return {"edition": edition, "pool": pool, "a": a, "b": b, "c": c}


def test_count_pool_stores_outcome_metrics_and_comparison(personas, counted_setup):
    pool, a, b, c = (counted_setup[k] for k in ("pool", "a", "b", "c"))
    result = results.count_pool(actor=personas.coordinator, pool=pool)
    assert result.ballots == 8
    rows = {row["proposal"]: row for row in result.outcome}
    assert set(rows) == {a.pk, b.pk, c.pk}
    assert result.spec["rule"] == "greedy"
    assert 0 <= result.metrics["share_with_funded"] <= 1
    labels = [row["label"] for row in result.comparison]
    assert "mes/add1" in labels and "phragmen" in labels
    assert sum(row["current"] for row in result.comparison) == 1
    assert result.official_check is None
    assert AuditEntry.objects.filter(action="budgeting.pool_counted").count() == 1
    # recounting replaces the stored result
    results.count_pool(actor=personas.coordinator, pool=pool)
    assert PoolResult.objects.count() == 1


def test_greedy_outcome_and_reasons(personas, counted_setup):
    pool, a, b, c = (counted_setup[k] for k in ("pool", "a", "b", "c"))
    result = results.count_pool(actor=personas.coordinator, pool=pool)
    rows = {row["proposal"]: row for row in result.outcome}
    # votes: B 6, A 5, C 3 → B (500) funded, A (600) does not fit, C (300) fits
    assert [rows[p.pk]["funded"] for p in (a, b, c)] == [False, True, True]
    assert rows[a.pk]["reason"] == "did-not-fit"
    assert (rows[b.pk]["position"], rows[c.pk]["position"]) == (1, 2)


def test_mes_edition_counts_with_its_spec(personas):
    edition = make_edition(
        phase="results", organisation=personas.organisation, counting_rule=CountingRule.MES, completion=Completion.ADD1
    )
    pool = edition.pools.get()
    p = ProposalFactory(edition=edition, cost_estimate=Decimal(40_000))
    ballot(pool, [p.pk])
    result = results.count_pool(actor=personas.coordinator, pool=pool)
    assert result.spec["label"] == "mes/add1"
    assert result.outcome[0]["funded"]


def test_cumulative_and_ranking_ballots_are_counted_with_points(personas):
    edition = make_edition(phase="results", organisation=personas.organisation, ballot_type=BallotType.CUMULATIVE)
    pool = edition.pools.get()
    x = ProposalFactory(edition=edition, cost_estimate=Decimal(60_000))
    y = ProposalFactory(edition=edition, cost_estimate=Decimal(60_000))
    ballot(pool, [x.pk, y.pk], [1, 4])
    ballot(pool, [x.pk], [2])
    result = results.count_pool(actor=personas.coordinator, pool=pool)
    rows = {row["proposal"]: row for row in result.outcome}
    assert (rows[x.pk]["score"], rows[y.pk]["score"]) == ("3", "4")
    assert rows[y.pk]["funded"] and not rows[x.pk]["funded"]
    edition.ballot_type = BallotType.RANKING
    edition.save()
    result = results.count_pool(actor=personas.coordinator, pool=pool)
    assert result.metrics["ballot_kind"] == "ordinal"


def test_counting_is_refused_while_voting_and_to_others(personas, counted_setup):
    pool = counted_setup["pool"]
    with pytest.raises(PermissionDenied):
        results.count_pool(actor=personas.resident, pool=pool)
    with pytest.raises(PermissionDenied):
        results.count_pool(actor=personas.other_administrator, pool=pool)
    schedule(counted_setup["edition"], "voting")
    with pytest.raises(ValidationError, match="Voting is still open"):
        results.count_pool(actor=personas.coordinator, pool=pool)


def test_count_edition_task_records_progress(personas, counted_setup, django_capture_on_commit_callbacks):
    edition = counted_setup["edition"]
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        results.start_count(actor=personas.coordinator, edition=edition)
    assert results.count_progress(edition)["state"] == "queued"
    assert len(hooks) == 1
    hooks[0]()  # the immediate task backend runs the count now
    progress = results.count_progress(edition)
    assert (progress["state"], progress["done"], progress["total"]) == ("done", 1, 1)
    assert PoolResult.objects.filter(pool__edition=edition).exists()


def test_publish_creates_implementations_and_notifies_authors(personas, counted_setup):
    edition = counted_setup["edition"]
    with pytest.raises(ValidationError, match="Count every pool"):
        results.publish_results(actor=personas.coordinator, edition=edition)
    results.count_pool(actor=personas.coordinator, pool=counted_setup["pool"])
    with pytest.raises(PermissionDenied):
        results.publish_results(actor=personas.expert, edition=edition)
    published = results.publish_results(actor=personas.coordinator, edition=edition)
    assert published.results_published_at is not None
    funded = set(Implementation.objects.values_list("proposal_id", flat=True))
    assert funded == {counted_setup["b"].pk, counted_setup["c"].pk}
    assert set(Implementation.objects.values_list("status", flat=True)) == {ImplementationStatus.PLANNED}
    assert not Notification.objects.filter(recipient=personas.resident).exists()  # A was not funded
    assert AuditEntry.objects.filter(action="budgeting.results_published").count() == 1
    results.publish_results(actor=personas.coordinator, edition=edition)  # idempotent
    assert Implementation.objects.count() == 2
    assert AuditEntry.objects.filter(action="budgeting.results_published").count() == 1


def test_authors_and_co_authors_of_funded_projects_are_notified(
    personas, counted_setup, django_capture_on_commit_callbacks
):
    c = counted_setup["c"]
    c.author = personas.resident
    c.save()
    c.co_authors.add(personas.member)
    results.count_pool(actor=personas.coordinator, pool=counted_setup["pool"])
    with django_capture_on_commit_callbacks(execute=True):
        results.publish_results(actor=personas.coordinator, edition=counted_setup["edition"])
    assert Notification.objects.filter(recipient=personas.resident, kind="budgeting.proposal_funded").count() == 1
    assert Notification.objects.filter(recipient=personas.member, kind="budgeting.proposal_funded").count() == 1


def test_publishing_rolled_back_notifies_no_one(
    personas, counted_setup, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(results, "notify", lambda **kwargs: sent.append(kwargs))
    results.count_pool(actor=personas.coordinator, pool=counted_setup["pool"])

    class RollbackError(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RollbackError), transaction.atomic():
        results.publish_results(actor=personas.coordinator, edition=counted_setup["edition"])
        raise RollbackError
    assert sent == []
    assert Edition.objects.get(pk=counted_setup["edition"].pk).results_published_at is None
    with django_capture_on_commit_callbacks(execute=True):
        results.publish_results(actor=personas.coordinator, edition=counted_setup["edition"])
    assert len(sent) == 2  # the two funded projects, once committed


def test_publishing_waits_for_the_results_phase(personas, counted_setup):
    edition = counted_setup["edition"]
    results.count_pool(actor=personas.coordinator, pool=counted_setup["pool"])
    schedule(edition, "appeals")
    edition.refresh_from_db()
    with pytest.raises(ValidationError, match="results phase"):
        results.publish_results(actor=personas.coordinator, edition=edition)


def test_ballots_published_only_after_results(personas, counted_setup):
    edition = counted_setup["edition"]
    with pytest.raises(ValidationError):
        results.set_ballots_published(actor=personas.coordinator, edition=edition, published=True)
    results.count_pool(actor=personas.coordinator, pool=counted_setup["pool"])
    edition = results.publish_results(actor=personas.coordinator, edition=edition)
    results.set_ballots_published(actor=personas.coordinator, edition=edition, published=True)
    edition.refresh_from_db()
    assert edition.ballots_published
    assert AuditEntry.objects.filter(action="budgeting.ballots_published").count() == 1


# --- pages ---------------------------------------------------------------------------------------------------------


def _publish(personas, setup):
    results.count_pool(actor=personas.coordinator, pool=setup["pool"])
    return results.publish_results(actor=personas.coordinator, edition=setup["edition"])


def results_url(setup):
    return reverse("budgeting:results", args=[setup["edition"].pk, setup["pool"].pk])


def test_results_are_hidden_until_published(client, personas, counted_setup):
    results.count_pool(actor=personas.coordinator, pool=counted_setup["pool"])
    assert client.get(results_url(counted_setup)).status_code == 404
    client.force_login(personas.coordinator)
    response = client.get(results_url(counted_setup))
    assert response.status_code == 200
    assert "not published yet" in response.content.decode()


def test_results_page_explains_the_outcome(client, personas, counted_setup):
    _publish(personas, counted_setup)
    response = client.get(results_url(counted_setup))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Library" in html and "Playground" in html and "Rejected idea" not in html
    assert "Not funded: when its turn came, the money left was less than its cost." in html
    assert "Projects are taken in order of their votes" in html
    assert "Method of Equal Shares" in html  # the comparison table
    assert html.count("<meter") == 3
    assert 'id="funded-map-data"' in html  # the bench has a location
    assert not re.search(r"\sstyle=", html)
    assert "<script>" not in html
    assert reverse("budgeting:pabulib", args=[counted_setup["edition"].pk, counted_setup["pool"].pk]) in html


def test_results_page_query_count_does_not_grow(client, personas, counted_setup, django_assert_num_queries):
    _publish(personas, counted_setup)
    url = results_url(counted_setup)
    client.get(url)
    with django_assert_num_queries(4) as few:
        client.get(url)
    edition, pool = counted_setup["edition"], counted_setup["pool"]
    extra = [ProposalFactory(edition=edition, cost_estimate=Decimal(10)) for _ in range(12)]
    for proposal in extra:
        ballot(pool, [proposal.pk])
    results.count_pool(actor=personas.coordinator, pool=pool)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("<meter") == 15


def test_unknown_pool_is_404(client, personas, counted_setup):
    _publish(personas, counted_setup)
    other = make_edition(phase="results", organisation=personas.organisation).pools.get()
    assert client.get(reverse("budgeting:results", args=[counted_setup["edition"].pk, other.pk])).status_code == 404


def test_count_page_starts_the_count_and_publishes(client, personas, counted_setup, django_capture_on_commit_callbacks):
    edition = counted_setup["edition"]
    url = reverse("budgeting:count", args=[edition.pk])
    client.force_login(personas.resident)
    assert client.get(url).status_code == 403
    client.force_login(personas.coordinator)
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "count"})
    assert response.status_code == 302
    assert PoolResult.objects.filter(pool=counted_setup["pool"]).exists()
    page = client.get(url).content.decode()
    assert "The last count finished." in page and "Publish the results" in page
    client.post(url, {"action": "publish"})
    edition.refresh_from_db()
    assert edition.results_published_at is not None
    client.post(url, {"action": "publish_ballots"})
    edition.refresh_from_db()
    assert edition.ballots_published


def test_ballots_page_lists_receipts_and_finds_one(client, personas, counted_setup, django_assert_num_queries):
    edition = _publish(personas, counted_setup)
    url = reverse("budgeting:ballots", args=[edition.pk, counted_setup["pool"].pk])
    assert client.get(url).status_code == 404  # not published yet
    results.set_ballots_published(actor=personas.coordinator, edition=edition, published=True)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "R0001-XXXXX" in html and "8 ballots" in html
    assert "voter" not in html.lower().replace("voters", "")  # no voter data
    found = client.post(url, {"receipt": "r0006-xxxxx"}).content.decode()
    assert "R0006-XXXXX" in found and "R0001-XXXXX" not in found
    with django_assert_num_queries(6):  # edition, phases, pools, project numbers, count, page
        client.get(url)


def test_pabulib_download(client, personas, counted_setup):
    edition = counted_setup["edition"]
    url = reverse("budgeting:pabulib", args=[edition.pk, counted_setup["pool"].pk])
    assert client.get(url).status_code == 404
    results.count_pool(actor=personas.coordinator, pool=counted_setup["pool"])
    client.force_login(personas.coordinator)
    preview = pabulib.parse(client.get(url).content.decode())
    assert preview.votes == {} and preview.meta["num_votes"] == "8"
    results.publish_results(actor=personas.coordinator, edition=edition)
    client.logout()
    response = client.get(url)
    assert response["Content-Disposition"].endswith('.pb"')
    instance = pabulib.parse(response.content.decode())
    assert len(instance.votes) == 8
    assert instance.selected() == {str(counted_setup["b"].number), str(counted_setup["c"].number)}
