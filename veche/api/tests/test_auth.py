"""Authentication: personal tokens, the browser session with CSRF, anonymous reading, and bad credentials."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from veche.api.auth import session_auth
from veche.api.errors import ApiError
from veche.api.tests.conftest import make_token
from veche.core.testing.factories import OrganisationFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def test_me_with_a_token_names_the_caller_and_their_roles(client, token_holder):
    RoleFactory(user=token_holder.user, organisation=OrganisationFactory(slug="brno"), kind="coordinator")
    RoleFactory(user=token_holder.user, organisation=OrganisationFactory(slug="krakow"), kind="member")

    response = client.get(ME, headers=token_holder.headers)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == token_holder.user.pk
    assert body["display_name"] == "Script Owner"
    assert [(r["organisation"], r["role"]) for r in body["roles"]] == [("brno", "coordinator"), ("krakow", "member")]
    assert body["roles"][0]["role_label"] == "Participation coordinator"


def test_me_with_the_session(client):
    user = UserFactory(display_name="Browser Person")
    client.force_login(user)

    response = client.get(ME)

    assert response.status_code == 200
    assert response.json()["display_name"] == "Browser Person"


def test_me_without_credentials_is_401_with_the_error_shape(client):
    response = client.get(ME)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert set(response.json()) == {"detail", "code"}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer vch_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "vch_token-without-scheme", ""],
)
def test_a_bad_authorization_header_is_401_even_on_public_reads(client, header):
    for path in (ME, "/api/v1/organisations"):
        response = client.get(path, HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, (path, header)
        assert response.json()["code"] == "invalid_token"


def test_a_revoked_token_or_a_closed_account_is_refused(client):
    revoked = make_token(UserFactory())
    revoked.token.revoked_at = timezone.now()
    revoked.token.save()
    inactive = make_token(UserFactory(is_active=False))

    assert client.get(ME, headers=revoked.headers).status_code == 401
    assert client.get(ME, headers=inactive.headers).status_code == 401


def test_a_token_wins_over_the_session(client, token_holder):
    client.force_login(UserFactory(display_name="Someone Else"))

    response = client.get(ME, headers=token_holder.headers)

    assert response.json()["display_name"] == "Script Owner"


def test_last_used_is_written_at_most_once_a_minute(client, token_holder, django_assert_num_queries):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(ME, headers=token_holder.headers)
    token_holder.token.refresh_from_db()
    assert token_holder.token.last_used_at == start

    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        client.get(ME, headers=token_holder.headers)
    token_holder.token.refresh_from_db()
    assert token_holder.token.last_used_at == start

    later = start + timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        client.get(ME, headers=token_holder.headers)
    token_holder.token.refresh_from_db()
    assert token_holder.token.last_used_at == later


def test_public_reads_need_no_credentials(client):
    OrganisationFactory()
    response = client.get("/api/v1/organisations")
    assert response.status_code == 200
    assert response.json()["count"] == 1


class TestSessionCsrf:
    """No write operation exists yet; the session callback itself must demand CSRF for unsafe methods."""

    def _request(self, method: str, user, csrf: bool):
        factory = RequestFactory(enforce_csrf_checks=True)
        request = getattr(factory, method)("/api/v1/anything")
        if csrf:
            token = "a" * 32
            request.COOKIES["csrftoken"] = token
            request.META["HTTP_X_CSRFTOKEN"] = token
        request.user = user
        request.session = {}
        return request

    def test_unsafe_method_without_csrf_is_refused_for_a_signed_in_session(self):
        user = UserFactory()
        with pytest.raises(ApiError) as raised:
            session_auth(self._request("post", user, csrf=False))
        assert (raised.value.status, raised.value.code) == (403, "csrf_failed")

    def test_unsafe_method_with_csrf_is_accepted(self):
        user = UserFactory()
        assert session_auth(self._request("post", user, csrf=True)) == user

    def test_safe_methods_need_no_csrf(self):
        user = UserFactory()
        assert session_auth(self._request("get", user, csrf=False)) == user

    def test_anonymous_session_is_simply_not_authenticated(self):
        assert session_auth(self._request("post", AnonymousUser(), csrf=False)) is None


def test_a_staff_session_without_two_factor_gets_the_documented_403(client):
    """veche.accounts.middleware refuses staff without TOTP; the API answers in its own error shape (declared 403)."""
    coordinator = RoleFactory(kind="coordinator").user
    client.force_login(coordinator)

    response = client.get(ME)

    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"
    assert set(response.json()) == {"detail", "code"}
