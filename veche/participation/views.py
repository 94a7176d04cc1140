"""Process pages: the public list and detail, and the staff pages that call the services. Views stay thin: they
fetch and authorise, call a service, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes
from veche.core.translation import fallback_expression
from veche.organisations.lookups import get_organisation_for_permission
from veche.organisations.models import Organisation
from veche.participation import services
from veche.participation.forms import (
    AddModuleForm,
    PhaseFormSet,
    ProcessEditForm,
    ProcessFilterForm,
    ProcessTextsForm,
)
from veche.participation.models import Module, Process
from veche.participation.registry import module_types

PAGE_SIZE = 12


def get_process_for_user(request: HttpRequest, org_slug: str, slug: str, *, detail: bool = False) -> Process:
    """The process at this address if the user may see it; 404 otherwise (existence of drafts is not revealed)."""
    queryset = Process.objects.for_detail_page() if detail else Process.objects.select_related("organisation")
    process = get_object_or_404(queryset, organisation__slug=org_slug, slug=slug)
    if not request.user.has_perm("participation.view_process", process):
        raise Http404
    return process


def get_process_for_change(request: HttpRequest, org_slug: str, slug: str, *, detail: bool = False) -> Process:
    """Like get_process_for_user, and PermissionDenied when the user may see but not change it."""
    process = get_process_for_user(request, org_slug, slug, detail=detail)
    if not request.user.has_perm("participation.change_process", process):
        raise PermissionDenied
    return process


def process_list(request: HttpRequest) -> HttpResponse:
    visible = Process.objects.visible_to(request.user)
    organisations = list(
        Organisation.objects.filter(pk__in=visible.values("organisation_id"))
        .order_by(fallback_expression("name"), "pk")
        .values_list("slug", "name")
    )
    form = ProcessFilterForm(request.GET or None, organisations=organisations)
    processes = visible
    if form.is_valid():
        if form.cleaned_data["organisation"]:
            processes = processes.filter(organisation__slug=form.cleaned_data["organisation"])
        if form.cleaned_data["state"]:
            processes = processes.in_state(form.cleaned_data["state"], timezone.now())
    page = Paginator(processes.for_list_page(), PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = form.is_bound and form.is_valid() and any(form.cleaned_data.values())
    return render(
        request,
        "participation/process_list.html",
        {"page_obj": page, "processes": page.object_list, "form": form, "filtered": filtered},
    )


def _entry_url(module: Module) -> str | None:
    """The module's own page when its type declares one (ModuleType.entry_url)."""
    module_type = module.type
    return module_type.entry_url(module) if module_type and module_type.entry_url else None


def process_detail(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    process = get_process_for_user(request, org_slug, slug, detail=True)
    now = timezone.now()
    modules = [
        {
            "module": module,
            "state": module.state(now),
            "phases": [(phase, phase.state(now)) for phase in module.phases.all()],
            "current": module.current_phase(now),
            "next": module.next_phase(now),
            "entry_url": _entry_url(module),
        }
        for module in process.modules.all()
    ]
    return render(
        request,
        "participation/process_detail.html",
        {
            "process": process,
            "organisation": process.organisation,
            "state": process.state(now),
            "modules": modules,
            "can_change": request.user.has_perm("participation.change_process", process),
        },
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def process_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = get_organisation_for_permission(request, org_slug, "participation.add_process")
    form = ProcessTextsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.create_process(
                actor=request.user,
                organisation=organisation,
                title=form.texts("title"),
                summary=form.texts("summary"),
                slug=form.cleaned_data["slug"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The process is created as a draft. Add its modules, then publish it."))
            return redirect(process)
    return render(request, "participation/process_form.html", {"form": form, "organisation": organisation})


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def process_edit(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    process = get_process_for_change(request, org_slug, slug)
    form = ProcessEditForm(
        request.POST if request.method == "POST" else None, initial=ProcessEditForm.initial_for(process)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.update_process(
                    actor=request.user,
                    process=process,
                    title=form.texts("title"),
                    summary=form.texts("summary"),
                    slug=form.cleaned_data["slug"],
                )
                if form.cleaned_data["is_published"]:
                    services.publish_process(actor=request.user, process=process)
                else:
                    services.unpublish_process(actor=request.user, process=process)
        except ValidationError as error:
            process.refresh_from_db()
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(process)
    return render(
        request,
        "participation/process_form.html",
        {"form": form, "organisation": process.organisation, "process": process},
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def module_add(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    process = get_process_for_change(request, org_slug, slug)
    available = module_types()
    form = AddModuleForm(request.POST if request.method == "POST" else None, module_types=available)
    if request.method == "POST" and available and form.is_valid():
        try:
            module = services.add_module(
                actor=request.user, process=process, module_type=form.cleaned_data["module_type"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The module is added. Now set the dates of its phases."))
            return redirect("participation:schedule", org_slug=org_slug, slug=slug, module_id=module.pk)
    return render(
        request,
        "participation/module_add.html",
        {"form": form, "process": process, "organisation": process.organisation, "module_types": available},
    )


def _module_of(process: Process, module_id: int) -> Module:
    module = get_object_or_404(Module.objects.prefetch_related("phases"), pk=module_id, process=process)
    module.process = process
    return module


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def module_schedule(request: HttpRequest, org_slug: str, slug: str, module_id: int) -> HttpResponse:
    process = get_process_for_change(request, org_slug, slug)
    module = _module_of(process, module_id)
    module_type = module.type
    own_page = module_type.schedule_url(module) if module_type and module_type.schedule_url else ""
    if own_page:  # the module type sets its dates on its own page, with its own checks
        return redirect(own_page)
    phases = list(module.phases.all())
    formset = PhaseFormSet(request.POST if request.method == "POST" else None, phases=phases, prefix="phases")
    if request.method == "POST" and formset.is_valid():
        try:
            services.schedule_phases(actor=request.user, module=module, schedule=formset.schedule())
        except ValidationError as error:
            formset.add_timeline_error(error)
        else:
            messages.success(request, _("The dates are saved."))
            return redirect(process)
    return render(
        request,
        "participation/module_schedule.html",
        {"formset": formset, "module": module, "process": process, "organisation": process.organisation},
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def module_delete(request: HttpRequest, org_slug: str, slug: str, module_id: int) -> HttpResponse:
    process = get_process_for_change(request, org_slug, slug)
    module = _module_of(process, module_id)
    if request.method == "POST":
        services.delete_module(actor=request.user, module=module)
        messages.success(request, _("The module is deleted."))
        return redirect(process)
    return render(
        request,
        "participation/module_delete.html",
        {
            "module": module,
            "process": process,
            "organisation": process.organisation,
            "cancel_url": reverse("participation:schedule", args=[org_slug, slug, module.pk]),
        },
    )
