"""Finding consultations: the list across the site (the network) and per organisation, with filters and search, the
map, following, and the organisation page's section. Feeds (RSS, Atom, iCalendar) are in feeds.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veche.consultations.access import get_consultation_for_user
from veche.consultations.forms_setup import STATE_CLOSED, STATE_OPEN, STATE_UPCOMING, ConsultationFilterForm
from veche.consultations.models import Consultation
from veche.consultations.services import following
from veche.contributions.services import followed_ids
from veche.core.models import Topic
from veche.core.ratelimit import limit_writes
from veche.core.translation import fallback_expression
from veche.organisations.member_lists import networks_showing_members
from veche.organisations.models import Affiliation, Organisation

PAGE_SIZE = 20
MAP_LIMIT = 500


def state_of(consultation: Consultation, now: Any) -> str:
    """open, upcoming, closed — from the timeline fields (no query); "unscheduled" before the dates are set."""
    if consultation.opens_at is None or consultation.closes_at is None:
        return "unscheduled"
    if now < consultation.opens_at:
        return STATE_UPCOMING
    if now < consultation.closes_at:
        return STATE_OPEN
    return STATE_CLOSED


def _filter_form(request: HttpRequest, visible: Any, *, organisation: Organisation | None) -> ConsultationFilterForm:
    organisations = networks = None
    if organisation is None:
        organisations = list(
            Organisation.objects.filter(pk__in=visible.values("organisation_id"))
            .order_by(fallback_expression("name"), "pk")
            .values_list("slug", "name")
        )
        members = Affiliation.objects.filter(left_on__isnull=True, organisation__in=visible.values("organisation_id"))
        candidates = Organisation.objects.filter(pk__in=members.values("network_id"), is_published=True)
        # A network that keeps its member list to its members is no filter for others: it would tell who belongs.
        shown = networks_showing_members(request.user, candidates.order_by(fallback_expression("name"), "pk"))
        networks = [(network.slug, network.name) for network in shown]
    return ConsultationFilterForm(
        request.GET or None, organisations=organisations, networks=networks, topics=list(Topic.objects.all())
    )


def _rows(consultations: list[Consultation], user: Any, now: Any) -> list[dict[str, Any]]:
    followed = followed_ids(user, Consultation)
    return [
        {"consultation": item, "state": state_of(item, now), "followed": item.pk in followed} for item in consultations
    ]


def _list(request: HttpRequest, organisation: Organisation | None) -> HttpResponse:
    visible = Consultation.objects.visible_to(request.user)
    if organisation is not None:
        visible = visible.filter(organisation=organisation)
    form = _filter_form(request, visible, organisation=organisation)
    filters = form.filters()
    now = timezone.now()
    consultations = visible.filtered(filters, now).for_list_page()
    page = Paginator(consultations, PAGE_SIZE).get_page(request.GET.get("page"))
    feed_query = f"?{urlencode({'organisation': organisation.slug})}" if organisation else ""
    return render(
        request,
        "consultations/finding/list.html",
        {
            "form": form,
            "filtered": bool(filters),
            "page_obj": page,
            "rows": _rows(list(page.object_list), request.user, now),
            "organisation": organisation,
            "can_add": organisation is not None
            and request.user.has_perm("consultations.add_consultation", organisation),
            "map_url": reverse("consultations:map") + (f"?{request.GET.urlencode()}" if request.GET else feed_query),
            "feed_query": feed_query,
        },
    )


def consultation_list(request: HttpRequest) -> HttpResponse:
    """Every consultation the visitor may see, across the site (the network's portal), newest first."""
    return _list(request, None)


def organisation_consultations(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=org_slug)
    if not request.user.has_perm("organisations.view_organisation", organisation):
        raise Http404
    return _list(request, organisation)


def map_features(consultations: list[Consultation], now: Any) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of consultations' centres, for components/map.html."""
    labels = {
        STATE_OPEN: _("Open now"),
        STATE_UPCOMING: _("Upcoming"),
        STATE_CLOSED: _("Closed"),
        "unscheduled": _("Dates not set yet"),
    }
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [item.longitude, item.latitude]},
                "properties": {
                    "title": item.subject,
                    "url": getattr(item, "page_url", "") or item.get_absolute_url(),
                    "text": f"{item.organisation.name} · {labels[state_of(item, now)]}",
                },
            }
            for item in consultations
            if item.latitude is not None and item.longitude is not None
        ],
    }


def consultation_map(request: HttpRequest) -> HttpResponse:
    """The consultations with a place, on a map, with the list's filters; the list below is the map's text."""
    visible = Consultation.objects.visible_to(request.user)
    form = _filter_form(request, visible, organisation=None)
    now = timezone.now()
    consultations = list(visible.filtered(form.filters(), now).for_map_page()[:MAP_LIMIT])
    for item in consultations:
        item.page_url = item.get_absolute_url()  # once for the marker and the list
    return render(
        request,
        "consultations/finding/map.html",
        {
            "form": form,
            "filtered": bool(form.filters()),
            "rows": _rows(consultations, request.user, now),
            "features": map_features(consultations, now),
            "list_url": reverse("consultations:list") + (f"?{request.GET.urlencode()}" if request.GET else ""),
            "limit": MAP_LIMIT,
        },
    )


@login_required
@limit_writes
@require_POST
def consultation_follow(request: HttpRequest, org_slug: str, slug: str) -> HttpResponse:
    consultation = get_consultation_for_user(request, org_slug, slug, permission="consultations.follow_consultation")
    follow = request.POST.get("follow") != "0"
    following.set_following(user=request.user, consultation=consultation, following=follow)
    if follow:
        messages.success(
            request, _("You follow this consultation: we will tell you when it opens and when the report is out.")
        )
    else:
        messages.success(request, _("You no longer follow this consultation."))
    return redirect(consultation.get_absolute_url())


def organisation_section(request: HttpRequest, organisation: Organisation) -> dict[str, Any] | None:
    """The organisation page's section: its latest consultations (left out when there are none)."""
    now = timezone.now()
    consultations = list(
        Consultation.objects.visible_to(request.user).filter(organisation=organisation).for_list_page()[:6]
    )
    can_add = request.user.has_perm("consultations.add_consultation", organisation)
    if not consultations and not can_add:
        return None
    return {
        "organisation": organisation,
        "rows": _rows(consultations, request.user, now),
        "list_url": reverse("consultations:organisation", args=[organisation.slug]),
        "add_url": reverse("consultations:start", args=[organisation.slug]) if can_add else "",
    }
