"""The whole path of a new person through the browser-facing pages: sign up, confirm, two-factor, sign in again."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model

from veche.accounts.tests.helpers import element_text, first_link, totp_code

pytestmark = pytest.mark.django_db

EMAIL = "new.person@example.org"
PASSWORD = "a long and unusual passphrase"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def _sign_up_and_confirm(client, mailoutbox, django_capture_on_commit_callbacks, language: str = "en"):
    page = client.get(f"/{language}/accounts/signup/")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/{language}/accounts/signup/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
        )
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/accounts/confirm-email/"
    assert _signed_in_user_id(client) is None, "mandatory verification: no session before the email is confirmed"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    assert message.subject.startswith("[veche] ")
    link = first_link(message.body, rf"https?://testserver/{language}/accounts/confirm-email/[^\s]+/")
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert EMAIL in confirm_page.content.decode()
    response = client.post(link)
    assert response.status_code == 302
    return response


def test_sign_up_confirm_set_up_totp_and_sign_in_with_code(
    client, mailoutbox, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(START, tick=False)
    response = _sign_up_and_confirm(client, mailoutbox, django_capture_on_commit_callbacks)
    user = get_user_model().objects.get(email=EMAIL)
    assert response["Location"] == "/en/me/"
    assert _signed_in_user_id(client) == str(user.pk), "confirming the email signs the person in"
    assert user.language == "en", "the sign-up language becomes the preferred one"
    assert client.get("/en/me/").status_code == 200

    # Two-factor set-up asks for the password again (the email link alone signed the person in) ...
    response = client.get("/en/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    reauthenticate_url = response["Location"]
    assert reauthenticate_url.startswith("/en/accounts/reauthenticate/")
    assert client.get(reauthenticate_url).status_code == 200
    response = client.post(reauthenticate_url, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"
    # ... then shows the QR code and the secret as text.
    page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in content
    secret = element_text(content, "totp-secret")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    refused = client.post("/en/accounts/2fa/totp/activate/", {"code": "000000"})
    assert refused.status_code == 200
    assert 'aria-invalid="true"' in refused.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()
    activated = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()

    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert _signed_in_user_id(client) is None

    # Signing in again: the password alone is not enough.
    time_machine.move_to(START + timedelta(minutes=5), tick=False)
    response = client.post("/en/accounts/login/", {"login": EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    assert _signed_in_user_id(client) is None
    code_page = client.get("/en/accounts/2fa/authenticate/")
    assert code_page.status_code == 200
    assert 'autocomplete="one-time-code"' in code_page.content.decode()

    wrong = client.post(
        "/en/accounts/2fa/authenticate/", {"code": "123456" if totp_code(secret) != "123456" else "654321"}
    )
    assert wrong.status_code == 200
    assert _signed_in_user_id(client) is None

    right = client.post("/en/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert right.status_code == 302
    assert right["Location"] == "/en/me/"
    assert _signed_in_user_id(client) == str(user.pk)


def test_wrong_password_does_not_sign_in(client):
    from veche.core.testing.factories import UserFactory

    UserFactory(email="known@example.org")
    response = client.post("/en/accounts/login/", {"login": "known@example.org", "password": "not the password"})
    assert response.status_code == 200
    assert _signed_in_user_id(client) is None
    assert "form-errors" in response.content.decode()


def test_confirmation_email_is_written_in_the_language_of_the_page(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response = _sign_up_and_confirm(client, mailoutbox, django_capture_on_commit_callbacks, language="pl")
    assert response["Location"] == "/pl/me/"
    message = mailoutbox[0]
    assert "/pl/accounts/confirm-email/" in message.body
    assert "Please Confirm Your Email Address" not in message.subject
    assert get_user_model().objects.get(email=EMAIL).language == "pl"


def test_password_reset(client, mailoutbox, django_capture_on_commit_callbacks):
    from veche.core.testing.factories import UserFactory

    UserFactory(email="forgetful@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = first_link(mailoutbox[0].body, r"https?://testserver/en/accounts/password/reset/key/[^\s]+/")
    response = client.get(link)
    assert response.status_code == 302  # allauth moves the key into the session and hides it from the address
    set_password_url = response["Location"]
    assert client.get(set_password_url).status_code == 200
    new_password = "another long unusual passphrase"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(set_password_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    client.logout()
    response = client.post("/en/accounts/login/", {"login": "forgetful@example.org", "password": new_password})
    assert response.status_code == 302
    assert _signed_in_user_id(client) is not None
