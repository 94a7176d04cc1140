"""The organisations endpoints: filters, visibility, languages, members of networks, and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from veche.api.tests.conftest import make_token
from veche.core.testing.factories import (
    AffiliationFactory,
    NetworkFactory,
    OrganisationFactory,
    RoleFactory,
    UserFactory,
)
from veche.organisations.choices import Country, OrganisationKind

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations"


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


@pytest.fixture
def directory():
    """A network with a Czech and a Polish member, an NGO, and an unpublished municipality."""
    network = NetworkFactory(slug="hub", name="Hub Network")
    brno = OrganisationFactory(
        slug="brno", name="Brno", name_cs="Brno", name_pl="Brno (PL)", country=Country.CZ, population=400_000
    )
    krakow = OrganisationFactory(
        slug="krakow", name="Cracow", name_pl="Kraków", name_cs="Krakov", country=Country.PL, region_code="PL213"
    )
    ngo = OrganisationFactory(slug="civic-lab", name="Civic Lab", kind=OrganisationKind.NGO, country=Country.PL)
    hidden = OrganisationFactory(slug="hidden", name="Hidden Town", is_published=False)
    AffiliationFactory(network=network, organisation=brno)
    AffiliationFactory(network=network, organisation=krakow)
    AffiliationFactory(network=network, organisation=ngo, left_on=datetime.date(2024, 1, 1))
    return {"network": network, "brno": brno, "krakow": krakow, "ngo": ngo, "hidden": hidden}


def test_list_is_ordered_by_name_and_hides_unpublished(client, directory):
    assert slugs(client.get(LIST)) == ["brno", "civic-lab", "krakow", "hub"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=ngo", ["civic-lab"]),
        ("kind=network", ["hub"]),
        ("country=PL", ["civic-lab", "krakow"]),
        ("network=hub", ["brno", "krakow"]),
        ("network=nowhere", []),
        ("q=krak", ["krakow"]),
        ("q=KRAK", ["krakow"]),
        ("q=lab&country=PL", ["civic-lab"]),
    ],
)
def test_filters(client, directory, query, expected):
    assert slugs(client.get(f"{LIST}?{query}")) == expected


@pytest.mark.parametrize("query", ["kind=village", "country=FR", "network=not a slug", "q=" + "x" * 101, "q=a%00b"])
def test_invalid_filters_are_422(client, directory, query):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["errors"][0]["loc"][0] == "query"


def test_an_administrator_sees_their_unpublished_organisation(client, directory):
    admin = make_token(RoleFactory(organisation=directory["hidden"], kind="administrator").user)
    member = make_token(RoleFactory(organisation=directory["hidden"], kind="member").user)

    assert "hidden" in slugs(client.get(LIST, headers=admin.headers))
    assert "hidden" not in slugs(client.get(LIST, headers=member.headers))
    assert client.get(f"{LIST}/hidden", headers=admin.headers).status_code == 200
    assert client.get(f"{LIST}/hidden", headers=member.headers).status_code == 404


def test_member_counts_are_not_inflated_by_the_visibility_join(client, directory):
    """Several roles in the network must not multiply its member count for a signed-in caller."""
    user = RoleFactory(organisation=directory["hidden"], kind="administrator").user
    for kind in ("administrator", "coordinator", "member"):
        RoleFactory(organisation=directory["network"], kind=kind)
    holder = make_token(user)

    items = {item["slug"]: item for item in client.get(LIST, headers=holder.headers).json()["items"]}

    assert items["hub"]["member_count"] == 2
    assert items["brno"]["member_count"] is None


def test_detail_gives_texts_in_every_language_and_the_current_one(client, directory):
    response = client.get(f"{LIST}/krakow?lang=pl")

    assert response.status_code == 200
    assert response["Content-Language"] == "pl"
    body = response.json()
    assert body["name"] == "Kraków"
    assert body["names"] == {"cs": "Krakov", "pl": "Kraków", "en": "Cracow"}
    assert body["descriptions"] == {"cs": None, "pl": None, "en": None}
    assert body["country"] == "PL"
    assert body["region_code"] == "PL213"
    assert [network["slug"] for network in body["networks"]] == ["hub"]
    assert body["members_url"] is None
    assert body["api_url"] == "http://testserver/api/v1/organisations/krakow"
    assert body["page_url"].startswith("http://testserver/pl/")


def test_accept_language_chooses_the_language_and_lang_overrides_it(client, directory):
    assert client.get(f"{LIST}/krakow", HTTP_ACCEPT_LANGUAGE="cs").json()["name"] == "Krakov"
    assert client.get(f"{LIST}/krakow?lang=en", HTTP_ACCEPT_LANGUAGE="cs").json()["name"] == "Cracow"
    assert client.get(f"{LIST}/krakow?lang=de").status_code == 422


def test_a_missing_translation_falls_back(client, directory):
    body = client.get(f"{LIST}/civic-lab?lang=cs").json()
    assert body["names"]["cs"] is None
    assert body["name"] == "Civic Lab"


def test_detail_of_a_network(client, directory):
    body = client.get(f"{LIST}/hub").json()
    assert body["member_count"] == 2
    assert body["members_url"] == "http://testserver/api/v1/organisations/hub/members"


def test_detail_hides_networks_the_caller_may_not_see(client, directory):
    secret_network = NetworkFactory(slug="secret", is_published=False)
    AffiliationFactory(network=secret_network, organisation=directory["brno"])

    assert [n["slug"] for n in client.get(f"{LIST}/brno").json()["networks"]] == ["hub"]


@pytest.mark.parametrize("slug", ["nowhere", "hidden"])
def test_unknown_or_unpublished_detail_is_404(client, directory, slug):
    response = client.get(f"{LIST}/{slug}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_members_of_a_network_are_the_current_ones(client, directory):
    assert slugs(client.get(f"{LIST}/hub/members")) == ["brno", "krakow"]


def test_members_of_something_that_is_not_a_network_is_404(client, directory):
    response = client.get(f"{LIST}/brno/members")
    assert response.status_code == 404
    assert response.json()["code"] == "not_a_network"
    assert client.get(f"{LIST}/hidden/members").json()["code"] == "not_found"


def test_unpublished_members_stay_hidden(client, directory):
    AffiliationFactory(network=directory["network"], organisation=directory["hidden"])
    assert slugs(client.get(f"{LIST}/hub/members")) == ["brno", "krakow"]


class TestQueryCounts:
    """The number of queries of each endpoint must not grow with the number of organisations."""

    def _populate(self, count: int, prefix: str = ""):
        network = NetworkFactory(slug=f"{prefix}net")
        for index in range(count):
            member = OrganisationFactory(slug=f"{prefix}m{index}")
            AffiliationFactory(network=network, organisation=member)
            other_network = NetworkFactory()
            AffiliationFactory(network=other_network, organisation=member)
        return network

    @pytest.mark.parametrize("count", [1, 12])
    def test_list(self, client, django_assert_num_queries, count):
        self._populate(count)
        with django_assert_num_queries(2):  # count + page
            assert client.get(LIST).status_code == 200

    def test_list_for_a_signed_in_caller(self, client):
        """Middleware adds its own queries for a signed-in person (session, user, roles); only equality matters."""
        client.force_login(UserFactory())
        self._populate(1)
        with CaptureQueriesContext(connection) as few:
            assert client.get(LIST).status_code == 200
        self._populate(12, prefix="more-")
        with CaptureQueriesContext(connection) as many:
            assert client.get(LIST).json()["count"] == 28
        assert len(many) == len(few)

    @pytest.mark.parametrize("count", [1, 12])
    def test_members(self, client, django_assert_num_queries, count):
        self._populate(count)
        with django_assert_num_queries(4):  # network + whether its member list is members-only + count + page
            assert client.get(f"{LIST}/net/members").status_code == 200

    @pytest.mark.parametrize("count", [1, 12])
    def test_detail(self, client, django_assert_num_queries, count):
        network = self._populate(count)
        member = OrganisationFactory(slug="member")
        AffiliationFactory(network=network, organisation=member)
        for _ in range(count):
            AffiliationFactory(network=NetworkFactory(), organisation=member)
        # organisation + its members + its networks + which of them keep their member list to members
        with django_assert_num_queries(4):
            assert client.get(f"{LIST}/member").status_code == 200
        with django_assert_num_queries(4):
            assert client.get(f"{LIST}/net").status_code == 200
