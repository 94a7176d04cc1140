"""Admin for organisations, network affiliations and roles — for platform operators.

Object permissions come from the same django-rules predicates as the site (rules' ObjectPermissionsModelAdmin), and
changes go through the same services: editing an organisation calls services.update_organisation (which audits), a
new role is granted with services.grant_role and a deleted one revoked with services.revoke_role (which keeps the last
administrator). A role is never edited in place — changing it is a revoke and a grant, both audited.

Translated names use modeltranslation's plain TranslationAdmin, not the tabbed one: the tabbed variant loads jQuery UI
from a CDN, which the Content-Security-Policy blocks.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from veche.audit.services import record
from veche.core.images import reencode_image
from veche.organisations import services
from veche.organisations.forms import https_by_default
from veche.organisations.models import Affiliation, Organisation, Role


class OrganisationAdminForm(forms.ModelForm):
    """Re-encode an uploaded logo here too: the admin must not be a way around the upload limits."""

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "kind",
            *(f"{name}_{code}" for name in ("name", "description") for code in settings.MODELTRANSLATION_LANGUAGES),
            "logo",
            "country",
            "region",
            "region_code",
            "population",
            "website",
            "is_published",
        ]
        formfield_callback = https_by_default

    def clean_logo(self) -> Any:
        upload = self.cleaned_data.get("logo")
        if isinstance(upload, UploadedFile):
            return reencode_image(upload)
        return upload


class MemberInline(admin.TabularInline):
    model = Affiliation
    fk_name = "network"
    extra = 0
    raw_id_fields = ("organisation",)
    verbose_name = _("member organisation")
    verbose_name_plural = _("member organisations (when this organisation is a network)")


class NetworkMembershipInline(admin.TabularInline):
    model = Affiliation
    fk_name = "organisation"
    extra = 0
    raw_id_fields = ("network",)
    verbose_name = _("network membership")
    verbose_name_plural = _("networks this organisation belongs to")


@admin.register(Organisation)
class OrganisationAdmin(ObjectPermissionsModelAdmin, TranslationAdmin):
    form = OrganisationAdminForm
    list_display = ("name", "kind", "country", "region_code", "is_published")
    list_filter = ("kind", "country", "is_published")
    search_fields = ("slug", "name_cs", "name_pl", "name_en")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = (MemberInline, NetworkMembershipInline)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: Organisation, form: forms.ModelForm, change: bool) -> None:
        if not change:
            # Creating organisations is an operator's job with no rules beyond the model's; it is still audited.
            super().save_model(request, obj, form, change)
            record(actor=request.user, action="organisations.created", target=obj, organisation=obj)
            return
        original = Organisation.objects.get(pk=obj.pk)
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if changes.get("logo") is False:  # "clear" ticked
            changes["logo"] = ""
        services.update_organisation(actor=request.user, organisation=original, changes=changes)
        obj.refresh_from_db()


@admin.register(Role)
class RoleAdmin(ObjectPermissionsModelAdmin):
    list_display = ("user", "organisation", "kind", "granted_at")
    list_filter = ("kind", "organisation")
    search_fields = ("user__email", "user__display_name", "organisation__slug")
    raw_id_fields = ("user", "organisation")
    readonly_fields = ("granted_at",)

    def has_view_permission(self, request: HttpRequest, obj: Role | None = None) -> bool:
        """Whoever may manage an organisation's roles may see them; otherwise the model permissions decide."""
        if obj is not None and request.user.has_perm("organisations.manage_roles", obj.organisation):
            return True
        return admin.ModelAdmin.has_view_permission(self, request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Role | None = None) -> bool:
        """Existing roles are read-only (view them, delete them); a different role is a revoke and a new grant."""
        if obj is not None:
            return False
        return super().has_change_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # The bulk delete would bypass revoke_role's last-administrator check.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Role, form: forms.ModelForm, change: bool) -> None:
        role = services.grant_role(actor=request.user, organisation=obj.organisation, user=obj.user, kind=obj.kind)
        obj.pk = role.pk
        obj.granted_at = role.granted_at

    def delete_model(self, request: HttpRequest, obj: Role) -> None:
        try:
            services.revoke_role(actor=request.user, role=obj)
        except ValidationError as exc:
            request._veche_revoke_refused = True  # type: ignore[attr-defined]
            for message in exc.messages:
                self.message_user(request, message, level=messages.ERROR)

    def response_delete(self, request: HttpRequest, obj_display: str, obj_id: Any) -> HttpResponse:
        if getattr(request, "_veche_revoke_refused", False):
            return HttpResponseRedirect(reverse("admin:organisations_role_change", args=[obj_id]))
        return super().response_delete(request, obj_display, obj_id)
