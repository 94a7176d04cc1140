"""Writing to practitioners: through the platform, address never shown, rate-limited, reportable, moderated."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from veche.contributions.models import Report
from veche.contributions.services import report_content
from veche.core.testing.factories import NetworkFactory, RoleFactory, UserFactory
from veche.network import services
from veche.network.models import ContactMessage
from veche.network.tests.factories import MembershipFactory, PractitionerProfileFactory

pytestmark = pytest.mark.django_db

ADDRESS = "hidden.practitioner@example.org"


@pytest.fixture
def practitioner():
    network = NetworkFactory(slug="net-a")
    user = MembershipFactory(network=network, user=UserFactory(email=ADDRESS)).user
    return PractitionerProfileFactory(user=user, name="Alena")


def test_a_signed_in_person_writes_and_the_address_stays_hidden(
    client, practitioner, django_capture_on_commit_callbacks
):
    sender = UserFactory()
    client.force_login(sender)
    page = client.get(practitioner.get_absolute_url()).content.decode()
    assert ADDRESS not in page
    contact_url = reverse("network:contact", kwargs={"pk": practitioner.pk})
    assert contact_url in page
    assert ADDRESS not in client.get(contact_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(contact_url, {"subject": "Your PB work", "body": "Could you advise us?"})
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.profile == practitioner and message.network.slug == "net-a"
    assert [email.to for email in mail.outbox] == [[ADDRESS]]
    assert sender.email not in mail.outbox[0].body  # not shared unless asked


def test_sharing_the_senders_address_is_a_choice(client, practitioner):
    sender = UserFactory()
    client.force_login(sender)
    client.post(
        reverse("network:contact", kwargs={"pk": practitioner.pk}),
        {"subject": "Hi", "body": "Reply to me directly", "share_email": "on"},
    )
    message = ContactMessage.objects.get()
    client.force_login(practitioner.user)
    assert sender.email in client.get(message.get_absolute_url()).content.decode()


def test_contact_is_rate_limited(client, practitioner, settings):
    settings.VECHE_CONTACT_RATE = "2/h"
    client.force_login(UserFactory())
    url = reverse("network:contact", kwargs={"pk": practitioner.pk})
    for _ in range(2):
        assert client.post(url, {"subject": "S", "body": "B"}).status_code == 302
    assert client.post(url, {"subject": "S", "body": "B"}).status_code == 429
    assert ContactMessage.objects.count() == 2


def test_who_may_not_write(client, practitioner):
    url = reverse("network:contact", kwargs={"pk": practitioner.pk})
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(practitioner.user)
    assert client.get(url).status_code == 404  # not to oneself
    practitioner.accepts_messages = False
    practitioner.save()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    outsider = PractitionerProfileFactory(name="No network")
    assert client.get(reverse("network:contact", kwargs={"pk": outsider.pk})).status_code == 404


def test_the_recipient_reports_and_a_network_moderator_hides(client, practitioner):
    sender = UserFactory()
    message = services.send_message(sender=sender, profile=practitioner, subject="Spam", body="Buy now")
    moderator = RoleFactory(organisation=message.network, kind="moderator").user
    # Only the recipient (and the network's moderators) see the message.
    client.force_login(sender)
    assert client.get(message.get_absolute_url()).status_code == 404
    client.force_login(practitioner.user)
    page = client.get(message.get_absolute_url()).content.decode()
    report_url = reverse("contributions:report", kwargs={"label": "network.contactmessage", "object_id": message.pk})
    assert report_url in page
    client.post(report_url, {"reason": "spam", "explanation": ""})
    report = Report.objects.get()
    assert report.organisation_id == message.network_id
    client.force_login(moderator)
    queue = client.get(reverse("contributions:queue", kwargs={"org_slug": "net-a"})).content.decode()
    assert "Buy now" in queue
    client.post(message.get_absolute_url(), {"reason": "Advertising"})
    message.refresh_from_db()
    report.refresh_from_db()
    assert message.is_hidden and report.status == "resolved"
    client.force_login(practitioner.user)
    assert "Buy now" not in client.get(message.get_absolute_url()).content.decode()


def test_a_profile_can_be_reported_and_unlisted(client, practitioner):
    reporter = UserFactory()
    report_content(reporter=reporter, target=practitioner, reason="spam")
    moderator = RoleFactory(organisation=NetworkFactory._meta.model.objects.get(slug="net-a"), kind="moderator").user
    client.force_login(moderator)
    client.post(reverse("network:unlist", kwargs={"pk": practitioner.pk}), {"reason": "Fake profile"})
    practitioner.refresh_from_db()
    assert not practitioner.is_published
    assert Report.objects.get().status == "resolved"


def test_inbox_lists_received_messages(client, practitioner):
    services.send_message(sender=UserFactory(), profile=practitioner, subject="Hello there", body="B")
    client.force_login(practitioner.user)
    assert "Hello there" in client.get(reverse("network:inbox")).content.decode()
