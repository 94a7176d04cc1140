from __future__ import annotations

import pytest

from veche.accounts.personal_data import erasers, exporters
from veche.notifications.models import Notification, NotificationSettings
from veche.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_export_and_erase():
    item = NotificationFactory(title="Budget opens")
    other = NotificationFactory()
    NotificationSettings.objects.create(user=item.recipient, email_enabled=False)
    exported = exporters()["notifications"](item.recipient)
    assert exported["email_enabled"] is False
    assert [entry["title"] for entry in exported["items"]] == ["Budget opens"]
    erasers()["notifications"](item.recipient)
    assert list(Notification.objects.all()) == [other]
    assert not NotificationSettings.objects.exists()


def test_admin_lists_notifications(client, personas, settings):
    settings.VECHE_REQUIRE_STAFF_2FA = False
    item = NotificationFactory()
    client.force_login(personas.superuser)
    assert client.get("/en/admin/notifications/notification/").status_code == 200
    assert client.get(f"/en/admin/notifications/notification/{item.pk}/change/").status_code == 200
    assert client.get("/en/admin/notifications/notificationsettings/").status_code == 200
