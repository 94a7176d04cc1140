"""Notify people in the app and by email. Apps call notify(); it never sends anything for a change that rolls back.

Titles and bodies may be lazy translations (gettext_lazy, or translatable() for texts with placeholders): each
recipient then gets them in their own language (User.language, else the site's default).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy

from veche.core.mail import send_email_later
from veche.core.translation import language_codes
from veche.notifications.models import Notification, NotificationSettings


def _interpolate(template: str | Promise, params: dict[str, Any]) -> str:
    return str(template) % {key: str(value) for key, value in params.items()}


_lazy_interpolate = lazy(_interpolate, str)


def translatable(template: str | Promise, **params: Any) -> Promise:
    """A text with named placeholders that is translated only when rendered for a recipient:
    translatable(_("%(process)s is now open"), process=process.title)."""
    return cast(Promise, _lazy_interpolate(template, params))


def language_of(user: Any) -> str:
    language = getattr(user, "language", "") or ""
    return language if language in language_codes() else settings.LANGUAGE_CODE


def _absolute(url: str) -> str:
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def _wants_email(recipients: list[Any]) -> list[Any]:
    opted_out = set(
        NotificationSettings.objects.filter(
            user_id__in=[user.pk for user in recipients], email_enabled=False
        ).values_list("user_id", flat=True)
    )
    return [
        user
        for user in recipients
        if user.pk not in opted_out and user.email and user.is_active and not getattr(user, "erased_at", None)
    ]


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str | Promise,
    body: str | Promise = "",
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Create one notification per recipient (each once, in their language) in one transaction.

    With email=True, recipients who have an address and have not switched email off also get an email, queued
    through the email task when the surrounding transaction commits (nothing is sent if it rolls back).
    """
    if url and not url.startswith(("/", "https://", "http://")):
        raise ValueError("A notification links to a site path or an http(s) address.")
    unique = list({user.pk: user for user in recipients if user is not None and user.pk}.values())
    if not unique:
        return []
    rows = []
    for user in unique:
        with translation.override(language_of(user)):
            rows.append(Notification(recipient=user, kind=kind, title=str(title)[:200], body=str(body), url=url))
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows)
        if email:
            for user in _wants_email(unique):
                _send_email(user, title=title, body=body, url=url)
    return created


def _send_email(user: Any, *, title: str | Promise, body: str | Promise, url: str) -> None:
    with translation.override(language_of(user)):
        context = {
            "name": user.public_name,
            "title": str(title),
            "body": str(body),
            "url": _absolute(url) if url else "",
            "settings_url": _absolute(reverse("notifications:settings")),
            "list_url": _absolute(reverse("notifications:list")),
            "site_name": "veche",
        }
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        text = render_to_string("notifications/email/notification.txt", context)
    send_email_later(subject=" ".join(subject.split()), body=text, to=[user.email])


def mark_read(*, user: Any, notification: Notification) -> Notification:
    """Mark one of the user's notifications read (again: no change). PermissionDenied for someone else's."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())


def update_settings(*, user: Any, email_enabled: bool) -> NotificationSettings:
    settings_row, _created = NotificationSettings.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled}
    )
    return settings_row


def settings_for(user: Any) -> NotificationSettings:
    """The user's settings, or unsaved defaults when they never changed them."""
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)
