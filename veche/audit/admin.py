"""The audit log in the admin: read-only, like everywhere else (no add, change or delete)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from veche.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "organisation", "target_repr")
    list_filter = ("action", "organisation")
    search_fields = ("action", "target_repr", "actor__email", "actor__display_name")
    list_select_related = ("actor", "organisation")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor", "action", "organisation", "target_type", "target_id", "target_repr", "data")
    readonly_fields = fields
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
