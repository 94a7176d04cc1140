"""Proposal pages through the client: list with filters, search, map and constant query counts; detail with costs,
history and signatures; writing, editing, submitting, withdrawing, signing and leaving, by persona."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from veche.budgeting.choices import ProposalStatus
from veche.budgeting.models import CostItem, Proposal, Signature
from veche.budgeting.services import proposals as services
from veche.budgeting.services.proposals import ProposalInput
from veche.budgeting.tests.factories import CategoryFactory, ProposalFactory, make_edition
from veche.core.testing.factories import UserFactory
from veche.core.tests.imaging import image_bytes, upload

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


def url(name, edition, *args):
    return reverse(f"budgeting:{name}", args=[edition.pk, *args])


def form_data(edition, **changes):
    data = {
        "title": "Trees on Main Street",
        "summary": "Twenty lindens",
        "description": "Plant twenty lindens along Main Street.",
        "pool": edition.pools.first().pk,
        "cost_estimate": "",
        "latitude": "",
        "longitude": "",
        "address": "Main Street",
        "co_authors": "",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "30",
        "items-0-description": "Trees",
        "items-0-amount": "30000",
        "items-1-description": "Planting",
        "items-1-amount": "10000",
        "items-2-description": "",
        "items-2-amount": "",
        "images-TOTAL_FORMS": "2",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "5",
        "images-0-alt_text": "",
        "images-1-alt_text": "",
        "action": "draft",
    }
    data.update(changes)
    return data


# --- list ----------------------------------------------------------------------------------------------------------
def test_list_shows_public_proposals_with_filters_and_search(client, personas):
    edition = make_edition(organisation=personas.organisation, pools=2, total_budget=Decimal(200_000))
    district = edition.pools.get(kind="district")
    green = CategoryFactory(edition=edition, name="Green")
    ProposalFactory(edition=edition, title="Lindens", category=green, latitude=50, longitude=14)
    ProposalFactory(edition=edition, title="Playground", pool=district, summary="Swings for kids")
    ProposalFactory(edition=edition, title="Secret draft", status=ProposalStatus.DRAFT)
    page = client.get(url("proposals", edition)).content.decode()
    assert "Lindens" in page and "Playground" in page and "Secret draft" not in page
    by_pool = client.get(url("proposals", edition), {"pool": district.pk}).content.decode()
    assert "Playground" in by_pool and "Lindens" not in by_pool
    by_category = client.get(url("proposals", edition), {"category": green.pk}).content.decode()
    assert "Lindens" in by_category and "Playground" not in by_category
    search = client.get(url("proposals", edition), {"q": "SWINGS"}).content.decode()
    assert "Playground" in search and "Lindens" not in search
    nothing = client.get(url("proposals", edition), {"q": "zeppelin"}).content.decode()
    assert "No proposal matches" in nothing


def test_list_map_holds_located_proposals(client, personas):
    edition = make_edition(organisation=personas.organisation)
    ProposalFactory(edition=edition, title="Lindens", latitude=Decimal("50.1"), longitude=Decimal("14.4"))
    ProposalFactory(edition=edition, title="Nowhere")
    response = client.get(url("proposals", edition))
    features = response.context["map_data"]["features"]
    assert [feature["properties"]["title"] for feature in features] == ["1. Lindens"] or len(features) == 1
    assert features[0]["geometry"]["coordinates"] == [14.4, 50.1]
    assert 'id="proposals-map-data"' in response.content.decode()


def test_list_shows_the_visitors_own_drafts(client, personas):
    edition = make_edition(organisation=personas.organisation)
    ProposalFactory(edition=edition, title="My draft", status=ProposalStatus.DRAFT, author=personas.resident)
    page = signed_in(client, personas.resident).get(url("proposals", edition)).content.decode()
    assert "Your drafts" in page and "My draft" in page


def test_list_query_count_does_not_grow(client, personas, django_assert_num_queries):
    edition = make_edition(organisation=personas.organisation)
    ProposalFactory(edition=edition)
    with django_assert_num_queries(8):
        client.get(url("proposals", edition))
    for index in range(25):
        ProposalFactory(edition=edition, latitude=50, longitude=14 + index / 100)
    with django_assert_num_queries(8):
        response = client.get(url("proposals", edition))
    assert len(response.context["proposals"]) == 20 and response.context["page_obj"].has_next()


# --- detail --------------------------------------------------------------------------------------------------------
def test_detail_shows_costs_history_and_authors(client, personas):
    edition = make_edition(organisation=personas.organisation)
    friend = UserFactory(display_name="Friendly Neighbour")
    proposal = services.create_proposal(
        actor=personas.resident,
        edition=edition,
        data=ProposalInput(
            title="Lindens",
            description="Plant lindens on the square.",
            pool=edition.pools.first(),
            cost_items=[("Trees", Decimal(3000)), ("Work", Decimal(1000))],
            latitude=Decimal("50.1"),
            longitude=Decimal("14.4"),
        ),
        co_author_emails=[friend.email],
        submit=True,
    )
    services.update_proposal(
        actor=personas.resident,
        proposal=proposal,
        data=ProposalInput(
            title="Lindens",
            description="Plant old lindens on the square.",
            pool=edition.pools.first(),
            cost_items=[("Trees", Decimal(3000)), ("Work", Decimal(1000))],
            latitude=Decimal("50.1"),
            longitude=Decimal("14.4"),
        ),
    )
    Proposal.objects.filter(pk=proposal.pk).update(verified_cost=Decimal(5000))
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Plant old lindens" in page and "4,000" in page and "5,000" in page
    assert "differs from the estimate" in page
    assert personas.resident.public_name in page and "Friendly Neighbour" in page
    assert "History of changes" in page and "<ins>old</ins>" in page
    assert 'id="proposal-map-data"' in page


def test_drafts_are_404_for_others_and_visible_to_their_authors(client, personas):
    edition = make_edition(organisation=personas.organisation)
    proposal = ProposalFactory(edition=edition, status=ProposalStatus.DRAFT, author=personas.resident)
    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert signed_in(client, personas.member).get(proposal.get_absolute_url()).status_code == 404
    page = signed_in(client, personas.resident).get(proposal.get_absolute_url()).content.decode()
    assert "Only the authors can see this draft." in page
    assert url("proposal_edit", edition, proposal.number) in page


def test_detail_passes_the_review_context(client, personas):
    edition = make_edition(organisation=personas.organisation, phase="verification")
    proposal = ProposalFactory(edition=edition, status=ProposalStatus.SUBMITTED)
    response = signed_in(client, personas.expert).get(proposal.get_absolute_url())
    assert response.context["can_review"] is True and response.context["can_appeal"] is False
    assert response.context["decisions"] == [] and response.context["appeal"] is None


def test_signing_from_the_detail_page(client, personas):
    edition = make_edition(organisation=personas.organisation, signatures_required=3)
    proposal = ProposalFactory(edition=edition, status=ProposalStatus.SUBMITTED, author=personas.resident)
    anonymous = client.get(proposal.get_absolute_url()).content.decode()
    assert "0 of the 3 signatures" in anonymous and "Sign in to support" in anonymous
    signed_in(client, personas.member)
    assert "Sign in support" in client.get(proposal.get_absolute_url()).content.decode()
    response = client.post(url("proposal_sign", edition, proposal.number), {"action": "sign"}, follow=True)
    page = response.content.decode()
    assert "1 of the 3 signatures" in page and "Take back my signature" in page
    client.post(url("proposal_sign", edition, proposal.number), {"action": "sign"})
    assert Signature.objects.count() == 1
    client.post(url("proposal_sign", edition, proposal.number), {"action": "unsign"})
    assert Signature.objects.count() == 0
    signed_in(client, personas.resident)
    assert client.post(url("proposal_sign", edition, proposal.number)).status_code == 403


def test_detail_query_count_does_not_grow_with_history(client, personas, django_assert_num_queries):
    edition = make_edition(organisation=personas.organisation)
    proposal = services.create_proposal(
        actor=personas.resident,
        edition=edition,
        data=ProposalInput(title="A", description="B", pool=edition.pools.first(), cost_estimate=Decimal(1)),
        submit=True,
    )
    client.get(proposal.get_absolute_url())
    with django_assert_num_queries(10):
        client.get(proposal.get_absolute_url())
    for index in range(4):
        CostItem.objects.create(proposal=proposal, description=f"Item {index}", amount=1)
        services._write_revision(proposal, actor=personas.resident)
    with django_assert_num_queries(10):
        client.get(proposal.get_absolute_url())


# --- writing -------------------------------------------------------------------------------------------------------
def test_create_needs_an_account_and_the_submission_phase(client, personas):
    edition = make_edition(organisation=personas.organisation)
    assert client.get(url("proposal_create", edition)).status_code == 302
    closed = make_edition(organisation=personas.organisation, phase="voting")
    assert signed_in(client, personas.resident).get(url("proposal_create", closed)).status_code == 403


def test_create_a_draft_through_the_form(client, personas):
    edition = make_edition(organisation=personas.organisation)
    signed_in(client, personas.resident)
    page = client.get(url("proposal_create", edition)).content.decode()
    assert "budget-proposal.js" in page and "data-map-picker-lat" in page
    response = client.post(url("proposal_create", edition), form_data(edition))
    proposal = Proposal.objects.get(edition=edition)
    assert response.status_code == 302 and response["Location"] == proposal.get_absolute_url()
    assert proposal.status == ProposalStatus.DRAFT and proposal.cost_estimate == Decimal(40_000)
    assert proposal.cost_items.count() == 2


def test_form_explains_a_mismatched_estimate_and_keeps_input(client, personas):
    edition = make_edition(organisation=personas.organisation)
    signed_in(client, personas.resident)
    response = client.post(url("proposal_create", edition), form_data(edition, cost_estimate="100"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "The cost items add up to 40000" in page and "Trees on Main Street" in page
    assert not Proposal.objects.exists()


def test_form_checks_point_in_municipality_and_item_rows(client, personas):
    edition = make_edition(
        organisation=personas.organisation,
        bounds_south=Decimal(49),
        bounds_west=Decimal(14),
        bounds_north=Decimal(51),
        bounds_east=Decimal(15),
    )
    signed_in(client, personas.resident)
    data = form_data(edition, latitude="10", longitude="14.5", **{"items-2-amount": "5"})
    page = client.post(url("proposal_create", edition), data).content.decode()
    assert "outside the municipality" in page or "Say what this amount is for" in page
    assert "Say what this amount is for" in page
    data = form_data(edition, latitude="10", longitude="14.5")
    page = client.post(url("proposal_create", edition), data).content.decode()
    assert "outside the municipality" in page
    assert 'data-map-bounds="49.000000,14.000000,51.000000,15.000000"' in page


def test_image_upload_needs_a_description(client, personas):
    edition = make_edition(organisation=personas.organisation)
    signed_in(client, personas.resident)
    data = form_data(edition, **{"images-0-image": upload(image_bytes(), name="tree.png")})
    page = client.post(url("proposal_create", edition), data).content.decode()
    assert "Describe the image" in page
    data = form_data(
        edition, **{"images-0-image": upload(image_bytes(), name="tree.png"), "images-0-alt_text": "A young linden"}
    )
    assert client.post(url("proposal_create", edition), data).status_code == 302
    assert Proposal.objects.get().images.get().alt_text == "A young linden"
    bad = form_data(edition, **{"images-0-image": upload(b"not an image", name="x.png"), "images-0-alt_text": "X"})
    assert client.post(url("proposal_create", edition), bad).status_code == 400


def test_create_and_submit_at_once_and_add_a_co_author(client, personas):
    edition = make_edition(organisation=personas.organisation)
    signed_in(client, personas.resident)
    data = form_data(edition, action="submit", co_authors=personas.member.email)
    client.post(url("proposal_create", edition), data)
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.SUBMITTED and list(proposal.co_authors.all()) == [personas.member]
    unknown = form_data(edition, co_authors="ghost@example.org")
    assert "No account uses ghost@example.org" in client.post(url("proposal_create", edition), unknown).content.decode()


def test_edit_by_author_only_and_history_grows(client, personas):
    edition = make_edition(organisation=personas.organisation)
    signed_in(client, personas.resident)
    client.post(url("proposal_create", edition), form_data(edition))
    proposal = Proposal.objects.get()
    edit_url = url("proposal_edit", edition, proposal.number)
    form = client.get(edit_url).context["form"]
    assert form.initial["title"] == "Trees on Main Street"
    data = form_data(edition, title="Lindens on Main Street", **{"items-INITIAL_FORMS": "0"})
    assert client.post(edit_url, data).status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Lindens on Main Street" and proposal.revisions.count() == 2
    signed_in(client, personas.member)
    assert client.get(edit_url).status_code == 404
    signed_in(client, personas.coordinator)
    assert client.get(edit_url).status_code == 404  # drafts are private, even to the office
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.SUBMITTED)
    assert client.get(edit_url).status_code == 403


def test_submit_and_withdraw_buttons(client, personas):
    edition = make_edition(organisation=personas.organisation)
    proposal = ProposalFactory(edition=edition, status=ProposalStatus.DRAFT, author=personas.resident)
    signed_in(client, personas.resident)
    client.post(url("proposal_submit", edition, proposal.number))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    withdraw = url("proposal_withdraw", edition, proposal.number)
    assert "cannot be submitted again" in client.get(withdraw).content.decode()
    client.post(withdraw)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert client.post(withdraw).status_code == 403


def test_co_author_leaves(client, personas):
    edition = make_edition(organisation=personas.organisation)
    proposal = ProposalFactory(edition=edition, status=ProposalStatus.DRAFT, author=personas.resident)
    proposal.co_authors.add(personas.member)
    signed_in(client, personas.member)
    assert "Remove me as co-author" in client.get(proposal.get_absolute_url()).content.decode()
    response = client.post(url("proposal_leave", edition, proposal.number))
    assert response["Location"] == url("proposals", edition)
    assert not proposal.co_authors.exists()


def test_map_data_is_valid_json_for_the_picker(client, personas):
    edition = make_edition(organisation=personas.organisation)
    page = signed_in(client, personas.resident).get(url("proposal_create", edition)).content.decode()
    start = page.index('id="proposal-picker-data"')
    payload = page[page.index(">", start) + 1 : page.index("</script>", start)]
    assert json.loads(payload) == {"type": "FeatureCollection", "features": []}
