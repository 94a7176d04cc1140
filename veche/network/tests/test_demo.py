"""The network demo: two networks, 40 practitioners over Czechia and Poland, applications waiting; idempotent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from veche.core.demo import DemoContext
from veche.network import access
from veche.network.demo import load_networks
from veche.network.models import Membership, PractitionerProfile
from veche.organisations.demo import load_organisations, load_people

pytestmark = pytest.mark.django_db


def run() -> DemoContext:
    context = DemoContext()
    load_organisations(context)
    load_people(context)
    load_networks(context)
    return context


def test_demo_networks_and_practitioners(client):
    context = run()
    run()  # again: nothing changes
    assert PractitionerProfile.objects.count() == 40
    assert set(PractitionerProfile.objects.values_list("country", flat=True)) == {"CZ", "PL"}
    assert PractitionerProfile.objects.published().count() == 36
    hub = context.organisations["cee-participation-hub"]
    regional = context.organisations["sit-participace-stredni-cechy"]
    assert Membership.objects.filter(network=hub, state="active", user__isnull=False).count() == 36
    assert Membership.objects.filter(state="applied").count() >= 4
    practitioner = context.people["practitioner01"]
    assert access.member_network_ids(practitioner) == {hub.pk, regional.pk}
    assert access.is_network_coordinator(context.people["coordinator"], regional)
    hub.refresh_from_db()
    assert regional.has_location and hub.has_location
    for language in ("cs", "pl", "en"):
        assert client.get(f"/{language}/networks/").status_code == 200
        home = client.get(reverse("network:home", kwargs={"slug": hub.slug}))
        assert home.status_code == 200 and b"members-map-data" in home.content
        assert client.get(f"/{language}/practitioners/").status_code == 200
