"""The section on the network's home page, and the person's data in "download my data"."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from veche.advice.choices import AdviceStatus
from veche.advice.personal_data import export_advice
from veche.advice.sections import network_advice_section
from veche.advice.tests.factories import AdviceMessageFactory

pytestmark = pytest.mark.django_db


def section_for(user, network):
    request = RequestFactory().get("/")
    request.user = user
    return network_advice_section(request, network)


def test_members_may_ask_and_coordinators_see_counts(cast):
    cast.request()
    cast.request(AdviceStatus.IN_PROGRESS)
    cast.request(AdviceStatus.CLOSED)
    member = section_for(cast.requester, cast.network)
    assert member["can_ask"] and not member["can_see_queue"] and "open_count" not in member
    coordinator = section_for(cast.coordinator, cast.network)
    assert (coordinator["open_count"], coordinator["new_count"]) == (2, 1)
    outsider = section_for(cast.anonymous, cast.network)
    assert not outsider["can_ask"] and not outsider["signed_in"]
    assert section_for(cast.requester, cast.municipality) is None


def test_the_section_shows_on_the_network_home(client, cast):
    client.force_login(cast.requester)
    page = client.get(f"/en/networks/{cast.network.slug}/").content.decode()
    assert "/en/advice/regional/ask/" in page


def test_personal_data_lists_requests_and_messages(cast):
    request = cast.request(AdviceStatus.ASSIGNED)
    AdviceMessageFactory(request=request, author=cast.requester, body="Our message")
    data = export_advice(cast.requester)
    assert [item["id"] for item in data["requests"]] == [request.pk]
    assert data["messages"][0]["body"] == "Our message"
    assert export_advice(cast.expert)["advised_on"] == [request.pk]
