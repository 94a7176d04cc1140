"""Fixtures of the accounts tests: a clean cache (rate limits and used TOTP codes live there) for every test."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache() -> None:
    cache.clear()
