"""Download my data: everything personal, no secrets, nobody else's data, and not too often."""

from __future__ import annotations

import json

import pytest

from veche.accounts import personal_data, services
from veche.accounts.tests.helpers import activate_totp
from veche.core.testing.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def extra_exporter():
    personal_data.register_exporter("test_app", lambda user: {"greeting": f"hello {user.pk}"})
    yield
    personal_data.unregister("test_app")


def _download(client) -> dict:
    response = client.post("/en/me/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="veche-personal-data-')
    return json.loads(response.content)


def test_get_explains_what_the_export_contains(client):
    client.force_login(UserFactory())
    response = client.get("/en/me/export/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<form class="form" method="post" action="/en/me/export/">' in content


def test_export_contains_everything_personal_and_no_secret(client, extra_exporter):
    user = UserFactory(email="me@example.org", display_name="Me Myself", language="pl")
    RoleFactory(user=user, kind="member", organisation__slug="my-town")
    token, raw = services.create_api_token(user=user, name="My script")
    activate_totp(user, SECRET)
    other = UserFactory(email="someone.else@example.org", display_name="Someone Else")
    RoleFactory(user=other, kind="administrator", organisation__slug="their-town")
    services.create_api_token(user=other, name="Their script")

    client.force_login(user)
    data = _download(client)

    assert data["format"] == "veche-personal-data/1"
    assert data["user"]["email"] == "me@example.org"
    assert data["user"]["display_name"] == "Me Myself"
    assert data["user"]["language"] == "pl"
    assert data["email_addresses"] == [{"email": "me@example.org", "verified": True, "primary": True}]
    assert [(role["organisation"], role["role"]) for role in data["roles"]] == [("my-town", "member")]
    assert [(item["name"], item["prefix"]) for item in data["api_tokens"]] == [("My script", token.prefix)]
    assert [item["type"] for item in data["two_factor"]] == ["totp"]
    assert data["test_app"] == {"greeting": f"hello {user.pk}"}

    text = json.dumps(data)
    for secret in (raw, token.key_hash, SECRET, user.password):
        assert secret not in text
    for foreign in ("someone.else@example.org", "Someone Else", "their-town", "Their script"):
        assert foreign not in text


def test_export_needs_a_signed_in_person(client):
    response = client.post("/en/me/export/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_export_is_rate_limited(client):
    client.force_login(UserFactory())
    for _attempt in range(5):
        assert client.post("/en/me/export/").status_code == 200
    response = client.post("/en/me/export/")
    assert response.status_code == 429
    assert client.get("/en/me/export/").status_code == 200, "reading the explanation is not limited"


def test_reserved_keys_cannot_be_taken():
    with pytest.raises(ValueError, match="cannot be used"):
        personal_data.register_exporter("user", lambda user: None)
    with pytest.raises(ValueError, match="cannot be used"):
        personal_data.register_eraser("", lambda user: None)
