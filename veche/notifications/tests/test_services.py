"""notify(): rows in one transaction, emails only after commit, through the email task, in each recipient's language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from veche.core.testing.factories import UserFactory
from veche.notifications import services
from veche.notifications.models import Notification, NotificationSettings
from veche.notifications.services import notify, translatable

pytestmark = pytest.mark.django_db


def test_notify_creates_one_row_per_recipient(django_capture_on_commit_callbacks):
    anna, piotr = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(recipients=[anna, piotr, anna], kind="test.kind", title="Hello", body="Text", url="/en/")
    assert len(created) == 2
    assert set(Notification.objects.values_list("recipient_id", "kind", "title")) == {
        (anna.pk, "test.kind", "Hello"),
        (piotr.pk, "test.kind", "Hello"),
    }


@pytest.fixture
def enqueued():
    """The task results enqueued during the test, in order."""
    from django_tasks.signals import task_enqueued

    results = []

    def remember(sender, task_result, **kwargs):
        results.append(task_result)

    task_enqueued.connect(remember, weak=False)
    yield results
    task_enqueued.disconnect(remember)


def test_email_is_sent_only_on_commit_through_the_task(django_capture_on_commit_callbacks, enqueued, settings):
    from veche.core.tasks import send_email_task

    settings.SITE_URL = "https://veche.example.org"

    person = UserFactory(email="ewa@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[person], kind="test.kind", title="Budget opens", body="Vote now.", url="/en/processes/")
    assert len(callbacks) == 1 and mail.outbox == [] and enqueued == []
    callbacks[0]()
    assert [result.task.func for result in enqueued] == [send_email_task.func]
    assert enqueued[0].kwargs["to"] == ["ewa@example.org"]
    [message] = mail.outbox
    assert message.subject == "Budget opens"
    assert "Vote now." in message.body
    assert "https://veche.example.org/en/processes/" in message.body
    assert "https://veche.example.org/en/notifications/settings/" in message.body


def test_nothing_is_sent_or_kept_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[person], kind="test.kind", title="Nope")
        raise RuntimeError
    assert mail.outbox == [] and not Notification.objects.exists()


def test_no_email_for_people_who_opted_out_or_have_no_address(django_capture_on_commit_callbacks):
    wants = UserFactory(email="yes@example.org")
    opted_out = UserFactory(email="no@example.org")
    NotificationSettings.objects.create(user=opted_out, email_enabled=False)
    no_address = UserFactory(email=None, verified=False)
    inactive = UserFactory(email="gone@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[wants, opted_out, no_address, inactive], kind="k", title="T")
    assert [message.to for message in mail.outbox] == [["yes@example.org"]]
    assert Notification.objects.count() == 4


def test_email_false_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[UserFactory()], kind="k", title="T", email=False)
    assert mail.outbox == [] and Notification.objects.count() == 1


def test_each_recipient_gets_their_language(django_capture_on_commit_callbacks):
    czech = UserFactory(language="cs", email="cz@example.org")
    english = UserFactory(language="", email="en@example.org")
    title = translatable(_("%(count)s notifications marked as read."), count=3)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[czech, english], kind="k", title=title, url="/cs/")
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["en@example.org"].subject == "3 notifications marked as read."
    assert "Hello" in by_address["en@example.org"].body
    rows = dict(Notification.objects.values_list("recipient_id", "title"))
    assert rows[english.pk] == "3 notifications marked as read."
    # The Czech rendering is whatever the Czech catalogue says; it must at least have been rendered under cs.
    assert by_address["cz@example.org"].subject == rows[czech.pk]


def test_links_must_be_site_paths_or_http(db):
    with pytest.raises(ValueError):
        notify(recipients=[UserFactory()], kind="k", title="T", url="javascript:alert(1)")


def test_mark_read_only_for_the_recipient():
    from django.core.exceptions import PermissionDenied

    from veche.notifications.tests.factories import NotificationFactory

    item = NotificationFactory()
    with pytest.raises(PermissionDenied):
        services.mark_read(user=UserFactory(), notification=item)
    services.mark_read(user=item.recipient, notification=item)
    first = Notification.objects.get().read_at
    assert first is not None
    services.mark_read(user=item.recipient, notification=item)
    assert Notification.objects.get().read_at == first


def test_mark_all_read_touches_only_the_persons_unread():
    from veche.notifications.tests.factories import NotificationFactory

    mine = NotificationFactory()
    NotificationFactory(recipient=mine.recipient)
    theirs = NotificationFactory()
    assert services.mark_all_read(user=mine.recipient) == 2
    assert services.mark_all_read(user=mine.recipient) == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None
