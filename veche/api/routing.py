"""The Router every app's api.py uses. It adds what each operation has in common, so that none can forget it:

- the `lang` query parameter (Accept-Language works too), validated and documented;
- the error responses every operation can give (401, 403, 422, 429, 500; see COMMON_ERRORS), on top of
  the ones the operation declares itself (e.g. 404);
- the anonymous alternative `{}` in the OpenAPI security list of PUBLIC operations.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from ninja import Field, Query, Router, Schema
from ninja.constants import NOT_SET
from ninja.utils import contribute_operation_args

from veche.api.auth import anonymous
from veche.api.errors import Error

Language = enum.Enum("Language", [(code, code) for code, _name in settings.LANGUAGES], type=str)  # type: ignore[misc]

# 401: bad or missing credentials; 403: a signed-in staff member without two-factor authentication
# (veche.accounts.middleware) or a failed CSRF check; 422: invalid input (at least ?lang=); 429: rate limit.
COMMON_ERRORS = (401, 403, 422, 429, 500)


class LanguageQuery(Schema):
    lang: Language | None = Field(  # type: ignore[valid-type]
        None, description="Language of names, descriptions and messages; overrides Accept-Language."
    )


def requested_language(request: HttpRequest) -> str | None:
    """The language asked for with ?lang=, when it is one we serve."""
    code = request.GET.get("lang", "")
    return code if code in {member.value for member in Language} else None


def with_request_language(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run an operation (authentication and errors included) in the ?lang= language; LocaleMiddleware has already
    picked one from Accept-Language otherwise."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = requested_language(request) or translation.get_language()
        with translation.override(language):
            response = run(request, *args, **kwargs)
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapper


def _accept_language_param(view_func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view_func)
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("ninja_language", None)  # validated by ninja, applied by with_request_language
        return view_func(request, *args, **kwargs)

    # wraps() copied the wrapped function's contributed arguments (a shared list): give this one its own.
    view._ninja_contribute_args = list(getattr(view_func, "_ninja_contribute_args", []))  # type: ignore[attr-defined]
    contribute_operation_args(view, "ninja_language", LanguageQuery, Query(...))
    return view


class ApiRouter(Router):
    def add_api_operation(self, path: str, methods: list[str], view_func: Callable[..., Any], **kwargs: Any) -> None:
        auth = kwargs.get("auth", NOT_SET)
        if auth is NOT_SET:
            raise TypeError(f"{view_func.__name__}: declare auth= (PUBLIC or AUTHENTICATED from veche.api.auth)")
        response = kwargs.get("response", NOT_SET)
        if not isinstance(response, dict):
            raise TypeError(f"{view_func.__name__}: declare response= as a dict of status → schema")
        merged = dict.fromkeys(COMMON_ERRORS, Error) | response
        kwargs["response"] = dict(sorted(merged.items()))
        if anonymous in auth:
            extra = dict(kwargs.get("openapi_extra") or {})
            extra["security"] = [*extra.get("security", []), {}]
            kwargs["openapi_extra"] = extra
        super().add_api_operation(path, methods, _accept_language_param(view_func), **kwargs)
