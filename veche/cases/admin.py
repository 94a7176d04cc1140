"""Admin for the map of participation — for platform operators, to look cases up.

Everything is read-only here: writing, review decisions, taking a case off the map and photos go through the site's
pages, which call the services (permissions, versions, audit, the map's cache). The one action, "Publish", calls
services.decide_case exactly as the review page does. No bulk delete (it would bypass the services).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from veche.cases import services
from veche.cases.choices import CaseStatus, Decision
from veche.cases.models import Case, CasePhoto, CaseRevision


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RevisionInline(ReadOnly, admin.TabularInline):
    model = CaseRevision
    fields = ("number", "kind", "is_pending", "created_by", "created_at", "note")
    readonly_fields = fields
    extra = 0
    show_change_link = False


class PhotoInline(ReadOnly, admin.TabularInline):
    model = CasePhoto
    fields = ("image", "alt", "credit", "added_by", "created_at")
    readonly_fields = fields
    extra = 0


@admin.register(Case)
class CaseAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("title", "network", "municipality", "country", "year", "status", "published_at", "site_link")
    list_filter = ("status", "network", "country", "language", "methods")
    search_fields = ("title", "municipality", "organiser")
    date_hierarchy = "published_at"
    list_select_related = ("network",)
    inlines = [RevisionInline, PhotoInline]
    actions = ["publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Case._meta.fields] + ["methods", "topics", "site_link"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Case._meta.fields if field.name != "id"] + ["methods", "topics", "site_link"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff and (obj is None or request.user.has_perm("cases.view_case", obj)))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("On the site"))
    def site_link(self, obj: Case) -> str:
        return format_html('<a href="{}">{}</a>', reverse("cases:detail", kwargs={"pk": obj.pk}), _("Open"))

    @admin.action(description=_("Publish the selected cases that wait for review"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        done = 0
        for case in queryset.filter(status=CaseStatus.SUBMITTED):
            try:
                services.decide_case(actor=request.user, case=case, decision=Decision.PUBLISH)
            except (PermissionDenied, ValidationError):
                continue
            done += 1
        self.message_user(
            request,
            ngettext("%(count)s case published.", "%(count)s cases published.", done) % {"count": done},
            messages.SUCCESS if done else messages.WARNING,
        )
