"""One error shape for every API failure: {"detail": human message, "code": machine code, "errors": [...]?}.

The handlers are installed on the NinjaAPI in site.py; views raise ApiError (or Django's Http404/PermissionDenied)
and never build error responses themselves. Messages follow the request language.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("veche.api")


class ErrorItem(Schema):
    """One invalid input: where it is (e.g. ["query", "limit"]), what is wrong, and pydantic's error type."""

    loc: list[str | int]
    msg: str
    type: str


class Error(Schema):
    """Every error response of the API has this shape; `errors` is present only for validation errors (422)."""

    detail: str
    code: str
    errors: list[ErrorItem] | None = None


def _default_messages() -> dict[int, tuple[str, str]]:
    """Status → (code, message); a function so that the messages are translated into the active language."""
    return {
        400: ("bad_request", _("The request could not be understood.")),
        401: ("not_authenticated", _("Sign in or send a personal API token to do this.")),
        403: ("permission_denied", _("You do not have permission to do this.")),
        404: ("not_found", _("Nothing was found at this address.")),
        405: ("method_not_allowed", _("This method is not allowed at this address.")),
        422: ("validation_error", _("Some values in the request are not valid.")),
        429: ("rate_limited", _("Too many requests. Please wait a moment and try again.")),
        500: ("server_error", _("Something went wrong on our side. The error has been logged.")),
    }


def default_error(status: int) -> tuple[str, str]:
    return _default_messages().get(status, ("error", _("The request failed.")))


class ApiError(Exception):
    """Raise to answer with an error; code and detail default to the ones for the status."""

    def __init__(self, status: int, code: str | None = None, detail: str | None = None) -> None:
        default_code, default_detail = default_error(status)
        self.status = status
        self.code = code or default_code
        self.detail = detail or default_detail
        super().__init__(status, self.code)


def error_payload(status: int, *, code: str | None = None, detail: str | None = None) -> dict[str, Any]:
    default_code, default_detail = default_error(status)
    return {"detail": detail or default_detail, "code": code or default_code}


def error_response(status: int, *, code: str | None = None, detail: str | None = None) -> JsonResponse:
    """An error response built outside ninja's operations (unknown API path, wrong method)."""
    return JsonResponse(error_payload(status, code=code, detail=detail), status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default handlers (plain-text 500 in DEBUG, list-valued detail on 422) with ours."""

    def respond(request: HttpRequest, status: int, payload: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, payload, status=status)

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        response = respond(request, exc.status, error_payload(exc.status, code=exc.code, detail=exc.detail))
        if exc.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        payload = error_payload(422)
        payload["errors"] = [
            {"loc": list(item.get("loc", ())), "msg": str(item.get("msg", "")), "type": str(item.get("type", ""))}
            for item in exc.errors
        ]
        return respond(request, 422, payload)

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api_error(request, ApiError(401))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja raises these itself (throttling → 429); keep its status, use our code and message.
        return api_error(request, ApiError(exc.status_code))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api_error(request, ApiError(404))

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api_error(request, ApiError(403))

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return respond(request, 500, error_payload(500))
