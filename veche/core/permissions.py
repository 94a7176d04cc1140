"""The one way services and views refuse an action the user may not take."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


def require_permission(user: Any, permission: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless user has the django-rules permission on obj."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied
