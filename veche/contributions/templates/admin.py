"""Follows and reports for platform operators: read-only, since reports are decided through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from veche.contributions.models import Follow, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "organisation", "status", "created_at", "decided_at")
    list_filter = ("status", "reason")
    list_select_related = ("organisation", "content_type")
    search_fields = ("explanation", "decision_note")
    raw_id_fields = ("reporter", "decided_by", "organisation")


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "created_at")
    list_select_related = ("content_type",)
    raw_id_fields = ("user",)
