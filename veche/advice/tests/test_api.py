"""The advice API: only the people in a request see it; threads without hidden text; fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from veche.advice.choices import AdviceStatus
from veche.advice.tests.factories import AdviceMessageFactory
from veche.api.tests.conftest import make_token

pytestmark = pytest.mark.django_db

BASE = "/api/v1/advice/requests"


def test_the_api_needs_authentication(client, cast):
    cast.request()
    assert client.get(BASE).status_code == 401


def test_each_person_lists_only_their_requests(client, cast):
    mine = cast.request(AdviceStatus.ASSIGNED)
    client.force_login(cast.other_expert)
    assert client.get(BASE).json()["count"] == 0
    holder = make_token(cast.expert)
    body = client.get(BASE, headers=holder.headers).json()
    assert [item["id"] for item in body["items"]] == [mine.pk]
    assert body["items"][0]["expert"] == {"id": cast.expert.pk, "display_name": cast.expert.public_name}
    assert body["items"][0]["requester_organisation"] == cast.municipality.slug


def test_coordinators_filter_their_networks_requests(client, cast):
    cast.request()
    cast.request(AdviceStatus.CLOSED, rating=5)
    client.force_login(cast.coordinator)
    assert client.get(BASE).json()["count"] == 2
    closed = client.get(BASE, {"status": "closed"}).json()["items"]
    assert [item["rating"] for item in closed] == [5]
    assert client.get(BASE, {"network": "elsewhere"}).json()["count"] == 0
    assert client.get(BASE, {"status": "bogus"}).status_code == 422
    client.force_login(cast.other_coordinator)
    assert client.get(BASE).json()["count"] == 0


def test_the_thread_hides_what_the_coordinators_hid(client, cast):
    request = cast.request(AdviceStatus.IN_PROGRESS)
    AdviceMessageFactory(request=request, author=cast.expert, body="Visible")
    AdviceMessageFactory(
        request=request, author=cast.expert, body="Spam text", hidden_at=timezone.now(), hidden_reason="Spam"
    )
    client.force_login(cast.requester)
    body = client.get(f"{BASE}/{request.pk}").json()
    assert [(item["body"], item["hidden"], item["hidden_reason"]) for item in body["messages"]] == [
        ("Visible", False, None),
        (None, True, "Spam"),
    ]
    assert "Spam text" not in str(body)


def test_others_get_404_for_a_request(client, cast):
    request = cast.request()
    client.force_login(cast.other_expert)
    response = client.get(f"{BASE}/{request.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_list_needs_a_fixed_number_of_queries(client, cast):
    client.force_login(cast.coordinator)
    cast.request(AdviceStatus.ASSIGNED)
    with CaptureQueriesContext(connection) as few:
        assert client.get(BASE).status_code == 200
    for _index in range(8):
        cast.request(AdviceStatus.ASSIGNED)
    with CaptureQueriesContext(connection) as many:
        assert client.get(BASE).json()["count"] == 9
    assert len(many) == len(few)
