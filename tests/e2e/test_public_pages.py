"""Every public page, in every language, at phone and desktop width: status, lang, one h1, no sideways scroll, axe.

The page list comes from the URLconf (tests/e2e/site_map.py), so a new public page is audited without editing this file.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.e2e.browser import LANGUAGES, WIDTHS, audit
from tests.e2e.site_map import ERROR_PAGES, build_site_map, visits

pytestmark = pytest.mark.browser


def public_visits(language: str) -> list[tuple[str, str, int]]:
    site_map = build_site_map(Client)
    errors = [(label, path.format(language=language), status) for label, path, status in ERROR_PAGES]
    return visits(site_map, "public", language) + errors


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_pass_the_audit(new_page, demo, language: str, width: int) -> None:
    pages = public_visits(language)

    failures = audit(new_page(language=language, width=width), pages, language=language, width=width)

    assert not failures, f"{len(failures)} of {len(pages)} pages failed:\n\n" + "\n\n".join(failures)


def test_public_pages_pass_the_audit_in_dark_mode(new_page, demo) -> None:
    """The palette follows prefers-color-scheme; its dark variant must meet the same contrast (and other) rules."""
    pages = public_visits("en")

    page = new_page(language="en", width=1280, color_scheme="dark")
    failures = audit(page, pages, language="en", width=1280, variant="dark mode")

    assert not failures, f"{len(failures)} of {len(pages)} pages failed in dark mode:\n\n" + "\n\n".join(failures)
