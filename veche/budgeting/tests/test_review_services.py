"""The review workflow and appeals (services/review.py): the transition table, decisions with justification and
verified cost, the signature gate, bulk decisions, appeals within the appeals phase only, audit and notifications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import product

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from veche.audit.models import AuditEntry
from veche.budgeting.choices import AppealOutcome, ProposalStatus
from veche.budgeting.models import Appeal, Proposal, ReviewDecision, Signature
from veche.budgeting.services import review
from veche.budgeting.services.review import TRANSITIONS, Step
from veche.budgeting.tests.factories import ProposalFactory, make_edition, schedule
from veche.core.testing.factories import UserFactory
from veche.notifications.models import Notification

S = ProposalStatus
NOW = dt.datetime(2027, 4, 1, 12, 0, tzinfo=dt.UTC)


# --- the transition table (pure) ------------------------------------------------------------------------------
@pytest.mark.parametrize(("from_status", "to_status", "step"), list(product(S.values, S.values, list(Step))))
def test_check_transition_agrees_with_the_table_for_every_pair(from_status, to_status, step):
    allowed = step in TRANSITIONS.get((from_status, to_status), frozenset())
    if allowed:
        review.check_transition(from_status, to_status, step)
        assert to_status in review.allowed_targets(from_status, step)
    else:
        with pytest.raises(ValidationError) as caught:
            review.check_transition(from_status, to_status, step)
        assert caught.value.error_dict["status"][0].code == "invalid_transition"
        assert to_status not in review.allowed_targets(from_status, step)


def test_the_table_is_the_workflow_of_the_issue():
    assert review.allowed_targets(S.SUBMITTED) == [S.UNDER_REVIEW, S.REJECTED]
    assert review.allowed_targets(S.UNDER_REVIEW) == [S.NEEDS_CHANGES, S.ACCEPTED, S.REJECTED]
    assert review.allowed_targets(S.NEEDS_CHANGES) == [S.UNDER_REVIEW, S.REJECTED]
    assert review.allowed_targets(S.NEEDS_CHANGES, Step.AUTHOR) == [S.SUBMITTED, S.WITHDRAWN]
    for final in (S.ACCEPTED, S.REJECTED, S.DRAFT, S.WITHDRAWN):
        assert review.allowed_targets(final) == []
    assert review.allowed_targets(S.REJECTED, Step.APPEAL) == [S.ACCEPTED]


def test_refusals_explain_what_is_possible():
    with pytest.raises(ValidationError) as caught:
        review.check_transition(S.SUBMITTED, S.ACCEPTED)
    assert caught.value.messages == [
        "A proposal that is “Submitted” cannot become “On the ballot”; it can become “Under review”, “Rejected”."
    ]
    with pytest.raises(ValidationError) as caught:
        review.check_transition(S.REJECTED, S.ACCEPTED)
    assert "only when its appeal is upheld" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        review.check_transition(S.UNDER_REVIEW, S.UNDER_REVIEW)
    assert caught.value.messages == ["The proposal is already “Under review”."]
    with pytest.raises(ValidationError) as caught:
        review.check_transition(S.ACCEPTED, S.REJECTED)
    assert caught.value.messages == ["A proposal that is “On the ballot” cannot become “Rejected”."]


# --- decisions ------------------------------------------------------------------------------------------------
def proposal_in(edition, **kwargs) -> Proposal:
    kwargs.setdefault("status", S.SUBMITTED)
    proposal = ProposalFactory(edition=edition, **kwargs)
    return Proposal.objects.with_edition().get(pk=proposal.pk)


@pytest.fixture
def edition(personas):
    return make_edition(phase="verification", organisation=personas.organisation)


@pytest.mark.django_db
def test_a_proposal_goes_through_review_to_the_ballot(personas, edition, django_capture_on_commit_callbacks):
    author, co_author = UserFactory(), UserFactory()
    proposal = proposal_in(edition, author=author, cost_estimate=Decimal(12_000))
    proposal.co_authors.add(co_author)
    with django_capture_on_commit_callbacks(execute=True):
        review.decide(actor=personas.expert, proposal=proposal, to_status=S.UNDER_REVIEW)
        decision = review.decide(
            actor=personas.expert,
            proposal=proposal,
            to_status=S.ACCEPTED,
            justification="Feasible; the bench costs more than estimated (15,000).",
            verified_cost=Decimal(15_000),
        )
    proposal.refresh_from_db()
    assert proposal.status == S.ACCEPTED
    assert proposal.verified_cost == Decimal(15_000) and proposal.cost == Decimal(15_000)
    assert proposal.cost_estimate == Decimal(12_000)
    assert decision.from_status == S.UNDER_REVIEW and decision.verified_cost == Decimal(15_000)
    assert decision.decided_by == personas.expert
    steps = list(ReviewDecision.objects.filter(proposal=proposal).values_list("from_status", "to_status"))
    assert steps == [(S.SUBMITTED, S.UNDER_REVIEW), (S.UNDER_REVIEW, S.ACCEPTED)]
    entries = AuditEntry.objects.filter(action="budgeting.proposal_reviewed", target_id=str(proposal.pk))
    assert entries.count() == 2
    last = entries.order_by("-pk").first()
    assert last.data["to"] == S.ACCEPTED and last.data["verified_cost"] == "15000"
    assert last.organisation_id == personas.organisation.pk and last.actor_id == personas.expert.pk
    notified = Notification.objects.filter(kind="budgeting.proposal_reviewed")
    assert sorted(notified.values_list("recipient_id", flat=True)) == sorted([author.pk, co_author.pk] * 2)
    accepted = notified.filter(recipient=author, title__contains="On the ballot").get()
    assert accepted.body.startswith("Feasible") and accepted.url == proposal.get_absolute_url()


@pytest.mark.django_db
def test_nothing_is_notified_when_the_decision_rolls_back(personas, edition, django_capture_on_commit_callbacks):
    proposal = proposal_in(edition, author=UserFactory())
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        review.decide(actor=personas.expert, proposal=proposal, to_status=S.ACCEPTED, justification="Fine.")
    assert not Notification.objects.exists() and not ReviewDecision.objects.exists()
    assert not AuditEntry.objects.filter(action="budgeting.proposal_reviewed").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("to_status", [S.NEEDS_CHANGES, S.ACCEPTED, S.REJECTED])
def test_every_decision_on_the_merits_needs_a_justification(personas, edition, to_status):
    proposal = proposal_in(edition, status=S.UNDER_REVIEW)
    with pytest.raises(ValidationError) as caught:
        review.decide(actor=personas.coordinator, proposal=proposal, to_status=to_status, justification="   ")
    assert caught.value.error_dict["justification"][0].code == "justification_required"
    proposal.refresh_from_db()
    assert proposal.status == S.UNDER_REVIEW and not ReviewDecision.objects.exists()


@pytest.mark.django_db
def test_an_invalid_step_is_refused_and_changes_nothing(personas, edition):
    proposal = proposal_in(edition, status=S.ACCEPTED)
    with pytest.raises(ValidationError) as caught:
        review.decide(actor=personas.expert, proposal=proposal, to_status=S.REJECTED, justification="Changed mind.")
    assert "cannot become “Rejected”" in caught.value.messages[0]
    proposal.refresh_from_db()
    assert proposal.status == S.ACCEPTED and not ReviewDecision.objects.exists()


@pytest.mark.django_db
def test_the_service_reads_the_status_from_the_database_not_the_stale_instance(personas, edition):
    proposal = proposal_in(edition, status=S.SUBMITTED)
    Proposal.objects.filter(pk=proposal.pk).update(status=S.REJECTED)
    with pytest.raises(ValidationError):
        review.decide(actor=personas.expert, proposal=proposal, to_status=S.UNDER_REVIEW)
    assert proposal.status == S.REJECTED


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "resident", "member", "moderator", "other_administrator"])
def test_only_reviewers_decide(personas, edition, persona):
    proposal = proposal_in(edition)
    with pytest.raises(PermissionDenied):
        review.decide(actor=personas.get(persona), proposal=proposal, to_status=S.UNDER_REVIEW)


@pytest.mark.django_db
def test_reviewers_do_not_decide_on_their_own_proposals(personas, edition):
    proposal = proposal_in(edition, author=personas.expert)
    with pytest.raises(PermissionDenied):
        review.decide(actor=personas.expert, proposal=proposal, to_status=S.UNDER_REVIEW)
    review.decide(actor=personas.coordinator, proposal=proposal, to_status=S.UNDER_REVIEW)


@pytest.mark.django_db
@pytest.mark.parametrize("phase", ["submission", "voting", "results", None])
def test_no_decisions_outside_verification_and_appeals(personas, edition, phase):
    schedule(edition, phase)
    proposal = proposal_in(edition)
    with pytest.raises(PermissionDenied):
        review.decide(actor=personas.expert, proposal=proposal, to_status=S.UNDER_REVIEW)


@pytest.mark.django_db
def test_proposals_wait_for_their_signatures_before_review(personas):
    edition = make_edition(phase="verification", organisation=personas.organisation, signatures_required=2)
    proposal = proposal_in(edition)
    Signature.objects.create(proposal=proposal, user=UserFactory())
    with pytest.raises(ValidationError) as caught:
        review.decide(actor=personas.expert, proposal=proposal, to_status=S.UNDER_REVIEW)
    assert caught.value.messages == ["This proposal has 1 of the 2 support signatures it needs before review."]
    # Without enough signatures the office can still reject it, with a reason.
    Signature.objects.create(proposal=proposal, user=UserFactory())
    review.decide(actor=personas.expert, proposal=proposal, to_status=S.UNDER_REVIEW)
    assert Proposal.objects.get(pk=proposal.pk).status == S.UNDER_REVIEW


@pytest.mark.django_db
def test_a_proposal_without_signatures_can_be_rejected(personas):
    edition = make_edition(phase="verification", organisation=personas.organisation, signatures_required=5)
    proposal = proposal_in(edition)
    review.decide(actor=personas.expert, proposal=proposal, to_status=S.REJECTED, justification="No signatures.")
    assert Proposal.objects.get(pk=proposal.pk).status == S.REJECTED


@pytest.mark.django_db
def test_accepting_more_than_the_pool_can_ever_fund_is_refused(personas, edition):
    proposal = proposal_in(edition, status=S.UNDER_REVIEW, cost_estimate=Decimal(50_000))
    with pytest.raises(ValidationError) as caught:
        review.decide(
            actor=personas.expert,
            proposal=proposal,
            to_status=S.ACCEPTED,
            justification="Verified.",
            verified_cost=Decimal(150_000),
        )
    assert caught.value.error_dict["verified_cost"][0].code == "over_budget"
    assert "more than the whole pool “Citywide”" in caught.value.messages[0]
    # Rejecting it with the verified cost is fine, and the verified cost is kept.
    review.decide(
        actor=personas.expert,
        proposal=proposal,
        to_status=S.REJECTED,
        justification="Costs 150,000, more than the pool.",
        verified_cost=Decimal(150_000),
    )
    assert Proposal.objects.get(pk=proposal.pk).verified_cost == Decimal(150_000)


@pytest.mark.django_db
def test_needs_changes_then_resubmitted_by_the_author_then_accepted(personas, edition):
    author = personas.resident
    proposal = proposal_in(edition, status=S.UNDER_REVIEW, author=author)
    review.decide(actor=personas.expert, proposal=proposal, to_status=S.NEEDS_CHANGES, justification="Add a map.")
    assert author.has_perm("budgeting.change_proposal", Proposal.objects.with_edition().get(pk=proposal.pk))
    # The author resubmits (services/proposals.py); the office takes it up again.
    Proposal.objects.filter(pk=proposal.pk).update(status=S.SUBMITTED)
    proposal = Proposal.objects.with_edition().get(pk=proposal.pk)
    review.decide(actor=personas.expert, proposal=proposal, to_status=S.UNDER_REVIEW)
    review.decide(actor=personas.expert, proposal=proposal, to_status=S.ACCEPTED, justification="Now complete.")
    assert Proposal.objects.get(pk=proposal.pk).status == S.ACCEPTED
    assert ReviewDecision.objects.filter(proposal=proposal).count() == 3


# --- bulk -----------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_bulk_decisions_give_each_proposal_its_own_decision_and_report_the_rest(
    personas, edition, django_capture_on_commit_callbacks
):
    ready = [proposal_in(edition, status=S.UNDER_REVIEW, author=UserFactory()) for _ in range(3)]
    not_ready = proposal_in(edition, status=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = review.decide_many(
            actor=personas.coordinator,
            proposals=[*ready, not_ready],
            to_status=S.ACCEPTED,
            justification="All three are feasible.",
        )
    assert len(outcome.decisions) == 3
    assert [proposal.pk for proposal, _reason in outcome.refused] == [not_ready.pk]
    assert "cannot become “On the ballot”" in outcome.refused[0][1]
    assert set(Proposal.objects.filter(status=S.ACCEPTED).values_list("pk", flat=True)) == {p.pk for p in ready}
    assert ReviewDecision.objects.filter(justification="All three are feasible.").count() == 3
    assert AuditEntry.objects.filter(action="budgeting.proposal_reviewed").count() == 3
    assert Notification.objects.filter(kind="budgeting.proposal_reviewed").count() == 3


@pytest.mark.django_db
def test_bulk_acceptance_without_a_justification_refuses_the_whole_batch(personas, edition):
    proposals = [proposal_in(edition, status=S.UNDER_REVIEW) for _ in range(2)]
    with pytest.raises(ValidationError):
        review.decide_many(actor=personas.coordinator, proposals=proposals, to_status=S.REJECTED, justification="")
    assert not ReviewDecision.objects.exists()


@pytest.mark.django_db
def test_bulk_start_of_review_needs_no_justification(personas, edition):
    proposals = [proposal_in(edition) for _ in range(2)]
    outcome = review.decide_many(actor=personas.expert, proposals=proposals, to_status=S.UNDER_REVIEW)
    assert len(outcome.decisions) == 2 and not outcome.refused
    assert set(ReviewDecision.objects.values_list("justification", flat=True)) == {""}


# --- appeals --------------------------------------------------------------------------------------------------
@pytest.fixture
def rejected(personas):
    """A proposal by the resident (with the member as co-author), rejected; the appeals phase runs NOW ± 5 days."""
    edition = make_edition(phase="appeals", organisation=personas.organisation)
    schedule(edition, "appeals", now=NOW)
    proposal = ProposalFactory(edition=edition, status=S.REJECTED, author=personas.resident)
    proposal.co_authors.add(personas.member)
    return Proposal.objects.with_edition().get(pk=proposal.pk)


def fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.with_edition().get(pk=proposal.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (NOW - dt.timedelta(days=5, seconds=1), False),  # still the verification phase
        (NOW - dt.timedelta(days=5), True),  # the appeals phase starts (inclusive)
        (NOW + dt.timedelta(days=5, seconds=-1), True),  # its last second
        (NOW + dt.timedelta(days=5), False),  # voting has begun (end exclusive)
    ],
)
def test_appeals_only_within_the_appeals_phase(personas, rejected, moment, allowed):
    with time_machine.travel(moment, tick=False):
        proposal = fresh(rejected)
        if allowed:
            appeal = review.lodge_appeal(actor=personas.resident, proposal=proposal, text="The site is ours.")
            assert appeal.outcome == AppealOutcome.PENDING and appeal.author == personas.resident
        else:
            with pytest.raises(PermissionDenied):
                review.lodge_appeal(actor=personas.resident, proposal=proposal, text="The site is ours.")
            assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_a_co_author_may_appeal_once_and_others_not_at_all(personas, rejected, django_capture_on_commit_callbacks):
    with time_machine.travel(NOW, tick=False):
        for outsider in (personas.expert, personas.anonymous, UserFactory()):
            with pytest.raises(PermissionDenied):
                review.lodge_appeal(actor=outsider, proposal=fresh(rejected), text="Please.")
        with pytest.raises(ValidationError) as caught:
            review.lodge_appeal(actor=personas.member, proposal=fresh(rejected), text="  ")
        assert caught.value.error_dict["text"][0].code == "grounds_required"
        with django_capture_on_commit_callbacks(execute=True):
            review.lodge_appeal(actor=personas.member, proposal=fresh(rejected), text="The park is public land.")
        with pytest.raises(ValidationError) as caught:
            review.lodge_appeal(actor=personas.resident, proposal=fresh(rejected), text="Again.")
        assert caught.value.messages == ["This proposal already has an appeal; only one is possible."]
    assert Appeal.objects.count() == 1
    assert AuditEntry.objects.filter(action="budgeting.appeal_lodged", actor_id=personas.member.pk).count() == 1
    assert set(Notification.objects.filter(kind="budgeting.appeal").values_list("recipient_id", flat=True)) == {
        personas.resident.pk,
        personas.member.pk,
    }


@pytest.mark.django_db
def test_an_upheld_appeal_puts_the_proposal_on_the_ballot(personas, rejected, django_capture_on_commit_callbacks):
    with time_machine.travel(NOW, tick=False):
        appeal = review.lodge_appeal(actor=personas.resident, proposal=fresh(rejected), text="Wrong plot.")
        appeal.proposal = fresh(rejected)
        with django_capture_on_commit_callbacks(execute=True):
            review.decide_appeal(actor=personas.expert, appeal=appeal, upheld=True, justification="The plot is ours.")
    appeal.refresh_from_db()
    assert appeal.outcome == AppealOutcome.UPHELD and appeal.decided_by == personas.expert
    assert appeal.outcome_justification == "The plot is ours." and appeal.decided_at == NOW
    assert Proposal.objects.get(pk=rejected.pk).status == S.ACCEPTED
    decision = ReviewDecision.objects.get(proposal=rejected)
    assert (decision.from_status, decision.to_status, decision.justification) == (
        S.REJECTED,
        S.ACCEPTED,
        "The plot is ours.",
    )
    actions = set(AuditEntry.objects.filter(target_id=str(rejected.pk)).values_list("action", flat=True))
    assert {"budgeting.appeal_lodged", "budgeting.appeal_decided", "budgeting.proposal_reviewed"} <= actions
    titles = list(Notification.objects.filter(recipient=personas.resident).values_list("title", flat=True))
    assert any("Upheld" in title for title in titles)


@pytest.mark.django_db
def test_a_dismissed_appeal_leaves_the_rejection_and_cannot_be_decided_twice(personas, rejected):
    with time_machine.travel(NOW, tick=False):
        appeal = review.lodge_appeal(actor=personas.resident, proposal=fresh(rejected), text="Wrong plot.")
        appeal.proposal = fresh(rejected)
        with pytest.raises(ValidationError):
            review.decide_appeal(actor=personas.expert, appeal=appeal, upheld=False, justification=" ")
        with pytest.raises(PermissionDenied):
            review.decide_appeal(actor=personas.moderator, appeal=appeal, upheld=True, justification="Yes.")
        review.decide_appeal(actor=personas.expert, appeal=appeal, upheld=False, justification="The plot is not.")
        with pytest.raises(ValidationError) as caught:
            review.decide_appeal(actor=personas.coordinator, appeal=appeal, upheld=True, justification="Yes.")
        assert caught.value.messages == ["This appeal has already been decided."]
    assert Proposal.objects.get(pk=rejected.pk).status == S.REJECTED
    assert Appeal.objects.get().outcome == AppealOutcome.DISMISSED
    assert not ReviewDecision.objects.exists()


# --- review_context -------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("decisions", [1, 6])
def test_review_context_costs_the_same_queries_however_long_the_history(personas, rejected, decisions):
    for index in range(decisions):
        ReviewDecision.objects.create(
            proposal=rejected, from_status=S.UNDER_REVIEW, to_status=S.REJECTED, justification=f"Reason {index}"
        )
    Appeal.objects.create(proposal=rejected, author=personas.resident, text="Please.")
    user = personas.expert
    user.has_perm("budgeting.view_review_queue", rejected)  # the roles are loaded once per request
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        context = review.review_context(rejected, user)
    assert len(queries) == 2
    assert [decision.justification for decision in context["decisions"]] == [f"Reason {i}" for i in range(decisions)]
    assert context["appeal"].text == "Please."
    assert context["can_decide_appeal"] is True and context["can_review"] is False and context["can_appeal"] is False


@pytest.mark.django_db
def test_review_context_flags_for_the_author(personas, rejected):
    with time_machine.travel(NOW, tick=False):
        assert review.review_context(rejected, personas.resident)["can_appeal"] is True
        assert review.review_context(rejected, personas.anonymous)["can_appeal"] is False
        Appeal.objects.create(proposal=rejected, author=personas.resident, text="Please.")
        context = review.review_context(rejected, personas.resident)
    assert context["can_appeal"] is False and context["can_decide_appeal"] is False
