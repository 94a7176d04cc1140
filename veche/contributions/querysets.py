"""Named queries of follows and reports."""

from __future__ import annotations

from typing import Any

from django.db import models

from veche.contributions.choices import ReportStatus


class ReportQuerySet(models.QuerySet):
    def open(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.OPEN)

    def for_queue_page(self, organisation: Any, *, status: str = ReportStatus.OPEN) -> ReportQuerySet:
        """The organisation's reports in one status, oldest open first (newest decided first), with what the
        page shows loaded: reporter, decider and content type. Targets are attached by registry.attach_targets."""
        order = ["created_at", "id"] if status == ReportStatus.OPEN else ["-decided_at", "-id"]
        return (
            self.filter(organisation=organisation, status=status)
            .select_related("reporter", "decided_by", "content_type")
            .order_by(*order)
        )
