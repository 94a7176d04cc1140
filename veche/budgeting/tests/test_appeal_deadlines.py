"""Appeals never get stuck and rejections leave time to appeal: `budgeting.decide_appeal` runs from verification
until voting begins (also in a gap after the appeals phase), the office cannot reject during the appeals phase, and
staff see how many appeals are pending."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from veche.budgeting.choices import AppealOutcome, ProposalStatus
from veche.budgeting.forms.review import BulkReviewForm
from veche.budgeting.models import Appeal, Proposal
from veche.budgeting.services import review
from veche.budgeting.tests.factories import ProposalFactory, make_edition, schedule
from veche.participation.models import Phase

pytestmark = pytest.mark.django_db

S = ProposalStatus
NOW = dt.datetime(2027, 4, 1, 12, 0, tzinfo=dt.UTC)
APPEALS_END = NOW + dt.timedelta(days=5)
IN_THE_GAP = NOW + dt.timedelta(days=8)  # appeals over, voting not begun (it starts 10 days later than planned)


@pytest.fixture
def appealed(personas):
    """A rejected proposal of the resident with a pending appeal; appeals phase NOW ± 5 days, then a 10-day gap."""
    edition = make_edition(phase="appeals", organisation=personas.organisation)
    schedule(edition, "appeals", now=NOW)
    for phase in Phase.objects.filter(module=edition.module, phase_type__in=["voting", "results", "implementation"]):
        phase.starts_at += dt.timedelta(days=10)
        phase.ends_at += dt.timedelta(days=10)
        phase.save()
    proposal = ProposalFactory(edition=edition, status=S.REJECTED, author=personas.resident, title="Dog park")
    Appeal.objects.create(proposal=proposal, author=personas.resident, text="It is city land.")
    return fresh(proposal)


def fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.with_edition().get(pk=proposal.pk)


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (NOW - dt.timedelta(days=15, seconds=1), False),  # the submission phase: no review has begun
        (NOW - dt.timedelta(days=15), True),  # verification
        (NOW, True),  # appeals
        (APPEALS_END, True),  # the appeals phase has just ended: the gap before voting
        (IN_THE_GAP, True),
        (NOW + dt.timedelta(days=15), False),  # voting has begun: the ballot is fixed
        (NOW + dt.timedelta(days=40), False),  # results, implementation
    ],
)
def test_decide_appeal_from_verification_until_voting_begins(personas, appealed, moment, allowed):
    with time_machine.travel(moment, tick=False):
        assert personas.coordinator.has_perm("budgeting.decide_appeal", appealed) is allowed
        assert personas.expert.has_perm("budgeting.decide_appeal", appealed) is allowed
        assert personas.resident.has_perm("budgeting.decide_appeal", appealed) is False
        assert personas.moderator.has_perm("budgeting.decide_appeal", appealed) is False


def test_an_appeal_pending_when_the_appeals_phase_ends_can_still_be_decided(personas, appealed):
    appeal = Appeal.objects.get(proposal=appealed)
    appeal.proposal = appealed
    with time_machine.travel(IN_THE_GAP, tick=False):
        assert not personas.coordinator.has_perm("budgeting.review_proposal", appealed)  # reviewing is over
        review.decide_appeal(actor=personas.coordinator, appeal=appeal, upheld=True, justification="City land indeed.")
    appeal.refresh_from_db()
    assert appeal.outcome == AppealOutcome.UPHELD and fresh(appealed).status == S.ACCEPTED


def test_no_appeal_decisions_once_voting_began_or_results_are_published(personas, appealed):
    appeal = Appeal.objects.get(proposal=appealed)
    appeal.proposal = appealed
    with time_machine.travel(NOW + dt.timedelta(days=16), tick=False), pytest.raises(PermissionDenied):
        review.decide_appeal(actor=personas.coordinator, appeal=appeal, upheld=True, justification="Too late.")
    edition = appealed.edition
    edition.results_published_at = timezone.now()
    edition.save(update_fields=["results_published_at"])
    with time_machine.travel(NOW, tick=False):
        assert not personas.coordinator.has_perm("budgeting.decide_appeal", fresh(appealed))


def test_reviewers_do_not_decide_appeals_on_their_own_proposals(personas, appealed):
    Proposal.objects.filter(pk=appealed.pk).update(author=personas.expert)
    with time_machine.travel(NOW, tick=False):
        assert not personas.expert.has_perm("budgeting.decide_appeal", fresh(appealed))
        assert personas.coordinator.has_perm("budgeting.decide_appeal", fresh(appealed))


# --- no new rejections during the appeals phase -----------------------------------------------------------------
def test_no_rejections_during_the_appeals_phase_but_accepting_goes_on(personas, appealed):
    edition = appealed.edition
    under_review = fresh(ProposalFactory(edition=edition, status=S.UNDER_REVIEW))
    with time_machine.travel(NOW, tick=False):
        assert review.targets_for(under_review) == [S.NEEDS_CHANGES, S.ACCEPTED]
        with pytest.raises(ValidationError) as caught:
            review.decide(actor=personas.coordinator, proposal=under_review, to_status=S.REJECTED, justification="No.")
        assert caught.value.error_dict["status"][0].code == "rejecting_closed"
        assert "no longer be rejected" in caught.value.messages[0]
        assert fresh(under_review).status == S.UNDER_REVIEW
        outcome = review.decide_many(
            actor=personas.coordinator, proposals=[under_review], to_status=S.REJECTED, justification="No."
        )
        assert outcome.decisions == [] and "no longer be rejected" in outcome.refused[0][1]
        choices = dict(BulkReviewForm(edition=fresh(appealed).edition).fields["to_status"].choices)
        assert S.REJECTED not in choices and S.ACCEPTED in choices
        review.decide(actor=personas.coordinator, proposal=under_review, to_status=S.ACCEPTED, justification="Fine.")
    assert fresh(under_review).status == S.ACCEPTED


def test_rejections_are_possible_during_verification(personas, appealed):
    under_review = fresh(ProposalFactory(edition=appealed.edition, status=S.UNDER_REVIEW))
    with time_machine.travel(NOW - dt.timedelta(days=10), tick=False):
        assert S.REJECTED in review.targets_for(under_review)
        review.decide(actor=personas.coordinator, proposal=under_review, to_status=S.REJECTED, justification="No.")
    assert fresh(under_review).status == S.REJECTED


# --- pages ---------------------------------------------------------------------------------------------------------
def test_staff_see_pending_appeals_and_decide_them_in_the_gap(client, personas, appealed):
    edition = appealed.edition
    queue = reverse("budgeting:review_queue", args=[edition.pk])
    decide = reverse("budgeting:decide_appeal", args=[edition.pk, appealed.number])
    with time_machine.travel(IN_THE_GAP, tick=False):
        client.force_login(personas.coordinator)
        page = client.get(queue).content.decode()
        assert "1 appeal pending" in page and "?appeal=pending" in page
        edition_page = client.get(edition.get_absolute_url()).content.decode()
        assert "1 appeal pending" in edition_page
        assert "Decide the appeal" in client.get(appealed.get_absolute_url()).content.decode()
        assert client.get(decide).status_code == 200
        response = client.post(decide, {"outcome": AppealOutcome.DISMISSED, "justification": "Not city land."})
        assert response.status_code == 302
        assert Appeal.objects.get(proposal=appealed).outcome == AppealOutcome.DISMISSED
        assert "appeal pending" not in client.get(queue).content.decode()
        client.force_login(personas.resident)
        assert "appeal pending" not in client.get(edition.get_absolute_url()).content.decode()


def test_the_queue_explains_that_rejecting_is_closed(client, personas, appealed):
    with time_machine.travel(NOW, tick=False):
        client.force_login(personas.coordinator)
        page = client.get(reverse("budgeting:review_queue", args=[appealed.edition.pk])).content.decode()
    assert "no longer rejected" in page
    assert 'value="rejected"' not in page.split("Decision for the selected proposals")[-1]
