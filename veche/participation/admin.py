"""Admin for processes, modules and phases. Changes go through the same services as the site (permission, audit);
what has no service here (creating processes, adding modules, dates) is read-only with a link to the site page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from veche.participation import services
from veche.participation.models import Module, Phase, Process


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ModuleInline(ReadOnlyMixin, TranslationTabularInline):
    model = Module
    fields = ("title", "module_type", "weight")
    readonly_fields = fields
    extra = 0
    show_change_link = True


class PhaseInline(ReadOnlyMixin, admin.TabularInline):
    model = Phase
    fields = ("phase_type", "starts_at", "ends_at", "weight")
    readonly_fields = fields
    extra = 0


class ProcessAdminForm(forms.ModelForm):
    class Meta:
        model = Process
        fields = ("title", "summary", "slug")

    def clean_slug(self) -> str:
        """The organisation is read-only here, so the unique (organisation, slug) check must be done by hand."""
        slug = self.cleaned_data["slug"]
        taken = Process.objects.filter(organisation_id=self.instance.organisation_id, slug=slug)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("This organisation already has a process with this address."))
        return slug


@admin.register(Process)
class ProcessAdmin(TranslationAdmin):
    form = ProcessAdminForm
    list_display = ("title", "organisation", "is_published", "created_at")
    list_filter = ("is_published", "organisation")
    search_fields = ("title", "slug", "organisation__slug")
    list_select_related = ("organisation",)
    fields = ("organisation", "title", "summary", "slug", "is_published", "created_by", "created_at", "site_link")
    readonly_fields = ("organisation", "is_published", "created_by", "created_at", "site_link")
    inlines = (ModuleInline,)
    actions = ("publish", "unpublish")

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Processes are created on the organisation's page, which knows which organisation they belong to."""
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("On the site"))
    def site_link(self, obj: Process) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open the process page"))

    def save_model(self, request: HttpRequest, obj: Process, form: Any, change: bool) -> None:
        """Hand the edited texts to update_process, applied to the stored process, so that it checks and audits."""
        stored = Process.objects.get(pk=obj.pk)
        languages = [name.removeprefix("title_") for name in form.cleaned_data if name.startswith("title_")]
        services.update_process(
            actor=request.user,
            process=stored,
            title={code: form.cleaned_data.get(f"title_{code}") or "" for code in languages},
            summary={code: form.cleaned_data.get(f"summary_{code}") or "" for code in languages},
            slug=form.cleaned_data["slug"],
        )

    def _bulk(self, request: HttpRequest, queryset: QuerySet[Process], publish: bool) -> None:
        service = services.publish_process if publish else services.unpublish_process
        done = 0
        for process in queryset.select_related("organisation"):
            try:
                service(actor=request.user, process=process)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{process}: {error}", messages.ERROR)
        self.message_user(
            request, ngettext("%(count)d process changed.", "%(count)d processes changed.", done) % {"count": done}
        )

    @admin.action(description=_("Publish the selected processes"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Process]) -> None:
        self._bulk(request, queryset, publish=True)

    @admin.action(description=_("Unpublish the selected processes"), permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Process]) -> None:
        self._bulk(request, queryset, publish=False)


@admin.register(Module)
class ModuleAdmin(ReadOnlyMixin, TranslationAdmin):
    list_display = ("title", "module_type", "process")
    list_filter = ("module_type",)
    search_fields = ("title", "process__title")
    list_select_related = ("process", "process__organisation")
    fields = ("process", "title", "module_type", "weight", "dates_link")
    readonly_fields = fields
    inlines = (PhaseInline,)

    @admin.display(description=_("On the site"))
    def dates_link(self, obj: Module) -> str:
        process = obj.process
        url = reverse("participation:schedule", args=[process.organisation.slug, process.slug, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit the dates of the phases"))


@admin.register(Phase)
class PhaseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("phase_type", "module", "starts_at", "ends_at")
    list_select_related = ("module",)
    list_filter = ("phase_type",)
    fields = ("module", "phase_type", "starts_at", "ends_at", "weight")
    readonly_fields = fields
