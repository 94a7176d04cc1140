"""The person's own pages under /<lang>/me/: profile, API tokens, download my data, delete my account."""

from __future__ import annotations

import json
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from veche.accounts import services
from veche.accounts.forms import ApiTokenForm, DeleteAccountForm, ProfileForm
from veche.accounts.models import ApiToken, User
from veche.core.ratelimit import limit_writes
from veche.core.translation import fallback_expression
from veche.core.views import rate_limited
from veche.organisations.models import Role

EXPORT_RATE = "5/h"
DELETE_RATE = "10/h"


def _limited(request: HttpRequest, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key="user", rate=rate, method="POST", increment=True)


def _optional_url(name: str) -> str | None:
    """The URL of a page another app may or may not provide."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@login_required
@limit_writes
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            services.update_profile(
                user=user, display_name=form.cleaned_data["display_name"], language=form.cleaned_data["language"]
            )
            messages.success(request, _("Your profile has been saved."))
            # Show the page in the language just chosen, which is also the one emails will use.
            with translation.override(user.language or translation.get_language()):
                response = HttpResponseRedirect(reverse("accounts:profile"))
            if user.language:
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
    else:
        form = ProfileForm(instance=user)
    context = {
        "form": form,
        "role_columns": [_("Organisation"), _("Role")],
        "role_rows": _role_rows(user),
        "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "notifications_url": _optional_url("notifications:list"),
    }
    return render(request, "accounts/profile.html", context)


def _role_rows(user: User) -> list[list[Any]]:
    """The rows of the roles table on the profile page: the organisation (a link) and the role."""
    roles = (
        Role.objects.of(user).select_related("organisation").order_by(fallback_expression("organisation__name"), "kind")
    )
    return [
        [{"text": role.organisation.name, "url": role.organisation.get_absolute_url()}, role.get_kind_display()]
        for role in roles
    ]


@login_required
@limit_writes
@never_cache
def tokens(request: HttpRequest) -> HttpResponse:
    """List the person's API tokens and create new ones. A new token's secret is shown in this one response only."""
    created: tuple[ApiToken, str] | None = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                created = services.create_api_token(user=request.user, name=form.cleaned_data["name"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                form = ApiTokenForm()
    else:
        form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at", "-pk"),
        "new_token": created[0] if created else None,
        "raw_token": created[1] if created else None,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@limit_writes
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


@login_required
@never_cache
def export(request: HttpRequest) -> HttpResponse:
    """GET explains what the export contains; POST downloads it as a JSON file."""
    if request.method != "POST":
        return render(request, "accounts/export.html")
    if _limited(request, "accounts.export", EXPORT_RATE):
        return rate_limited(request)
    data = services.export_personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"veche-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@never_cache
def delete(request: HttpRequest) -> HttpResponse:
    """Ask for the password and a confirmation, then erase the account and sign the person out."""
    if request.method == "POST":
        if _limited(request, "accounts.delete", DELETE_RATE):
            return rate_limited(request)
        form = DeleteAccountForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.erase_account(user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                logout(request)
                messages.success(request, _("Your account has been deleted. Thank you for taking part."))
                return redirect("home")
    else:
        form = DeleteAccountForm(user=request.user)
    return render(request, "accounts/delete.html", {"form": form})
