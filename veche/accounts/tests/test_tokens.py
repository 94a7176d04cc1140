"""Personal API tokens: shown once, stored as a hash only, revocable by their owner."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from veche.accounts import services
from veche.accounts.models import ApiToken
from veche.accounts.tests.helpers import input_value
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_creating_a_token_shows_it_once_and_stores_only_its_hash(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/en/me/tokens/", {"name": "Open data script"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = input_value(response.content.decode(), "new-token")
    assert re.fullmatch(r"vch_[A-Za-z0-9_-]{40,}", raw)

    token = ApiToken.objects.get(user=user)
    assert token.name == "Open data script"
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix)
    assert all(raw not in str(value) for value in ApiToken.objects.values_list().get())
    assert ApiToken.objects.find(raw) == token

    listing = client.get("/en/me/tokens/").content.decode()
    assert raw not in listing
    assert "Open data script" in listing
    assert token.prefix in listing


def test_a_name_is_required(client):
    client.force_login(UserFactory())
    response = client.post("/en/me/tokens/", {"name": "   "})
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_token(client):
    user = UserFactory()
    token, raw = services.create_api_token(user=user, name="old")
    client.force_login(user)
    assert client.get(f"/en/me/tokens/{token.pk}/revoke/").status_code == 405
    response = client.post(f"/en/me/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == "/en/me/tokens/"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.objects.find(raw) is None


def test_nobody_else_can_revoke_a_token(client):
    token, raw = services.create_api_token(user=UserFactory(), name="theirs")
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.post(f"/en/me/tokens/{token.pk}/revoke/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(actor=stranger, token=token)
    assert ApiToken.objects.find(raw) == token


def test_the_number_of_active_tokens_is_limited():
    user = UserFactory()
    for index in range(services.MAX_ACTIVE_TOKENS):
        services.create_api_token(user=user, name=f"token {index}")
    with pytest.raises(ValidationError) as caught:
        services.create_api_token(user=user, name="one too many")
    assert caught.value.code == "too_many_tokens"
    token = ApiToken.objects.filter(user=user).first()
    services.revoke_api_token(actor=user, token=token)
    services.create_api_token(user=user, name="replacement")


def test_tokens_of_an_inactive_person_do_not_work():
    user = UserFactory()
    _token, raw = services.create_api_token(user=user, name="x")
    user.is_active = False
    user.save()
    assert ApiToken.objects.find(raw) is None


def test_tokens_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/en/me/tokens/").status_code == 200
        return len(queries)

    one, many = UserFactory(), UserFactory()
    services.create_api_token(user=one, name="a")
    for index in range(6):
        services.create_api_token(user=many, name=f"t{index}")
    assert count(one) == count(many)
