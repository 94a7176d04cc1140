"""A link to the organisation's audit log on its page, for those who may read it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from veche.organisations.models import Organisation


def organisation_audit_link(request: HttpRequest, organisation: Organisation) -> dict[str, Any] | None:
    if not request.user.has_perm("organisations.view_audit_log", organisation):
        return None
    return {"organisation": organisation}
