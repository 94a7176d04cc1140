"""Production uses Redis as the cache and rate-limit store. CI sets REDIS_URL; elsewhere this test is skipped."""

import os
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL not set")
def test_the_configured_redis_answers_and_counts_atomically():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"veche-test-{uuid.uuid4().hex}"})
    cache.set("probe", "ok", 30)
    assert cache.get("probe") == "ok"
    cache.set("counter", 0, 30)
    for _ in range(5):
        cache.incr("counter")
    assert cache.get("counter") == 5
    cache.delete_many(["probe", "counter"])


def test_base_settings_choose_redis_when_redis_url_is_set(monkeypatch):
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/9")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert reloaded.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/9"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(base)
