"""Fixtures for the consultations tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_no_2fa_redirect(settings):
    """Empty rate-limit counters for each test (ids repeat between tests on SQLite); staff are not sent to set up
    two-factor authentication (the accounts app tests that)."""
    settings.VECHE_REQUIRE_STAFF_2FA = False
    cache.clear()
    yield
    cache.clear()
