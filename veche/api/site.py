"""The one django-ninja API: each app contributes a router from its own api.py.

Everything the API answers is JSON of one error shape (veche/api/errors.py), including what ninja itself answers
outside operations: unknown addresses under /api/v1/ (404) and methods a path does not support (405).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from ninja import NinjaAPI

from veche.api.errors import error_response, install_error_handlers
from veche.api.routing import requested_language, with_request_language
from veche.api.throttling import ApiRateLimit

DESCRIPTION = """\
Open data of veche: organisations and networks now, participation processes as the modules arrive.

**Authentication.** Reading is open to everyone. Send a personal token (`Authorization: Bearer vch_…`, created on
your profile page) or use the signed-in browser session (unsafe methods then need the `X-CSRFToken` header).
A token that is not valid is refused with 401, even where no authentication is needed.

**Language.** `?lang=cs|pl|en` or the `Accept-Language` header choose the language of names, descriptions and
messages; every text is also given in all languages (`names`, `descriptions`).

**Errors** are JSON: `{"detail": "…", "code": "not_found", "errors": [{"loc": [...], "msg": "…", "type": "…"}]}`
(`errors` only for 422). **Lists** take `limit` (1–100, default 20) and `offset` and answer
`{"count", "next", "previous", "items"}`. **Rate limit:** too many requests give 429 with `Retry-After`.
"""


class VecheNinjaAPI(NinjaAPI):
    """NinjaAPI whose URL patterns also answer unknown paths and wrong methods with the API's JSON errors."""

    def _get_urls(self) -> list[URLPattern | URLResolver]:
        patterns = [_with_json_errors(pattern) for pattern in super()._get_urls()]
        patterns.append(re_path(r"^.*$", _unknown_path, name="not-found"))
        return patterns


def _json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:  # ninja's root view raises it
            return _unknown_path(request)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = _localised_error(request, 405)
            response["Allow"] = allowed
        return response

    return wrapper


def _with_json_errors(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    if not isinstance(pattern, URLPattern):
        return pattern
    return URLPattern(pattern.pattern, _json_errors(pattern.callback), pattern.default_args, pattern.name)


def _localised_error(request: HttpRequest, status: int) -> HttpResponse:
    language = requested_language(request) or translation.get_language()
    with translation.override(language):
        response = error_response(status)
    response["Content-Language"] = language
    return response


@csrf_exempt  # a JSON 404 for any method, not the CSRF failure page
def _unknown_path(request: HttpRequest) -> HttpResponse:
    return _localised_error(request, 404)


def _read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the OpenAPI document and the docs page: GET and HEAD only (others get the JSON 405)."""
    return csrf_exempt(require_safe(view))


api = VecheNinjaAPI(
    title="veche API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    throttle=[ApiRateLimit()],
    docs_decorator=_read_only,
)
install_error_handlers(api)
api.add_decorator(with_request_language, mode="view")  # "view" wraps the whole run, auth included

api.add_router("/me", "veche.api.me.router")
api.add_router("/organisations", "veche.organisations.api.router")
api.add_router("/budgets", "veche.budgeting.api.router")
api.add_router("/consultations", "veche.consultations.api.router")
api.add_router("/cases", "veche.cases.api.router")
api.add_router("/advice", "veche.advice.api.router")
api.add_router("/network", "veche.network.api.router")
