"""What can be reported, and how the moderation queue shows it. Apps register their reportable models from
AppConfig.ready(); this app never imports them.

    register_reportable(Reportable(
        model=Contribution,
        organisation_id=lambda item: item.organisation_id,   # whose moderators handle reports on it
        excerpt=lambda item: item.text[:300],                # what the queue quotes (plain text)
        url=lambda item: item.get_absolute_url(),            # where the content is shown
        moderate_url=lambda item: reverse(…),                # where a moderator acts on it (hide with a reason)
        queryset=lambda: Contribution.objects.select_related(…),   # loads targets for the queue in one query
        is_visible_to=lambda user, item: …,                  # who may see, and so report, it
        is_hidden=lambda item: item.is_hidden,               # already moderated away
    ))
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models


class NotReportableError(LookupError):
    """No app registered this kind of object as reportable."""


@dataclass(frozen=True)
class Reportable:
    model: type[models.Model]
    organisation_id: Callable[[Any], int | None]
    excerpt: Callable[[Any], str]
    url: Callable[[Any], str]
    queryset: Callable[[], models.QuerySet]
    is_visible_to: Callable[[Any, Any], bool]
    moderate_url: Callable[[Any], str] | None = None
    is_hidden: Callable[[Any], bool] = lambda item: False

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_registry: dict[str, Reportable] = {}


def register_reportable(reportable: Reportable) -> Reportable:
    _registry[reportable.label] = reportable
    return reportable


def unregister_reportable(label: str) -> None:
    _registry.pop(label, None)


def reportable_for_label(label: str) -> Reportable:
    try:
        return _registry[label]
    except KeyError:
        raise NotReportableError(label) from None


def reportable_for(obj: models.Model) -> Reportable:
    return reportable_for_label(obj._meta.label_lower)


def is_reportable(obj: models.Model) -> bool:
    return obj._meta.label_lower in _registry


@dataclass(frozen=True)
class QueueItem:
    """One reported object in the queue, with its open (or decided) reports."""

    target: Any
    reportable: Reportable | None
    reports: list[Any]

    @property
    def excerpt(self) -> str:
        return self.reportable.excerpt(self.target) if self.reportable and self.target is not None else ""

    @property
    def url(self) -> str:
        return self.reportable.url(self.target) if self.reportable and self.target is not None else ""

    @property
    def moderate_url(self) -> str:
        if not self.reportable or self.target is None:
            return ""
        return (self.reportable.moderate_url or self.reportable.url)(self.target)

    @property
    def is_hidden(self) -> bool:
        return bool(self.reportable and self.target is not None and self.reportable.is_hidden(self.target))

    @property
    def first(self) -> Any:
        return self.reports[0]


def group_by_target(reports: Iterable[Any]) -> list[QueueItem]:
    """Group reports by what they report and load each target once: one query per kind of content, whatever the
    number of reports (the queue's query count stays constant)."""
    grouped: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for report in reports:
        grouped[(report.content_type_id, report.object_id)].append(report)
    wanted: dict[str, set[int]] = defaultdict(set)
    labels: dict[int, str] = {}
    for (content_type_id, object_id), items in grouped.items():
        label = items[0].content_type.app_label + "." + items[0].content_type.model
        labels[content_type_id] = label
        wanted[label].add(object_id)
    loaded: dict[tuple[str, int], Any] = {}
    for label, ids in wanted.items():
        reportable = _registry.get(label)
        if reportable is None:
            continue
        for target in reportable.queryset().filter(pk__in=ids):
            loaded[(label, target.pk)] = target
    items = []
    for (content_type_id, object_id), reports_of_target in grouped.items():
        label = labels[content_type_id]
        items.append(QueueItem(loaded.get((label, object_id)), _registry.get(label), reports_of_target))
    return items
