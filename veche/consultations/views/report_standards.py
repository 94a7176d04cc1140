"""The standards checklist of a consultation, the organisation's own consultation standards, and its population
figures (for the report's comparison of who took part with who lives there)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from veche.consultations.access import get_consultation_for_user
from veche.consultations.forms_report import (
    ChecklistForm,
    PopulationForm,
    PopulationImportForm,
    StandardItemForm,
    StandardSetForm,
)
from veche.consultations.models import PopulationFigure, StandardAssessment, StandardItem, StandardSet
from veche.consultations.population_csv import parse_population_csv
from veche.consultations.services import checklist as services
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes
from veche.organisations.lookups import get_organisation_for_permission


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def checklist(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission=services.ASSESS, detail=True)
    standard = consultation.standard_set
    items = list(standard.items.all()) if standard else []
    assessments = {row.item_id: row for row in StandardAssessment.objects.filter(consultation=consultation)}
    form = ChecklistForm(request.POST or None, items=items, assessments=assessments)
    if request.method == "POST" and form.is_valid():
        try:
            services.assess_standards(actor=request.user, consultation=consultation, ratings=form.ratings())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The checklist was saved."))
            return redirect(consultation.get_absolute_url())
    return render(
        request,
        "consultations/report/checklist.html",
        {"consultation": consultation, "organisation": consultation.organisation, "form": form, "standard": standard},
    )


def _standards_url(organisation) -> str:
    return reverse("consultations:standards", args=[organisation.slug])


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def standards(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's standards and the platform's default, with "copy to edit"."""
    organisation = get_organisation_for_permission(request, org_slug, services.MANAGE)
    sets = list(
        StandardSet.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
        .annotate(item_count=Count("items"))
        .order_by("id")
    )
    if request.method == "POST":
        source = next((row for row in sets if str(row.pk) == request.POST.get("copy")), None)
        if source is None:
            raise Http404
        copy = services.copy_standard_set(actor=request.user, organisation=organisation, source=source)
        messages.success(request, _("The standard was copied. New consultations of your organisation use it."))
        return redirect("consultations:standard", org_slug=organisation.slug, pk=copy.pk)
    own = [row for row in sets if row.organisation_id == organisation.pk]
    return render(
        request,
        "consultations/report/standards.html",
        {
            "organisation": organisation,
            "own": own,
            "default": [row for row in sets if row.organisation_id is None],
            "in_use": own[0] if own else next((row for row in sets if row.organisation_id is None), None),
        },
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def standard_detail(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    organisation = get_organisation_for_permission(request, org_slug, services.MANAGE)
    standard = (
        StandardSet.objects.filter(organisation=organisation, pk=pk)
        .prefetch_related(Prefetch("items", queryset=StandardItem.objects.order_by("weight", "id")))
        .first()
    )
    if standard is None:
        raise Http404
    standard.organisation = organisation
    action = request.POST.get("action") if request.method == "POST" else None
    set_form = StandardSetForm(
        request.POST if action == "set" else None,
        initial={"name": standard.name, "min_open_days": standard.min_open_days},
    )
    item_form = StandardItemForm(request.POST if action == "add" else None, prefix="new")
    here = reverse("consultations:standard", args=[organisation.slug, standard.pk])
    if request.method == "POST":
        try:
            if action == "set" and set_form.is_valid():
                services.update_standard_set(actor=request.user, standard_set=standard, **set_form.cleaned_data)
                messages.success(request, _("The standard was saved."))
                return redirect(here)
            if action == "add" and item_form.is_valid():
                data = item_form.cleaned_data
                services.save_standard_item(
                    actor=request.user,
                    standard_set=standard,
                    title=data["title"],
                    description=data["description"],
                    weight=data["weight"] or 0,
                )
                messages.success(request, _("The item was added."))
                return redirect(here)
            if action in ("edit", "delete"):
                item = next((row for row in standard.items.all() if str(row.pk) == request.POST.get("item")), None)
                if item is None:
                    raise Http404
                if action == "delete":
                    services.delete_standard_item(actor=request.user, item=item)
                    messages.success(request, _("The item was removed."))
                    return redirect(here)
                form = StandardItemForm(request.POST, prefix=f"item-{item.pk}")
                if form.is_valid():
                    data = form.cleaned_data
                    services.save_standard_item(
                        actor=request.user,
                        standard_set=standard,
                        item=item,
                        title=data["title"],
                        description=data["description"],
                        weight=data["weight"] or 0,
                    )
                    messages.success(request, _("The item was saved."))
                    return redirect(here)
                messages.error(request, _("The item was not saved: give it a title."))
        except ValidationError as exc:
            apply_service_errors(set_form if action == "set" else item_form, exc)
    item_forms = [
        (
            item,
            StandardItemForm(
                prefix=f"item-{item.pk}",
                initial={"title": item.title, "description": item.description, "weight": item.weight},
            ),
        )
        for item in standard.items.all()
    ]
    return render(
        request,
        "consultations/report/standard.html",
        {
            "organisation": organisation,
            "standard": standard,
            "set_form": set_form,
            "item_form": item_form,
            "item_forms": item_forms,
            "standards_url": _standards_url(organisation),
        },
    )


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def population(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = get_organisation_for_permission(request, org_slug, services.MANAGE)
    figures = list(PopulationFigure.objects.filter(organisation=organisation))
    known = {(row.dimension, row.group): row.residents for row in figures}
    action = request.POST.get("action") if request.method == "POST" else None
    form = PopulationForm(request.POST if action == "figures" else None, figures=known)
    import_form = PopulationImportForm(
        request.POST if action == "import" else None, request.FILES if action == "import" else None
    )
    line_errors = []
    here = reverse("consultations:population", args=[organisation.slug])
    if action == "figures" and form.is_valid():
        services.replace_population(
            actor=request.user, organisation=organisation, figures=form.figures(), dimensions=["age_band", "gender"]
        )
        messages.success(request, _("The population figures were saved."))
        return redirect(here)
    if action == "import" and import_form.is_valid():
        parsed, line_errors = parse_population_csv(
            import_form.cleaned_data["content"], groups=services.population_groups(), translate=_
        )
        if not line_errors:
            services.replace_population(actor=request.user, organisation=organisation, figures=parsed)
            count = len(parsed)
            messages.success(
                request,
                ngettext("%(count)d figure imported.", "%(count)d figures imported.", count) % {"count": count},
            )
            return redirect(here)
    if action == "clear":
        services.replace_population(
            actor=request.user, organisation=organisation, figures=[], dimensions=["age_band", "gender", "district"]
        )
        messages.success(request, _("The population figures were removed."))
        return redirect(here)
    return render(
        request,
        "consultations/report/population.html",
        {
            "organisation": organisation,
            "figures": figures,
            "form": form,
            "import_form": import_form,
            "line_errors": line_errors,
            "status": 400 if line_errors else 200,
        },
        status=400 if line_errors or (action and request.method == "POST") else 200,
    )
