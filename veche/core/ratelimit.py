"""One rate limit for every write view: POSTs per signed-in person (or address), at VECHE_WRITE_RATE."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit

View = TypeVar("View", bound=Callable[..., Any])


def client_ip(request: HttpRequest) -> str:
    """The address of the person behind settings.TRUSTED_PROXY_COUNT reverse proxies (RATELIMIT_IP_META_KEY).

    Each trusted proxy appends the address it saw to X-Forwarded-For, so the client is the entry `count` hops from the
    right; anything further left was written by the client and may be spoofed. With no trusted proxies, or a header
    shorter than that (a request that bypassed the proxy), REMOTE_ADDR is the answer.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(hops) < count:
        return remote
    return hops[-count]


def _write_rate(group: str, request: HttpRequest) -> str:
    return settings.VECHE_WRITE_RATE


def limit_writes(view: View) -> View:
    """Refuse (429 page through RATELIMIT_VIEW) POSTs beyond the write rate; GETs are never limited here."""
    return ratelimit(key="user_or_ip", rate=_write_rate, method="POST", block=True)(view)  # type: ignore[no-any-return]
