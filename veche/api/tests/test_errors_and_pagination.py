"""Every failure is JSON of one shape, in the request language; lists paginate with count/next/previous."""

from __future__ import annotations

import logging

import pytest
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from veche.core.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations"


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    assert set(body) <= {"detail", "code", "errors"}
    return body


def test_unknown_address_under_the_api_is_a_json_404(client):
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(client.get("/api/v1/"), 404, "not_found")
    assert_error(client.get("/api/v1/organisations/brno/members/extra"), 404, "not_found")


def test_wrong_method_is_a_json_405_with_allow(client):
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)(LIST)
        assert_error(response, 405, "method_not_allowed")
        assert response["Allow"] == "GET"


def test_validation_errors_list_every_invalid_input(client):
    body = assert_error(client.get(f"{LIST}?limit=0&offset=-1&kind=village"), 422, "validation_error")
    locations = sorted(tuple(item["loc"]) for item in body["errors"])
    assert locations == [("query", "kind"), ("query", "limit"), ("query", "offset")]
    assert all(item["msg"] and item["type"] for item in body["errors"])


@pytest.mark.parametrize("language", ["cs", "pl", "en"])
def test_messages_follow_the_request_language(client, language):
    by_header = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE=language)
    by_query = client.get(f"{LIST}/nowhere?lang={language}", HTTP_ACCEPT_LANGUAGE="en")
    unauthenticated = client.get(f"/api/v1/me?lang={language}")

    with translation.override(language):
        assert by_header.json()["detail"] == gettext("Nothing was found at this address.")
        assert by_query.json()["detail"] == gettext("There is no organisation with this short name.")
        assert unauthenticated.json()["detail"] == gettext("Sign in or send a personal API token to do this.")
    assert by_header["Content-Language"] == language
    assert by_query["Content-Language"] == language
    assert unauthenticated["Content-Language"] == language


def test_an_unexpected_exception_is_logged_and_answered_with_json_500(client, monkeypatch, caplog):
    def explode(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("veche.organisations.api.caller", explode)
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="veche.api"):
        response = client.get(LIST)

    body = assert_error(response, 500, "server_error")
    assert "fire" not in body["detail"]
    assert any("database on fire" in (record.exc_text or str(record.exc_info)) for record in caplog.records)


@override_settings(VECHE_API_RATE="3/m")
def test_too_many_requests_is_429_with_retry_after(client):
    statuses = [client.get(LIST).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get(LIST)
    assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60


@override_settings(VECHE_API_RATE="2/m")
def test_the_rate_limit_counts_each_client_separately(client):
    for _ in range(2):
        client.get(LIST, REMOTE_ADDR="10.0.0.1")
    assert client.get(LIST, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(LIST, REMOTE_ADDR="10.0.0.2").status_code == 200


class TestPagination:
    @pytest.fixture(autouse=True)
    def _organisations(self, db):
        for index in range(5):
            OrganisationFactory(slug=f"town-{index}", name=f"Town {index}")

    def test_pages_link_to_each_other(self, client):
        first = client.get(f"{LIST}?limit=2&country=CZ").json()
        assert first["count"] == 5
        assert [item["slug"] for item in first["items"]] == ["town-0", "town-1"]
        assert first["previous"] is None
        assert first["next"] == "http://testserver/api/v1/organisations?limit=2&country=CZ&offset=2"

        second = client.get(first["next"]).json()
        assert [item["slug"] for item in second["items"]] == ["town-2", "town-3"]
        assert second["previous"] == "http://testserver/api/v1/organisations?limit=2&country=CZ&offset=0"

        last = client.get(second["next"]).json()
        assert [item["slug"] for item in last["items"]] == ["town-4"]
        assert last["next"] is None

    def test_default_page_size_is_20(self, client):
        for index in range(5, 25):
            OrganisationFactory(slug=f"more-{index}")
        body = client.get(LIST).json()
        assert (body["count"], len(body["items"])) == (25, 20)

    def test_an_offset_past_the_end_gives_an_empty_page(self, client):
        body = client.get(f"{LIST}?offset=50&limit=2").json()
        assert body["items"] == []
        assert body["next"] is None
        assert body["previous"] == "http://testserver/api/v1/organisations?offset=3&limit=2"

    @pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "offset=-1", "offset=1000001"])
    def test_out_of_range_values_are_422(self, client, query):
        assert_error(client.get(f"{LIST}?{query}"), 422, "validation_error")

    @pytest.mark.parametrize("limit", [1, 100])
    def test_limits_at_the_bounds_are_accepted(self, client, limit):
        assert client.get(f"{LIST}?limit={limit}").status_code == 200


def test_unsafe_methods_on_documents_and_unknown_paths_get_json_not_the_csrf_page():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    for path in ("/api/v1/openapi.json", "/api/v1/docs"):
        response = client.post(path)
        assert_error(response, 405, "method_not_allowed")
        assert "GET" in response["Allow"]
    assert_error(client.post("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(client.delete(LIST), 405, "method_not_allowed")
