"""Where other apps plug into "download my data" and "delete my account" without accounts importing them.

An app that keeps personal data calls, from its AppConfig.ready():

    register_exporter("notifications", export_notifications)  # fn(user) -> JSON-serialisable value
    register_eraser("notifications", erase_notifications)  # fn(user) -> None, inside erase_account's transaction

Keys are unique; registering the same key again replaces the function (ready() may run more than once in tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from veche.accounts.models import User

Exporter = Callable[["User"], Any]
Eraser = Callable[["User"], None]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}

# Keys the accounts app fills itself in the export; another app may not take them.
RESERVED_KEYS = frozenset({"format", "exported_at", "user", "email_addresses", "roles", "api_tokens", "two_factor"})


def _check_key(key: str) -> None:
    if not key or key in RESERVED_KEYS:
        raise ValueError(f"{key!r} cannot be used as a personal-data key.")


def register_exporter(key: str, fn: Exporter) -> None:
    """Add fn's result to every personal-data export under key."""
    _check_key(key)
    _exporters[key] = fn


def register_eraser(key: str, fn: Eraser) -> None:
    """Run fn when an account is erased, inside the erasure's transaction (raise to abort the erasure)."""
    _check_key(key)
    _erasers[key] = fn


def exporters() -> dict[str, Exporter]:
    return dict(sorted(_exporters.items()))


def erasers() -> dict[str, Eraser]:
    return dict(sorted(_erasers.items()))


def unregister(key: str) -> None:
    """Remove key from both registries (for tests that register temporary hooks)."""
    _exporters.pop(key, None)
    _erasers.pop(key, None)
