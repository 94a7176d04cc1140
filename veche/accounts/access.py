"""Platform-wide access flags (active, staff, superuser) change only through here, so every change is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from veche.audit.services import record

ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")


def save_with_access_audit(*, actor: Any, user: Any, before: dict[str, bool]) -> None:
    """Save user; when an access flag differs from `before`, require a superuser actor and audit the change.

    `before` holds the flags as loaded from the database. Runs in one transaction with the audit entry.
    """
    changed = {name: getattr(user, name) for name in ACCESS_FIELDS if before.get(name) != getattr(user, name)}
    if changed and not getattr(actor, "is_superuser", False):
        raise PermissionDenied
    with transaction.atomic():
        user.save()
        if changed:
            record(actor=actor, action="accounts.access_changed", target=user, data={"changed": changed})


def access_flags(user: Any) -> dict[str, bool]:
    return {name: bool(getattr(user, name)) for name in ACCESS_FIELDS}
