from __future__ import annotations

import pytest

from veche.accounts.services import erase_account, export_personal_data
from veche.core.testing.factories import UserFactory
from veche.network import services
from veche.network.models import ContactMessage, Membership, PractitionerProfile
from veche.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_export_and_erasure(network):
    person = MembershipFactory(network=network, motivation="My own words").user
    profile = services.save_profile(actor=person, changes={"is_published": True, "name": "Eva", "bio": "Bio"})
    sender = UserFactory()
    services.send_message(sender=sender, profile=profile, subject="Hi", body="Hello Eva")
    data = export_personal_data(user=person)["networks_and_practitioner_profile"]
    assert data["practitioner_profile"]["bio"] == "Bio"
    assert data["memberships"][0]["motivation"] == "My own words"
    assert data["messages_received"][0]["body"] == "Hello Eva"
    erase_account(user=person)
    assert not PractitionerProfile.objects.filter(pk=profile.pk).exists()
    assert not ContactMessage.objects.exists()  # received messages go with the profile
    membership = Membership.objects.get(user=person)
    assert membership.state == "left" and membership.motivation == ""
