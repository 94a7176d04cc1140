"""Site-wide views: home page, health check, and the error pages."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from veche.organisations.models import Organisation

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    organisations = Organisation.objects.public().for_list_page()[:6]
    networks = Organisation.objects.public().networks().for_list_page()[:3]
    return render(request, "core/home.html", {"organisations": organisations, "networks": networks})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database and the cache both work, 503 naming what failed otherwise."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 — any failure means unhealthy; the log keeps the detail
        logger.exception("health check: database failed")
        checks["database"] = "failed"
    try:
        probe = uuid.uuid4().hex
        cache.set("healthz", probe, 10)
        checks["cache"] = "ok" if cache.get("healthz") == probe else "failed"
    except Exception:  # noqa: BLE001
        logger.exception("health check: cache failed")
        checks["cache"] = "failed"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "failed", "checks": checks}, status=200 if healthy else 503)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = _("You are doing this too often. Please wait a minute and try again.")
    return render(request, "errors/429.html", {"message": message}, status=429)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    """Render without the request: context processors would touch the session and database, which may be what failed."""
    return HttpResponse(render_to_string("errors/500.html"), status=500)
