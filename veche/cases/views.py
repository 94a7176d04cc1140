"""Pages of the map of participation. Thin: parse, fetch and authorise (404 for what the visitor may not see, 403 for
what they may see but not change), call a service, render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from veche.cases import services
from veche.cases.choices import STATUS_TONES, CaseStatus, Decision, RevisionKind
from veche.cases.forms import CaseFilterForm, CaseForm, DecisionForm, NetworkChoiceForm, PhotoForm, UnpublishForm
from veche.cases.geojson import feature_collection_bytes
from veche.cases.membership import editor_network_ids, member_network_ids
from veche.cases.models import Case, CasePhoto, CaseRevision
from veche.cases.presentation import changed_fields, revision_fields
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes
from veche.core.vocabulary import MethodChoices
from veche.organisations.choices import OrganisationKind
from veche.organisations.models import Organisation

PAGE_SIZE = 20
MAP_PAGE_SIZE = 10


# --- fetch and authorise -------------------------------------------------------------------------------------------


def get_case_for_user(request: HttpRequest, pk: int, *, detail: bool = False) -> Case:
    """The case if the user may see it (404 otherwise)."""
    cases = Case.objects.visible_to(request.user)
    cases = cases.for_detail_page() if detail else cases.select_related("network")
    case = cases.filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def _require(request: HttpRequest, permission: str, obj: Any) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


# --- map, list, data -----------------------------------------------------------------------------------------------


def _filter_form(request: HttpRequest) -> CaseFilterForm:
    published = Case.objects.published()
    networks = Organisation.objects.filter(kind=OrganisationKind.NETWORK, pk__in=published.values("network_id"))
    years = sorted(
        set(published.exclude(year__isnull=True).order_by().values_list("year", flat=True).distinct()),
        reverse=True,
    )
    return CaseFilterForm(
        request.GET or None,
        networks=[(network.slug, network.name) for network in networks.order_by("name")],
        years=years,
    )


def _listing(request: HttpRequest, form: CaseFilterForm, page_size: int) -> Any:
    filters = form.filters()
    cases = Case.objects.published().filtered(filters).for_list_page().order_by("-published_at", "-id")
    return filters, Paginator(cases, page_size).get_page(request.GET.get("page"))


def _filter_query(request: HttpRequest) -> str:
    keep = {key: request.GET.get(key, "") for key in ("network", "method", "topic", "country", "municipality", "year")}
    return urlencode({key: value for key, value in keep.items() if value})


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    filters, page_obj = _listing(request, form, MAP_PAGE_SIZE)
    query = _filter_query(request)
    data_url = reverse("cases:geojson") + (f"?{query}" if query else "")
    return render(
        request,
        "cases/map.html",
        {
            "filters": form,
            "is_filtering": not filters.is_empty,
            "page_obj": page_obj,
            "cases": _cards(page_obj.object_list),
            "data_url": data_url,
            "method_labels": json.dumps({choice.value: str(choice.label) for choice in MethodChoices}),
            "list_url": reverse("cases:list") + (f"?{query}" if query else ""),
            "can_write": bool(member_network_ids(request.user)),
            "review_count": _review_count(request.user),
        },
    )


@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    filters, page_obj = _listing(request, form, PAGE_SIZE)
    query = _filter_query(request)
    return render(
        request,
        "cases/case_list.html",
        {
            "filters": form,
            "is_filtering": not filters.is_empty,
            "page_obj": page_obj,
            "cases": _cards(page_obj.object_list),
            "map_url": reverse("cases:map") + (f"?{query}" if query else ""),
            "can_write": bool(member_network_ids(request.user)),
        },
    )


def _cards(cases: Any) -> list[dict[str, Any]]:
    cards = []
    for case in cases:
        methods = ", ".join(str(method.name) for method in case.methods.all())
        meta = " · ".join(str(part) for part in (case.municipality, case.year, case.network.name) if part)
        photo = case.photo_list[0] if case.photo_list else None
        cards.append({"case": case, "methods": methods, "meta": meta, "photo": photo})
    return cards


def _review_count(user: Any) -> int:
    networks = editor_network_ids(user)
    if not networks:
        return 0
    return Case.objects.filter(network_id__in=networks).for_review_queue().count()


@require_safe
def geojson(request: HttpRequest) -> HttpResponse:
    """The map's data: published cases matching the page's filters, as GeoJSON (cached; see geojson.py)."""
    form = _filter_form(request) if request.GET else None
    from veche.cases.querysets import CaseFilters

    filters = form.filters() if form is not None else CaseFilters()
    response = HttpResponse(feature_collection_bytes(filters), content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=60"
    return response


# --- one case ------------------------------------------------------------------------------------------------------


@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, detail=True)
    user = request.user
    pending = services.pending_changes(case) if case.is_published else None
    map_data = {
        "type": "FeatureCollection",
        "features": [
            feature
            for feature in (
                {"type": "Feature", "geometry": case.area, "properties": {"title": case.title}} if case.area else None,
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [float(case.longitude), float(case.latitude)]},
                    "properties": {"title": case.title},
                }
                if case.latitude is not None
                else None,
            )
            if feature
        ],
    }
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "status_label": CaseStatus(case.status).label,
            "status_tone": STATUS_TONES[CaseStatus(case.status)],
            "methods": list(case.methods.all()),
            "topics": list(case.topics.all()),
            "photos": case.photo_list,
            "map_data": map_data if map_data["features"] else None,
            "pending": pending,
            "can_edit": user.has_perm("cases.change_case", case),
            "can_submit": user.has_perm("cases.submit_case", case),
            "can_delete": user.has_perm("cases.delete_case", case),
            "can_add_photo": user.has_perm("cases.add_photo", case),
            "can_review": user.has_perm("cases.review_case", case),
            "can_view_history": user.has_perm("cases.view_history", case),
            "missing": services.missing_for_review(case) if user.has_perm("cases.submit_case", case) else [],
            "can_report": case.is_published and user.is_authenticated and user.pk != case.author_id,
            "report_url": reverse("contributions:report", kwargs={"label": "cases.case", "object_id": case.pk}),
        },
    )


def _writable_networks(user: Any) -> Any:
    networks = Organisation.objects.filter(kind=OrganisationKind.NETWORK).order_by("name")
    if user.is_superuser:
        return networks
    return networks.filter(pk__in=member_network_ids(user) | editor_network_ids(user))


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    networks = _writable_networks(request.user)
    if not networks.exists():
        return render(request, "cases/not_a_member.html", status=403)
    initial: dict[str, Any] = {"language": request.LANGUAGE_CODE, "network": request.GET.get("network") or None}
    chosen = networks.filter(slug=request.GET.get("network", "")).first()
    if chosen is not None:
        initial["network"] = chosen.pk
        initial["country"] = chosen.country
    form = CaseForm(request.POST or None, networks=networks, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.create_case(actor=request.user, network=form.cleaned_data["network"], data=form.to_input())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your case is saved as a draft. Add photos, then submit it for review."))
            return redirect(case)
    return render(
        request, "cases/case_form.html", {"form": form, "case": None, "picker": _picker(form), "empty_map": _EMPTY}
    )


_EMPTY = {"type": "FeatureCollection", "features": []}


def _picker(form: CaseForm) -> dict[str, str]:
    return {"lat": form["latitude"].id_for_label, "lng": form["longitude"].id_for_label}


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, detail=True)
    _require(request, "cases.change_case", case)
    pending = services.pending_changes(case) if case.is_published else None
    if pending is not None and pending.created_by_id == request.user.pk:
        current = services.CaseInput.from_data(pending.data)
    else:
        current = services.CaseInput.from_case(case)
    form = CaseForm(
        request.POST or None, networks=Organisation.objects.none(), case=case, initial=CaseForm.initial_for(current)
    )
    waits_for_review = case.is_published and not request.user.has_perm("cases.review_case", case)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(
                actor=request.user,
                case=case,
                data=form.to_input(organisation_id=case.organisation_id),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if waits_for_review:
                messages.success(
                    request, _("Your changes wait for an editor; the map shows the published text meanwhile.")
                )
            else:
                messages.success(request, _("The case is saved."))
            return redirect(case)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "case": case,
            "picker": _picker(form),
            "waits_for_review": waits_for_review,
            "empty_map": {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": current.area, "properties": {"title": case.title}}],
            }
            if current.area
            else _EMPTY,
        },
    )


@login_required
@limit_writes
@require_POST
def case_submit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    _require(request, "cases.submit_case", case)
    try:
        services.submit_case(actor=request.user, case=case)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Submitted. The network's editors will review your case."))
    return redirect(case)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def case_delete(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    _require(request, "cases.delete_case", case)
    if request.method == "POST":
        services.delete_case(actor=request.user, case=case)
        messages.success(request, _("The case is deleted."))
        return redirect("cases:mine")
    return render(request, "cases/case_confirm_delete.html", {"case": case})


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def case_photos(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, detail=True)
    _require(request, "cases.add_photo", case)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_photo(
                actor=request.user,
                case=case,
                upload=form.cleaned_data["image"],
                alt=form.cleaned_data["alt"],
                credit=form.cleaned_data["credit"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The photo is added."))
            return redirect("cases:photos", pk=case.pk)
    return render(
        request,
        "cases/case_photos.html",
        {"case": case, "form": form, "photos": case.photo_list, "limit": services.MAX_PHOTOS},
    )


@login_required
@limit_writes
@require_POST
def photo_delete(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    photo = get_object_or_404(CasePhoto.objects.select_related("case"), pk=photo_id, case=case)
    _require(request, "cases.add_photo", case)
    services.delete_photo(actor=request.user, photo=photo)
    messages.success(request, _("The photo is removed."))
    return redirect("cases:photos", pk=case.pk)


@login_required
@require_safe
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = (
        Case.objects.filter(author=request.user)
        .select_related("network")
        .order_by("-updated_at", "-id")
        .annotate(pending_count=Count("revisions", filter=_pending_q()))
    )
    page_obj = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "case": case,
            "status_label": CaseStatus(case.status).label,
            "tone": STATUS_TONES[CaseStatus(case.status)],
            "pending": bool(case.pending_count),
        }
        for case in page_obj.object_list
    ]
    return render(
        request,
        "cases/my_cases.html",
        {"page_obj": page_obj, "rows": rows, "can_write": _writable_networks(request.user).exists()},
    )


def _pending_q() -> Any:
    from django.db.models import Q

    return Q(revisions__is_pending=True)


# --- review --------------------------------------------------------------------------------------------------------


@login_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    networks = editor_network_ids(request.user)
    if request.user.is_superuser:
        networks = frozenset(Organisation.objects.filter(kind=OrganisationKind.NETWORK).values_list("pk", flat=True))
    if not networks:
        raise PermissionDenied
    cases = Case.objects.filter(network_id__in=networks).for_review_queue()
    page_obj = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "case": case,
            "kind": _("Changes to a published case") if case.has_pending_changes else _("New case"),
        }
        for case in page_obj.object_list
    ]
    return render(request, "cases/review_queue.html", {"page_obj": page_obj, "rows": rows})


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk, detail=True)
    _require(request, "cases.review_case", case)
    pending = services.pending_changes(case)
    if case.status != CaseStatus.SUBMITTED and pending is None:
        messages.info(request, _("This case is not waiting for review."))
        return redirect(case)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decide = services.decide_changes if pending is not None else services.decide_case
        try:
            decide(
                actor=request.user, case=case, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if form.cleaned_data["decision"] == Decision.PUBLISH:
                messages.success(request, _("Published: the case is on the map."))
            else:
                messages.success(request, _("Returned to the author with your message."))
            return redirect("cases:review_queue")
    changes = (
        changed_fields(services.CaseInput.from_case(case), services.CaseInput.from_data(pending.data))
        if pending
        else []
    )
    return render(
        request,
        "cases/review.html",
        {
            "case": case,
            "form": form,
            "pending": pending,
            "changes": changes,
            "methods": list(case.methods.all()),
            "topics": list(case.topics.all()),
            "photos": case.photo_list,
        },
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    _require(request, "cases.review_case", case)
    if not case.is_published:
        raise Http404
    form = UnpublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unpublish_case(actor=request.user, case=case, note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The case is off the map and back with its author."))
            return redirect(case)
    return render(request, "cases/unpublish.html", {"case": case, "form": form})


@login_required
@require_safe
def history(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    _require(request, "cases.view_history", case)
    revisions = list(CaseRevision.objects.filter(case=case).select_related("created_by").order_by("-number"))
    rows = []
    for index, revision in enumerate(revisions):
        previous = revisions[index + 1] if index + 1 < len(revisions) else None
        changed = (
            changed_fields(services.CaseInput.from_data(previous.data), services.CaseInput.from_data(revision.data))
            if previous
            else []
        )
        rows.append(
            {
                "revision": revision,
                "kind": RevisionKind(revision.kind).label,
                "changed": [row["label"] for row in changed],
            }
        )
    return render(request, "cases/history.html", {"case": case, "rows": rows})


@login_required
@require_safe
def revision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    case = get_case_for_user(request, pk)
    _require(request, "cases.view_history", case)
    version = get_object_or_404(CaseRevision.objects.select_related("created_by"), case=case, number=number)
    return render(
        request,
        "cases/revision.html",
        {
            "case": case,
            "revision": version,
            "kind": RevisionKind(version.kind).label,
            "fields": revision_fields(services.CaseInput.from_data(version.data)),
        },
    )


# --- from a process run on veche ----------------------------------------------------------------------------------


@login_required
@require_safe
def finished_processes(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's finished processes that can become cases, for its coordinators."""
    from veche.participation.models import Module

    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), slug=org_slug)
    _require(request, "cases.publish_processes", organisation)
    modules = (
        Module.objects.filter(process__organisation=organisation)
        .select_related("process__organisation")
        .prefetch_related("phases")
        .order_by("-process__created_at", "weight", "pk")
    )
    published = {}
    for case in Case.objects.filter(source_module__process__organisation=organisation).select_related("network"):
        published.setdefault(case.source_module_id, []).append(case)
    rows = []
    for module in modules[:50]:
        summary = services.module_case_summary(module)
        if summary is not None:
            rows.append({"module": module, "summary": summary, "cases": published.get(module.pk, [])})
    return render(request, "cases/finished_processes.html", {"organisation": organisation, "rows": rows})


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def from_module(request: HttpRequest, module_id: int) -> HttpResponse:
    from veche.participation.models import Module, Process

    module = get_object_or_404(
        Module.objects.select_related("process__organisation").prefetch_related("phases"),
        pk=module_id,
        process__in=Process.objects.visible_to(request.user),
    )
    _require(request, "cases.publish_module", module)
    summary = services.module_case_summary(module)
    if summary is None:
        raise Http404
    networks = services.networks_for_module(actor=request.user, module=module).order_by("name")
    form = NetworkChoiceForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.draft_case_from_module(
                actor=request.user, module=module, network=form.cleaned_data["network"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("A draft case is ready with the process's figures. Check it and submit it."))
            return redirect("cases:edit", pk=case.pk)
    return render(
        request,
        "cases/from_module.html",
        {"module": module, "summary": summary, "form": form, "has_networks": networks.exists()},
    )
