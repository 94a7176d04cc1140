"""Admin of the network app — for platform operators, to look memberships, profiles and messages up.

Read-only: applications are decided, profiles edited (only by their owners) and messages moderated on the site's
pages, which call the services (permissions, history, audit, notifications). The one action, "Accept", calls
services.decide_application exactly as the coordinators' page does. Profiles never show fields in the admin list
that the search documents would reveal; their detail is there for operators handling a complaint.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from veche.network import services
from veche.network.choices import MembershipState
from veche.network.models import ContactMessage, Membership, MembershipEvent, NetworkSettings, PractitionerProfile


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(ReadOnly, admin.TabularInline):
    model = MembershipEvent
    fields = ("created_at", "state", "actor", "message")
    readonly_fields = fields
    extra = 0


@admin.register(NetworkSettings)
class NetworkSettingsAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("network", "member_list_visibility", "accepts_applications")
    list_select_related = ("network",)


@admin.register(Membership)
class MembershipAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "network", "state", "created_at", "decided_at")
    list_filter = ("state", "network")
    search_fields = ("user__email", "user__display_name", "organisation__name")
    list_select_related = ("network", "user", "organisation")
    readonly_fields = [field.name for field in Membership._meta.fields]
    inlines = [EventInline]
    actions = ["accept"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Accept the selected applications"))
    def accept(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        accepted = 0
        for membership in queryset.filter(state=MembershipState.APPLIED).select_related("network"):
            try:
                services.decide_application(actor=request.user, membership=membership, accept=True)
            except (PermissionDenied, ValidationError) as error:
                messages.error(request, f"{membership}: {' '.join(getattr(error, 'messages', [str(error)]))}")
            else:
                accepted += 1
        messages.success(
            request,
            ngettext("%(count)s application accepted.", "%(count)s applications accepted.", accepted)
            % {"count": accepted},
        )


@admin.register(PractitionerProfile)
class PractitionerProfileAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "is_published", "country", "updated_at")
    list_filter = ("is_published", "country")
    search_fields = ("user__email", "name")
    exclude = (
        "search_public",
        "search_members",
        "search_coordinators",
        "vector_public",
        "vector_members",
        "vector_coordinators",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in PractitionerProfile._meta.fields if field.name not in self.exclude] + [
            "methods",
            "topics",
        ]


@admin.register(ContactMessage)
class ContactMessageAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("subject", "profile", "network", "is_hidden", "created_at")
    list_filter = ("is_hidden", "network")
    list_select_related = ("profile", "network")
    readonly_fields = [field.name for field in ContactMessage._meta.fields]
