"""Feeds of published consultations: RSS 2.0 and Atom (django.contrib.syndication) of the newest, and an iCalendar
file of their opening and closing dates (icalendar) for a calendar app to subscribe to. `?organisation=<slug>`
narrows any of them to one organisation. Feeds are public: they list published consultations only, whoever asks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from veche.consultations.models import Consultation
from veche.organisations.models import Organisation

FEED_ITEMS = 50
CALENDAR_ITEMS = 300
CACHE_SECONDS = 300  # feeds are the same for everyone: calendar apps poll them


def _organisation(request: HttpRequest) -> Organisation | None:
    slug = request.GET.get("organisation", "")
    if not slug:
        return None
    organisation = Organisation.objects.filter(slug=slug[:80], is_published=True).first()
    if organisation is None:
        raise Http404
    return organisation


def feed_queryset(organisation: Organisation | None) -> Any:
    queryset = Consultation.objects.published().select_related("organisation")
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset


class ConsultationsFeed(Feed):
    """The newest published consultations (RSS 2.0)."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Organisation | None:
        return _organisation(request)

    def title(self, obj: Organisation | None) -> str:
        if obj is None:
            return _("Public consultations")
        return _("Public consultations of %(organisation)s") % {"organisation": obj.name}

    def link(self, obj: Organisation | None) -> str:
        if obj is None:
            return reverse("consultations:list")
        return reverse("consultations:organisation", args=[obj.slug])

    def description(self, obj: Organisation | None) -> str:
        return _("New consultations: what is being decided, until when you can take part, and how.")

    def items(self, obj: Organisation | None) -> Any:
        return feed_queryset(obj).order_by("-created_at", "-pk")[:FEED_ITEMS]

    def item_title(self, item: Consultation) -> str:
        return f"{item.subject} ({item.organisation.name})"

    def item_description(self, item: Consultation) -> str:
        return item.summary

    def item_link(self, item: Consultation) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Consultation) -> dt.datetime:
        return item.announced_at or item.opens_at or item.created_at

    def item_updateddate(self, item: Consultation) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: Consultation) -> str:
        return str(item.organisation.name)

    def item_guid(self, item: Consultation) -> str:
        return f"consultation-{item.pk}"

    def item_guid_is_permalink(self, item: Consultation) -> bool:
        return False


class ConsultationsAtomFeed(ConsultationsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Organisation | None) -> str:
        return self.description(obj)


rss_feed = cache_page(CACHE_SECONDS)(ConsultationsFeed())
atom_feed = cache_page(CACHE_SECONDS)(ConsultationsAtomFeed())


def _host(request: HttpRequest) -> str:
    return request.get_host().split(":")[0] or "veche"


def build_calendar(consultations: list[Consultation], *, request: HttpRequest, name: str) -> bytes:
    """One calendar with two events per consultation — it opens, it closes — each a short moment at that time,
    with the consultation's page as URL. UIDs are stable, so calendar apps update events when dates move."""
    calendar = Calendar()
    calendar.add("prodid", "-//veche//consultations//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    host = _host(request)
    stamp = timezone.now()
    for item in consultations:
        url = request.build_absolute_uri(item.get_absolute_url())
        moments = (
            ("opens", item.opens_at, _("Consultation opens: %(subject)s")),
            ("closes", item.closes_at, _("Last moment to take part: %(subject)s")),
        )
        for key, moment, summary in moments:
            if moment is None:
                continue
            event = Event()
            event.add("uid", f"consultation-{item.pk}-{key}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", moment)
            event.add("dtend", moment + dt.timedelta(minutes=30))
            event.add("summary", summary % {"subject": item.subject})
            event.add("description", f"{item.organisation.name}: {url}")
            event.add("url", url)
            event.add("last-modified", item.updated_at)
            calendar.add_component(event)
    return calendar.to_ical()


@require_safe
@cache_page(CACHE_SECONDS)
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """iCalendar (.ics) of the opening and closing of published consultations that have not closed more than 90 days
    ago, soonest first (at most CALENDAR_ITEMS consultations)."""
    organisation = _organisation(request)
    since = timezone.now() - dt.timedelta(days=90)
    consultations = list(
        feed_queryset(organisation)
        .filter(opens_at__isnull=False, closes_at__gte=since)
        .order_by("opens_at", "pk")[:CALENDAR_ITEMS]
    )
    if organisation is None:
        name = _("Public consultations")
    else:
        name = _("Public consultations of %(organisation)s") % {"organisation": organisation.name}
    response = HttpResponse(
        build_calendar(consultations, request=request, name=name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="consultations.ics"'
    return response
