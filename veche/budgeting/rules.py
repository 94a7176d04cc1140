"""Permissions on budget editions and proposals — the one place they are decided. The "Participatory budgeting" table
in docs/domain/permissions.md is the specification; tests/test_permission_matrix.py checks these rules against it.

Objects: an Edition (with module__process__organisation loaded) or a Proposal (with edition__module__process__…
loaded). Whether a person may vote (eligibility, one ballot per pool) is decided by the voting service, since it needs
queries; the rule here only says whether voting is open and the edition visible.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from veche.budgeting.choices import ProposalStatus
from veche.budgeting.module import APPEAL, IMPLEMENTATION, PROPOSE, RESULTS, REVIEW, SIGN, VOTE
from veche.organisations.choices import RoleKind
from veche.organisations.rules import has_role, is_coordinator_or_admin
from veche.participation.phases import PhaseState, states_at

PUBLIC_STATUSES = frozenset(
    {
        ProposalStatus.SUBMITTED,
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.NEEDS_CHANGES,
        ProposalStatus.ACCEPTED,
        ProposalStatus.REJECTED,
    }
)
EDITABLE_STATUSES = frozenset({ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, ProposalStatus.NEEDS_CHANGES})
WITHDRAWABLE_STATUSES = EDITABLE_STATUSES | {ProposalStatus.UNDER_REVIEW}


def _edition(obj: Any) -> Any:
    return getattr(obj, "edition", obj)


def _module(obj: Any) -> Any:
    edition = _edition(obj)
    return edition.module if edition is not None else None


def phase_allows(feature: str) -> rules.Predicate:
    """True when the phase active now in the object's edition switches feature on (module phases prefetched)."""

    @rules.predicate(name=f"budget_phase_allows({feature})")
    def predicate(user: Any, obj: Any) -> bool:
        module = _module(obj)
        return bool(module is not None and module.allows(feature))

    return predicate


@rules.predicate
def can_view_process(user: Any, obj: Any) -> bool:
    module = _module(obj)
    return bool(module is not None and user.has_perm("participation.view_process", module.process))


@rules.predicate
def is_proposal_author(user: Any, proposal: Any) -> bool:
    """Author or co-author. Co-authors must be prefetched (co_authors) to keep this query-free in lists."""
    if not getattr(user, "is_authenticated", False) or proposal is None:
        return False
    if proposal.author_id == user.pk:
        return True
    return any(person.pk == user.pk for person in proposal.co_authors.all())


@rules.predicate
def is_own_proposal(user: Any, obj: Any) -> bool:
    """Like is_proposal_author, but False (not an error) for an edition: reviewers may not decide their own."""
    return hasattr(obj, "author_id") and bool(is_proposal_author(user, obj))


@rules.predicate
def is_public_proposal(user: Any, proposal: Any) -> bool:
    return proposal is not None and proposal.status in PUBLIC_STATUSES


@rules.predicate
def is_editable_status(user: Any, proposal: Any) -> bool:
    return proposal is not None and proposal.status in EDITABLE_STATUSES


@rules.predicate
def is_draft(user: Any, proposal: Any) -> bool:
    return proposal is not None and proposal.status == ProposalStatus.DRAFT


@rules.predicate
def is_withdrawable_status(user: Any, proposal: Any) -> bool:
    return proposal is not None and proposal.status in WITHDRAWABLE_STATUSES


@rules.predicate
def is_rejected(user: Any, proposal: Any) -> bool:
    return proposal is not None and proposal.status == ProposalStatus.REJECTED


@rules.predicate
def needs_changes(user: Any, proposal: Any) -> bool:
    return proposal is not None and proposal.status == ProposalStatus.NEEDS_CHANGES


@rules.predicate
def results_published(user: Any, obj: Any) -> bool:
    edition = _edition(obj)
    return bool(edition is not None and edition.results_published_at is not None)


@rules.predicate
def appeals_decidable_now(user: Any, obj: Any) -> bool:
    """From the start of the first phase that allows reviewing (verification) until the first phase that allows voting
    or results begins, and never once results are published. So an appeal still pending when the appeals phase ends
    — or lodged just before — can be decided in any gap before voting (phases prefetched; no query)."""
    edition, module = _edition(obj), _module(obj)
    if edition is None or module is None or edition.results_published_at is not None or module.type is None:
        return False
    features = module.type.features_by_phase
    review_begun = False
    for span, state in states_at(module.spans(), timezone.now()):
        if state not in (PhaseState.ACTIVE, PhaseState.FINISHED):
            continue
        allowed = features.get(span.key, frozenset())
        if VOTE in allowed or RESULTS in allowed:
            return False
        review_begun = review_begun or REVIEW in allowed
    return review_begun


is_reviewer = has_role(RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.EXPERT)
can_manage = is_coordinator_or_admin | rules.is_superuser

# Reviewers (experts included) must reach the editions whose proposals they review, even before publication.
can_view_edition = can_view_process | can_manage | is_reviewer

rules.add_perm("budgeting.view_edition", can_view_edition)
rules.add_perm("budgeting.change_edition", can_manage)
# Drafts are their authors' private work: not even the office sees them before submission.
rules.add_perm(
    "budgeting.view_proposal",
    can_view_edition & (is_public_proposal | is_proposal_author) | (can_manage | is_reviewer) & ~is_draft,
)
rules.add_perm("budgeting.add_proposal", rules.is_authenticated & can_view_process & phase_allows(PROPOSE))
rules.add_perm(
    "budgeting.change_proposal",
    is_proposal_author & is_editable_status & (phase_allows(PROPOSE) | needs_changes & phase_allows(REVIEW)),
)
rules.add_perm(
    "budgeting.withdraw_proposal",
    is_proposal_author & is_withdrawable_status,
)
rules.add_perm(
    "budgeting.sign_proposal",
    rules.is_authenticated & can_view_process & is_public_proposal & ~is_proposal_author & phase_allows(SIGN),
)
# Nobody decides on a proposal they (co-)wrote; on an edition the rule says whether reviewing is open now.
rules.add_perm(
    "budgeting.review_proposal", (is_reviewer | rules.is_superuser) & ~is_own_proposal & phase_allows(REVIEW)
)
rules.add_perm("budgeting.view_review_queue", is_reviewer | rules.is_superuser)
# Deciding an appeal outlives the appeals phase (see appeals_decidable_now); rejecting does not (services/review.py).
rules.add_perm("budgeting.decide_appeal", (is_reviewer | rules.is_superuser) & ~is_own_proposal & appeals_decidable_now)
rules.add_perm("budgeting.appeal_proposal", is_proposal_author & is_rejected & phase_allows(APPEAL))
rules.add_perm("budgeting.vote", can_view_process & phase_allows(VOTE))
# Paper sheets may still be typed into an open batch after voting closes, until counting (which needs every batch
# closed); never once the results are published.
rules.add_perm(
    "budgeting.enter_paper_ballots",
    can_manage & (phase_allows(VOTE) | phase_allows(RESULTS)) & ~results_published,
)
rules.add_perm("budgeting.manage_voters", can_manage)
rules.add_perm("budgeting.count_results", can_manage)
rules.add_perm("budgeting.view_results", can_view_process & results_published | can_manage)
rules.add_perm("budgeting.update_implementation", can_manage & phase_allows(IMPLEMENTATION))
rules.add_perm("budgeting.follow_implementation", rules.is_authenticated & can_view_process & results_published)
