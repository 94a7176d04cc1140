"""A person's follows and reports in "download my data", and what erasure does to them."""

from __future__ import annotations

from typing import Any

from veche.contributions.models import Follow, Report


def export_follows_and_reports(user: Any) -> dict[str, Any]:
    follows = Follow.objects.filter(user=user).select_related("content_type").order_by("created_at", "pk")
    reports = Report.objects.filter(reporter=user).select_related("content_type").order_by("created_at", "pk")
    return {
        "follows": [
            {"kind": item.content_type.model, "id": item.object_id, "since": item.created_at.isoformat()}
            for item in follows
        ],
        "reports": [
            {
                "kind": item.content_type.model,
                "id": item.object_id,
                "reason": item.reason,
                "explanation": item.explanation,
                "status": item.status,
                "made": item.created_at.isoformat(),
            }
            for item in reports
        ],
    }


def erase_follows_and_reports(user: Any) -> None:
    """Follows go; reports stay for the moderators (the content may still need a decision) without the reporter."""
    Follow.objects.filter(user=user).delete()
    Report.objects.filter(reporter=user).update(reporter=None)
