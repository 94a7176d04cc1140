"""One rate limit for every write view: POSTs per signed-in person (or address), at VECHE_WRITE_RATE."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit

View = TypeVar("View", bound=Callable[..., Any])


def _write_rate(group: str, request: HttpRequest) -> str:
    return settings.VECHE_WRITE_RATE


def limit_writes(view: View) -> View:
    """Refuse (429 page through RATELIMIT_VIEW) POSTs beyond the write rate; GETs are never limited here."""
    return ratelimit(key="user_or_ip", rate=_write_rate, method="POST", block=True)(view)  # type: ignore[no-any-return]
