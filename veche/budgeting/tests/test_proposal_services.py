"""Proposal services: validation an author understands, the cost estimate as the sum of its items, numbering,
revision history, submission with support signatures, withdrawal, co-authors and personal data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from veche.accounts.services import erase_account, export_personal_data
from veche.budgeting.choices import ProposalStatus
from veche.budgeting.models import Proposal, ProposalRevision, Signature
from veche.budgeting.services import proposals as services
from veche.budgeting.services.proposals import CostMismatchError, ProposalInput, resolve_estimate
from veche.budgeting.tests.factories import CategoryFactory, ProposalFactory, make_edition
from veche.core.images import reencode_image
from veche.core.testing.factories import UserFactory
from veche.core.tests.imaging import image_bytes, upload
from veche.notifications.models import Notification

pytestmark = pytest.mark.django_db


def draft(edition, **changes) -> ProposalInput:
    values = {
        "title": "Benches by the river",
        "summary": "Ten benches",
        "description": "Ten benches along the river path.",
        "pool": edition.pools.first(),
        "cost_estimate": Decimal(20_000),
    }
    values.update(changes)
    return ProposalInput(**values)


# --- the estimate (pure) -----------------------------------------------------------------------------------------
amounts = st.lists(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False), max_size=8)


@given(amounts)
def test_with_items_the_estimate_is_their_sum(items):
    total = sum(items, Decimal(0))
    assert resolve_estimate(None, items) == (total if items else None)
    if items:
        assert resolve_estimate(total, items) == total


@given(amounts, st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_an_estimate_that_differs_from_the_items_is_refused(items, estimate):
    total = sum(items, Decimal(0))
    if items and estimate != total:
        with pytest.raises(CostMismatchError) as error:
            resolve_estimate(estimate, items)
        assert error.value.total == total and error.value.estimate == estimate
    else:
        assert resolve_estimate(estimate, items) == (total if items else estimate)


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        resolve_estimate(None, [Decimal(5), Decimal(-1)])


# --- creating ------------------------------------------------------------------------------------------------------
def test_resident_creates_a_draft_with_items_and_revision_one(personas):
    edition = make_edition(organisation=personas.organisation)
    data = draft(edition, cost_estimate=None, cost_items=[("Benches", Decimal(15_000)), ("Work", Decimal(5_000))])
    proposal = services.create_proposal(actor=personas.resident, edition=edition, data=data)
    assert proposal.status == ProposalStatus.DRAFT and proposal.number == 1
    assert proposal.cost_estimate == Decimal(20_000) and proposal.author == personas.resident
    assert [item.description for item in proposal.cost_items.all()] == ["Benches", "Work"]
    revision = proposal.revisions.get()
    assert revision.number == 1 and revision.snapshot["cost_items"] == [["Benches", "15000.00"], ["Work", "5000.00"]]


def test_estimate_must_match_the_items_and_the_message_explains(personas):
    edition = make_edition(organisation=personas.organisation)
    data = draft(edition, cost_estimate=Decimal(100), cost_items=[("Benches", Decimal(15_000))])
    with pytest.raises(ValidationError) as error:
        services.create_proposal(actor=personas.resident, edition=edition, data=data)
    message = error.value.message_dict["cost_estimate"][0]
    assert "15000" in message and "leave the estimate empty" in message


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"title": " "}, "title", "title"),
        ({"cost_estimate": None}, "cost_estimate", "Give an estimated cost"),
        ({"cost_estimate": Decimal(100_001)}, "cost_estimate", "cannot cost more"),
        ({"latitude": Decimal(50)}, "latitude", "both"),
        ({"latitude": Decimal(40), "longitude": Decimal(14.5)}, "latitude", "outside the municipality"),
    ],
)
def test_problems_are_reported_by_field(personas, changes, field, text):
    edition = make_edition(
        organisation=personas.organisation,
        bounds_south=Decimal(49),
        bounds_west=Decimal(14),
        bounds_north=Decimal(51),
        bounds_east=Decimal(15),
    )
    with pytest.raises(ValidationError) as error:
        services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition, **changes))
    assert text in error.value.message_dict[field][0]


def test_point_inside_the_bounds_is_accepted(personas):
    edition = make_edition(
        organisation=personas.organisation,
        bounds_south=Decimal(49),
        bounds_west=Decimal(14),
        bounds_north=Decimal(51),
        bounds_east=Decimal(15),
    )
    data = draft(edition, latitude=Decimal("50.08"), longitude=Decimal("14.42"))
    proposal = services.create_proposal(actor=personas.resident, edition=edition, data=data)
    assert proposal.has_location


def test_pool_and_category_of_another_edition_are_refused(personas):
    edition = make_edition(organisation=personas.organisation)
    other = make_edition(organisation=personas.organisation)
    data = draft(edition, pool=other.pools.first(), category=CategoryFactory(edition=other))
    with pytest.raises(ValidationError) as error:
        services.create_proposal(actor=personas.resident, edition=edition, data=data)
    assert {"pool", "category"} <= set(error.value.message_dict)


@pytest.mark.parametrize("phase", ["verification", "voting", None])
def test_no_new_proposals_outside_the_submission_phase(personas, phase):
    edition = make_edition(organisation=personas.organisation, phase=phase)
    with pytest.raises(PermissionDenied):
        services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition))


def test_numbers_are_consecutive_per_edition(personas):
    edition = make_edition(organisation=personas.organisation)
    other = make_edition(organisation=personas.organisation)
    numbers = [
        services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition)).number,
        services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition)).number,
        services.create_proposal(actor=personas.resident, edition=other, data=draft(other)).number,
    ]
    assert numbers == [1, 2, 1]


# --- editing and history -----------------------------------------------------------------------------------------
def test_each_save_writes_a_revision_with_what_changed(personas):
    edition = make_edition(organisation=personas.organisation)
    proposal = services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition))
    services.update_proposal(
        actor=personas.resident,
        proposal=proposal,
        data=draft(edition, description="Twelve benches along the river path.", cost_estimate=Decimal(24_000)),
    )
    services.update_proposal(
        actor=personas.resident,
        proposal=proposal,
        data=draft(edition, description="Twelve benches along the river path.", cost_estimate=Decimal(24_000)),
    )  # no change: no revision
    services.submit_proposal(actor=personas.resident, proposal=proposal)
    revisions = list(ProposalRevision.objects.filter(proposal=proposal).order_by("number"))
    assert [revision.number for revision in revisions] == [1, 2, 3]
    assert revisions[1].changed_fields == ["description", "cost_estimate"]
    assert revisions[1].snapshot["description"].startswith("Twelve")
    assert revisions[2].changed_fields == ["status"] and revisions[2].snapshot["status"] == "submitted"
    assert revisions[1].changed_by == personas.resident


def test_only_authors_edit_and_only_in_editable_states(personas):
    edition = make_edition(organisation=personas.organisation)
    proposal = services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition))
    with pytest.raises(PermissionDenied):
        services.update_proposal(actor=personas.coordinator, proposal=proposal, data=draft(edition, title="Mine"))
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.ACCEPTED)
    proposal.status = ProposalStatus.ACCEPTED
    with pytest.raises(PermissionDenied):
        services.update_proposal(actor=personas.resident, proposal=proposal, data=draft(edition, title="Later"))


def test_images_are_added_up_to_five_and_removed(personas):
    edition = make_edition(organisation=personas.organisation)
    picture = reencode_image(upload(image_bytes()))
    proposal = services.create_proposal(
        actor=personas.resident, edition=edition, data=draft(edition, new_images=[(picture, "The river path")])
    )
    image = proposal.images.get()
    assert image.alt_text == "The river path" and image.image.name.endswith(".jpg")
    too_many = [(reencode_image(upload(image_bytes())), f"View {n}") for n in range(5)]
    with pytest.raises(ValidationError) as error:
        services.update_proposal(actor=personas.resident, proposal=proposal, data=draft(edition, new_images=too_many))
    assert "at most 5" in error.value.message_dict["images"][0]
    services.update_proposal(actor=personas.resident, proposal=proposal, data=draft(edition, remove_images=[image.pk]))
    assert not proposal.images.exists()
    assert proposal.revisions.order_by("-number").first().changed_fields == ["images"]


# --- co-authors ------------------------------------------------------------------------------------------------
def test_co_authors_by_email_are_notified_and_may_leave(personas, django_capture_on_commit_callbacks):
    edition = make_edition(organisation=personas.organisation)
    friend = UserFactory(email="Friend@Example.org")
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.create_proposal(
            actor=personas.resident, edition=edition, data=draft(edition), co_author_emails=["friend@example.org"]
        )
    assert list(proposal.co_authors.all()) == [friend]
    note = Notification.objects.get(recipient=friend)
    assert note.kind == "budgeting.co_author" and proposal.title in note.title
    assert friend.has_perm("budgeting.change_proposal", proposal)
    services.leave_proposal(actor=friend, proposal=proposal)
    assert not proposal.co_authors.exists()
    with pytest.raises(ValidationError):
        services.leave_proposal(actor=friend, proposal=proposal)


def test_unknown_emails_and_the_author_are_refused_as_co_authors(personas):
    edition = make_edition(organisation=personas.organisation)
    with pytest.raises(ValidationError) as error:
        services.create_proposal(
            actor=personas.resident,
            edition=edition,
            data=draft(edition),
            co_author_emails=["nobody@example.org", personas.resident.email],
        )
    messages = error.value.message_dict["co_authors"]
    assert any("nobody@example.org" in message for message in messages)
    assert any("You are the author" in message for message in messages)


def test_only_the_main_author_changes_the_co_authors(personas):
    edition = make_edition(organisation=personas.organisation)
    friend = UserFactory()
    proposal = services.create_proposal(
        actor=personas.resident, edition=edition, data=draft(edition), co_author_emails=[friend.email]
    )
    with pytest.raises(ValidationError):
        services.update_proposal(actor=friend, proposal=proposal, data=draft(edition), co_author_emails=[])
    services.update_proposal(actor=friend, proposal=proposal, data=draft(edition, title="Co-written"))
    assert Proposal.objects.get(pk=proposal.pk).title == "Co-written"


# --- submission, signatures, withdrawal ---------------------------------------------------------------------------
def test_submission_waits_for_signatures_before_review(personas):
    edition = make_edition(organisation=personas.organisation, signatures_required=2)
    proposal = services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition), submit=True)
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.submitted_at is not None
    assert not services.is_ready_for_review(proposal, 0)
    queryset = Proposal.objects.filter(edition=edition)
    assert not services.ready_for_review(queryset).exists()
    services.sign_proposal(actor=personas.member, proposal=proposal)
    with pytest.raises(ValidationError) as error:
        services.sign_proposal(actor=personas.member, proposal=proposal)
    assert error.value.code == "already_signed"
    services.sign_proposal(actor=personas.expert, proposal=proposal)
    assert services.is_ready_for_review(proposal, 2)
    assert list(services.ready_for_review(queryset)) == [proposal]
    assert services.with_signature_count(queryset).get().signature_count == 2


def test_authors_cannot_sign_their_own_and_drafts_cannot_be_signed(personas):
    edition = make_edition(organisation=personas.organisation, signatures_required=1)
    proposal = services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition))
    with pytest.raises(PermissionDenied):
        services.sign_proposal(actor=personas.member, proposal=proposal)  # a draft
    services.submit_proposal(actor=personas.resident, proposal=proposal)
    with pytest.raises(PermissionDenied):
        services.sign_proposal(actor=personas.resident, proposal=proposal)
    services.sign_proposal(actor=personas.member, proposal=proposal)
    assert services.unsign_proposal(actor=personas.member, proposal=proposal)
    assert not Signature.objects.exists()


def test_submitting_twice_is_refused(personas):
    edition = make_edition(organisation=personas.organisation)
    proposal = services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition), submit=True)
    with pytest.raises(ValidationError):
        services.submit_proposal(actor=personas.resident, proposal=proposal)


def test_withdrawal_by_the_authors_hides_the_proposal(personas):
    edition = make_edition(organisation=personas.organisation)
    proposal = services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition), submit=True)
    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(actor=personas.member, proposal=proposal)
    services.withdraw_proposal(actor=personas.resident, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert not Proposal.objects.visible_to(personas.member).filter(pk=proposal.pk).exists()
    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(actor=personas.resident, proposal=proposal)
    assert proposal.revisions.order_by("-number").first().snapshot["status"] == "withdrawn"


def test_accepted_proposals_cannot_be_withdrawn(personas):
    edition = make_edition(organisation=personas.organisation, phase="verification")
    proposal = ProposalFactory(edition=edition, author=personas.resident, status=ProposalStatus.ACCEPTED)
    with pytest.raises(PermissionDenied):
        services.withdraw_proposal(actor=personas.resident, proposal=proposal)


# --- personal data -------------------------------------------------------------------------------------------------
def test_export_lists_proposals_and_signatures(personas):
    edition = make_edition(organisation=personas.organisation)
    friend = UserFactory()
    proposal = services.create_proposal(
        actor=personas.resident, edition=edition, data=draft(edition), co_author_emails=[friend.email], submit=True
    )
    services.sign_proposal(actor=personas.member, proposal=proposal)
    mine = export_personal_data(user=personas.resident)["budget_proposals"]
    assert mine["proposals"][0]["title"] == "Benches by the river" and mine["proposals"][0]["role"] == "author"
    assert export_personal_data(user=friend)["budget_proposals"]["proposals"][0]["role"] == "co-author"
    signed = export_personal_data(user=personas.member)["budget_proposals"]["signatures"]
    assert signed[0]["proposal_number"] == proposal.number


def test_erasure_removes_signatures_and_co_authorships_and_keeps_published_proposals(personas):
    edition = make_edition(organisation=personas.organisation)
    friend = UserFactory()
    published = services.create_proposal(
        actor=personas.resident, edition=edition, data=draft(edition), co_author_emails=[friend.email], submit=True
    )
    private_draft = services.create_proposal(actor=personas.resident, edition=edition, data=draft(edition))
    services.sign_proposal(actor=personas.member, proposal=published)
    erase_account(user=personas.member, actor=personas.member)
    erase_account(user=friend, actor=friend)
    erase_account(user=personas.resident, actor=personas.resident)
    assert not Signature.objects.exists()
    published.refresh_from_db()
    assert published.author is None and not published.co_authors.exists()
    assert not Proposal.objects.filter(pk=private_draft.pk).exists()
