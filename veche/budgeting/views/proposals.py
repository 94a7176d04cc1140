"""Proposal pages: the list with filters and map, the detail with costs, images, signatures and the public history,
and the authors' pages (write, edit, submit, withdraw, leave as co-author) and signing. Thin: fetch and authorise,
call services/proposals.py, render."""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from veche.budgeting.choices import ProposalStatus
from veche.budgeting.forms.proposals import (
    CostItemFormSet,
    ProposalFilterForm,
    ProposalForm,
    image_formset,
)
from veche.budgeting.models import Category, Edition, Pool, Proposal, ProposalRevision, Signature
from veche.budgeting.rules import PUBLIC_STATUSES
from veche.budgeting.services import proposals as services
from veche.budgeting.services.review import review_context
from veche.budgeting.views.editions import get_edition_for_user
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes

PAGE_SIZE = 20
MAP_LIMIT = 500

FIELD_LABELS = {
    "title": gettext_lazy("title"),
    "summary": gettext_lazy("summary"),
    "description": gettext_lazy("description"),
    "pool": gettext_lazy("pool"),
    "category": gettext_lazy("category"),
    "cost_estimate": gettext_lazy("estimated cost"),
    "cost_items": gettext_lazy("cost items"),
    "latitude": gettext_lazy("place on the map"),
    "longitude": gettext_lazy("place on the map"),
    "address": gettext_lazy("address"),
    "images": gettext_lazy("images"),
    "status": gettext_lazy("status"),
}


def get_proposal_for_user(request: HttpRequest, edition_id: int, number: int) -> Proposal:
    """The proposal (edition, pool, category, co-authors loaded) if the user may see it; 404 otherwise."""
    proposal = get_object_or_404(Proposal.objects.with_edition(), edition_id=edition_id, number=number)
    if not request.user.has_perm("budgeting.view_proposal", proposal):
        raise Http404
    return proposal


def get_proposal_for(request: HttpRequest, edition_id: int, number: int, permission: str) -> Proposal:
    """Like get_proposal_for_user, and PermissionDenied without permission on it."""
    proposal = get_proposal_for_user(request, edition_id, number)
    if not request.user.has_perm(permission, proposal):
        raise PermissionDenied
    return proposal


# --- list ----------------------------------------------------------------------------------------------------------
def _feature(number: int, title: str, summary: str, lat: Any, lng: Any, url: str) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [float(lng), float(lat)]},
        "properties": {"title": f"{number}. {title}", "url": url, "text": summary},
    }


def proposal_list(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_edition_for_user(request, edition_id)
    pools = list(Pool.objects.filter(edition=edition))
    categories = list(Category.objects.filter(edition=edition))
    form = ProposalFilterForm(request.GET or None, edition=edition, pools=pools, categories=categories)
    proposals = Proposal.objects.filter(edition=edition, status__in=sorted(PUBLIC_STATUSES))
    filtered = False
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            query = data["q"]
            proposals = proposals.filter(
                models.Q(title__icontains=query)
                | models.Q(summary__icontains=query)
                | models.Q(description__icontains=query)
            )
        if data.get("pool"):
            proposals = proposals.filter(pool=data["pool"])
        if data.get("category"):
            proposals = proposals.filter(category=data["category"])
        if data.get("status"):
            proposals = proposals.filter(status=data["status"])
        filtered = any(data.values())
    listed = (
        services.with_signature_count(proposals)
        .select_related("pool", "category")
        .prefetch_related(models.Prefetch("images", to_attr="image_list"))
        .order_by("number")
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    base = reverse("budgeting:proposals", kwargs={"edition_id": edition.pk})
    located = proposals.filter(latitude__isnull=False, longitude__isnull=False).order_by("number")
    features = [
        _feature(number, title, summary, lat, lng, f"{base}{number}/")
        for number, title, summary, lat, lng in located.values_list(
            "number", "title", "summary", "latitude", "longitude"
        )[:MAP_LIMIT]
    ]
    own = []
    if request.user.is_authenticated:
        own = list(
            Proposal.objects.filter(edition=edition)
            .filter(models.Q(author=request.user) | models.Q(co_authors=request.user))
            .exclude(status__in=sorted(PUBLIC_STATUSES))
            .distinct()
            .order_by("number")
        )
    return render(
        request,
        "budgeting/proposal_list.html",
        {
            "edition": edition,
            "organisation": edition.module.process.organisation,
            "form": form,
            "filtered": filtered,
            "page_obj": page,
            "proposals": page.object_list,
            "map_data": {"type": "FeatureCollection", "features": features},
            "has_map": bool(features),
            "own_proposals": own,
            "can_propose": request.user.has_perm("budgeting.add_proposal", edition),
            "signatures_required": edition.signatures_required,
        },
    )


# --- detail --------------------------------------------------------------------------------------------------------
# The word diff compares what lies between the common start and end of two versions (SequenceMatcher is quadratic
# there, and worse with repeated words). Beyond these many word pairs per text, or per page, the history says only
# that the text changed: a page of long, wholly rewritten revisions stays cheap to show.
MAX_DIFF_PAIRS = 250_000
MAX_PAGE_DIFF_PAIRS = 2_000_000


def _word_diff(before: str, after: str, budget: list[int] | None = None) -> list[tuple[str, str]] | None:
    """Segments (kind, text), kind "same", "removed" or "added", from a word-level comparison; None when the changed
    part is too long to compare here. `budget` ([pairs left]) is shared by the diffs of one page and spent here."""
    old, new = before.split(" "), after.split(" ")
    shortest = min(len(old), len(new))
    start = 0
    while start < shortest and old[start] == new[start]:
        start += 1
    end = 0
    while end < shortest - start and old[len(old) - 1 - end] == new[len(new) - 1 - end]:
        end += 1
    old_middle, new_middle = old[start : len(old) - end], new[start : len(new) - end]
    pairs = len(old_middle) * len(new_middle)
    if pairs > MAX_DIFF_PAIRS or (budget is not None and pairs > budget[0]):
        return None
    if budget is not None:
        budget[0] -= pairs
    segments: list[tuple[str, str]] = []

    def add(kind: str, words: list[str]) -> None:
        if not words:
            return
        if segments and segments[-1][0] == kind:
            segments[-1] = (kind, segments[-1][1] + " " + " ".join(words))
        else:
            segments.append((kind, " ".join(words)))

    add("same", old[:start])
    matcher = difflib.SequenceMatcher(a=old_middle, b=new_middle, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            add("same", old_middle[a1:a2])
            continue
        add("removed", old_middle[a1:a2])
        add("added", new_middle[b1:b2])
    add("same", old[len(old) - end :])
    return segments


def history_of(revisions: list[ProposalRevision]) -> list[dict[str, Any]]:
    """The public history, newest first: who changed what, with a word diff of the texts that changed (newest
    first while the page's budget lasts; "segments" is None for a text too long to compare)."""
    entries = []
    previous: dict[str, Any] = {}
    status_labels = dict(ProposalStatus.choices)
    texts = ("title", "summary", "description")
    budget = [MAX_PAGE_DIFF_PAIRS]
    diffs_by_index: dict[int, list[dict[str, Any]]] = {}
    for index in reversed(range(1, len(revisions))):  # newest first: they get the budget
        before, revision = revisions[index - 1], revisions[index]
        diffs_by_index[index] = [
            {
                "label": FIELD_LABELS[name],
                "segments": _word_diff(before.snapshot.get(name, ""), revision.snapshot.get(name, ""), budget),
            }
            for name in texts
            if name in revision.changed_fields
        ]
    for index, revision in enumerate(revisions):
        snapshot = revision.snapshot
        changed = revision.changed_fields
        labels = list(dict.fromkeys(str(FIELD_LABELS.get(name, name)) for name in changed))
        diffs = diffs_by_index.get(index, [])
        entries.append(
            {
                "revision": revision,
                "first": not previous,
                "labels": labels,
                "diffs": diffs,
                "status": status_labels.get(snapshot.get("status"), "") if "status" in changed else "",
                "cost": snapshot.get("cost_estimate") if "cost_estimate" in changed and previous else "",
            }
        )
        previous = snapshot
    return list(reversed(entries))


def proposal_detail(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, edition_id, number)
    edition = proposal.edition
    user = request.user
    revisions = list(ProposalRevision.objects.filter(proposal=proposal).select_related("changed_by").order_by("number"))
    cost_items = list(proposal.cost_items.all())
    images = list(proposal.images.all())
    signature_count = Signature.objects.filter(proposal=proposal).count()
    has_signed = user.is_authenticated and Signature.objects.filter(proposal=proposal, user=user).exists()
    needed = edition.signatures_required
    map_data = None
    if proposal.has_location:
        map_data = {
            "type": "FeatureCollection",
            "features": [
                _feature(proposal.number, proposal.title, proposal.address, proposal.latitude, proposal.longitude, "")
            ],
        }
    co_authors = list(proposal.co_authors.all())
    context = {
        "proposal": proposal,
        "edition": edition,
        "organisation": edition.module.process.organisation,
        "cost_items": cost_items,
        "items_total": sum((item.amount for item in cost_items), start=proposal.cost_estimate * 0),
        "images": images,
        "co_authors": co_authors,
        "history": history_of(revisions),
        "map_data": map_data,
        "signature_count": signature_count,
        "signatures_required": needed,
        "signature_percent": min(100, round(100 * signature_count / needed)) if needed else 0,
        "ready_for_review": services.is_ready_for_review(proposal, signature_count),
        "has_signed": has_signed,
        "can_sign": user.has_perm("budgeting.sign_proposal", proposal),
        "can_change": user.has_perm("budgeting.change_proposal", proposal),
        "can_submit": user.has_perm("budgeting.change_proposal", proposal)
        and proposal.status in (ProposalStatus.DRAFT, ProposalStatus.NEEDS_CHANGES),
        "can_withdraw": user.has_perm("budgeting.withdraw_proposal", proposal),
        "is_co_author": user.is_authenticated and any(person.pk == user.pk for person in co_authors),
        "signed_in": user.is_authenticated,
    }
    # The office's decisions, the appeal and the flags for the review partial (services/review.py).
    context.update(review_context(proposal, user))
    return render(request, "budgeting/proposal_detail.html", context)


# --- writing -------------------------------------------------------------------------------------------------------
def _render_form(
    request: HttpRequest,
    edition: Edition,
    form: ProposalForm,
    items: Any,
    images: Any,
    proposal: Proposal | None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "budgeting/proposal_form.html",
        {
            "edition": edition,
            "organisation": edition.module.process.organisation,
            "proposal": proposal,
            "form": form,
            "items": items,
            "images": images,
            "bounds": edition.bounds_text,
            "empty_map": {"type": "FeatureCollection", "features": []},
            "currency": edition.currency,
        },
        status=status,
    )


def _initial_items(proposal: Proposal) -> list[dict[str, Any]]:
    return [{"description": item.description, "amount": item.amount} for item in proposal.cost_items.all()]


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_edition_for_user(request, edition_id)
    if not request.user.has_perm("budgeting.add_proposal", edition):
        raise PermissionDenied
    post = request.method == "POST"
    form = ProposalForm(request.POST if post else None, edition=edition)
    items = CostItemFormSet(request.POST if post else None, prefix="items")
    images = image_formset(0, request.POST if post else None, request.FILES if post else None, prefix="images")
    if post and form.is_valid() & items.is_valid() & images.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            proposal = services.create_proposal(
                actor=request.user,
                edition=edition,
                data=form.to_input(items.items(), images.images()),
                co_author_emails=form.co_author_emails() or [],
                submit=submit,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if submit:
                messages.success(request, _("Your proposal is submitted."))
            else:
                messages.success(request, _("Your draft is saved. Only you and your co-authors can see it."))
            return redirect(proposal)
    return _render_form(request, edition, form, items, images, None, status=400 if post else 200)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    proposal = get_proposal_for(request, edition_id, number, "budgeting.change_proposal")
    edition = proposal.edition
    post = request.method == "POST"
    existing = proposal.images.count()
    may_set = proposal.author_id == request.user.pk
    form = ProposalForm(
        request.POST if post else None,
        edition=edition,
        proposal=proposal,
        may_set_co_authors=may_set,
        initial=ProposalForm.initial_for(proposal),
    )
    # Initial rows only when showing the form: a posted row equal to its initial would count as unchanged and be
    # skipped, since the rows are not model instances.
    items = CostItemFormSet(
        request.POST if post else None, prefix="items", initial=None if post else _initial_items(proposal)
    )
    images = image_formset(existing, request.POST if post else None, request.FILES if post else None, prefix="images")
    if post and form.is_valid() & items.is_valid() & images.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.update_proposal(
                actor=request.user,
                proposal=proposal,
                data=form.to_input(items.items(), images.images()),
                co_author_emails=form.co_author_emails(),
            )
            if submit and proposal.status in (ProposalStatus.DRAFT, ProposalStatus.NEEDS_CHANGES):
                services.submit_proposal(actor=request.user, proposal=proposal)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your proposal is submitted.") if submit else _("Your changes are saved."))
            return redirect(proposal)
    return _render_form(request, edition, form, items, images, proposal, status=400 if post else 200)


@login_required
@limit_writes
@require_POST
def proposal_submit(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    proposal = get_proposal_for(request, edition_id, number, "budgeting.change_proposal")
    try:
        services.submit_proposal(actor=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your proposal is submitted."))
    return redirect(proposal)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    proposal = get_proposal_for(request, edition_id, number, "budgeting.withdraw_proposal")
    if request.method == "POST":
        services.withdraw_proposal(actor=request.user, proposal=proposal)
        messages.success(request, _("Your proposal is withdrawn."))
        return redirect(proposal)
    return render(
        request,
        "budgeting/proposal_confirm.html",
        {
            "proposal": proposal,
            "edition": proposal.edition,
            "title": _("Withdraw “%(title)s”?") % {"title": proposal.title},
            "text": _("A withdrawn proposal is no longer shown to the public and cannot be submitted again."),
            "action": reverse("budgeting:proposal_withdraw", args=[edition_id, number]),
            "confirm_label": _("Withdraw the proposal"),
        },
    )


@login_required
@limit_writes
@require_POST
def proposal_leave(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    proposal = get_proposal_for_user(request, edition_id, number)
    try:
        services.leave_proposal(actor=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(proposal)
    messages.success(request, _("You are no longer a co-author of this proposal."))
    if request.user.has_perm("budgeting.view_proposal", proposal):
        return redirect(proposal)
    return redirect("budgeting:proposals", edition_id=edition_id)


@login_required
@limit_writes
@require_POST
def proposal_sign(request: HttpRequest, edition_id: int, number: int) -> HttpResponse:
    proposal = get_proposal_for(request, edition_id, number, "budgeting.sign_proposal")
    if request.POST.get("action") == "unsign":
        if services.unsign_proposal(actor=request.user, proposal=proposal):
            messages.success(request, _("Your signature is taken back."))
        return redirect(proposal)
    try:
        services.sign_proposal(actor=request.user, proposal=proposal)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("Thank you: your signature supports this proposal."))
    return redirect(proposal)
