"""The API answers what the pages show: public member organisations, and practitioners with only the fields their
owners made visible to the caller."""

from __future__ import annotations

import pytest

from veche.core.models import Method
from veche.core.testing.factories import AffiliationFactory, NetworkFactory, OrganisationFactory, RoleFactory
from veche.network import services
from veche.network.choices import MemberListVisibility, Visibility
from veche.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SECRET = "Qwertysecret"


@pytest.fixture
def setup():
    network = NetworkFactory(slug="net-a", name="Net A", name_en="Net A")
    coordinator = RoleFactory(organisation=network, kind="coordinator").user
    AffiliationFactory(network=network, organisation=OrganisationFactory(slug="town", latitude=50.0, longitude=14.4))
    owner = MembershipFactory(network=network).user
    profile = services.save_profile(
        actor=owner,
        changes={
            "is_published": True,
            "name": "Hidden Bio Person",
            "bio": SECRET,
            "bio_visibility": Visibility.HIDDEN,
            "organisation_name": "Coordinated Org",
            "organisation_visibility": Visibility.COORDINATORS,
            "languages": ["hu"],
            "languages_visibility": Visibility.MEMBERS,
        },
        methods=list(Method.objects.filter(slug="referendum")),
    )
    return {"network": network, "coordinator": coordinator, "profile": profile, "owner": owner}


def test_networks_and_their_members(client, setup):
    body = client.get("/api/v1/network/networks").json()
    assert [item["slug"] for item in body["items"]] == ["net-a"]
    assert body["items"][0]["member_count"] == 1 and body["items"][0]["members_public"] is True
    members = client.get("/api/v1/network/networks/net-a/members").json()
    assert [(item["slug"], item["latitude"]) for item in members["items"]] == [("town", 50.0)]
    assert client.get("/api/v1/network/networks/nope").status_code == 404


def test_members_only_networks_refuse_outsiders(client, setup):
    services.update_network_settings(
        actor=setup["coordinator"],
        network=setup["network"],
        changes={"member_list_visibility": MemberListVisibility.MEMBERS},
    )
    assert client.get("/api/v1/network/networks/net-a/members").status_code == 403
    assert client.get("/api/v1/network/networks/net-a").json()["members_url"] is None
    # Nor can the practitioners' filter reveal who belongs.
    assert client.get("/api/v1/network/practitioners", {"network": "net-a"}).json()["count"] == 0


def test_hidden_fields_never_reach_the_api(client, setup):
    body = client.get("/api/v1/network/practitioners").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "Hidden Bio Person"
    assert item["bio"] is None and item["organisation"] is None and item["languages"] == []
    assert "bio" not in item["visible_fields"]
    assert SECRET not in str(body)
    assert client.get("/api/v1/network/practitioners", {"q": SECRET}).json()["count"] == 0
    assert client.get("/api/v1/network/practitioners", {"language": "hu"}).json()["count"] == 0
    detail = client.get(f"/api/v1/network/practitioners/{setup['profile'].pk}").json()
    assert SECRET not in str(detail)


def test_coordinators_see_coordinator_fields_but_never_hidden_ones(client, setup):
    client.force_login(setup["coordinator"])
    item = client.get(f"/api/v1/network/practitioners/{setup['profile'].pk}").json()
    assert item["organisation"] == "Coordinated Org" and item["languages"] == ["hu"]
    assert item["bio"] is None
    assert client.get("/api/v1/network/practitioners", {"language": "hu"}).json()["count"] == 1


def test_the_owner_sees_everything_and_unpublished_profiles_are_404(client, setup):
    client.force_login(setup["owner"])
    assert client.get(f"/api/v1/network/practitioners/{setup['profile'].pk}").json()["bio"] == SECRET
    setup["profile"].is_published = False
    setup["profile"].save()
    client.logout()
    assert client.get(f"/api/v1/network/practitioners/{setup['profile'].pk}").status_code == 404
    assert client.get("/api/v1/network/practitioners").json()["count"] == 0
