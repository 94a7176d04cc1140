"""A fixed-window request counter per caller, kept in the shared cache (Redis in production) so that every web
node counts together. Signed-in callers are counted per person, everyone else per client address."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'120/m' → (120, 60). The unit is s, m, h or d."""
    count, _slash, unit = rate.partition("/")
    return int(count), PERIODS[unit.strip()[:1]]


class ApiRateLimit(BaseThrottle):
    """Allows settings.VECHE_API_RATE requests per window; ninja answers 429 with Retry-After beyond that."""

    def _rate(self) -> tuple[int, int]:
        return parse_rate(getattr(settings, "VECHE_API_RATE", "120/m"))

    def _ident(self, request: HttpRequest) -> str:
        user = getattr(request, "auth", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return f"user:{user.pk}"
        # The address may come from X-Forwarded-For (see NINJA_NUM_PROXIES): hash it into a safe cache key.
        address = self.get_ident(request) or ""
        return "ip:" + hashlib.sha256(address.encode()).hexdigest()[:32]

    def allow_request(self, request: HttpRequest) -> bool:
        limit, period = self._rate()
        window = int(time.time() // period)
        key = f"api-rate:{self._ident(request)}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.set(key, 1, timeout=period + 1)
            count = 1
        return count <= limit

    def wait(self) -> float:
        """Seconds until the current window ends (stateless, so one instance serves all threads)."""
        _limit, period = self._rate()
        return period - time.time() % period
