"""Offline input: staff list, record (several at once), correct and delete what came in from meetings, walks,
workshops, duty hours, paper forms and letters."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from veche.consultations.access import get_consultation_for_user
from veche.consultations.choices import OFFLINE_CHANNELS, ContributionKind
from veche.consultations.forms_surveys import OfflineContributionForm, offline_formset
from veche.consultations.models import Consultation, Contribution, Paragraph
from veche.consultations.services import offline as services
from veche.core.forms import apply_service_errors
from veche.core.ratelimit import limit_writes

PAGE_SIZE = 50
MAX_ROWS = 20


def paragraph_choices(consultation: Consultation) -> list[tuple[int, str]]:
    """(id, "§ 12 — first words") for every paragraph of the consultation's documents (one query)."""
    rows = (
        Paragraph.objects.filter(document__consultation=consultation)
        .order_by("document__weight", "document_id", "weight", "id")
        .values_list("pk", "number", "document__title", "text")
    )
    from django.utils.html import strip_tags

    return [(pk, f"{title} § {number} — {strip_tags(text)[:50]}") for pk, number, title, text in rows]


def _entry(data: dict[str, Any]) -> services.OfflineEntry:
    return services.OfflineEntry(
        channel=data["channel"],
        received_on=data["received_on"],
        text=data["text"],
        author_label=data.get("author_label", ""),
        paragraph=data.get("paragraph"),
    )


def _list_url(consultation: Consultation) -> str:
    return reverse(
        "consultations:offline_list", kwargs={"org_slug": consultation.organisation.slug, "slug": consultation.slug}
    )


@login_required
def offline_list(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug)
    user = request.user
    can_record = user.has_perm("consultations.record_offline", consultation)
    if not (can_record or user.has_perm("consultations.export_survey_answers", consultation)):
        raise PermissionDenied
    page = Paginator(services.offline_contributions(consultation), PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [
        (entry, user.has_perm("consultations.change_offline_contribution", entry))
        for entry in _with_consultation(page.object_list, consultation)
    ]
    context = {
        "consultation": consultation,
        "organisation": consultation.organisation,
        "page_obj": page,
        "entries": entries,
        "can_record": can_record,
        "add_url": reverse("consultations:offline_add", kwargs={"org_slug": org_slug, "slug": slug}),
        "channels": OFFLINE_CHANNELS,
    }
    return render(request, "consultations/surveys/offline_list.html", context)


def _with_consultation(entries: Any, consultation: Consultation) -> list[Contribution]:
    rows = list(entries)
    for entry in rows:
        entry.consultation = consultation
    return rows


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def offline_add(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission="consultations.record_offline")
    channel = request.GET.get("channel", "")
    if channel not in {item.value for item in OFFLINE_CHANNELS}:
        channel = ""
    try:
        default_date = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        default_date = None
    try:
        rows = max(1, min(MAX_ROWS, int(request.GET.get("rows", 5))))
    except ValueError:
        rows = 5
    formset = offline_formset(
        request.POST if request.method == "POST" else None,
        paragraphs=paragraph_choices(consultation),
        rows=rows,
        default_channel=channel,
        default_date=default_date,
    )
    if request.method == "POST" and formset.is_valid():
        try:
            created = services.record_offline_contributions(
                actor=request.user, consultation=consultation, entries=[_entry(data) for data in formset.filled()]
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            count = len(created)
            messages.success(
                request,
                ngettext("%(count)s contribution is recorded.", "%(count)s contributions are recorded.", count)
                % {"count": count},
            )
            return redirect(_list_url(consultation))
    context = {
        "consultation": consultation,
        "organisation": consultation.organisation,
        "formset": formset,
        "list_url": _list_url(consultation),
        "rows": rows,
    }
    return render(request, "consultations/surveys/offline_add.html", context)


def _entry_for_change(request: HttpRequest, org_slug: str, slug: str, contribution_id: int) -> Contribution:
    consultation = get_consultation_for_user(request, org_slug, slug)
    entry = get_object_or_404(
        Contribution.objects.select_related("recorded_by"),
        pk=contribution_id,
        consultation=consultation,
        kind=ContributionKind.OFFLINE,
    )
    entry.consultation = consultation
    if not request.user.has_perm("consultations.change_offline_contribution", entry):
        raise PermissionDenied
    return entry


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def offline_edit(request: HttpRequest, org_slug: str, slug: str, contribution_id: int) -> HttpResponse:
    entry = _entry_for_change(request, org_slug, slug, contribution_id)
    consultation = entry.consultation
    initial = {
        "channel": entry.channel,
        "received_on": entry.received_on,
        "author_label": entry.author_label,
        "paragraph": entry.paragraph_id,
        "text": entry.text,
    }
    form = OfflineContributionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        paragraphs=paragraph_choices(consultation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_offline_contribution(
                actor=request.user, contribution=entry, entry=_entry(form.cleaned_data)
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The contribution is saved."))
            return redirect(_list_url(consultation))
    context = {
        "consultation": consultation,
        "organisation": consultation.organisation,
        "entry": entry,
        "form": form,
        "list_url": _list_url(consultation),
        "answered": services.has_official_response(entry),
    }
    return render(request, "consultations/surveys/offline_edit.html", context)


@login_required
@limit_writes
@require_http_methods(["GET", "POST"])
def offline_delete(request: HttpRequest, org_slug: str, slug: str, contribution_id: int) -> HttpResponse:
    entry = _entry_for_change(request, org_slug, slug, contribution_id)
    consultation = entry.consultation
    if request.method == "POST":
        try:
            services.delete_offline_contribution(actor=request.user, contribution=entry)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The contribution is deleted."))
        return redirect(_list_url(consultation))
    context = {
        "consultation": consultation,
        "organisation": consultation.organisation,
        "entry": entry,
        "list_url": _list_url(consultation),
        "answered": services.has_official_response(entry),
    }
    return render(request, "consultations/surveys/offline_delete.html", context)
