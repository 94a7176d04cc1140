"""Named querysets of the network app: one per page or use case."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When

from veche.network.choices import MembershipState, Visibility


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(state=MembershipState.ACTIVE)

    def pending(self) -> MembershipQuerySet:
        return self.filter(state=MembershipState.APPLIED)

    def open(self) -> MembershipQuerySet:
        return self.filter(state__in=[MembershipState.APPLIED, MembershipState.ACTIVE])

    def for_queue_page(self) -> MembershipQuerySet:
        """Applications waiting for a decision, oldest first, with who applied."""
        return self.pending().select_related("user", "organisation", "applied_by").order_by("created_at", "pk")

    def for_history(self) -> MembershipQuerySet:
        return self.select_related("user", "organisation", "network", "decided_by").prefetch_related(
            models.Prefetch("events", queryset=_events().select_related("actor"))
        )

    def of_person(self, user: Any) -> MembershipQuerySet:
        """A person's own memberships and those of the organisations they act for."""
        from veche.network.access import staff_organisation_ids

        return self.filter(Q(user_id=user.pk) | Q(organisation_id__in=staff_organisation_ids(user)))


def _events() -> models.QuerySet:
    from veche.network.models import MembershipEvent

    return MembershipEvent.objects.order_by("created_at", "pk")


def clearance_expression(viewer: Any) -> models.Expression:
    """SQL for visibility.clearance_for() over many profiles: the same rules, with the viewer's networks computed
    once (one query, cached) and the profiles' networks as subqueries."""
    from veche.network.access import coordinated_network_ids, member_network_ids, people_in_networks_q

    if not getattr(viewer, "is_authenticated", False):
        return Value(int(Visibility.PUBLIC), output_field=IntegerField())
    networks = member_network_ids(viewer)
    coordinated = networks & coordinated_network_ids(viewer)
    default = Visibility.COORDINATORS if viewer.is_superuser else Visibility.PUBLIC
    whens = [When(user_id=viewer.pk, then=Value(int(Visibility.HIDDEN)))]
    if coordinated and default < Visibility.COORDINATORS:
        whens.append(When(people_in_networks_q(coordinated), then=Value(int(Visibility.COORDINATORS))))
    if networks - coordinated and default < Visibility.MEMBERS:
        whens.append(When(people_in_networks_q(networks - coordinated), then=Value(int(Visibility.MEMBERS))))
    return Case(*whens, default=Value(int(default)), output_field=IntegerField())


SEARCH_COLUMNS = (
    "search_public",
    "search_members",
    "search_coordinators",
    "vector_public",
    "vector_members",
    "vector_coordinators",
)


class PractitionerProfileQuerySet(models.QuerySet["PractitionerProfile"]):
    def published(self) -> PractitionerProfileQuerySet:
        return self.filter(is_published=True, user__is_active=True)

    def visible_to(self, user: Any) -> PractitionerProfileQuerySet:
        """Published profiles, and the user's own. Agrees with network.view_practitioner."""
        if getattr(user, "is_superuser", False):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.published()
        return self.filter(Q(is_published=True, user__is_active=True) | Q(user_id=user.pk))

    def with_clearance(self, viewer: Any) -> PractitionerProfileQuerySet:
        """Annotate `clearance`: what this viewer may see of each profile (see veche.network.visibility)."""
        return self.annotate(clearance=clearance_expression(viewer))

    def in_networks(self, network_ids: set[int] | list[int]) -> PractitionerProfileQuerySet:
        from veche.network.access import people_in_networks_q

        return self.filter(people_in_networks_q(network_ids))

    def for_directory_page(self) -> PractitionerProfileQuerySet:
        """What the directory and its exports show: methods and topics prefetched (two queries per page), the
        search documents left in the database."""
        return self.prefetch_related("methods", "topics").defer(*SEARCH_COLUMNS)

    def for_detail_page(self) -> PractitionerProfileQuerySet:
        return self.select_related("user").prefetch_related("methods", "topics")


class ContactMessageQuerySet(models.QuerySet["ContactMessage"]):
    def for_recipient(self, user: Any) -> ContactMessageQuerySet:
        return self.filter(profile__user_id=user.pk).select_related("sender", "profile", "network")
