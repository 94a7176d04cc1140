"""Who sees a network's member organisations — on every page and API endpoint that lists affiliations, not only the
network app's own — and what a member who leaves keeps: the history, and no more access to a members-only list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from veche.core.testing.factories import AffiliationFactory, OrganisationFactory, UserFactory
from veche.network import services
from veche.network.choices import MemberListVisibility, MembershipState
from veche.network.models import Membership
from veche.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

FORM = {"motivation": "I facilitate workshops.", "region": "Vysočina", "experience": "Ten years."}
TOWN = "Quiet Town"


@pytest.fixture
def town(network):
    town = OrganisationFactory(slug="quiet-town", name=TOWN, name_en=TOWN)
    AffiliationFactory(network=network, organisation=town)
    return town


def make_members_only(network, coordinator) -> None:
    services.update_network_settings(
        actor=coordinator, network=network, changes={"member_list_visibility": MemberListVisibility.MEMBERS}
    )


def pages(client, network, town) -> dict[str, str]:
    """The HTML of every page that could name the network's member organisation."""
    urls = {
        "network home": reverse("network:home", kwargs={"slug": network.slug}),
        "network's organisation page": reverse("organisations:detail", kwargs={"slug": network.slug}),
        "member's organisation page": reverse("organisations:detail", kwargs={"slug": town.slug}),
    }
    found = {}
    for label, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, label
        found[label] = response.content.decode()
    return found


def slugs(items: list[dict]) -> list[str]:
    return [item["slug"] for item in items]


def api(client, network, town) -> dict[str, object]:
    members = client.get(f"/api/v1/organisations/{network.slug}/members")
    network_members = client.get(f"/api/v1/network/networks/{network.slug}/members")
    return {
        "members status": members.status_code,
        "network members status": network_members.status_code,
        "filtered": client.get("/api/v1/organisations", {"network": network.slug}).json()["count"],
        "town's networks": slugs(client.get(f"/api/v1/organisations/{town.slug}").json()["networks"]),
        "members_url": client.get(f"/api/v1/organisations/{network.slug}").json()["members_url"],
    }


def test_a_public_member_list_is_shown_everywhere(client, network, town):
    html = pages(client, network, town)
    assert TOWN in html["network home"]
    assert TOWN in html["network's organisation page"]
    assert network.name in html["member's organisation page"]
    found = api(client, network, town)
    assert found["members status"] == found["network members status"] == 200
    assert found["filtered"] == 1
    assert found["town's networks"] == [network.slug]
    assert found["members_url"] is not None


@pytest.mark.parametrize("viewer", ["anonymous", "outsider"])
def test_a_members_only_list_is_hidden_from_outsiders_in_html_and_api(client, network, coordinator, town, viewer):
    make_members_only(network, coordinator)
    if viewer == "outsider":
        client.force_login(UserFactory())
    html = pages(client, network, town)
    assert TOWN not in html["network home"]
    assert "shows its members to members only" in html["network home"]
    assert TOWN not in html["network's organisation page"]
    assert "shows its members to members only" in html["network's organisation page"]
    assert network.name not in html["member's organisation page"]
    assert client.get(reverse("network:members", kwargs={"slug": network.slug})).status_code == 403
    found = api(client, network, town)
    assert found["members status"] == found["network members status"] == 403
    assert found["filtered"] == 0
    assert found["town's networks"] == []
    assert found["members_url"] is None


def test_members_see_a_members_only_list_in_html_and_api(client, network, coordinator, town):
    make_members_only(network, coordinator)
    client.force_login(MembershipFactory(network=network).user)
    html = pages(client, network, town)
    assert TOWN in html["network home"] and TOWN in html["network's organisation page"]
    assert network.name in html["member's organisation page"]
    found = api(client, network, town)
    assert found["members status"] == found["network members status"] == 200
    assert found["filtered"] == 1 and found["town's networks"] == [network.slug]


def test_leaving_keeps_the_history_and_ends_access_to_a_members_only_list(client, network, coordinator, town):
    make_members_only(network, coordinator)
    person = UserFactory()
    membership = services.apply_to_network(actor=person, network=network, **FORM)
    services.decide_application(actor=coordinator, membership=membership, accept=True, message="Welcome aboard")
    client.force_login(person)
    members_url = reverse("network:members", kwargs={"slug": network.slug})
    assert client.get(members_url).status_code == 200

    response = client.post(membership.get_absolute_url(), {"action": "leave", "leave-message": "Moving abroad"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.state == MembershipState.LEFT

    # The former member still reads the whole story, with nothing left to do on it.
    page = client.get(membership.get_absolute_url()).content.decode()
    for text in ("Left the network", "Welcome aboard", "Moving abroad", FORM["motivation"]):
        assert text in page
    assert 'value="leave"' not in page
    assert [event.state for event in membership.events.all()] == ["applied", "active", "left"]
    assert membership.get_absolute_url() in client.get(reverse("network:my_memberships")).content.decode()
    # The list is closed to them again, on the pages and in the API.
    assert client.get(members_url).status_code == 403
    assert TOWN not in client.get(reverse("organisations:detail", kwargs={"slug": network.slug})).content.decode()
    assert client.get(f"/api/v1/network/networks/{network.slug}/members").status_code == 403
    assert client.get(f"/api/v1/organisations/{network.slug}/members").status_code == 403
    # Coming back is a new application; the old membership stays as it was.
    home = client.get(reverse("network:home", kwargs={"slug": network.slug})).content.decode()
    assert reverse("network:apply", kwargs={"slug": network.slug}) in home
    again = services.apply_to_network(actor=person, network=network, **FORM)
    assert again.pk != membership.pk
    assert list(Membership.objects.filter(user=person).order_by("pk").values_list("state", flat=True)) == [
        MembershipState.LEFT,
        MembershipState.APPLIED,
    ]


def test_the_coordinators_still_see_the_history_of_a_member_who_left(client, network, coordinator):
    person = UserFactory()
    membership = services.apply_to_network(actor=person, network=network, **FORM)
    services.decide_application(actor=coordinator, membership=membership, accept=True)
    services.leave_network(actor=person, membership=membership, message="Moving abroad")
    client.force_login(coordinator)
    page = client.get(membership.get_absolute_url()).content.decode()
    assert "Left the network" in page and "Moving abroad" in page
    assert 'value="end"' not in page and 'value="decide"' not in page
