"""The office's review of proposals and the authors' appeals: every state change after submission goes through here.

The workflow is one table, TRANSITIONS: which status may follow which, and who may make the step (the authors, who
submit, resubmit after "needs changes" and withdraw in services/proposals.py; the office's reviewer; or an upheld
appeal). Every reviewer's step is a ReviewDecision with a public justification (optional only when the office merely
starts reviewing); the reviewer may set a verified cost, which then replaces the estimate on the ballot. Every step is
audited and the authors are notified when the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veche.audit.services import record
from veche.budgeting.choices import AppealOutcome, ProposalStatus
from veche.budgeting.models import Appeal, Edition, Proposal, ReviewDecision, Signature
from veche.budgeting.module import APPEAL
from veche.core.permissions import require_permission
from veche.notifications.services import notify, translatable

S = ProposalStatus


class Step(StrEnum):
    """Who takes a step of the workflow."""

    REVIEWER = "reviewer"
    AUTHOR = "author"
    APPEAL = "appeal"


# (from, to) → who may take the step. Anything not listed is refused. Accepted and rejected are final for the office;
# only an upheld appeal turns a rejection into acceptance.
TRANSITIONS: dict[tuple[str, str], frozenset[Step]] = {
    # The authors' steps (services/proposals.py): submit a draft, resubmit after changes, withdraw before the
    # office's final decision.
    (S.DRAFT, S.SUBMITTED): frozenset({Step.AUTHOR}),
    (S.NEEDS_CHANGES, S.SUBMITTED): frozenset({Step.AUTHOR}),
    (S.DRAFT, S.WITHDRAWN): frozenset({Step.AUTHOR}),
    (S.SUBMITTED, S.WITHDRAWN): frozenset({Step.AUTHOR}),
    (S.UNDER_REVIEW, S.WITHDRAWN): frozenset({Step.AUTHOR}),
    (S.NEEDS_CHANGES, S.WITHDRAWN): frozenset({Step.AUTHOR}),
    # The office's steps (decide below).
    (S.SUBMITTED, S.UNDER_REVIEW): frozenset({Step.REVIEWER}),
    (S.SUBMITTED, S.REJECTED): frozenset({Step.REVIEWER}),
    (S.UNDER_REVIEW, S.NEEDS_CHANGES): frozenset({Step.REVIEWER}),
    (S.UNDER_REVIEW, S.ACCEPTED): frozenset({Step.REVIEWER}),
    (S.UNDER_REVIEW, S.REJECTED): frozenset({Step.REVIEWER}),
    (S.NEEDS_CHANGES, S.UNDER_REVIEW): frozenset({Step.REVIEWER}),
    (S.NEEDS_CHANGES, S.REJECTED): frozenset({Step.REVIEWER}),
    # An upheld appeal (decide_appeal below).
    (S.REJECTED, S.ACCEPTED): frozenset({Step.APPEAL}),
}

# Decisions that need no written justification: starting (or resuming) the review says nothing about the merits.
JUSTIFICATION_OPTIONAL = frozenset({S.UNDER_REVIEW})

ACTION_LABELS = {
    "budgeting.proposal_reviewed": gettext_lazy("Budget proposal: review decision"),
    "budgeting.appeal_lodged": gettext_lazy("Budget proposal: appeal lodged"),
    "budgeting.appeal_decided": gettext_lazy("Budget proposal: appeal decided"),
}


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A ValidationError on one form field that keeps its code (forms show it there; tests check the code)."""
    return ValidationError({field: ValidationError(message, code=code)})


def allowed_targets(status: str, step: Step = Step.REVIEWER) -> list[str]:
    """The statuses that `step` may move a proposal in `status` to, in the order of ProposalStatus."""
    return [to for to in S.values if step in TRANSITIONS.get((status, to), frozenset())]


def rejecting_closed(edition: Edition) -> bool:
    """No new rejections once the appeals phase runs: a rejection then would leave its authors no time to appeal.
    Accepting, other steps and deciding appeals go on (edition loaded with its phases)."""
    return edition.module.allows(APPEAL)


def targets_for(proposal: Proposal) -> list[str]:
    """allowed_targets() for the office's reviewer now: without "rejected" during the appeals phase."""
    targets = allowed_targets(proposal.status)
    if rejecting_closed(proposal.edition):
        targets = [target for target in targets if target != S.REJECTED]
    return targets


def pending_appeals(edition: Edition) -> int:
    """How many appeals of the edition wait for the office's decision (one query)."""
    return Appeal.objects.filter(proposal__edition=edition, outcome=AppealOutcome.PENDING).count()


def check_transition(from_status: str, to_status: str, step: Step = Step.REVIEWER) -> None:
    """Raise ValidationError (code "invalid_transition") with a message a reviewer understands unless the table
    allows `step` to move a proposal from from_status to to_status."""
    if step in TRANSITIONS.get((from_status, to_status), frozenset()):
        return
    names: dict[str, Any] = {"from": S(from_status).label, "to": S(to_status).label}
    if from_status == to_status:
        message = _("The proposal is already “%(to)s”.") % names
    elif from_status == S.REJECTED and to_status == S.ACCEPTED:
        message = _("A rejected proposal can go on the ballot only when its appeal is upheld.")
    else:
        targets = allowed_targets(from_status, step)
        if targets:
            names["options"] = ", ".join(f"“{S(target).label}”" for target in targets)
            message = _("A proposal that is “%(from)s” cannot become “%(to)s”; it can become %(options)s.") % names
        else:
            message = _("A proposal that is “%(from)s” cannot become “%(to)s”.") % names
    raise field_error("status", message, "invalid_transition")


def _recipients(proposal: Proposal) -> list[Any]:
    return [person for person in [proposal.author, *proposal.co_authors.all()] if person is not None]


def _notify_on_commit(proposal: Proposal, *, kind: str, title: Any, body: Any) -> None:
    recipients = _recipients(proposal)
    url = proposal.get_absolute_url()
    transaction.on_commit(lambda: notify(recipients=recipients, kind=kind, title=title, body=body, url=url))


def _locked(proposal: Proposal) -> Proposal:
    """The proposal's row, locked for the rest of the transaction; the caller's instance gets its fresh status."""
    fresh = Proposal.objects.select_for_update().only("status", "verified_cost").get(pk=proposal.pk)
    proposal.status = fresh.status
    proposal.verified_cost = fresh.verified_cost
    return proposal


def _clean_justification(text: str, to_status: str) -> str:
    text = (text or "").strip()
    if not text and to_status not in JUSTIFICATION_OPTIONAL:
        raise field_error(
            "justification",
            _("Write a public justification: the author and everyone else will read it."),
            "justification_required",
        )
    return text


def _check_signatures(proposal: Proposal) -> None:
    needed = proposal.edition.signatures_required
    if not needed:
        return
    have = Signature.objects.filter(proposal=proposal).count()
    if have < needed:
        raise field_error(
            "status",
            _("This proposal has %(have)s of the %(needed)s support signatures it needs before review.")
            % {"have": have, "needed": needed},
            "not_enough_signatures",
        )


def _check_cost(proposal: Proposal, to_status: str, verified_cost: Decimal | None) -> None:
    if verified_cost is not None and verified_cost < 0:
        raise field_error("verified_cost", _("A cost cannot be negative."), "negative_cost")
    if to_status != S.ACCEPTED:
        return
    cost = verified_cost if verified_cost is not None else proposal.cost
    budget = proposal.pool.budget
    if cost > budget:
        raise field_error(
            "verified_cost",
            _(
                "The proposal costs %(cost)s, more than the whole pool “%(pool)s” (%(budget)s): it could "
                "never be funded. Reject it or correct the verified cost."
            )
            % {"cost": cost, "pool": proposal.pool.name, "budget": budget},
            "over_budget",
        )


def decide(
    *,
    actor: Any,
    proposal: Proposal,
    to_status: str,
    justification: str = "",
    verified_cost: Decimal | None = None,
) -> ReviewDecision:
    """Record the office's decision on proposal: move it to to_status with a public justification and, optionally,
    a verified cost (which then replaces the estimate on the ballot).

    Preconditions: actor holds budgeting.review_proposal on the proposal (a reviewer of its organisation, not one of
    its authors, in the verification or appeals phase) — else PermissionDenied. ValidationError (keyed by the form
    field) for a step the TRANSITIONS table does not allow the office, a missing justification, too few support
    signatures to start the review, an accepted cost above the pool's budget, or a rejection during the appeals phase
    (code "rejecting_closed"). Locks the proposal's row; audits
    "budgeting.proposal_reviewed"; notifies the author and co-authors on commit.
    """
    require_permission(actor, "budgeting.review_proposal", proposal)
    justification = _clean_justification(justification, to_status)
    if to_status == S.REJECTED and rejecting_closed(proposal.edition):
        raise field_error(
            "status",
            _(
                "Proposals can no longer be rejected: the appeals phase has begun, and its authors would have no time "
                "to appeal. Accept it, or decide its pending appeal."
            ),
            "rejecting_closed",
        )
    with transaction.atomic():
        _locked(proposal)
        from_status = proposal.status
        check_transition(from_status, to_status, Step.REVIEWER)
        if to_status == S.UNDER_REVIEW and from_status == S.SUBMITTED:
            _check_signatures(proposal)
        _check_cost(proposal, to_status, verified_cost)
        decision = ReviewDecision.objects.create(
            proposal=proposal,
            from_status=from_status,
            to_status=to_status,
            justification=justification,
            verified_cost=verified_cost,
            decided_by=actor,
        )
        proposal.status = to_status
        fields = ["status", "updated_at"]
        if verified_cost is not None:
            proposal.verified_cost = verified_cost
            fields.append("verified_cost")
        proposal.save(update_fields=fields)
        record(
            actor=actor,
            action="budgeting.proposal_reviewed",
            target=proposal,
            data={
                "from": from_status,
                "to": to_status,
                "decision": decision.pk,
                "verified_cost": None if verified_cost is None else str(verified_cost),
            },
        )
        _notify_on_commit(
            proposal,
            kind="budgeting.proposal_reviewed",
            title=translatable(
                gettext_lazy("Your proposal “%(title)s” is now: %(status)s"),
                title=proposal.title,
                status=S(to_status).label,
            ),
            body=justification,
        )
    return decision


@dataclass
class BulkOutcome:
    """What a bulk decision did: the decisions made and, for each proposal refused, the reason."""

    decisions: list[ReviewDecision] = field(default_factory=list)
    refused: list[tuple[Proposal, str]] = field(default_factory=list)


def decide_many(*, actor: Any, proposals: Iterable[Proposal], to_status: str, justification: str = "") -> BulkOutcome:
    """decide() for each proposal with one shared justification: each gets its own ReviewDecision, audit entry and
    notification. A proposal that cannot take the step is left as it was and reported in `refused` with the reason;
    the others go ahead (each in its own transaction). A missing justification refuses the whole batch at once."""
    justification = _clean_justification(justification, to_status)
    outcome = BulkOutcome()
    for proposal in proposals:
        try:
            outcome.decisions.append(
                decide(actor=actor, proposal=proposal, to_status=to_status, justification=justification)
            )
        except PermissionDenied:
            outcome.refused.append((proposal, _("You may not review this proposal now.")))
        except ValidationError as error:
            outcome.refused.append((proposal, " ".join(error.messages)))
    return outcome


def lodge_appeal(*, actor: Any, proposal: Proposal, text: str) -> Appeal:
    """The author or a co-author appeals against the rejection of proposal, with their grounds.

    Preconditions: actor holds budgeting.appeal_proposal (an author of a rejected proposal, in the appeals phase) —
    else PermissionDenied. ValidationError when the grounds are empty or the proposal already has an appeal (one per
    proposal; the unique constraint decides, not a prior check). Audits; notifies the authors on commit.
    """
    require_permission(actor, "budgeting.appeal_proposal", proposal)
    text = (text or "").strip()
    if not text:
        raise field_error(
            "text",
            _("Explain why the decision should change: the office decides on these grounds."),
            "grounds_required",
        )
    already = ValidationError(_("This proposal already has an appeal; only one is possible."), code="appeal_exists")
    if Appeal.objects.filter(proposal=proposal).exists():
        raise already
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(proposal=proposal, author=actor, text=text)
            record(actor=actor, action="budgeting.appeal_lodged", target=proposal, data={"appeal": appeal.pk})
            _notify_on_commit(
                proposal,
                kind="budgeting.appeal",
                title=translatable(gettext_lazy("Your appeal for “%(title)s” was lodged"), title=proposal.title),
                body=gettext_lazy("The office will decide on it during the appeals phase; the outcome is public."),
            )
    except IntegrityError as exc:
        raise already from exc
    return appeal


def decide_appeal(*, actor: Any, appeal: Appeal, upheld: bool, justification: str) -> Appeal:
    """The office decides an appeal with a public justification. Upheld: the proposal goes on the ballot, recorded
    as a ReviewDecision (rejected → accepted) with the same justification. Dismissed: the rejection stands.

    Preconditions: actor holds budgeting.decide_appeal on the proposal (a reviewer, not an author, from the
    verification phase until voting begins — also after the appeals phase ends; else PermissionDenied); the appeal
    is still pending and the proposal still rejected (else ValidationError). Locks the appeal's row; audits
    "budgeting.appeal_decided" (and "budgeting.proposal_reviewed" when upheld); notifies the authors on commit.
    """
    proposal = appeal.proposal
    require_permission(actor, "budgeting.decide_appeal", proposal)
    justification = (justification or "").strip()
    if not justification:
        raise field_error("justification", _("Write a public justification of the outcome."), "justification_required")
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
        if locked.outcome != AppealOutcome.PENDING:
            raise ValidationError(_("This appeal has already been decided."), code="appeal_decided")
        _locked(proposal)
        outcome = AppealOutcome.UPHELD if upheld else AppealOutcome.DISMISSED
        if upheld:
            check_transition(proposal.status, S.ACCEPTED, Step.APPEAL)
            _check_cost(proposal, S.ACCEPTED, None)
            decision = ReviewDecision.objects.create(
                proposal=proposal,
                from_status=proposal.status,
                to_status=S.ACCEPTED,
                justification=justification,
                decided_by=actor,
            )
            record(
                actor=actor,
                action="budgeting.proposal_reviewed",
                target=proposal,
                data={"from": proposal.status, "to": S.ACCEPTED, "decision": decision.pk, "appeal": appeal.pk},
            )
            proposal.status = S.ACCEPTED
            proposal.save(update_fields=["status", "updated_at"])
        appeal.outcome = outcome
        appeal.outcome_justification = justification
        appeal.decided_by = actor
        appeal.decided_at = timezone.now()
        appeal.save(update_fields=["outcome", "outcome_justification", "decided_by", "decided_at"])
        record(
            actor=actor,
            action="budgeting.appeal_decided",
            target=proposal,
            data={"appeal": appeal.pk, "outcome": outcome},
        )
        _notify_on_commit(
            proposal,
            kind="budgeting.appeal",
            title=translatable(
                gettext_lazy("Appeal for “%(title)s”: %(outcome)s"),
                title=proposal.title,
                outcome=AppealOutcome(outcome).label,
            ),
            body=justification,
        )
    return appeal


def review_context(proposal: Proposal, user: Any) -> dict[str, Any]:
    """What templates/budgeting/_proposal_review.html needs, in two queries whatever the history's length:
    `decisions` (oldest first), `appeal` (or None), and the flags `can_review`, `can_appeal`, `can_decide_appeal`.

    Pass a proposal loaded with Proposal.objects.with_edition() so that the permission checks need no query
    (beyond the user's roles, loaded once per request).
    """
    decisions = list(ReviewDecision.objects.filter(proposal=proposal).order_by("created_at", "id"))
    appeal = Appeal.objects.filter(proposal=proposal).first()
    may_review = user.has_perm("budgeting.review_proposal", proposal)
    return {
        "proposal": proposal,
        "decisions": decisions,
        "appeal": appeal,
        "can_review": may_review and bool(targets_for(proposal)),
        "can_appeal": appeal is None and user.has_perm("budgeting.appeal_proposal", proposal),
        "can_decide_appeal": (
            appeal is not None
            and appeal.outcome == AppealOutcome.PENDING
            and user.has_perm("budgeting.decide_appeal", proposal)
        ),
    }
