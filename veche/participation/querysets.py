"""Named querysets of the participation app: who may see which process, and what each page loads."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import models

from veche.organisations.choices import RoleKind
from veche.participation import phases as timeline

# Who sees unpublished processes of their organisation; must agree with participation.view_process in rules.py.
STAFF_WHO_SEE_DRAFTS = (RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.MODERATOR)


class ProcessQuerySet(models.QuerySet["Process"]):
    def published(self) -> ProcessQuerySet:
        return self.filter(is_published=True)

    def visible_to(self, user: Any) -> ProcessQuerySet:
        """Published processes of published organisations, plus every process of organisations where the user is
        administrator, coordinator or moderator; superusers see everything. Agrees with participation.view_process."""
        if getattr(user, "is_superuser", False):
            return self.all()
        published = models.Q(is_published=True, organisation__is_published=True)
        if not getattr(user, "is_authenticated", False):
            return self.filter(published)
        from veche.organisations.models import Role

        staff_of = Role.objects.filter(user=user, kind__in=STAFF_WHO_SEE_DRAFTS).values("organisation_id")
        return self.filter(published | models.Q(organisation_id__in=staff_of))

    def _with_timeline(self) -> ProcessQuerySet:
        from veche.participation.models import Module, Phase

        return self.prefetch_related(
            models.Prefetch(
                "modules",
                queryset=Module.objects.prefetch_related(models.Prefetch("phases", queryset=Phase.objects.all())),
            )
        )

    def for_list_page(self) -> ProcessQuerySet:
        """Process cards: organisation, and every phase so that each card can show the process's state."""
        return self.select_related("organisation")._with_timeline().order_by("-created_at", "-id")

    def for_detail_page(self) -> ProcessQuerySet:
        return self.select_related("organisation", "created_by")._with_timeline()

    def in_state(self, state: str, now: datetime) -> ProcessQuerySet:
        """Processes whose timeline is in state now. The state is decided by phases.py from one query over the
        phases (not re-implemented in SQL), then the matching ids filter this queryset."""
        from veche.participation.models import Phase

        spans: dict[int, list[timeline.Span]] = defaultdict(list)
        rows = Phase.objects.filter(module__process__in=self.values("pk")).values_list(
            "module__process_id", "phase_type", "starts_at", "ends_at"
        )
        for process_id, key, starts_at, ends_at in rows:
            spans[process_id].append(timeline.Span(key, starts_at, ends_at))
        if state == timeline.PhaseState.UNSCHEDULED:
            scheduled = [pk for pk, items in spans.items() if timeline.timeline_state(items, now) != state]
            return self.exclude(pk__in=scheduled)
        matching = [pk for pk, items in spans.items() if timeline.timeline_state(items, now) == state]
        return self.filter(pk__in=matching)
