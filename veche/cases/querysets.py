"""Case lists named after their use. visible_to(user) is the list form of cases.view_case (tested to agree)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Prefetch


@dataclass(frozen=True)
class CaseFilters:
    """The filters the map, the list, the GeoJSON and the API share. Empty values filter nothing."""

    network: str = ""  # slug
    method: str = ""  # Method slug
    topic: str = ""  # Topic slug
    country: str = ""  # ISO code
    municipality: str = ""  # part of the name
    year: int | None = None

    def as_key(self) -> str:
        return "|".join(
            str(value)
            for value in (
                self.network,
                self.method,
                self.topic,
                self.country,
                self.municipality.lower(),
                self.year or "",
            )
        )

    @property
    def is_empty(self) -> bool:
        return not any((self.network, self.method, self.topic, self.country, self.municipality, self.year))


class CaseQuerySet(models.QuerySet["Case"]):
    def published(self) -> CaseQuerySet:
        from veche.cases.choices import CaseStatus

        return self.filter(status=CaseStatus.PUBLISHED)

    def visible_to(self, user: Any) -> CaseQuerySet:
        """Published cases; the user's own in any state; every case of the networks the user edits."""
        from veche.cases.choices import CaseStatus
        from veche.cases.membership import editor_network_ids

        if getattr(user, "is_superuser", False):
            return self.all()
        visible = models.Q(status=CaseStatus.PUBLISHED)
        if getattr(user, "is_authenticated", False):
            visible |= models.Q(author_id=user.pk) | models.Q(network_id__in=editor_network_ids(user))
        return self.filter(visible)

    def filtered(self, filters: CaseFilters) -> CaseQuerySet:
        queryset = self
        if filters.network:
            queryset = queryset.filter(network__slug=filters.network)
        if filters.method:
            queryset = queryset.filter(methods__slug=filters.method)
        if filters.topic:
            queryset = queryset.filter(topics__slug=filters.topic)
        if filters.country:
            queryset = queryset.filter(country=filters.country)
        if filters.municipality:
            queryset = queryset.filter(municipality__icontains=filters.municipality)
        if filters.year:
            queryset = queryset.filter(year=filters.year)
        return queryset

    def for_list_page(self) -> CaseQuerySet:
        """Cards: network name, methods and topics prefetched, the first photo. Three queries for any number."""
        from veche.cases.models import CasePhoto

        return self.select_related("network").prefetch_related(
            "methods", "topics", Prefetch("photos", CasePhoto.objects.order_by("weight", "id"), to_attr="photo_list")
        )

    def for_detail_page(self) -> CaseQuerySet:
        from veche.cases.models import CasePhoto

        return self.select_related("network", "organisation", "author", "source_module").prefetch_related(
            "methods", "topics", Prefetch("photos", CasePhoto.objects.order_by("weight", "id"), to_attr="photo_list")
        )

    def for_review_queue(self) -> CaseQuerySet:
        from veche.cases.choices import CaseStatus
        from veche.cases.models import CaseRevision

        pending = CaseRevision.objects.filter(case=models.OuterRef("pk"), is_pending=True)
        return (
            self.annotate(has_pending_changes=models.Exists(pending))
            .filter(models.Q(status=CaseStatus.SUBMITTED) | models.Q(has_pending_changes=True))
            .select_related("network", "author")
            .order_by("submitted_at", "id")
        )
