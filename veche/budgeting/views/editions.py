"""Edition pages: the public edition page, the archive of editions, the organisation page's section, and the
coordinators' set-up (settings, pools, categories). Views fetch and authorise, call a service and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from veche.budgeting.choices import ProposalStatus
from veche.budgeting.forms.editions import (
    ArchiveFilterForm,
    CategoryForm,
    EditionSettingsForm,
    PoolForm,
)
from veche.budgeting.models import Category, Edition, Pool
from veche.budgeting.module import PROPOSE, VOTE
from veche.budgeting.rules import PUBLIC_STATUSES
from veche.budgeting.services import editions as services
from veche.budgeting.services.review import pending_appeals
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes
from veche.core.translation import fallback_expression
from veche.organisations.models import Organisation

ARCHIVE_PAGE_SIZE = 20


def url_if_exists(name: str, **kwargs: Any) -> str | None:
    """The address of a page another part of the app provides, or None while it does not exist yet."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def get_edition_for_user(request: HttpRequest, edition_id: int) -> Edition:
    """The edition (organisation and timeline loaded) if the user may see it; 404 otherwise."""
    edition = get_object_or_404(Edition.objects.with_timeline(), pk=edition_id)
    if not request.user.has_perm("budgeting.view_edition", edition):
        raise Http404
    return edition


def get_edition_for_change(request: HttpRequest, edition_id: int) -> Edition:
    """Like get_edition_for_user, and PermissionDenied when the user may see but not set it up."""
    edition = get_edition_for_user(request, edition_id)
    if not request.user.has_perm("budgeting.change_edition", edition):
        raise PermissionDenied
    return edition


def timeline_of(edition: Edition) -> tuple[list[tuple[Any, str]], Any]:
    """The edition's phases with their state now, and the current phase (phases prefetched: no query)."""
    now = timezone.now()
    module = edition.module
    return [(phase, phase.state(now)) for phase in module.phases.all()], module.current_phase(now)


# --- public pages ------------------------------------------------------------------------------------------------
def edition_detail(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_edition_for_user(request, edition_id)
    user = request.user
    phases, current = timeline_of(edition)
    public = models.Q(proposals__status__in=sorted(PUBLIC_STATUSES))
    pools = list(
        Pool.objects.filter(edition=edition).annotate(
            proposal_count=models.Count("proposals", filter=public),
            on_ballot=models.Count("proposals", filter=models.Q(proposals__status=ProposalStatus.ACCEPTED)),
        )
    )
    categories = list(Category.objects.filter(edition=edition))
    can_view_results = user.has_perm("budgeting.view_results", edition)
    results_links = []
    if can_view_results:
        for pool in pools:
            link = url_if_exists("budgeting:results", edition_id=edition.pk, pool_id=pool.pk)
            if link:
                results_links.append((pool, link))
    module = edition.module
    context = {
        "edition": edition,
        "module": module,
        "organisation": module.process.organisation,
        "process": module.process,
        "phases": phases,
        "current_phase": current,
        "pools": pools,
        "categories": categories,
        "proposal_count": sum(pool.proposal_count for pool in pools),
        "on_ballot_count": sum(pool.on_ballot for pool in pools),
        "proposals_url": reverse("budgeting:proposals", kwargs={"edition_id": edition.pk}),
        "can_propose": user.has_perm("budgeting.add_proposal", edition),
        "proposing_open": module.allows(PROPOSE),
        "voting_open": module.allows(VOTE),
        "vote_url": url_if_exists("budgeting:vote", edition_id=edition.pk)
        if user.has_perm("budgeting.vote", edition)
        else None,
        "results_links": results_links,
        "can_change": user.has_perm("budgeting.change_edition", edition),
        "review_url": url_if_exists("budgeting:review_queue", edition_id=edition.pk)
        if user.has_perm("budgeting.view_review_queue", edition)
        else None,
        "pending_appeals": pending_appeals(edition) if user.has_perm("budgeting.view_review_queue", edition) else 0,
        "voters_url": url_if_exists("budgeting:voters", edition_id=edition.pk)
        if user.has_perm("budgeting.manage_voters", edition)
        else None,
        "signed_in": user.is_authenticated,
    }
    return render(request, "budgeting/edition_detail.html", context)


def _archive_queryset(user: Any) -> models.QuerySet[Edition]:
    return (
        Edition.objects.visible_to(user)
        .select_related("module__process__organisation")
        .prefetch_related("module__phases")
        .annotate(
            last_phase=models.Max("module__phases__ends_at"),
            proposal_count=models.Count(
                "proposals", filter=models.Q(proposals__status__in=sorted(PUBLIC_STATUSES)), distinct=True
            ),
        )
        .order_by(models.F("last_phase").desc(nulls_last=True), "-pk")
    )


def edition_archive(request: HttpRequest) -> HttpResponse:
    """Every edition the visitor may see, newest first, optionally of one municipality."""
    visible = Edition.objects.visible_to(request.user)
    municipalities = list(
        Organisation.objects.filter(pk__in=visible.values("module__process__organisation_id"))
        .order_by(fallback_expression("name"), "pk")
        .values_list("slug", "name")
    )
    form = ArchiveFilterForm(request.GET or None, municipalities=municipalities)
    editions = _archive_queryset(request.user)
    filtered = False
    if form.is_valid() and form.cleaned_data["municipality"]:
        editions = editions.filter(module__process__organisation__slug=form.cleaned_data["municipality"])
        filtered = True
    page = Paginator(editions, ARCHIVE_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"edition": edition, "current": edition.module.current_phase(now)} for edition in page.object_list]
    return render(
        request,
        "budgeting/edition_archive.html",
        {"page_obj": page, "rows": rows, "form": form, "filtered": filtered},
    )


def organisation_editions(request: HttpRequest, organisation: Organisation) -> dict[str, Any] | None:
    """The organisation page's section: its budget editions, newest first (left out when there are none)."""
    editions = list(_archive_queryset(request.user).filter(module__process__organisation=organisation)[:10])
    if not editions:
        return None
    archive = reverse("budgeting:archive")
    return {
        "editions": editions,
        "organisation": organisation,
        "archive_url": f"{archive}?municipality={organisation.slug}",
    }


# --- set-up ------------------------------------------------------------------------------------------------------
def _settings_context(edition: Edition, form: EditionSettingsForm) -> dict[str, Any]:
    module = edition.module
    return {
        "edition": edition,
        "form": form,
        "organisation": module.process.organisation,
        "process": module.process,
        "pools": list(Pool.objects.filter(edition=edition).annotate(proposal_count=models.Count("proposals"))),
        "categories": list(Category.objects.filter(edition=edition).annotate(proposal_count=models.Count("proposals"))),
        "voting_started": form.voting_started,
    }


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def edition_settings(request: HttpRequest, edition_id: int) -> HttpResponse:
    edition = get_edition_for_change(request, edition_id)
    started = services.voting_started(edition)
    if request.method == "POST":
        form = EditionSettingsForm(request.POST, instance=edition, voting_started=started)
        if form.is_valid():
            try:
                services.update_edition(actor=request.user, edition=edition, values=form.values())
            except ValidationError as error:
                edition.refresh_from_db()
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The edition's settings are saved."))
                return redirect("budgeting:edition_settings", edition_id=edition.pk)
    else:
        form = EditionSettingsForm(instance=edition, voting_started=started)
        for warning in services.edition_warnings(edition):  # allowed but risky settings (e.g. accounts and codes)
            messages.warning(request, warning)
    return render(request, "budgeting/edition_settings.html", _settings_context(edition, form))


def _pool_of(edition: Edition, pool_id: int) -> Pool:
    pool = get_object_or_404(Pool, pk=pool_id, edition=edition)
    pool.edition = edition
    return pool


def _category_of(edition: Edition, category_id: int) -> Category:
    category = get_object_or_404(Category, pk=category_id, edition=edition)
    category.edition = edition
    return category


def _back_to_settings(edition: Edition) -> HttpResponse:
    return redirect("budgeting:edition_settings", edition_id=edition.pk)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def pool_form(request: HttpRequest, edition_id: int, pool_id: int | None = None) -> HttpResponse:
    edition = get_edition_for_change(request, edition_id)
    pool = _pool_of(edition, pool_id) if pool_id else None
    initial = {"name": pool.name, "kind": pool.kind, "budget": pool.budget} if pool else {"kind": "district"}
    form = PoolForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if pool is None:
                services.add_pool(actor=request.user, edition=edition, **form.cleaned_data)
            else:
                services.update_pool(actor=request.user, pool=pool, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The pool is saved."))
            return _back_to_settings(edition)
    return render(
        request,
        "budgeting/edition_pool_form.html",
        {"edition": edition, "pool": pool, "form": form, "organisation": edition.module.process.organisation},
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def category_form(request: HttpRequest, edition_id: int, category_id: int | None = None) -> HttpResponse:
    edition = get_edition_for_change(request, edition_id)
    category = _category_of(edition, category_id) if category_id else None
    form = CategoryForm(
        request.POST if request.method == "POST" else None, initial={"name": category.name} if category else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            if category is None:
                services.add_category(actor=request.user, edition=edition, name=form.cleaned_data["name"])
            else:
                services.rename_category(actor=request.user, category=category, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The category is saved."))
            return _back_to_settings(edition)
    return render(
        request,
        "budgeting/edition_category_form.html",
        {
            "edition": edition,
            "category": category,
            "form": form,
            "organisation": edition.module.process.organisation,
        },
    )


def _confirm_delete(request: HttpRequest, edition: Edition, *, thing: Any, kind: str, delete: Any) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            delete()
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("%(name)s is deleted.") % {"name": thing})
            return _back_to_settings(edition)
    return render(
        request,
        "budgeting/edition_confirm_delete.html",
        {"edition": edition, "thing": thing, "kind": kind, "error": error},
        status=400 if error else 200,
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def pool_delete(request: HttpRequest, edition_id: int, pool_id: int) -> HttpResponse:
    edition = get_edition_for_change(request, edition_id)
    pool = _pool_of(edition, pool_id)
    return _confirm_delete(
        request,
        edition,
        thing=pool,
        kind=_("pool"),
        delete=lambda: services.delete_pool(actor=request.user, pool=pool),
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def category_delete(request: HttpRequest, edition_id: int, category_id: int) -> HttpResponse:
    edition = get_edition_for_change(request, edition_id)
    category = _category_of(edition, category_id)
    return _confirm_delete(
        request,
        edition,
        thing=category,
        kind=_("category"),
        delete=lambda: services.delete_category(actor=request.user, category=category),
    )
