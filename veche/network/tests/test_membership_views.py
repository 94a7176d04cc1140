"""Membership pages through the client: join, the coordinators' queue, deciding, leaving, member lists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from veche.core.testing.factories import AffiliationFactory, NetworkFactory, OrganisationFactory, UserFactory
from veche.network import services
from veche.network.choices import MemberListVisibility, MembershipState
from veche.network.models import Membership
from veche.network.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

FORM = {"motivation": "I facilitate workshops.", "region": "Vysočina", "experience": "Ten years."}


def test_join_accept_leave_through_the_pages(client, network, coordinator):
    person = UserFactory()
    client.force_login(person)
    home = client.get(reverse("network:home", kwargs={"slug": network.slug}))
    assert home.status_code == 200
    assert reverse("network:apply", kwargs={"slug": network.slug}) in home.content.decode()
    response = client.post(
        reverse("network:apply", kwargs={"slug": network.slug}), {"applicant": "me", **FORM}, follow=True
    )
    assert response.status_code == 200
    membership = Membership.objects.get(network=network, user=person)
    assert membership.state == MembershipState.APPLIED

    client.force_login(coordinator)
    queue = client.get(reverse("network:applications", kwargs={"slug": network.slug}))
    assert person.public_name in queue.content.decode()
    url = membership.get_absolute_url()
    client.post(url, {"action": "decide", "decision-decision": "accept", "decision-message": "Welcome"})
    membership.refresh_from_db()
    assert membership.state == MembershipState.ACTIVE

    client.force_login(person)
    page = client.get(url).content.decode()
    assert "Welcome" in page
    client.post(url, {"action": "leave", "leave-message": ""})
    membership.refresh_from_db()
    assert membership.state == MembershipState.LEFT


def test_declining_without_a_message_shows_an_error(client, network, coordinator):
    membership = services.apply_to_network(actor=UserFactory(), network=network, **FORM)
    client.force_login(coordinator)
    response = client.post(
        membership.get_absolute_url(), {"action": "decide", "decision-decision": "decline", "decision-message": ""}
    )
    assert response.status_code == 200
    assert "why you decline" in response.content.decode()
    membership.refresh_from_db()
    assert membership.state == MembershipState.APPLIED


def test_strangers_do_not_see_memberships_or_the_queue(client, network):
    membership = services.apply_to_network(actor=UserFactory(), network=network, **FORM)
    client.force_login(UserFactory())
    assert client.get(membership.get_absolute_url()).status_code == 404
    assert client.get(reverse("network:applications", kwargs={"slug": network.slug})).status_code == 403
    assert client.get(reverse("network:settings", kwargs={"slug": network.slug})).status_code == 403


def test_anonymous_visitors_are_asked_to_sign_in_to_join(client, network):
    response = client.get(reverse("network:apply", kwargs={"slug": network.slug}))
    assert response.status_code == 302 and "login" in response.url


def test_members_only_list(client, network, coordinator):
    services.update_network_settings(
        actor=coordinator, network=network, changes={"member_list_visibility": MemberListVisibility.MEMBERS}
    )
    member = MembershipFactory(network=network).user
    url = reverse("network:members", kwargs={"slug": network.slug})
    assert client.get(url).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert member.public_name in response.content.decode()


def test_a_municipality_that_is_not_a_network_has_no_network_page(client):
    town = OrganisationFactory(slug="plain-town")
    assert client.get(reverse("network:home", kwargs={"slug": town.slug})).status_code == 404


def test_network_list_and_members_page_queries_do_not_grow(client):
    def page_queries(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    network = NetworkFactory(slug="grow")
    AffiliationFactory(network=network)
    MembershipFactory(network=network)
    NetworkFactory(slug="second")
    members_url = reverse("network:members", kwargs={"slug": network.slug})
    list_url = reverse("network:list")
    home_url = reverse("network:home", kwargs={"slug": network.slug})
    for url in (list_url, members_url, home_url):  # the first visit creates the network's default settings
        page_queries(url)
    few = [page_queries(url) for url in (list_url, members_url, home_url)]
    for index in range(10):
        AffiliationFactory(network=network)
        MembershipFactory(network=network)
        NetworkFactory(slug=f"more-{index}")
    many = [page_queries(url) for url in (list_url, members_url, home_url)]
    assert few == many


def test_my_networks_lists_own_and_organisation_memberships(client, network):
    from veche.core.testing.factories import RoleFactory

    town = OrganisationFactory(slug="town", name="Town of Tests")
    administrator = RoleFactory(organisation=town, kind="administrator").user
    services.apply_to_network(actor=administrator, network=network, organisation=town, **FORM)
    client.force_login(administrator)
    page = client.get(reverse("network:my_memberships")).content.decode()
    assert "Town of Tests" in page
