"""Admin of the report part: look-up only; changes go through the same services as the site."""

from django.contrib import admin

from veche.consultations.models import OfficialResponse, Theme, ThemeMember


class ThemeMemberInline(admin.TabularInline):
    model = ThemeMember
    extra = 0
    raw_id_fields = ("contribution",)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("title", "consultation", "created_at")
    search_fields = ("title", "description")
    raw_id_fields = ("consultation", "created_by")
    inlines = (ThemeMemberInline,)


@admin.register(OfficialResponse)
class OfficialResponseAdmin(admin.ModelAdmin):
    list_display = ("__str__", "consultation", "contribution", "theme", "answered_by", "answered_at")
    list_filter = ("outcome",)
    search_fields = ("justification",)
    raw_id_fields = ("consultation", "contribution", "theme", "answered_by")
