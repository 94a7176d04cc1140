"""Admin for people (email as the login, no username) and their API tokens; erasure goes through the service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from veche.accounts import services
from veche.accounts.access import access_flags, save_with_access_audit
from veche.accounts.models import ApiToken, User


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict[str, Any] = {}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("display_name", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "erased_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    readonly_fields = ("last_login", "date_joined", "erased_at")
    list_display = ("email", "display_name", "is_active", "is_staff", "date_joined", "erased_at")
    list_filter = ("is_staff", "is_superuser", "is_active", "language")
    search_fields = ("email", "display_name")
    ordering = ("email",)
    actions = ["erase_accounts"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """Changes to active/staff/superuser go through the audited access service."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        before = access_flags(User.objects.get(pk=obj.pk))
        save_with_access_audit(actor=request.user, user=obj, before=before)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Contributions and the audit log point at people; erase them instead (the "erase" action).
        return False

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    @admin.action(
        description=_("Erase the selected accounts (personal data deleted, contributions anonymised)"),
        permissions=["erase"],
    )
    def erase_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        erased = 0
        for user in queryset.filter(erased_at__isnull=True):
            try:
                services.erase_account(user=user, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{user.pk}: {' '.join(error.messages)}", messages.ERROR)
            else:
                erased += 1
        if erased:
            self.message_user(
                request,
                ngettext("%(count)d account erased.", "%(count)d accounts erased.", erased) % {"count": erased},
                messages.SUCCESS,
            )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are created by their owners; staff may only revoke them."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ["revoke_tokens"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            services.revoke_api_token(actor=request.user, token=token)
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens)) % {"count": len(tokens)},
            messages.SUCCESS,
        )
