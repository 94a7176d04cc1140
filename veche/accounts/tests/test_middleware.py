"""Staff must set up TOTP before using the site: every persona, the allow-list, the API and the switch."""

from __future__ import annotations

import pytest

from veche.accounts.adapter import MFAAdapter
from veche.accounts.tests.helpers import activate_totp

pytestmark = pytest.mark.django_db

ACTIVATE = "/en/accounts/2fa/totp/activate/"
FORCED = {
    "resident": False,
    "member": False,
    "expert": True,
    "moderator": True,
    "coordinator": True,
    "administrator": True,
    "other_administrator": True,
    "superuser": True,
}


@pytest.mark.parametrize(("persona", "forced"), FORCED.items())
def test_staff_without_totp_are_sent_to_set_it_up(client, personas, persona, forced):
    client.force_login(personas.get(persona))
    response = client.get("/en/me/")
    if forced:
        assert response.status_code == 302
        assert response["Location"] == ACTIVATE
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("persona", [name for name, forced in FORCED.items() if forced])
def test_staff_with_totp_use_the_site(client, personas, persona):
    user = personas.get(persona)
    activate_totp(user)
    client.force_login(user)
    assert client.get("/en/me/").status_code == 200
    assert client.get("/en/").status_code == 200


def test_anonymous_visitors_are_not_affected(client):
    assert client.get("/en/").status_code == 200


def test_the_redirect_explains_why(client, personas):
    client.force_login(personas.administrator)
    response = client.get("/en/", follow=True)
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert any("two-factor authentication" in message for message in messages)


def test_the_redirect_keeps_the_language(client, personas):
    client.force_login(personas.moderator)
    response = client.get("/pl/me/")
    assert response["Location"] == "/pl/accounts/2fa/totp/activate/"


@pytest.mark.parametrize(
    "path",
    [
        "/en/accounts/2fa/",
        "/en/accounts/logout/",
        "/en/accounts/email/",
        "/en/accounts/password/change/",
        "/en/accounts/reauthenticate/",
        "/cs/accounts/2fa/",
        "/healthz",
    ],
)
def test_allow_listed_pages_stay_reachable(client, personas, path):
    client.force_login(personas.administrator)
    response = client.get(path)
    assert response.status_code == 200, response.get("Location")


def test_the_activation_page_itself_is_reachable(client, personas):
    client.force_login(personas.coordinator)
    response = client.get(ACTIVATE)
    # allauth asks for the password first (force_login leaves no record of it), which is allow-listed too.
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/reauthenticate/")


def test_language_can_still_be_switched(client, personas):
    client.force_login(personas.administrator)
    response = client.post("/i18n/setlang/", {"language": "cs", "next": "/cs/accounts/2fa/"})
    assert response.status_code == 302
    assert response["Location"] == "/cs/accounts/2fa/"


def test_static_and_media_paths_are_not_redirected(client, personas, settings):
    from veche.accounts.middleware import RequireStaffTwoFactorMiddleware

    middleware = RequireStaffTwoFactorMiddleware(lambda request: None)
    assert middleware._is_allowed(settings.STATIC_URL + "css/veche.css")
    assert middleware._is_allowed(settings.MEDIA_URL + "organisations/x/logo/a.png")
    assert not middleware._is_allowed("/en/organisations/")
    assert not middleware._is_allowed("/en/admin/")
    assert not middleware._is_allowed("/de/accounts/2fa/")


def test_the_api_answers_403_json(client, personas):
    client.force_login(personas.moderator)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 403
    assert response.json()["code"] == "two_factor_required"
    assert response.json()["detail"]


def test_htmx_requests_are_redirected_by_header(client, personas):
    client.force_login(personas.expert)
    response = client.get("/en/me/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == ACTIVATE


def test_the_admin_is_closed_too(client, personas):
    client.force_login(personas.superuser)
    response = client.get("/en/admin/")
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


@pytest.mark.parametrize("persona", [name for name, forced in FORCED.items() if forced])
def test_setting_false_disables_the_requirement(client, personas, settings, persona):
    settings.VECHE_REQUIRE_STAFF_2FA = False
    client.force_login(personas.get(persona))
    assert client.get("/en/me/").status_code == 200


def test_staff_cannot_switch_their_authenticator_off_while_required(personas, settings):
    adapter = MFAAdapter()
    staff_totp = activate_totp(personas.administrator)
    resident_totp = activate_totp(personas.resident)
    assert adapter.can_delete_authenticator(staff_totp) is False
    assert adapter.can_delete_authenticator(resident_totp) is True
    settings.VECHE_REQUIRE_STAFF_2FA = False
    assert adapter.can_delete_authenticator(staff_totp) is True
