"""Named querysets of the organisations app: one per page or use case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from veche.core.translation import fallback_expression
from veche.organisations.choices import STAFF_ROLES, OrganisationKind

if TYPE_CHECKING:
    from veche.accounts.models import User


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def public(self) -> OrganisationQuerySet:
        return self.filter(is_published=True)

    def networks(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.NETWORK)

    def visible_to(self, user: User) -> OrganisationQuerySet:
        """Published organisations, plus unpublished ones where the user holds a staff role (superusers see all).
        Agrees with organisations.view_organisation."""
        if user.is_superuser:
            return self.all()
        if not user.is_authenticated:
            return self.public()
        from veche.organisations.models import Role

        # A subquery, not a join: joining roles would multiply rows and so the counts that pages annotate.
        staff_of = Role.objects.filter(user=user, kind__in=STAFF_ROLES).values("organisation_id")
        return self.filter(models.Q(is_published=True) | models.Q(pk__in=staff_of))

    def for_list_page(self) -> OrganisationQuerySet:
        return self.annotate(
            member_count=models.Count("affiliations", filter=models.Q(affiliations__left_on__isnull=True))
        ).order_by(fallback_expression("name"), "pk")

    def for_detail_page(self) -> OrganisationQuerySet:
        from veche.organisations.models import Affiliation

        current = Affiliation.objects.filter(left_on__isnull=True).select_related("organisation", "network")
        return self.prefetch_related(
            models.Prefetch(
                "affiliations",
                queryset=current.order_by(fallback_expression("organisation__name")),
                to_attr="current_members",
            ),
            models.Prefetch(
                "network_affiliations",
                queryset=current.order_by(fallback_expression("network__name")),
                to_attr="current_networks",
            ),
        )


class RoleQuerySet(models.QuerySet["Role"]):
    def of(self, user: User) -> RoleQuerySet:
        return self.filter(user=user)

    def for_people_page(self) -> RoleQuerySet:
        return self.select_related("user").order_by("kind", "user__display_name", "user__email")
