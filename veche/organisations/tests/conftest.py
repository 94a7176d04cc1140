"""Fixtures for the organisation pages' tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits_and_no_2fa_redirect(settings):
    """Each test starts with empty rate-limit counters (ids repeat between tests on SQLite), and staff personas are not
    sent to set up two-factor authentication: that is veche.accounts' behaviour, tested there."""
    settings.VECHE_REQUIRE_STAFF_2FA = False
    cache.clear()
    yield
    cache.clear()
