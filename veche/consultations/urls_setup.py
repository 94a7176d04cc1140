"""Set-up and finding: lists, feeds, creating and editing consultations.

Fixed words come first ("new", "map", "feeds", "readability"), so an organisation with such a slug cannot shadow
them (the same rule as the processes' "new")."""

from django.urls import path

from veche.consultations import feeds
from veche.consultations.views import finding, setup

urlpatterns: list = [
    path("", finding.consultation_list, name="list"),
    path("map/", finding.consultation_map, name="map"),
    path("feeds/rss/", feeds.rss_feed, name="feed_rss"),
    path("feeds/atom/", feeds.atom_feed, name="feed_atom"),
    path("feeds/calendar.ics", feeds.calendar_feed, name="feed_calendar"),
    path("readability/", setup.readability, name="readability"),
    path("new/<slug:org_slug>/", setup.consultation_start, name="start"),
    path("<slug:org_slug>/", finding.organisation_consultations, name="organisation"),
    path("<slug:org_slug>/<slug:slug>/edit/", setup.consultation_edit, name="edit"),
    path("<slug:org_slug>/<slug:slug>/timeline/", setup.consultation_timeline, name="timeline"),
    path("<slug:org_slug>/<slug:slug>/methods/", setup.consultation_methods, name="methods"),
    path("<slug:org_slug>/<slug:slug>/area/", setup.consultation_area, name="area"),
    path("<slug:org_slug>/<slug:slug>/publish/", setup.consultation_publish, name="publish"),
    path("<slug:org_slug>/<slug:slug>/follow/", finding.consultation_follow, name="follow"),
]
