"""The office's pages: the review queue (filters, search, bulk decisions), the decision page for one proposal, and
appeals (lodged by authors, decided by reviewers). Views fetch and authorise, call services/review.py, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from veche.budgeting.choices import AppealOutcome, ProposalStatus
from veche.budgeting.forms.review import (
    AppealDecisionForm,
    AppealForm,
    BulkReviewForm,
    DecisionForm,
    QueueFilterForm,
)
from veche.budgeting.models import Appeal, Edition, Proposal, Signature
from veche.budgeting.querysets import ProposalQuerySet
from veche.budgeting.services import review as services
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes

QUEUE_PAGE_SIZE = 25


def get_edition_for_reviewer(request: HttpRequest, edition_id: int) -> Edition:
    """The edition if the user may see its review queue; 404 when they may not see the edition at all."""
    edition = get_object_or_404(Edition.objects.with_timeline(), pk=edition_id)
    if not request.user.has_perm("budgeting.view_edition", edition):
        raise Http404
    if not request.user.has_perm("budgeting.view_review_queue", edition):
        raise PermissionDenied
    return edition


def get_proposal_for_user(request: HttpRequest, edition_id: int, number: int) -> Proposal:
    """The proposal if the user may see it (with edition, phases and co-authors loaded); 404 otherwise."""
    proposal = get_object_or_404(Proposal.objects.with_edition(), edition_id=edition_id, number=number)
    if not request.user.has_perm("budgeting.view_proposal", proposal):
        raise Http404
    return proposal


def _filtered(queryset: ProposalQuerySet, form: QueueFilterForm) -> ProposalQuerySet:
    if not form.is_valid():
        return queryset
    data = form.cleaned_data
    if query := data["q"].strip():
        match = Q(title__icontains=query) | Q(summary__icontains=query)
        if query.lstrip("#").isdigit():
            match |= Q(number=int(query.lstrip("#")))
        queryset = queryset.filter(match)
    if data["status"]:
        queryset = queryset.filter(status=data["status"])
    if data["pool"] is not None:
        queryset = queryset.filter(pool_id=data["pool"])
    if data["category"] is not None:
        queryset = queryset.filter(category_id=data["category"])
    appeal = data["appeal"]
    if appeal == "pending":
        queryset = queryset.filter(appeal__outcome=AppealOutcome.PENDING)
    elif appeal == "any":
        queryset = queryset.filter(appeal__isnull=False)
    elif appeal == "none":
        queryset = queryset.filter(appeal__isnull=True)
    cost = data["cost"]
    if cost == "differs":
        queryset = queryset.filter(verified_cost__isnull=False).exclude(verified_cost=F("cost_estimate"))
    elif cost == "verified":
        queryset = queryset.filter(verified_cost__isnull=False)
    elif cost == "unverified":
        queryset = queryset.filter(verified_cost__isnull=True)
    return queryset


def _report_bulk(request: HttpRequest, outcome: services.BulkOutcome) -> None:
    done = len(outcome.decisions)
    if done:
        messages.success(
            request,
            ngettext("%(count)d proposal decided.", "%(count)d proposals decided.", done) % {"count": done},
        )
    for proposal, reason in outcome.refused:
        messages.error(
            request,
            _("No. %(number)s “%(title)s” was left as it was: %(reason)s")
            % {"number": proposal.number, "title": proposal.title, "reason": reason},
        )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def review_queue(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_edition_for_reviewer(request, edition_id)
    can_decide = request.user.has_perm("budgeting.review_proposal", edition)
    bulk = BulkReviewForm(request.POST if request.method == "POST" else None, edition=edition)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if bulk.is_valid():
            outcome = services.decide_many(
                actor=request.user,
                proposals=bulk.cleaned_data["proposals"],
                to_status=bulk.cleaned_data["to_status"],
                justification=bulk.cleaned_data["justification"],
            )
            _report_bulk(request, outcome)
            query = request.GET.urlencode()
            target = reverse("budgeting:review_queue", kwargs={"edition_id": edition.pk})
            return redirect(f"{target}?{query}" if query else target)
    filters = QueueFilterForm(request.GET or None, edition=edition)
    proposals = _filtered(Proposal.objects.filter(edition=edition).for_review_queue(), filters)
    page = Paginator(proposals, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    needed = edition.signatures_required
    selected = set(request.POST.getlist("proposals"))
    rows = [
        {
            "proposal": proposal,
            "age": now - proposal.submitted_at if proposal.submitted_at else None,
            "appeal": getattr(proposal, "appeal", None),
            "cost_differs": proposal.verified_cost is not None and proposal.verified_cost != proposal.cost_estimate,
            "short_of_signatures": proposal.status == ProposalStatus.SUBMITTED and proposal.signature_count < needed,
            "selected": str(proposal.pk) in selected,
        }
        for proposal in page.object_list
    ]
    return render(
        request,
        "budgeting/review_queue.html",
        {
            "edition": edition,
            "page_obj": page,
            "rows": rows,
            "filters": filters,
            "filtered": filters.active,
            "bulk": bulk,
            "can_decide": can_decide,
            "signatures_required": needed,
            "pending_appeals": services.pending_appeals(edition),
            "rejecting_closed": services.rejecting_closed(edition),
        },
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def review_proposal(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, edition_id, number)
    if not request.user.has_perm("budgeting.review_proposal", proposal):
        raise PermissionDenied
    targets = services.targets_for(proposal)
    form = DecisionForm(request.POST if request.method == "POST" else None, proposal=proposal, targets=targets)
    if request.method == "POST" and targets and form.is_valid():
        try:
            services.decide(
                actor=request.user,
                proposal=proposal,
                to_status=form.cleaned_data["to_status"],
                justification=form.cleaned_data["justification"],
                verified_cost=form.cleaned_data["verified_cost"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("No. %(number)s “%(title)s” is now: %(status)s")
                % {"number": proposal.number, "title": proposal.title, "status": proposal.get_status_display()},
            )
            return redirect("budgeting:review_queue", edition_id=proposal.edition_id)
    context: dict[str, Any] = services.review_context(proposal, request.user)
    context.update(
        {
            "edition": proposal.edition,
            "form": form,
            "targets": targets,
            "cost_items": list(proposal.cost_items.all()),
            "signatures": Signature.objects.filter(proposal=proposal).count(),
        }
    )
    return render(request, "budgeting/review_proposal.html", context)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, edition_id, number)
    if Appeal.objects.filter(proposal=proposal).exists():
        messages.info(request, _("This proposal already has an appeal; its outcome is shown below."))
        return redirect(proposal.get_absolute_url())
    if not request.user.has_perm("budgeting.appeal_proposal", proposal):
        raise PermissionDenied
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lodge_appeal(actor=request.user, proposal=proposal, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your appeal was lodged. The office will decide on it in the appeals phase."))
            return redirect(proposal.get_absolute_url())
    phase = proposal.edition.module.current_phase()
    last = list(proposal.decisions.order_by("-created_at", "-id")[:1])
    return render(
        request,
        "budgeting/review_appeal_form.html",
        {
            "proposal": proposal,
            "edition": proposal.edition,
            "form": form,
            "phase": phase,
            "last_decision": last[0] if last else None,
        },
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def decide_appeal(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, edition_id, number)
    lodged = Appeal.objects.filter(proposal=proposal).select_related("proposal").first()
    if lodged is None:
        raise Http404
    if not request.user.has_perm("budgeting.decide_appeal", proposal):
        raise PermissionDenied
    if lodged.outcome != AppealOutcome.PENDING:
        messages.info(request, _("This appeal has already been decided."))
        return redirect(proposal.get_absolute_url())
    lodged.proposal = proposal  # the instance with edition, phases and co-authors loaded
    form = AppealDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_appeal(
                actor=request.user,
                appeal=lodged,
                upheld=form.cleaned_data["outcome"] == AppealOutcome.UPHELD,
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            outcome = lodged.get_outcome_display()
            messages.success(request, _("The appeal was decided: %(outcome)s") % {"outcome": outcome})
            return redirect("budgeting:review_queue", edition_id=proposal.edition_id)
    context = services.review_context(proposal, request.user)
    context.update({"edition": proposal.edition, "form": form})
    return render(request, "budgeting/review_appeal_decide.html", context)
