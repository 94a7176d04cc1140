"""Setting a consultation up: start one, describe it, set its timeline, methods and area, publish it. Thin views:
fetch and authorise, call the service in services/setup.py, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from veche.consultations.access import get_consultation_for_user
from veche.consultations.forms_setup import (
    AreaForm,
    ConsultationDetailsForm,
    ConsultationStartForm,
    MethodFormSet,
    ReadabilityForm,
    TimelineForm,
)
from veche.consultations.models import Consultation
from veche.consultations.readability import assess
from veche.consultations.services import setup as services
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes
from veche.core.translation import language_codes
from veche.organisations.models import Organisation

CHANGE = "consultations.change_consultation"


def _setup_url(name: str, consultation: Consultation) -> str:
    return reverse(f"consultations:{name}", args=[consultation.organisation.slug, consultation.slug])


def setup_steps(consultation: Consultation) -> list[dict[str, Any]]:
    """The set-up pages, each with whether its part is done (for the set-up navigation and the staff box)."""
    return [
        {
            "key": "edit",
            "label": _("Description"),
            "url": _setup_url("edit", consultation),
            "done": bool(consultation.summary.strip()),
        },
        {
            "key": "timeline",
            "label": _("Timeline"),
            "url": _setup_url("timeline", consultation),
            "done": consultation.opens_at is not None,
        },
        {
            "key": "methods",
            "label": _("Methods"),
            "url": _setup_url("methods", consultation),
            "done": bool(consultation.methods.all()),  # prefetched on the set-up and detail pages
        },
        {
            "key": "area",
            "label": _("Area on the map"),
            "url": _setup_url("area", consultation),
            "done": consultation.area is not None,
        },
    ]


def _render_setup(
    request: HttpRequest, consultation: Consultation, template: str, step: str, **context: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "consultation": consultation,
            "organisation": consultation.organisation,
            "steps": setup_steps(consultation),
            "step": step,
            **context,
        },
    )


def _readability_context(summary: str, language: str) -> dict[str, Any]:
    report = assess(summary, language)
    return {"report": report, "long_limit": report.long_limit}


def _warn_if_hard(request: HttpRequest, consultation: Consultation) -> None:
    """After saving: say so when the summary still reads as hard (the indicator's verdict, on the saved text)."""
    if assess(consultation.summary, consultation.language).level == "hard":
        messages.warning(
            request, _("The summary is still hard to read: shorten the long sentences and explain rare words.")
        )


@require_POST
def readability(request: HttpRequest) -> HttpResponse:
    """The readability indicator for a summary (htmx partial; a plain POST gets the same fragment). Pure
    computation, no database: open to anyone, like a spell checker."""
    form = ReadabilityForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    language = form.cleaned_data["language"] or get_language()
    return render(
        request,
        "consultations/setup/_readability.html",
        _readability_context(form.cleaned_data["summary"], language),
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def consultation_start(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org_slug)
    if not request.user.has_perm("consultations.add_consultation", organisation):
        if not request.user.has_perm("organisations.view_organisation", organisation):
            raise Http404
        raise PermissionDenied
    language = get_language() if get_language() in language_codes() else language_codes()[0]
    form = ConsultationStartForm(request.POST or None, initial={"language": language})
    form.wire_readability(reverse("consultations:readability"))
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.start_consultation(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The consultation is created as a draft. Now set its timeline."))
            _warn_if_hard(request, consultation)
            return redirect(_setup_url("timeline", consultation))
    summary = form["summary"].value() or ""
    return render(
        request,
        "consultations/setup/start.html",
        {
            "form": form,
            "organisation": organisation,
            **_readability_context(summary, form["language"].value() or language),
        },
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission=CHANGE, detail=True)
    initial = ConsultationDetailsForm.initial_for(consultation)
    form = ConsultationDetailsForm(request.POST or None, initial=initial)
    form.wire_readability(reverse("consultations:readability"))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_details(
                actor=request.user,
                consultation=consultation,
                values=form.detail_values(),
                topics=form.cleaned_data["topics"],
                target_groups=form.cleaned_data["target_groups"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The description is saved."))
            _warn_if_hard(request, consultation)
            return redirect(_setup_url("edit", consultation))
    summary = form["summary"].value() or ""
    return _render_setup(
        request,
        consultation,
        "consultations/setup/edit.html",
        "edit",
        form=form,
        **_readability_context(summary, form["language"].value() or consultation.language),
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def consultation_timeline(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission=CHANGE, detail=True)
    initial = {
        "announced_at": consultation.announced_at,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "report_due": consultation.report_due,
        "confirm_short_period": consultation.short_period_confirmed,
    }
    form = TimelineForm(request.POST or None, initial=initial)
    needs_confirmation = False
    if request.method == "POST" and form.is_valid():
        try:
            services.set_timeline(
                actor=request.user,
                consultation=consultation,
                confirm_short_period=form.cleaned_data["confirm_short_period"],
                **form.values(),
            )
        except ValidationError as error:
            needs_confirmation = any(getattr(item, "code", "") == "short_period" for item in _flatten(error))
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The timeline is saved."))
            return redirect(_setup_url("timeline", consultation))
    minimum = services.minimum_days(consultation)
    return _render_setup(
        request,
        consultation,
        "consultations/setup/timeline.html",
        "timeline",
        form=form,
        minimum_days=minimum,
        needs_confirmation=needs_confirmation or consultation.short_period_confirmed,
        standard=consultation.standard_set,
    )


def _flatten(error: ValidationError) -> list[ValidationError]:
    if hasattr(error, "error_dict"):
        return [item for errors in error.error_dict.values() for item in errors]
    return list(error.error_list)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def consultation_methods(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission=CHANGE, detail=True)
    initial = [
        {
            "kind": method.kind,
            "description": method.description,
            "starts_at": method.starts_at,
            "ends_at": method.ends_at,
            "place": method.place,
        }
        for method in consultation.methods.all()
    ]
    formset = MethodFormSet(request.POST or None, initial=initial, prefix="methods")
    if request.method == "POST" and formset.is_valid():
        try:
            services.set_methods(actor=request.user, consultation=consultation, methods=formset.methods())
        except ValidationError as error:
            formset.non_form_errors().extend(error.messages)
        else:
            messages.success(request, _("The methods are saved."))
            return redirect(_setup_url("methods", consultation))
    return _render_setup(request, consultation, "consultations/setup/methods.html", "methods", formset=formset)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def consultation_area(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission=CHANGE)
    import json

    current = json.dumps(consultation.area) if consultation.area else ""
    form = AreaForm(request.POST or None, initial={"area": current})
    if request.method == "POST" and form.is_valid():
        services.set_area(actor=request.user, consultation=consultation, area=form.cleaned_data["area"])
        messages.success(request, _("The area is saved.") if form.cleaned_data["area"] else _("The area is removed."))
        return redirect(_setup_url("area", consultation))
    return _render_setup(
        request,
        consultation,
        "consultations/setup/area.html",
        "area",
        form=form,
        area_feature=area_feature_collection(consultation),
        bounds=_bounds_around(consultation),
    )


def area_feature_collection(consultation: Consultation) -> dict[str, Any]:
    """The consultation's area as a GeoJSON FeatureCollection for components/map.html (empty without an area)."""
    if not consultation.area:
        return {"type": "FeatureCollection", "features": []}
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": consultation.area, "properties": {"title": consultation.subject}}],
    }


def _bounds_around(consultation: Consultation) -> str:
    """A start view for drawing: around the area's centre, else Central Europe."""
    if consultation.latitude is not None and consultation.longitude is not None:
        lat, lon = consultation.latitude, consultation.longitude
        return f"{lat - 0.02},{lon - 0.03},{lat + 0.02},{lon + 0.03}"
    return "45.0,12.0,55.0,25.0"


@login_required
@limit_writes
@require_POST
def consultation_publish(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission=CHANGE)
    publish = request.POST.get("action") != "unpublish"
    try:
        if publish:
            services.publish_consultation(actor=request.user, consultation=consultation)
            messages.success(request, _("The consultation is published: everyone can see it."))
        else:
            services.unpublish_consultation(actor=request.user, consultation=consultation)
            messages.success(request, _("The consultation is a draft again: only your organisation's staff see it."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(consultation.get_absolute_url())


def module_timeline_url(module: Any) -> str:
    """ModuleType.schedule_url: the generic phase page of a process sends consultation modules here, so that the
    minimum-length confirmation cannot be bypassed."""
    consultation = Consultation.objects.select_related("organisation").filter(module=module).first()
    return _setup_url("timeline", consultation) if consultation else ""
