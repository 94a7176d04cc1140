"""Who is calling: a personal token (Authorization: Bearer vch_…), the browser session, or nobody.

Operations list the callbacks they accept, in this order: a token wins over the session (so a script with a token
needs no CSRF token), and PUBLIC operations end with `anonymous`, which lets everyone else in. Any Authorization
header that is not a valid token is refused with 401 rather than silently treated as anonymous.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from veche.accounts.models import ApiToken
from veche.api.errors import ApiError

LAST_USED_PRECISION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """Personal API token. Only its SHA-256 is stored; last_used_at is refreshed at most once a minute."""

    openapi_bearerFormat = "vch_…"  # noqa: N815 — ninja copies openapi_* attributes into the security scheme
    openapi_description = "A personal API token created on your profile page, sent as `Authorization: Bearer vch_…`."

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if header is None:
            return None
        scheme, _space, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise ApiError(401, "invalid_token", _("Send the token as: Authorization: Bearer vch_…"))
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.find(token)
        if found is None:
            raise ApiError(
                401, "invalid_token", _("This token is not valid: it may be mistyped, revoked or of a closed account.")
            )
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session. Unsafe methods need the CSRF token (X-CSRFToken header) like any form."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "The session cookie of a signed-in browser; unsafe methods also need the X-CSRFToken header."

    def _get_key(self, request: HttpRequest) -> str | None:
        # Only a signed-in session has anything to protect; checking CSRF for anonymous callers would turn
        # "who are you?" (401) into a misleading 403.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise ApiError(
                403, "csrf_failed", _("The CSRF check failed: send the csrftoken cookie's value in X-CSRFToken.")
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The last resort of PUBLIC operations: no credentials at all is fine."""
    return AnonymousUser()


token_auth = TokenAuth()
session_auth = SessionAuth()

AUTHENTICATED = [token_auth, session_auth]
PUBLIC = [token_auth, session_auth, anonymous]


def caller(request: HttpRequest) -> Any:
    """The user an operation acts for (AnonymousUser on public operations called without credentials)."""
    return getattr(request, "auth", None) or AnonymousUser()
