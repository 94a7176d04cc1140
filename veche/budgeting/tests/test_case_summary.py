"""The edition as a case on the map of participation: nothing before results are published, then its real figures."""

from __future__ import annotations

from decimal import Decimal

import pytest

from veche.budgeting.models import Ballot, VoterRecord
from veche.budgeting.services import results
from veche.budgeting.tests.factories import ProposalFactory, make_edition
from veche.participation.registry import get_module_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(personas):
    edition = make_edition(phase="results", organisation=personas.organisation, currency="CZK")
    pool = edition.pools.get()
    pool.budget = Decimal(1000)
    pool.save()
    edition.total_budget = Decimal(1000)
    edition.save()
    park = ProposalFactory(
        edition=edition, title="Park", cost_estimate=Decimal(600), latitude=Decimal("50.0"), longitude=Decimal("15.0")
    )
    bench = ProposalFactory(
        edition=edition, title="Bench", cost_estimate=Decimal(300), latitude=Decimal("50.2"), longitude=Decimal("15.2")
    )
    ProposalFactory(edition=edition, title="Tower", cost_estimate=Decimal(900))
    for number in range(4):
        Ballot.objects.create(pool=pool, receipt=f"R{number:04d}-XXXXX", channel="online", projects=[park.pk, bench.pk])
        VoterRecord.objects.create(
            edition=edition,
            pool=pool,
            pool_kind=pool.kind,
            voter_key=f"u:{number}",
            channel="online",
            voted_on="2026-05-01",
        )
    results.count_pool(actor=personas.coordinator, pool=pool)
    return edition


def test_nothing_to_present_before_results_are_published(finished):
    assert get_module_type("budgeting").case_summary(finished.module) is None


def test_summary_carries_the_real_figures(personas, finished, django_assert_max_num_queries):
    results.publish_results(actor=personas.coordinator, edition=finished)
    with django_assert_max_num_queries(8):
        summary = get_module_type("budgeting").case_summary(finished.module)
    assert summary.organisation_id == personas.organisation.pk
    assert summary.methods == ("participatory_budgeting",)
    assert summary.participants == 4
    assert summary.budget == Decimal(1000)
    assert summary.currency == "CZK"
    assert "2 projects of 3 on the ballot were funded" in summary.results
    assert "Park" in summary.results and "Tower" not in summary.results
    assert summary.latitude == pytest.approx(50.1)
    assert summary.longitude == pytest.approx(15.1)
    assert summary.url == finished.get_absolute_url()
    assert summary.started_on is not None and summary.ended_on is not None
    assert any("/results/" in url for _label, url in summary.links)
