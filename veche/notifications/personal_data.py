"""Notifications in "download my data" and "delete my account": exported in full, erased in full."""

from __future__ import annotations

from typing import Any

from veche.notifications.models import Notification, NotificationSettings


def export_notifications(user: Any) -> dict[str, Any]:
    settings_row = NotificationSettings.objects.filter(user=user).first()
    return {
        "email_enabled": settings_row.email_enabled if settings_row else True,
        "items": [
            {
                "kind": item.kind,
                "title": item.title,
                "body": item.body,
                "url": item.url,
                "created_at": item.created_at.isoformat(),
                "read_at": item.read_at.isoformat() if item.read_at else None,
            }
            for item in Notification.objects.filter(recipient=user).order_by("id")
        ],
    }


def erase_notifications(user: Any) -> None:
    Notification.objects.filter(recipient=user).delete()
    NotificationSettings.objects.filter(user=user).delete()
