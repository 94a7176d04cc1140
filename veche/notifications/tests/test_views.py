"""Notification pages: unread first, mark read with htmx (fragment) or without (redirect), settings, the header
count from the context processor."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from veche.core.testing.factories import UserFactory
from veche.notifications.context_processors import unread
from veche.notifications.models import Notification, NotificationSettings
from veche.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db
LIST = "/en/notifications/"


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_list_requires_sign_in(client, db):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_unread_first_and_only_mine(client, person):
    old_unread = NotificationFactory(recipient=person, title="Old but unread")
    read = NotificationFactory(recipient=person, title="Already read", read_at=timezone.now())
    NotificationFactory(title="Someone else's")
    page = client.get(LIST).content.decode()
    assert page.index(old_unread.title) < page.index(read.title)
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page
    assert "Mark all as read" in page


def test_list_empty_state(client, person):
    assert "No notifications" in client.get(LIST).content.decode()


def test_list_paginates(client, person):
    for _index in range(23):
        NotificationFactory(recipient=person)
    assert client.get(LIST).content.decode().count('id="notification-') >= 20
    assert client.get(LIST, {"page": 2}).content.decode().count("<article") == 3


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow(client, person):
    NotificationFactory(recipient=person)
    one = count_queries(client, LIST)
    for _index in range(15):
        NotificationFactory(recipient=person)
    assert count_queries(client, LIST) == one


def test_mark_read_without_javascript_redirects_back_to_the_page(client, person):
    item = NotificationFactory(recipient=person)
    response = client.post(f"/en/notifications/{item.pk}/read/", {"page": "2"})
    assert response.status_code == 302 and response["Location"] == "/en/notifications/?page=2"
    assert Notification.objects.get().read_at is not None


def test_mark_read_with_htmx_returns_the_updated_item_only(client, person):
    item = NotificationFactory(recipient=person, title="Budget opens")
    response = client.post(f"/en/notifications/{item.pk}/read/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<li id="notification-{item.pk}">')
    assert "Budget opens" in html and "Mark as read" not in html and "<html" not in html


def test_mark_read_of_someone_elses_notification_is_404(client, person):
    item = NotificationFactory()
    assert client.post(f"/en/notifications/{item.pk}/read/").status_code == 404
    assert Notification.objects.get().read_at is None


def test_mark_read_needs_post(client, person):
    item = NotificationFactory(recipient=person)
    assert client.get(f"/en/notifications/{item.pk}/read/").status_code == 405


def test_mark_all_read(client, person):
    NotificationFactory(recipient=person)
    NotificationFactory(recipient=person)
    response = client.post("/en/notifications/read-all/", follow=True)
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "2 notifications marked as read." in response.content.decode()


def test_settings_switch_email_off_and_on(client, person):
    page = client.get("/en/notifications/settings/").content.decode()
    assert 'name="email_enabled"' in page and "checked" in page
    client.post("/en/notifications/settings/", {})
    assert NotificationSettings.objects.get(user=person).email_enabled is False
    client.post("/en/notifications/settings/", {"email_enabled": "on"})
    assert NotificationSettings.objects.get(user=person).email_enabled is True


def test_context_processor_costs_nothing_for_visitors(django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread(request) == {"unread_notifications": 0}


def test_context_processor_counts_unread_with_one_query_on_first_use(django_assert_num_queries):
    user = UserFactory()
    NotificationFactory(recipient=user)
    NotificationFactory(recipient=user, read_at=timezone.now())
    request = RequestFactory().get("/")
    request.user = user
    with django_assert_num_queries(0):
        count = unread(request)["unread_notifications"]
    with django_assert_num_queries(1):
        assert count() == 1
        assert count() == 1


def test_header_shows_the_unread_count(client, person):
    NotificationFactory(recipient=person)
    page = client.get("/en/processes/").content.decode()
    assert "1 unread" in page
