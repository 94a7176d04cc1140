"""The budgeting admin: every model is there to look things up, nothing bypasses the services — no adding, changing
or deleting (ballots and the register above all), no bulk delete; the one action calls the review service."""

from __future__ import annotations

import uuid

import pytest
from django.contrib import admin
from django.urls import reverse

from veche.audit.models import AuditEntry
from veche.budgeting import models
from veche.budgeting.choices import ProposalStatus, VoteChannel
from veche.budgeting.models import Ballot, Proposal, ReviewDecision, VoterRecord
from veche.budgeting.tests.factories import ProposalFactory, make_edition

pytestmark = pytest.mark.django_db
BUDGETING_MODELS = [getattr(models, name) for name in models.__all__]


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:budgeting_{model._meta.model_name}_{view}", args=args)


def test_every_budgeting_model_is_registered():
    assert all(admin.site.is_registered(model) for model in BUDGETING_MODELS)


@pytest.mark.parametrize("model", BUDGETING_MODELS, ids=lambda model: model.__name__)
def test_changelists_load_and_offer_no_add_and_no_bulk_delete(client, personas, model, rf):
    make_edition(phase="verification", organisation=personas.organisation)
    client.force_login(personas.superuser)
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert admin_url(model, "add") not in page
    request = rf.get("/")
    request.user = personas.superuser
    assert "delete_selected" not in admin.site._registry[model].get_actions(request)


@pytest.fixture
def ballot(personas):
    edition = make_edition(phase="voting", organisation=personas.organisation)
    pool = edition.pools.get()
    VoterRecord.objects.create(
        edition=edition,
        pool=pool,
        pool_kind=pool.kind,
        voter_key="u:1",
        channel=VoteChannel.ONLINE,
        voted_on="2027-05-01",
    )
    return Ballot.objects.create(
        pool=pool, receipt="ABCD-1234", channel=VoteChannel.ONLINE, projects=[1], voter_key="u:1"
    )


def test_ballots_can_be_looked_at_but_never_changed_added_or_deleted(client, personas, ballot):
    client.force_login(personas.superuser)
    change = admin_url(Ballot, "change", ballot.pk)
    page = client.get(change).content.decode()
    assert "ABCD-1234" in page and 'name="_save"' not in page and "u:1" not in page
    assert client.post(change, {"receipt": "HACKED", "projects": "[2]"}).status_code == 403
    assert client.get(admin_url(Ballot, "add")).status_code == 403
    assert client.post(admin_url(Ballot, "delete", ballot.pk), {"post": "yes"}).status_code == 403
    ballot.refresh_from_db()
    assert ballot.receipt == "ABCD-1234" and ballot.projects == [1]
    record = VoterRecord.objects.get()
    assert client.post(admin_url(VoterRecord, "change", record.pk), {"voter_key": "x"}).status_code == 403
    assert client.post(admin_url(VoterRecord, "delete", record.pk), {"post": "yes"}).status_code == 403


def test_proposals_are_read_only_with_their_inlines(client, personas):
    edition = make_edition(phase="verification", organisation=personas.organisation)
    proposal = ProposalFactory(edition=edition, status=ProposalStatus.SUBMITTED, title="Trees on Main Street")
    proposal.cost_items.create(description="Twelve lime trees", amount=6000)
    ReviewDecision.objects.create(
        proposal=proposal, from_status="submitted", to_status="under_review", justification="Started."
    )
    client.force_login(personas.superuser)
    change = admin_url(Proposal, "change", proposal.pk)
    page = client.get(change).content.decode()
    assert "Twelve lime trees" in page and "Started." in page and 'name="_save"' not in page
    assert proposal.get_absolute_url() in page
    assert client.post(change, {"status": "accepted", "title": "x"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_edition_page_hides_the_residents_salt(client, personas):
    edition = make_edition(phase="verification", organisation=personas.organisation)
    client.force_login(personas.superuser)
    page = client.get(admin_url(models.Edition, "change", edition.pk)).content.decode()
    assert edition.residents_salt not in page and "Citywide" in page


def test_the_start_review_action_goes_through_the_service(client, personas):
    edition = make_edition(phase="verification", organisation=personas.organisation)
    ready = ProposalFactory(edition=edition, status=ProposalStatus.SUBMITTED)
    final = ProposalFactory(edition=edition, status=ProposalStatus.ACCEPTED)
    client.force_login(personas.superuser)
    response = client.post(
        admin_url(Proposal, "changelist"),
        {"action": "start_review", "_selected_action": [ready.pk, final.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 proposal is now under review." in page and "cannot become" in page
    assert ReviewDecision.objects.get().proposal_id == ready.pk
    assert AuditEntry.objects.filter(action="budgeting.proposal_reviewed", actor_id=personas.superuser.pk).count() == 1
    assert Proposal.objects.get(pk=final.pk).status == ProposalStatus.ACCEPTED


def test_staff_without_model_permissions_see_nothing(client, personas):
    from veche.core.testing.factories import UserFactory

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(admin_url(Proposal, "changelist")).status_code == 403
    assert client.get(admin_url(Ballot, "change", uuid.uuid4())).status_code in (302, 403, 404)
