"""Sign-in is rate-limited: repeated failures for one email lock that email out for a while (allauth + the cache)."""

from __future__ import annotations

import pytest

from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def _sign_in(client, email: str, password: str):
    return client.post("/en/accounts/login/", {"login": email, "password": password})


def test_repeated_failed_sign_ins_for_one_email_are_refused(client):
    UserFactory(email="target@example.org")
    for _attempt in range(5):  # ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 5 minutes per email
        response = _sign_in(client, "target@example.org", "wrong guess")
        assert response.status_code == 200
        assert "Too many failed login attempts" not in response.content.decode()

    # Now even the right password is refused, with an explanation on the form.
    response = _sign_in(client, "target@example.org", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_email(client):
    UserFactory(email="target@example.org")
    UserFactory(email="bystander@example.org")
    for _attempt in range(5):
        _sign_in(client, "target@example.org", "wrong guess")
    response = _sign_in(client, "bystander@example.org", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_lock_ends(client, time_machine):
    UserFactory(email="target@example.org")
    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    for _attempt in range(5):
        _sign_in(client, "target@example.org", "wrong guess")
    time_machine.move_to("2026-03-02 09:06:00+00:00", tick=False)
    assert _sign_in(client, "target@example.org", PASSWORD).status_code == 302


def test_too_many_sign_in_requests_from_one_address_get_429(client):
    for _attempt in range(30):  # ACCOUNT_RATE_LIMITS["login"]: 30 per minute per IP address
        client.post("/en/accounts/login/", {"login": "nobody@example.org", "password": "x"})
    response = client.post("/en/accounts/login/", {"login": "nobody@example.org", "password": "x"})
    assert response.status_code == 429
    assert 'class="skip-link"' in response.content.decode(), "the site's own page, not allauth's bare fallback"
