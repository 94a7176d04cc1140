"""The number of unread notifications, for the site header."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, int | Callable[[], int]]:
    """unread_notifications: 0 for visitors (no query); for signed-in people a callable that templates call on first
    use, so the one COUNT query runs only on pages that show it (not on htmx fragments)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    cache: list[int] = []

    def count() -> int:
        if not cache:
            from veche.notifications.models import Notification

            cache.append(Notification.objects.filter(recipient=user).unread().count())
        return cache[0]

    return {"unread_notifications": count}
