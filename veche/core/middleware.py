"""Small cross-cutting middleware: request ids for the logs, and redirects for unknown language prefixes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import get_language_from_request

from veche.core.logging import request_id_var

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# A first path segment that looks like a language code (de, sk, de-at, pt-br …) but is not one we serve.
_LANGUAGE_LIKE = re.compile(r"^/(?P<code>[a-z]{2}(?:[-_][a-zA-Z]{2,4})?)(?P<rest>/.*|)$")


class RequestIdMiddleware:
    """Take the proxy's X-Request-ID when it is well formed, otherwise make one; echo it in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]  # for lines logged after this returns
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class UnknownLanguagePrefixMiddleware:
    """Redirect /de/… or /sk/… to the same page in a language we serve instead of answering 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.served = {code for code, _name in settings.LANGUAGES}
        self.unprefixed = ("api", "static", "media", "admin", "healthz")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = _LANGUAGE_LIKE.match(request.path_info)
        if match and match["code"].lower() not in self.served and match["code"] not in self.unprefixed:
            language = get_language_from_request(request, check_path=False)
            rest = match["rest"] or "/"
            query = request.META.get("QUERY_STRING", "")
            return HttpResponseRedirect(f"/{language}{rest}" + (f"?{query}" if query else ""))
        return self.get_response(request)
