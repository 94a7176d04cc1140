"""Admin for advice on request — for platform operators, to look things up. Every change the site makes goes
through veche.advice.services (permission, lock, audit, notifications), so requests, messages and attachments are
read-only here; the request page on the site is one click away."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from veche.advice.models import AdviceAttachment, AdviceMessage, AdviceRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MessageInline(admin.TabularInline):
    model = AdviceMessage
    fields = ("created_at", "author", "body", "hidden_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdviceRequest)
class AdviceRequestAdmin(ReadOnlyAdmin):
    list_display = ("title", "network", "requester_organisation", "status", "expert", "created_at", "site_link")
    list_filter = ("status", "stage", "network")
    list_select_related = ("network", "requester_organisation", "expert")
    search_fields = ("title", "description", "requester_organisation__name")
    date_hierarchy = "created_at"
    inlines = [MessageInline]
    readonly_fields = ("site_link",)

    @admin.display(description=_("on the site"))
    def site_link(self, obj: AdviceRequest) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("open"))


class AttachmentInline(admin.TabularInline):
    model = AdviceAttachment
    fields = ("original_name", "content_type", "size")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdviceMessage)
class AdviceMessageAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "request", "author", "created_at", "hidden_at")
    list_select_related = ("request", "author")
    list_filter = ("hidden_at",)
    search_fields = ("body",)
    inlines = [AttachmentInline]
