"""Staff must protect their account with an authenticator app before they may do anything else on the site."""

from __future__ import annotations

import re
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from veche.organisations.roles import holds_staff_role

# Paths (after the language prefix) that stay reachable: allauth's own pages (sign-in and -out, email, password,
# two-factor set-up) and the JavaScript catalogue they may use.
_ALLOWED_PREFIXED = ("/accounts/", "/jsi18n/")


class RequireStaffTwoFactorMiddleware:
    """Redirect a signed-in person holding a staff role and no TOTP authenticator to the TOTP activation page.

    Active when settings.VECHE_REQUIRE_STAFF_2FA is true. The API answers 403 with a JSON error instead of redirecting.
    Costs the roles query (cached on the user for the permission checks) and, for staff only, one more.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
        self.language_prefix = re.compile(rf"^/(?:{languages})(?=/)")
        self.unprefixed = tuple(
            prefix
            for prefix in (settings.STATIC_URL, settings.MEDIA_URL, "/healthz", "/i18n/", "/favicon.ico")
            if prefix
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "VECHE_REQUIRE_STAFF_2FA", False) and self._must_set_up(request):
            return self._refuse(request)
        return self.get_response(request)

    def _is_allowed(self, path: str) -> bool:
        if path.startswith(self.unprefixed):
            return True
        match = self.language_prefix.match(path)
        return bool(match) and path[match.end() :].startswith(_ALLOWED_PREFIXED)

    def _must_set_up(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or self._is_allowed(request.path_info):
            return False
        if not holds_staff_role(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    def _refuse(self, request: HttpRequest) -> HttpResponse:
        message = _(
            "Your role in an organisation lets you see and change other people's data, so your account must be "
            "protected by two-factor authentication. Please set up an authenticator app to continue."
        )
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "two_factor_required"}, status=403)
        url = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        messages.warning(request, message)
        return HttpResponseRedirect(url)
