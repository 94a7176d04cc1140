"""Fixtures shared by every app's tests, and the switches that make CI fail instead of skip."""

from __future__ import annotations

import os

import pytest


def _required(flag: str) -> bool:
    return os.environ.get(flag, "") not in ("", "0", "false", "no")


@pytest.fixture(scope="session", autouse=True)
def _require_postgres(django_db_blocker: object) -> None:
    """Under VECHE_REQUIRE_POSTGRES=1 the suite must be running on PostgreSQL."""
    if _required("VECHE_REQUIRE_POSTGRES"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.fail(f"VECHE_REQUIRE_POSTGRES=1 but the tests run on {connection.vendor}; set DATABASE_URL")


@pytest.fixture
def personas(db: object):
    from veche.core.testing.personas import make_personas

    return make_personas()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters live in the cache; each test starts with none, so limits never leak between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the default language: a request to /cs/… leaves Czech active in the thread otherwise."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
