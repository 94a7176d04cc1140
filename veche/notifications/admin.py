"""Notifications in the admin, for support: look them up and see whether they were read; nothing is written here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from veche.notifications.models import Notification, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter))
    search_fields = ("title", "recipient__email", "recipient__display_name", "kind")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    fields = ("recipient", "kind", "title", "body", "url", "created_at", "read_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("user", "email_enabled")
    list_filter = ("email_enabled",)
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user",)
    fields = ("user", "email_enabled")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
