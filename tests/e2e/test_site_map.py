"""Every language-prefixed URL pattern is audited in the browser or excluded with a reason (needs no browser)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.e2e.site_map import audit_data, build_site_map


@pytest.fixture
def site_map(db: object):
    with audit_data():
        yield build_site_map(Client)


def test_every_page_is_audited_or_excluded_with_a_reason(site_map) -> None:
    assert not site_map.problems, "URL patterns the browser audit does not cover:\n" + "\n".join(site_map.problems)


def test_the_audit_covers_the_front_door(site_map) -> None:
    public = {route.key for route in site_map.pages["public"]}
    assert {"home", "account_login", "account_signup", "account_reset_password"} <= public
    assert "accounts:profile" in {route.key for route in site_map.pages["resident"]}
