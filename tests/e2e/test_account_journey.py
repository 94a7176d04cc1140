"""A new person's path through the real pages in Chromium, and a staff member's forced two-factor set-up on a phone.

Sign up → confirmation email (read from the in-process outbox) → confirm → signed in → set up an authenticator app
(secret read off the page, code computed here) → sign out → sign in with password and code. Every page on the way,
error states included, passes the same checks as the audit.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.browser import check_page, submit_form
from tests.e2e.totp import fresh_totp

pytestmark = pytest.mark.browser

EMAIL = "jana.nova@example.org"
PASSWORD = "šest slov na jaře u Vltavy"
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+/")
SECRET = re.compile(r"\b(?:[A-Z2-7]{4} ?){7}[A-Z2-7]{4}\b")


class Journey:
    """Walks pages and collects every page's audit problems, so one run reports all of them at the end."""

    def __init__(self, page: Any, width: int) -> None:
        self.page = page
        self.width = width
        self.problems: list[str] = []

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def audit(self, step: str) -> None:
        language = self.path.split("/")[1]
        found = check_page(self.page, language=language, width=self.width)
        found += self.page.console_watch.take()
        self.problems += [f"{step} ({self.path}):\n  " + "\n  ".join(found)] if found else []

    def assert_clean(self) -> None:
        assert not self.problems, "pages on the journey failed the audit:\n\n" + "\n\n".join(self.problems)


def read_secret(page: Any) -> str:
    """The authenticator set-up key shown as text on the activation page (for people who cannot scan the QR code)."""
    match = SECRET.search(page.locator("main").inner_text())
    assert match, "the two-factor set-up page shows no setup key"
    return match.group(0).replace(" ", "")


def activate_authenticator(journey: Journey, password: str, used_codes: set[str]) -> str:
    """On the activation page (after re-entering the password if asked): a wrong code first, then the right one."""
    page = journey.page
    if "/accounts/reauthenticate/" in journey.path:
        journey.audit("confirm password before two-factor set-up")
        submit_form(page, "form:has(input[name=password])", {"password": password})
    assert journey.path.endswith("/accounts/2fa/totp/activate/"), journey.path
    journey.audit("two-factor set-up")
    secret = read_secret(page)

    submit_form(page, "form:has(input[name=code])", {"code": "000000"})
    assert page.locator("input[name=code][aria-invalid=true]").count() == 1, "a wrong code is not marked as an error"
    journey.audit("two-factor set-up with a wrong code")

    code = fresh_totp(secret, not_=used_codes)
    submit_form(page, "form:has(input[name=code])", {"code": code})
    used_codes.add(code)
    assert not journey.path.endswith("/accounts/2fa/totp/activate/"), "the right code was refused"
    journey.audit("after two-factor set-up")
    return secret


def test_sign_up_confirm_set_up_two_factor_and_sign_in_with_a_code(new_page, demo, mailoutbox) -> None:
    from django.contrib.auth import get_user_model

    mailoutbox.clear()  # the demo data's own notifications (reviews, results) were emailed while it loaded
    journey = Journey(new_page(language="en", width=1280), width=1280)
    page = journey.page

    page.goto("/en/accounts/signup/")
    journey.audit("sign-up")
    submit_form(page, "form:has(input[name=password2])", {"email": EMAIL, "password1": "short", "password2": "short"})
    assert page.locator("[aria-invalid=true]").count() >= 1, "a too short password shows no field error"
    journey.audit("sign-up with errors")
    submit_form(page, "form:has(input[name=password2])", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD})
    assert journey.path == "/en/accounts/confirm-email/", journey.path
    journey.audit("confirmation email sent")

    assert [message.to for message in mailoutbox] == [[EMAIL]]
    link = CONFIRM_LINK.search(mailoutbox[0].body)
    assert link, mailoutbox[0].body
    page.goto(urlsplit(link.group(0)).path)
    assert EMAIL in page.locator("main").inner_text()
    journey.audit("confirm email address")
    submit_form(page, "main form[method=post]", {})
    assert journey.path == "/en/me/", f"confirming the address should sign in and show the profile, got {journey.path}"
    journey.audit("profile after confirming")
    assert get_user_model().objects.get(email=EMAIL).emailaddress_set.get().verified

    used_codes: set[str] = set()
    page.goto("/en/accounts/2fa/")
    journey.audit("two-factor overview")
    page.goto("/en/accounts/2fa/totp/activate/")
    secret = activate_authenticator(journey, PASSWORD, used_codes)

    submit_form(page, "form[action$='/accounts/logout/']", {})
    page.goto("/en/me/")
    assert journey.path == "/en/accounts/login/", "still signed in after signing out"
    journey.audit("sign-in")

    submit_form(page, "form:has(input[name=password])", {"login": EMAIL, "password": PASSWORD})
    assert journey.path == "/en/accounts/2fa/authenticate/", "the password alone signed the person in"
    journey.audit("two-factor code at sign-in")
    submit_form(page, "form:has(input[name=code])", {"code": "000000"})
    assert journey.path == "/en/accounts/2fa/authenticate/"
    journey.audit("two-factor code at sign-in, wrong code")
    submit_form(page, "form:has(input[name=code])", {"code": fresh_totp(secret, not_=used_codes)})
    assert journey.path == "/en/me/", f"the right code did not sign the person in, got {journey.path}"
    journey.audit("profile after signing in with a code")
    journey.assert_clean()


def test_staff_member_must_set_up_two_factor_before_anything_else_on_a_phone(new_page, sign_in, demo) -> None:
    journey = Journey(new_page(language="cs", width=360), width=360)
    page = journey.page

    sign_in(page, "coordinator@demo.veche.eu", language="cs")
    # allauth asks for the password once more before showing an authenticator secret; both pages are the set-up.
    held_at = ("/cs/accounts/2fa/totp/activate/", "/cs/accounts/reauthenticate/")
    assert journey.path in held_at, f"a coordinator got past sign-in to {journey.path}"
    journey.audit("forced two-factor set-up right after sign-in")
    for elsewhere in ("/cs/me/", "/cs/", "/cs/organisations/"):
        page.goto(elsewhere)
        assert journey.path in held_at, f"{elsewhere} let a coordinator without two-factor authentication in"

    from veche.core.demo import DEMO_PASSWORD

    activate_authenticator(journey, DEMO_PASSWORD, set())
    page.goto("/cs/me/")
    assert journey.path == "/cs/me/", "still held at the two-factor set-up after activating it"
    journey.audit("profile after the forced set-up")
    journey.assert_clean()
