"""The budgets API: editions, pools, projects, results and ballots once published, the Pabulib download; visibility
and query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from veche.budgeting import pabulib
from veche.budgeting.models import Ballot
from veche.budgeting.services import results
from veche.budgeting.tests.factories import ProposalFactory, make_edition

pytestmark = pytest.mark.django_db

BASE = "/api/v1/budgets"


@pytest.fixture
def edition(personas):
    edition = make_edition(phase="results", organisation=personas.organisation, pools=2)
    edition.pools.update(budget=Decimal(1000))  # small numbers keep MES's add-one completion short
    citywide, district = edition.pools.all()
    a = ProposalFactory(
        edition=edition,
        pool=citywide,
        title="Park",
        cost_estimate=Decimal(600),
        latitude=Decimal("50.03"),
        longitude=Decimal("15.2"),
    )
    b = ProposalFactory(edition=edition, pool=citywide, title="Library", cost_estimate=Decimal(500))
    ProposalFactory(edition=edition, pool=district, title="Bench", cost_estimate=Decimal(50))
    ProposalFactory(edition=edition, pool=citywide, title="Secret draft", status="draft")
    for index, chosen in enumerate([[a.pk], [a.pk, b.pk], [b.pk]]):
        Ballot.objects.create(pool=citywide, receipt=f"AAAA{index}-BBBBB", channel="online", projects=chosen)
    return edition


def test_list_and_detail(client, edition):
    response = client.get(f"{BASE}/editions")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert (item["id"], item["title"], item["current_phase"]) == (edition.pk, "Budget 2027", "results")
    detail = client.get(item["api_url"]).json()
    assert [pool["name"] for pool in detail["pools"]] == ["Citywide", "District 1"]
    assert detail["pools"][0]["counted"] is False and detail["pools"][0]["results_url"] is None
    assert len(detail["phases"]) == 6
    assert client.get(f"{BASE}/editions?organisation=nowhere").json()["count"] == 0


def test_unpublished_processes_are_hidden(client, edition):
    process = edition.module.process
    process.is_published = False
    process.save()
    assert client.get(f"{BASE}/editions").json()["count"] == 0
    response = client.get(f"{BASE}/editions/{edition.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_projects_are_the_public_ones(client, edition):
    data = client.get(f"{BASE}/editions/{edition.pk}/projects").json()
    assert [item["title"] for item in data["items"]] == ["Park", "Library", "Bench"]
    assert data["items"][0]["latitude"] == 50.03 and data["items"][0]["cost"] == "600.00"


def test_results_and_ballots_only_when_published(client, personas, edition):
    pool = edition.pools.first()
    url = f"{BASE}/editions/{edition.pk}/pools/{pool.pk}"
    assert client.get(f"{url}/results").status_code == 404
    for p in edition.pools.all():
        results.count_pool(actor=personas.coordinator, pool=p)
    assert client.get(f"{url}/results").status_code == 404  # counted, not published
    assert client.get(f"{url}/pabulib").status_code == 404
    results.publish_results(actor=personas.coordinator, edition=edition)
    data = client.get(f"{url}/results").json()
    assert data["ballots"] == 3 and data["rule_label"] == "greedy"
    funded = {row["title"] for row in data["projects"] if row["funded"]}
    assert funded == {"Park"}
    library = next(row for row in data["projects"] if row["title"] == "Library")
    assert library["reason"] == "did-not-fit" and library["reason_text"].startswith("Not funded")
    assert any(row["current"] for row in data["comparison"])
    assert client.get(f"{url}/ballots").status_code == 404
    edition.refresh_from_db()
    results.set_ballots_published(actor=personas.coordinator, edition=edition, published=True)
    ballots = client.get(f"{url}/ballots?limit=2").json()
    assert ballots["count"] == 3 and len(ballots["items"]) == 2 and ballots["next"]
    park = edition.proposals.get(title="Park")
    assert ballots["items"][0] == {"receipt": "AAAA0-BBBBB", "projects": [park.number], "points": None}
    response = client.get(f"{url}/pabulib")
    assert response["Content-Type"].startswith("text/plain")
    assert len(pabulib.parse(response.content.decode()).votes) == 3


def test_editions_list_query_count(client, personas, django_assert_num_queries):
    make_edition(phase="voting", organisation=personas.organisation)
    client.get(f"{BASE}/editions")
    with django_assert_num_queries(3) as one:  # count, editions, phases
        client.get(f"{BASE}/editions")
    for _ in range(5):
        make_edition(phase="voting", organisation=personas.organisation)
    with django_assert_num_queries(len(one.captured_queries)):
        assert client.get(f"{BASE}/editions").json()["count"] == 6


def test_projects_and_ballots_query_counts(client, personas, edition, django_assert_num_queries):
    projects = f"{BASE}/editions/{edition.pk}/projects"
    with django_assert_num_queries(4) as few:  # edition, phases, count, page
        client.get(projects)
    for _ in range(10):
        ProposalFactory(edition=edition, category=None)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(projects).json()["count"] == 13
    for p in edition.pools.all():
        results.count_pool(actor=personas.coordinator, pool=p)
    results.publish_results(actor=personas.coordinator, edition=edition)
    edition.refresh_from_db()
    results.set_ballots_published(actor=personas.coordinator, edition=edition, published=True)
    url = f"{BASE}/editions/{edition.pk}/pools/{edition.pools.first().pk}"
    with django_assert_num_queries(4):
        client.get(f"{url}/results")
    with django_assert_num_queries(6):
        client.get(f"{url}/ballots")
