"""allauth's pages and ours use the site's layout, have one h1, label every input and carry no inline script/style."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from veche.accounts.tests.helpers import activate_totp, totp_code

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct horse battery"

ANONYMOUS_PAGES = [
    "/{lang}/accounts/login/",
    "/{lang}/accounts/signup/",
    "/{lang}/accounts/password/reset/",
    "/{lang}/accounts/password/reset/done/",
    "/{lang}/accounts/confirm-email/",
]
SIGNED_IN_PAGES = [
    "/{lang}/me/",
    "/{lang}/me/tokens/",
    "/{lang}/me/export/",
    "/{lang}/me/delete/",
    "/{lang}/accounts/email/",
    "/{lang}/accounts/password/change/",
    "/{lang}/accounts/2fa/",
    "/{lang}/accounts/reauthenticate/",
    "/{lang}/accounts/logout/",
]


def assert_site_page(content: str) -> None:
    assert 'class="skip-link"' in content, "extends the site's base.html"
    assert len(re.findall(r"<h1[\s>]", content)) == 1, "exactly one h1"
    for script in re.findall(r"<script\b[^>]*>", content):
        assert "src=" in script, f"inline script: {script}"
    assert not re.search(r"\sstyle=", content), "inline style attribute"
    assert not re.search(r"\son[a-z]+=", content), "inline event handler"
    ids_with_label = set(re.findall(r'<label[^>]*for="([^"]+)"', content))
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", content):
        if re.search(r'type="(hidden|submit)"', tag):
            continue
        element_id = re.search(r'id="([^"]+)"', tag)
        assert element_id and element_id.group(1) in ids_with_label, f"unlabelled: {tag}"


@pytest.mark.parametrize("lang", ["cs", "pl", "en"])
@pytest.mark.parametrize("page", ANONYMOUS_PAGES)
def test_anonymous_pages(client, lang, page):
    response = client.get(page.format(lang=lang))
    assert response.status_code == 200
    assert_site_page(response.content.decode())


@pytest.mark.parametrize("lang", ["cs", "pl", "en"])
@pytest.mark.parametrize("page", SIGNED_IN_PAGES)
def test_signed_in_pages(client, lang, page):
    from veche.core.testing.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(page.format(lang=lang))
    assert response.status_code == 200
    content = response.content.decode()
    assert_site_page(content)
    assert f'<html lang="{lang}">' in content


def test_account_tabs_mark_the_current_page(client):
    from veche.core.testing.factories import UserFactory

    client.force_login(UserFactory())
    content = client.get("/en/accounts/2fa/").content.decode()
    assert '<a class="tabs__tab" href="/en/accounts/2fa/" aria-current="page">' in content
    assert '<a class="tabs__tab" href="/en/me/">' in content


def test_totp_pages(client, time_machine):
    """Activation, recovery codes and the sign-in code page, reached the way a person reaches them."""
    from veche.core.testing.factories import UserFactory

    time_machine.move_to("2026-03-02 09:00:00+00:00", tick=False)
    user = UserFactory(email="totp@example.org")
    client.post("/en/accounts/login/", {"login": "totp@example.org", "password": PASSWORD})
    # allauth asks for the password again before any two-factor change, even right after signing in.
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    activation = client.get("/en/accounts/2fa/totp/activate/")
    assert activation.status_code == 200
    content = activation.content.decode()
    assert_site_page(content)
    assert re.search(r'<img class="totp-qr" src="data:image/svg\+xml;base64,[^"]+"[^>]* alt="[^"]+"', content)
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', content).group(1)
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response["Location"] == "/en/accounts/2fa/recovery-codes/"
    codes = client.get("/en/accounts/2fa/recovery-codes/")
    assert codes.status_code == 200
    assert_site_page(codes.content.decode())
    assert_site_page(client.get("/en/accounts/2fa/").content.decode())
    assert_site_page(client.get("/en/accounts/2fa/recovery-codes/generate/").content.decode())

    client.post("/en/accounts/logout/")
    client.post("/en/accounts/login/", {"login": "totp@example.org", "password": PASSWORD})
    authenticate = client.get("/en/accounts/2fa/authenticate/")
    assert authenticate.status_code == 200
    assert_site_page(authenticate.content.decode())
    assert get_user_model().objects.get(pk=user.pk)


def test_deactivation_page_for_a_resident(client):
    from veche.core.testing.factories import UserFactory

    user = UserFactory(email="resident2@example.org")
    activate_totp(user, SECRET)
    client.post("/en/accounts/login/", {"login": "resident2@example.org", "password": PASSWORD})
    client.post("/en/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/en/accounts/2fa/totp/deactivate/")
    assert page.status_code == 200
    assert_site_page(page.content.decode())
