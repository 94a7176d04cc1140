"""Finding consultations: lists with filters and search, fixed query counts, the map, feeds, following and the
notification of openings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from veche.consultations.models import Consultation, ConsultationTargetGroup
from veche.consultations.services import following
from veche.consultations.tests.factories import consultation_in
from veche.contributions.services import followers_of
from veche.core.models import Topic
from veche.core.testing.factories import OrganisationFactory
from veche.notifications.models import Notification

pytestmark = pytest.mark.django_db

LIST = reverse("consultations:list")


def subjects(response):
    return [row["consultation"].subject for row in response.context["rows"]]


def test_list_shows_published_and_staff_drafts(client, personas):
    consultation_in(personas.organisation, subject="Public one")
    consultation_in(personas.organisation, subject="Draft one", published=False)
    consultation_in(personas.other_organisation, subject="Other draft", published=False)
    assert set(subjects(client.get(LIST))) == {"Public one"}
    client.force_login(personas.moderator)
    assert set(subjects(client.get(LIST))) == {"Public one", "Draft one"}


def test_filters_by_state_topic_organisation_and_group(client, personas):
    park = consultation_in(personas.organisation, subject="Open park", phase="open")
    consultation_in(personas.organisation, subject="Coming soon", phase="announcement")
    consultation_in(personas.other_organisation, subject="Old plan", phase="finished")
    consultation_in(personas.organisation, subject="Unscheduled", phase=None)
    topic = Topic.objects.first()
    park.topics.add(topic)
    ConsultationTargetGroup.objects.create(consultation=park, group="youth")
    assert subjects(client.get(LIST, {"state": "open"})) == ["Open park"]
    assert set(subjects(client.get(LIST, {"state": "upcoming"}))) == {"Coming soon", "Unscheduled"}
    assert subjects(client.get(LIST, {"state": "closed"})) == ["Old plan"]
    assert subjects(client.get(LIST, {"topic": topic.slug})) == ["Open park"]
    assert subjects(client.get(LIST, {"group": "youth"})) == ["Open park"]
    assert subjects(client.get(LIST, {"organisation": personas.other_organisation.slug})) == ["Old plan"]
    response = client.get(LIST, {"state": "bogus", "group": "aliens"})
    assert response.status_code == 200 and len(subjects(response)) == 4  # invalid filters are ignored, not a 500


def test_search_finds_words_in_subject_summary_and_decision_by_prefix(client, personas):
    consultation_in(personas.organisation, subject="Riverside park", summary="Benches and trees.")
    consultation_in(
        personas.organisation, subject="Bus lanes", summary="Faster buses.", decision="Council decides on parking."
    )
    consultation_in(personas.organisation, subject="Library", summary="Longer opening hours.")
    assert set(subjects(client.get(LIST, {"q": "park"}))) == {"Riverside park", "Bus lanes"}
    assert subjects(client.get(LIST, {"q": "bench trees"})) == ["Riverside park"]
    assert subjects(client.get(LIST, {"q": "hours"})) == ["Library"]
    assert subjects(client.get(LIST, {"q": "&|!:*'\""})) != []  # operators only: no words, no filter, no error
    assert subjects(client.get(LIST, {"q": "nothing-like-this"})) == []


@pytest.mark.postgres
def test_postgres_search_ignores_accents(client, personas):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from veche.consultations.search import has_unaccent

    consultation_in(personas.organisation, subject="Náměstí Míru", summary="Úprava náměstí.", language="cs")
    consultation_in(personas.organisation, subject="Łąka nad rzeką", summary="Zieleń.", language="pl")
    assert subjects(client.get(LIST, {"q": "náměs"})) == ["Náměstí Míru"]
    if has_unaccent():
        assert subjects(client.get(LIST, {"q": "namesti"})) == ["Náměstí Míru"]
        assert subjects(client.get(LIST, {"q": "laka"})) == ["Łąka nad rzeką"]


def test_pagination(client, personas):
    for number in range(23):
        consultation_in(personas.organisation, subject=f"Consultation {number}")
    first = client.get(LIST)
    assert len(subjects(first)) == 20
    assert len(subjects(client.get(LIST, {"page": 2}))) == 3
    assert b'rel="next"' in first.content


def _count(client, url, **params):
    client.get(url, params)  # warm caches (content types, unaccent check)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["anonymous", "coordinator"])
def test_list_query_count_does_not_grow(client, personas, persona):
    if persona != "anonymous":
        client.force_login(personas.get(persona))
    topic = Topic.objects.first()
    first = consultation_in(personas.organisation, latitude=50.1, longitude=15.1)
    first.topics.add(topic)
    one = _count(client, LIST)
    one_org = _count(client, reverse("consultations:organisation", args=[personas.organisation.slug]))
    one_map = _count(client, reverse("consultations:map"))
    for number in range(12):
        other = consultation_in(OrganisationFactory(), subject=f"C {number}", latitude=50.0, longitude=15.0)
        other.topics.add(topic)
        ConsultationTargetGroup.objects.create(consultation=other, group="youth")
    assert _count(client, LIST) == one
    assert _count(client, LIST, q="consultation", state="open", topic=topic.slug) <= one + 1
    assert _count(client, reverse("consultations:organisation", args=[personas.organisation.slug])) == one_org
    assert _count(client, reverse("consultations:map")) == one_map


def test_organisation_list_and_page_section(client, personas):
    consultation_in(personas.organisation, subject="Ours")
    consultation_in(personas.other_organisation, subject="Theirs")
    response = client.get(reverse("consultations:organisation", args=[personas.organisation.slug]))
    assert subjects(response) == ["Ours"]
    page = client.get(personas.organisation.get_absolute_url())
    assert b"Ours" in page.content and b"Public consultations" in page.content
    client.force_login(personas.coordinator)
    page = client.get(personas.organisation.get_absolute_url())
    assert reverse("consultations:start", args=[personas.organisation.slug]).encode() in page.content


def test_map_lists_placed_consultations_as_geojson(client, personas):
    consultation_in(personas.organisation, subject="Placed", latitude=50.03, longitude=15.2)
    consultation_in(personas.organisation, subject="Nowhere")
    response = client.get(reverse("consultations:map"))
    assert subjects(response) == ["Placed"]
    assert b'id="consultations-map-data"' in response.content
    feature = response.context["features"]["features"][0]
    assert feature["geometry"]["coordinates"] == [15.2, 50.03]


def test_rss_and_atom_list_published_consultations(client, personas):
    consultation_in(personas.organisation, subject="Riverside park")
    consultation_in(personas.organisation, subject="Secret draft", published=False)
    client.force_login(personas.coordinator)  # feeds are public: staff see no drafts there
    rss = client.get(reverse("consultations:feed_rss"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert b"Riverside park" in rss.content and b"Secret draft" not in rss.content
    atom = client.get(reverse("consultations:feed_atom"), {"organisation": personas.organisation.slug})
    assert atom["Content-Type"].startswith("application/atom+xml") and b"Riverside park" in atom.content
    assert client.get(reverse("consultations:feed_rss"), {"organisation": "nope"}).status_code == 404


def test_icalendar_has_opening_and_closing_events(client, personas):
    consultation = consultation_in(personas.organisation, subject="Riverside park")
    consultation_in(personas.organisation, subject="Unscheduled", phase=None)
    response = client.get(reverse("consultations:feed_calendar"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    host = "testserver"
    assert set(events) == {
        f"consultation-{consultation.pk}-opens@{host}",
        f"consultation-{consultation.pk}-closes@{host}",
    }
    opening = events[f"consultation-{consultation.pk}-opens@{host}"]
    assert opening.decoded("dtstart") == consultation.opens_at.replace(microsecond=0)
    assert "Riverside park" in str(opening["summary"])
    assert str(opening["url"]).endswith(consultation.get_absolute_url())


def test_follow_and_unfollow(client, personas):
    consultation = consultation_in(personas.organisation)
    follow_url = reverse("consultations:follow", args=[personas.organisation.slug, consultation.slug])
    assert client.post(follow_url).status_code == 302  # to sign in
    assert not followers_of(consultation).exists()
    client.force_login(personas.resident)
    client.post(follow_url, {"follow": "1"})
    client.post(follow_url, {"follow": "1"})
    assert list(followers_of(consultation)) == [personas.resident]
    assert b"Stop following" in client.get(consultation.get_absolute_url()).content
    assert b"You follow it" in client.get(LIST).content
    client.post(follow_url, {"follow": "0"})
    assert not followers_of(consultation).exists()


def test_residents_cannot_follow_drafts(client, personas):
    draft = consultation_in(personas.organisation, published=False)
    client.force_login(personas.resident)
    assert (
        client.post(reverse("consultations:follow", args=[personas.organisation.slug, draft.slug])).status_code == 404
    )


def test_openings_are_announced_once_to_followers(personas, django_capture_on_commit_callbacks, settings):
    open_now = consultation_in(personas.organisation, subject="Open park")
    upcoming = consultation_in(personas.organisation, subject="Later", phase="announcement")
    following.set_following(user=personas.resident, consultation=open_now, following=True)
    following.set_following(user=personas.resident, consultation=upcoming, following=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert following.notify_openings() == [open_now.pk]
    assert following.notify_openings() == []
    call_command("notify_consultation_openings", stdout=open("/dev/null", "w"))  # noqa: SIM115
    notes = Notification.objects.filter(recipient=personas.resident)
    assert [note.kind for note in notes] == ["consultations.opened"]
    assert "Open park" in notes[0].title
    assert len(mail.outbox) == 1 and "Open park" in mail.outbox[0].subject
    # Later, the upcoming one opens: it is announced then.
    later = timezone.now() + dt.timedelta(days=6)
    assert following.notify_openings(now=later) == [upcoming.pk]


def test_moving_the_opening_announces_it_again(personas):
    from veche.consultations.services import setup

    consultation = consultation_in(personas.organisation, short_period_confirmed=True)
    following.set_following(user=personas.resident, consultation=consultation, following=True)
    assert following.notify_openings() == [consultation.pk]
    consultation = Consultation.objects.for_detail_page().get(pk=consultation.pk)
    opens = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    setup.set_timeline(
        actor=personas.coordinator,
        consultation=consultation,
        announced_at=None,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=30),
        report_due=(opens + dt.timedelta(days=40)).date(),
    )
    assert following.notify_openings() == []
    assert following.notify_openings(now=opens + dt.timedelta(hours=1)) == [consultation.pk]


def test_notify_followers_for_the_report_includes_participants_who_want_news(personas):
    from veche.consultations.tests.factories import participant

    consultation = consultation_in(personas.organisation, phase="finished")
    following.set_following(user=personas.resident, consultation=consultation, following=True)
    participant(consultation, user=personas.member, notify=True)
    participant(consultation, user=personas.expert, notify=False)
    count = following.notify_followers(consultation, following.REPORT_PUBLISHED, include_participants=True)
    assert count == 2
    assert set(Notification.objects.values_list("recipient__email", flat=True)) == {
        "resident@example.org",
        "member@example.org",
    }
    with pytest.raises(ValueError):
        following.notify_followers(consultation, "bogus")


def test_filter_by_network_lists_its_current_members(client, personas):
    import datetime as dt

    from veche.core.testing.factories import AffiliationFactory, NetworkFactory

    network = NetworkFactory(slug="hub", name="Hub")
    AffiliationFactory(network=network, organisation=personas.organisation)
    AffiliationFactory(network=network, organisation=personas.other_organisation, left_on=dt.date(2024, 1, 1))
    consultation_in(personas.organisation, subject="Member's")
    consultation_in(personas.other_organisation, subject="Former member's")
    response = client.get(LIST, {"network": "hub"})
    assert subjects(response) == ["Member's"]
    assert b'name="network"' in response.content
    assert client.get("/api/v1/consultations", {"network": "hub"}).json()["count"] == 1


def test_a_members_only_network_is_no_filter_for_outsiders(client, personas):
    """Filtering by a network that keeps its member list to members would tell outsiders who belongs."""
    from veche.core.testing.factories import AffiliationFactory, NetworkFactory, RoleFactory
    from veche.network import services as network_services

    network = NetworkFactory(slug="closed-hub", name="Closed Hub")
    AffiliationFactory(network=network, organisation=personas.organisation)
    consultation_in(personas.organisation, subject="Member's")
    coordinator = RoleFactory(organisation=network, kind="coordinator").user
    network_services.update_network_settings(
        actor=coordinator, network=network, changes={"member_list_visibility": "members"}
    )
    assert b"Closed Hub" not in client.get(LIST).content
    assert client.get("/api/v1/consultations", {"network": "closed-hub"}).json()["count"] == 0
    client.force_login(coordinator)  # a role in the network makes one of its people
    assert b"Closed Hub" in client.get(LIST).content
    assert client.get("/api/v1/consultations", {"network": "closed-hub"}).json()["count"] == 1
