"""The "Advice on request" section of a network's home page: ask (members), the queue (coordinators)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from veche.advice.choices import OPEN_STATUSES, AdviceStatus
from veche.advice.models import AdviceRequest


def network_advice_section(request: HttpRequest, organisation: Any) -> dict[str, Any] | None:
    if not organisation.is_network:
        return None
    user = request.user
    context: dict[str, Any] = {
        "network": organisation,
        "can_ask": user.has_perm("advice.add_request", organisation),
        "can_see_queue": user.has_perm("advice.view_queue", organisation),
        "signed_in": user.is_authenticated,
    }
    if context["can_see_queue"]:
        open_requests = AdviceRequest.objects.filter(network=organisation, status__in=sorted(OPEN_STATUSES))
        context["open_count"] = open_requests.count()
        context["new_count"] = open_requests.filter(status=AdviceStatus.NEW).count()
    return context
