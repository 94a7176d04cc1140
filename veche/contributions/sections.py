"""The moderation queue's entry on the organisation page, for the people who moderate there."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from veche.contributions.models import Report


def organisation_moderation_link(request: HttpRequest, organisation: Any) -> dict[str, Any] | None:
    if not request.user.has_perm("contributions.view_moderation_queue", organisation):
        return None
    return {
        "organisation": organisation,
        "open_reports": Report.objects.open().filter(organisation=organisation).count(),
    }
