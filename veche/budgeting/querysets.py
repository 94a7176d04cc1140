"""Named querysets of the budgeting app: who may see which edition and proposal, and what each page loads."""

from __future__ import annotations

from typing import Any

from django.db import models

from veche.budgeting.choices import ProposalStatus


class EditionQuerySet(models.QuerySet["Edition"]):
    def visible_to(self, user: Any) -> EditionQuerySet:
        """Editions whose process the user may see, and those of organisations where the user reviews proposals
        (agrees with budgeting.view_edition)."""
        from veche.participation.models import Process

        visible = models.Q(module__process__in=Process.objects.visible_to(user))
        if getattr(user, "is_superuser", False) or not getattr(user, "is_authenticated", False):
            return self.filter(visible)
        return self.filter(visible | models.Q(module__process__organisation_id__in=_reviewing_organisations(user)))

    def with_timeline(self) -> EditionQuerySet:
        """Organisation and the module's phases, so that rules and phase state need no further query."""
        return self.select_related("module__process__organisation").prefetch_related("module__phases")


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def public(self) -> ProposalQuerySet:
        from veche.budgeting.rules import PUBLIC_STATUSES

        return self.filter(status__in=PUBLIC_STATUSES)

    def on_ballot(self) -> ProposalQuerySet:
        return self.filter(status=ProposalStatus.ACCEPTED)

    def visible_to(self, user: Any) -> ProposalQuerySet:
        """Public proposals of visible editions, plus the user's own drafts; staff who review see all of their
        organisation's but drafts. Agrees with budgeting.view_proposal."""
        from veche.budgeting.models import Edition
        from veche.organisations.choices import RoleKind

        if getattr(user, "is_superuser", False):
            return self.all()
        visible = models.Q(edition__in=Edition.objects.visible_to(user))
        public = visible & models.Q(status__in=_public_statuses())
        if not getattr(user, "is_authenticated", False):
            return self.filter(public)
        from veche.organisations.models import Role

        staff_of = Role.objects.filter(
            user=user, kind__in=(RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.EXPERT)
        ).values("organisation_id")
        staff = models.Q(edition__module__process__organisation_id__in=staff_of) & ~models.Q(
            status=ProposalStatus.DRAFT
        )
        own = visible & (models.Q(author=user) | models.Q(co_authors=user))
        return self.filter(public | own | staff).distinct()

    def with_edition(self) -> ProposalQuerySet:
        return self.select_related("edition__module__process__organisation", "pool", "category").prefetch_related(
            "edition__module__phases", "co_authors"
        )

    def for_review_queue(self) -> ProposalQuerySet:
        """The office's queue (views/review.py): proposals past the draft stage, with pool, category, appeal and
        the number of signatures in one query, oldest submission first."""
        return (
            self.exclude(status__in=(ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN))
            .select_related("pool", "category", "appeal")
            .annotate(signature_count=models.Count("signatures", distinct=True))
            .order_by(models.F("submitted_at").asc(nulls_last=True), "created_at", "number")
        )


def _reviewing_organisations(user: Any) -> models.QuerySet:
    """Ids of the organisations where user holds a role that reviews proposals (budgeting.rules.is_reviewer)."""
    from veche.organisations.choices import RoleKind
    from veche.organisations.models import Role

    kinds = (RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.EXPERT)
    return Role.objects.filter(user=user, kind__in=kinds).values("organisation_id")


def _public_statuses() -> list[str]:
    from veche.budgeting.rules import PUBLIC_STATUSES

    return sorted(PUBLIC_STATUSES)


def edition_stats(module: Any) -> dict[str, Any]:
    """Headline figures of the edition in module: budget, currency, proposals on the ballot, ballots, funded."""
    from veche.budgeting.models import Ballot, Edition, Proposal

    edition = Edition.objects.filter(module=module).first()
    if edition is None:
        return {}
    funded = Proposal.objects.filter(edition=edition, implementation__isnull=False).count()
    return {
        "budget": str(edition.total_budget),
        "currency": edition.currency,
        "proposals": Proposal.objects.filter(edition=edition).public().count(),
        "on_ballot": Proposal.objects.filter(edition=edition).on_ballot().count(),
        "ballots": Ballot.objects.filter(pool__edition=edition).count(),
        "funded": funded,
    }
