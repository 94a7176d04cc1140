"""The audit log of one organisation, for its administrators and coordinators."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from veche.audit.actions import action_label
from veche.audit.forms import AuditFilterForm
from veche.audit.models import AuditEntry
from veche.organisations.lookups import get_organisation_for_permission

PAGE_SIZE = 50


def _details(data: Any) -> list[tuple[str, str]]:
    """The entry's data as (key, text) pairs; lists joined, missing values as a dash."""
    if not isinstance(data, dict):
        return [("", str(data))]
    pairs = []
    for key, value in data.items():
        if isinstance(value, list | tuple):
            text = ", ".join("—" if item is None else str(item) for item in value)
        else:
            text = "—" if value is None else str(value)
        pairs.append((str(key), text))
    return pairs


@login_required
def organisation_log(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = get_organisation_for_permission(request, org_slug, "organisations.view_audit_log")
    entries = AuditEntry.objects.for_organisation_page(organisation.pk)
    codes = AuditEntry.objects.filter(organisation=organisation).values_list("action", flat=True).distinct()
    actions = sorted(((code, str(action_label(code))) for code in codes), key=lambda item: item[1].lower())
    actors = AuditEntry.objects.filter(organisation=organisation, actor__isnull=False).values("actor_id")
    people = sorted(
        ((person.pk, person.public_name) for person in get_user_model().objects.filter(pk__in=actors)),
        key=lambda item: item[1].lower(),
    )
    form = AuditFilterForm(request.GET or None, actions=actions, people=people)
    if form.is_valid():
        if form.cleaned_data["action"]:
            entries = entries.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["person"]:
            entries = entries.filter(actor_id=form.cleaned_data["person"])
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"entry": entry, "label": action_label(entry.action), "details": _details(entry.data)}
        for entry in page.object_list
    ]
    filtered = form.is_bound and form.is_valid() and any(form.cleaned_data.values())
    return render(
        request,
        "audit/organisation_log.html",
        {"organisation": organisation, "form": form, "page_obj": page, "rows": rows, "filtered": filtered},
    )
