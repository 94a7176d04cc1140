"""The budgeting demo: Kolín in the voting phase, Wieliczka finished with published results and implementation."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from veche.audit.models import AuditEntry
from veche.budgeting.choices import ImplementationStatus, ProposalStatus
from veche.budgeting.models import Ballot, Edition, Implementation, PoolResult, Proposal

pytestmark = pytest.mark.django_db


def test_demo_budgets(client):
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())  # idempotent
    kolin = Edition.objects.with_timeline().get(module__process__slug="participativni-rozpocet-2026")
    assert kolin.module.current_phase().phase_type == "voting"
    assert kolin.pools.count() == 3
    assert Proposal.objects.filter(edition=kolin, status=ProposalStatus.ACCEPTED).count() == 25
    rejected = Proposal.objects.filter(edition=kolin, status=ProposalStatus.REJECTED)
    assert rejected.count() == 3 and all(p.decisions.last().justification for p in rejected)
    assert Ballot.objects.filter(pool__edition=kolin).count() == 24
    assert AuditEntry.objects.filter(action="budgeting.proposal_reviewed").count() >= 56

    wieliczka = Edition.objects.with_timeline().get(module__process__slug="budzet-obywatelski-2025")
    assert wieliczka.results_published_at is not None and wieliczka.ballots_published
    result = PoolResult.objects.get(pool__edition=wieliczka)
    assert result.ballots == 200 and result.spec["label"] == "mes/add1"
    statuses = set(Implementation.objects.filter(proposal__edition=wieliczka).values_list("status", flat=True))
    assert {ImplementationStatus.COMPLETED, ImplementationStatus.CANCELLED} <= statuses
    pool = wieliczka.pools.get()
    assert client.get(reverse("budgeting:results", args=[wieliczka.pk, pool.pk])).status_code == 200
    assert client.get(reverse("budgeting:implementation_list", args=[wieliczka.pk])).status_code == 200
