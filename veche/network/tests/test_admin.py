from __future__ import annotations

import pytest
from django.urls import reverse

from veche.core.testing.factories import UserFactory
from veche.network import services
from veche.network.tests.factories import PractitionerProfileFactory

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_accepts_through_the_service(client, network):
    root = UserFactory(is_superuser=True, is_staff=True)
    membership = services.apply_to_network(
        actor=UserFactory(), network=network, motivation="m", region="r", experience="e"
    )
    PractitionerProfileFactory()
    client.force_login(root)
    for name in ("membership", "practitionerprofile", "contactmessage", "networksettings"):
        assert client.get(reverse(f"admin:network_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:network_membership_change", args=[membership.pk])).status_code == 200
    client.post(
        reverse("admin:network_membership_changelist"),
        {"action": "accept", "_selected_action": [membership.pk]},
    )
    membership.refresh_from_db()
    assert membership.state == "active"
    assert membership.events.count() == 2
