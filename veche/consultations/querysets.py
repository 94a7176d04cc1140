"""Named querysets of the consultations app."""

from __future__ import annotations

from typing import Any

from django.db import models

from veche.organisations.choices import RoleKind

# Who sees unpublished consultations of their organisation; agrees with consultations.view_consultation (rules.py).
STAFF_WHO_SEE_DRAFTS = (RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.MODERATOR)


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def published(self) -> ConsultationQuerySet:
        """Consultations whose process and organisation are published."""
        return self.filter(module__process__is_published=True, organisation__is_published=True)

    def visible_to(self, user: Any) -> ConsultationQuerySet:
        """Published ones, plus every consultation of organisations where the user is administrator, coordinator or
        moderator; superusers see everything. Agrees with consultations.view_consultation."""
        if getattr(user, "is_superuser", False):
            return self.all()
        published = models.Q(module__process__is_published=True, organisation__is_published=True)
        if not getattr(user, "is_authenticated", False):
            return self.filter(published)
        from veche.organisations.models import Role

        staff_of = Role.objects.filter(user=user, kind__in=STAFF_WHO_SEE_DRAFTS).values("organisation_id")
        return self.filter(published | models.Q(organisation_id__in=staff_of))

    def with_timeline(self) -> ConsultationQuerySet:
        """The module, its process and phases, so that `consultation.module.allows(...)` costs no query."""
        from veche.participation.models import Phase

        return self.select_related("module", "module__process", "organisation").prefetch_related(
            models.Prefetch("module__phases", queryset=Phase.objects.all())
        )

    def for_detail_page(self) -> ConsultationQuerySet:
        return (
            self.with_timeline().select_related("standard_set").prefetch_related("topics", "target_groups", "methods")
        )

    # --- Set-up and finding -------------------------------------------------------------------------------------

    def for_list_page(self) -> ConsultationQuerySet:
        """What a list card shows: organisation, process (draft badge), topics and target groups; no phases (the
        card's state comes from the timeline fields)."""
        return self.select_related("organisation", "module__process").prefetch_related("topics", "target_groups")

    def for_map_page(self) -> ConsultationQuerySet:
        """Only what a marker and its line in the list need: no texts, no topics or groups."""
        return (
            self.filter(latitude__isnull=False, longitude__isnull=False)
            .select_related("organisation")
            .defer("summary", "decision", "area", "code_of_conduct", "organisation__description")
        )

    def in_state(self, state: str, now: Any) -> ConsultationQuerySet:
        """open: opened and not yet closed; upcoming: opening later (or not scheduled yet); closed: closing passed."""
        if state == "open":
            return self.filter(opens_at__lte=now, closes_at__gt=now)
        if state == "upcoming":
            return self.filter(models.Q(opens_at__gt=now) | models.Q(opens_at__isnull=True))
        if state == "closed":
            return self.filter(closes_at__lte=now)
        return self

    def matching(self, text: str) -> ConsultationQuerySet:
        """Full-text search in the subject, summary and decision (veche.consultations.search): PostgreSQL's text
        search with the 'simple' configuration, accents ignored where the unaccent extension is installed, every
        word matching as a prefix; icontains on other databases."""
        from veche.consultations.search import search

        return search(self, text)  # type: ignore[return-value]

    def filtered(self, filters: dict[str, Any], now: Any) -> ConsultationQuerySet:
        """The lists' filters (ConsultationFilterForm.filters()): q, state, topic, organisation, network (its
        current members' consultations), group."""
        queryset = self
        if filters.get("state"):
            queryset = queryset.in_state(filters["state"], now)
        if filters.get("topic"):
            queryset = queryset.filter(topics__slug=filters["topic"])
        if filters.get("organisation"):
            queryset = queryset.filter(organisation__slug=filters["organisation"])
        if filters.get("network"):
            queryset = queryset.filter(
                organisation__network_affiliations__network__slug=filters["network"],
                organisation__network_affiliations__left_on__isnull=True,
            )
        if filters.get("group"):
            queryset = queryset.filter(target_groups__group=filters["group"])
        if filters.get("q"):
            queryset = queryset.matching(filters["q"])
        return queryset


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def published(self) -> ContributionQuerySet:
        from veche.consultations.choices import ContributionStatus

        return self.filter(status=ContributionStatus.PUBLISHED)

    def answerable(self) -> ContributionQuerySet:
        """Contributions that need an official response (all but replies)."""
        from veche.consultations.choices import ANSWERABLE_KINDS

        return self.filter(kind__in=ANSWERABLE_KINDS, parent__isnull=True)
