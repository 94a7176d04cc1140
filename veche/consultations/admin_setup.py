"""Admin of the set-up part: the consultation list filters by state (open, upcoming, closed) and shows the flags
the set-up services keep (short period confirmed, followers told of the opening) read-only — timeline, publishing
and confirmations go through the site's set-up pages, which check and audit them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from veche.consultations.admin import ConsultationAdmin
from veche.consultations.models import Consultation


class StateFilter(admin.SimpleListFilter):
    title = pgettext_lazy("consultation state", "State")
    parameter_name = "state"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("open", pgettext_lazy("consultation state", "Open now")),
            ("upcoming", pgettext_lazy("consultation state", "Upcoming")),
            ("closed", pgettext_lazy("consultation state", "Closed")),
        ]

    def queryset(self, request: Any, queryset: Any) -> Any:
        return queryset.in_state(self.value(), timezone.now()) if self.value() else queryset


class SetupConsultationAdmin(ConsultationAdmin):
    list_display = (*ConsultationAdmin.list_display, "is_published", "short_period_confirmed")
    list_filter = (StateFilter, *ConsultationAdmin.list_filter)
    readonly_fields = ("short_period_confirmed", "opening_notified_at", "latitude", "longitude")

    @admin.display(description=_("published"), boolean=True)
    def is_published(self, obj: Consultation) -> bool:
        return bool(obj.module.process.is_published)

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).select_related("organisation", "module__process")


admin.site.unregister(Consultation)
admin.site.register(Consultation, SetupConsultationAdmin)
