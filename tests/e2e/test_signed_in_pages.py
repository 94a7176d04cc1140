"""The pages behind sign-in get the same audit as the public ones: a resident's own pages, and the staff pages as the
demo platform administrator (signed in with two-factor authentication) sees them."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.e2e.browser import LANGUAGES, WIDTHS, audit
from tests.e2e.site_map import RESIDENT_EMAIL, STAFF_EMAIL, STAFF_TOTP_SECRET, build_site_map, visits

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_signed_in_pages_pass_the_audit(new_page, sign_in, language: str, width: int) -> None:
    site_map = build_site_map(Client)
    failures: list[str] = []
    visited = 0
    for tier, email, secret in (("resident", RESIDENT_EMAIL, None), ("staff", STAFF_EMAIL, STAFF_TOTP_SECRET)):
        pages = [(f"{tier}: {label}", path, status) for label, path, status in visits(site_map, tier, language)]
        if tier == "resident":  # the error pages a signed-in person meets on a staff page
            pages += [
                (f"resident: {status} error page", route.path(language), status)
                for status, route in sorted(site_map.refused_to_resident.items())
            ]
        if not pages:
            continue
        page = new_page(language=language, width=width)
        sign_in(page, email, language=language, totp_secret=secret)
        failures += audit(page, pages, language=language, width=width)
        visited += len(pages)

    assert not failures, f"{len(failures)} of {visited} pages failed:\n\n" + "\n\n".join(failures)
