"""A person's advice requests and messages in "download my data". Erasure keeps them: they belong to the thread
of an organisation's request, and the account shows as deleted in them."""

from __future__ import annotations

from typing import Any

from veche.advice.models import AdviceMessage, AdviceRequest


def export_advice(user: Any) -> dict[str, Any]:
    requests = AdviceRequest.objects.filter(requested_by=user).select_related("network").order_by("created_at", "pk")
    messages = AdviceMessage.objects.filter(author=user).order_by("created_at", "pk")
    return {
        "requests": [
            {
                "id": item.pk,
                "network": item.network.slug,
                "title": item.title,
                "description": item.description,
                "status": item.status,
                "created_at": item.created_at.isoformat(),
                "rating": item.rating,
                "rating_comment": item.rating_comment,
            }
            for item in requests
        ],
        "messages": [
            {"request": item.request_id, "body": item.body, "sent_at": item.created_at.isoformat()} for item in messages
        ],
        "advised_on": list(AdviceRequest.objects.filter(expert=user).order_by("pk").values_list("pk", flat=True)),
    }
