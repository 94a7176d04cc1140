"""The directory: search and filters that never match hidden fields, pages that never show them, the coordinators'
export, and a query count that does not grow with the number of profiles."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veche.core.models import Method
from veche.core.testing.factories import NetworkFactory, RoleFactory, UserFactory
from veche.network import services
from veche.network.choices import MemberListVisibility, Visibility
from veche.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SECRET = "Zyxwvutsecret"


def make_practitioner(network, **changes):
    user = MembershipFactory(network=network).user
    methods = changes.pop("methods", None)
    values = {"is_published": True, "name": changes.pop("name", f"Practitioner {user.pk}"), **changes}
    return services.save_profile(actor=user, changes=values, methods=methods)


@pytest.fixture
def setup():
    network = NetworkFactory(slug="net-a")
    coordinator = RoleFactory(organisation=network, kind="coordinator").user
    fellow = MembershipFactory(network=network).user
    hidden = make_practitioner(
        network,
        name="Hana Skrytá",
        bio=f"I ran {SECRET} workshops",
        bio_visibility=Visibility.HIDDEN,
        organisation_name="Coordinators Only Org",
        organisation_visibility=Visibility.COORDINATORS,
        region="Membersregion",
        country="CZ",
        location_visibility=Visibility.MEMBERS,
        languages=["pl"],
        languages_visibility=Visibility.HIDDEN,
        available_as_mentor=True,
        availability_visibility=Visibility.HIDDEN,
        methods=list(Method.objects.filter(slug="referendum")),
        methods_visibility=Visibility.HIDDEN,
    )
    return {"network": network, "coordinator": coordinator, "fellow": fellow, "profile": hidden}


def names(client, **params) -> list[str]:
    response = client.get(reverse("network:directory"), params)
    assert response.status_code == 200
    return [profile.name for profile in response.context["profiles"]]


@pytest.mark.parametrize("viewer", ["anonymous", "stranger", "fellow", "coordinator", "superuser"])
def test_hidden_fields_are_never_searchable_or_filterable(client, setup, viewer):
    if viewer == "stranger":
        client.force_login(UserFactory())
    elif viewer == "superuser":
        client.force_login(UserFactory(is_superuser=True, is_staff=True))
    elif viewer != "anonymous":
        client.force_login(setup[viewer])
    assert names(client, q="Hana") == ["Hana Skrytá"]
    assert names(client, q=SECRET) == []
    assert names(client, language="pl") == []
    assert names(client, availability="mentor") == []
    assert names(client, method="referendum") == []
    html = client.get(reverse("network:directory"), {"q": "hana"}).content.decode()
    assert SECRET not in html
    detail = client.get(setup["profile"].get_absolute_url()).content.decode()
    assert SECRET not in detail and "Polish" not in detail and "Referendum" not in detail


def test_fields_for_members_and_coordinators(client, setup):
    assert names(client, q="membersregion") == []
    assert names(client, country="CZ") == []
    client.force_login(setup["fellow"])
    assert names(client, q="membersregion") == ["Hana Skrytá"]
    assert names(client, country="CZ") == ["Hana Skrytá"]
    assert names(client, q="coordinators only") == []
    assert "Coordinators Only Org" not in client.get(setup["profile"].get_absolute_url()).content.decode()
    client.force_login(setup["coordinator"])
    assert names(client, q="coordinators only") == ["Hana Skrytá"]
    assert "Coordinators Only Org" in client.get(setup["profile"].get_absolute_url()).content.decode()


def test_search_folds_case_and_diacritics(client, setup):
    assert names(client, q="SKRYTA") == ["Hana Skrytá"]
    assert names(client, q="hana skrytá") == ["Hana Skrytá"]
    assert names(client, q="hana nobody") == []


def test_visible_filters_match(client, setup):
    make_practitioner(
        setup["network"],
        name="Petr Veřejný",
        languages=["cs", "en"],
        available_as_trainer=True,
        methods=list(Method.objects.filter(slug="citizens_panel")),
    )
    assert names(client, language="en") == ["Petr Veřejný"]
    assert names(client, availability="trainer") == ["Petr Veřejný"]
    assert names(client, method="citizens_panel") == ["Petr Veřejný"]
    assert names(client, q="panel") == ["Petr Veřejný"]  # method names are searchable
    assert set(names(client, network="net-a")) == {"Petr Veřejný", "Hana Skrytá"}


def test_members_only_networks_cannot_be_used_as_a_filter_by_outsiders(client, setup):
    services.update_network_settings(
        actor=setup["coordinator"],
        network=setup["network"],
        changes={"member_list_visibility": MemberListVisibility.MEMBERS},
    )
    response = client.get(reverse("network:directory"), {"network": "net-a"})
    assert response.context["profiles"] == []  # an invalid choice: nothing, and no membership revealed
    client.force_login(setup["fellow"])
    assert names(client, network="net-a") == ["Hana Skrytá"]


def test_the_directory_query_count_does_not_grow(client, setup):
    client.force_login(setup["fellow"])
    url = reverse("network:directory")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"q": "practitioner"}).status_code == 200
        return len(captured)

    make_practitioner(setup["network"], name="Practitioner One")
    few = count()
    for index in range(15):
        make_practitioner(setup["network"], name=f"Practitioner {index}", methods=list(Method.objects.all()[:3]))
    assert count() == few


def test_coordinators_export_only_what_people_showed_them(client, setup):
    make_practitioner(setup["network"], name="=cmd|' /C calc'!A0")
    url_csv = reverse("network:export_csv", kwargs={"slug": "net-a"})
    url_xlsx = reverse("network:export_xlsx", kwargs={"slug": "net-a"})
    client.force_login(setup["fellow"])
    assert client.get(url_csv).status_code == 403
    client.force_login(setup["coordinator"])
    response = client.get(url_csv)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "Hana Skrytá" in body and "Coordinators Only Org" in body and "Membersregion" in body
    assert SECRET not in body and "Polish" not in body and "Referendum" not in body
    assert "'=cmd" in body  # no formula injection
    filtered = b"".join(client.get(url_csv, {"q": "hana"}).streaming_content).decode()
    assert len(filtered.strip().splitlines()) == 2
    xlsx = client.get(url_xlsx)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    import zipfile
    from io import BytesIO

    with zipfile.ZipFile(BytesIO(xlsx.content)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "Coordinators Only Org" in strings and SECRET not in strings


def test_the_directory_shows_the_export_to_coordinators(client, setup):
    client.force_login(setup["coordinator"])
    html = client.get(reverse("network:directory"), {"network": "net-a"}).content.decode()
    assert reverse("network:export_csv", kwargs={"slug": "net-a"}) in html


def test_pages_read_their_rows_in_order(client, setup):
    """The page's ids are sliced first, then its rows read by id: the second page holds the oldest, newest first."""
    for index in range(21):
        make_practitioner(setup["network"], name=f"Ordered {index:02d}")
    first, second = names(client), names(client, page=2)
    assert first == [f"Ordered {index:02d}" for index in range(20, 0, -1)]
    assert second == ["Ordered 00", "Hana Skrytá"]
