"""Named querysets of advice on request: who sees which request, and what each page loads."""

from __future__ import annotations

from typing import Any

from django.db import models


def staff_organisation_ids(user: Any) -> set[int]:
    """Organisations where the user holds a staff role (no query beyond the cached roles)."""
    from veche.network.access import staff_organisation_ids as staff_of

    return staff_of(user)


def coordinated_network_ids(user: Any) -> set[int]:
    from veche.network.access import coordinated_network_ids as coordinated

    return coordinated(user)


class AdviceRequestQuerySet(models.QuerySet["AdviceRequest"]):
    def visible_to(self, user: Any) -> AdviceRequestQuerySet:
        """Requests the user may see; agrees with advice.view_request: the person who asked, the staff of the asking
        organisation, the assigned expert and the network's coordinators (superusers see all)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self.all()
        condition = models.Q(requested_by_id=user.pk) | models.Q(expert_id=user.pk)
        if staff_of := staff_organisation_ids(user):
            condition |= models.Q(requester_organisation_id__in=sorted(staff_of))
        if coordinated := coordinated_network_ids(user):
            condition |= models.Q(network_id__in=sorted(coordinated))
        return self.filter(condition)

    def taking_part(self, user: Any) -> AdviceRequestQuerySet:
        """Requests the user asked, that their organisation asked, or that they advise on (not the whole queue of
        the networks they coordinate)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        condition = models.Q(requested_by_id=user.pk) | models.Q(expert_id=user.pk)
        if staff_of := staff_organisation_ids(user):
            condition |= models.Q(requester_organisation_id__in=sorted(staff_of))
        return self.filter(condition)

    def for_list_page(self) -> AdviceRequestQuerySet:
        """Lists (the queue, "my requests"): everything a row shows, the number of visible messages annotated."""
        return self.select_related("network", "requester_organisation", "requested_by", "expert").annotate(
            message_count=models.Count("messages", filter=models.Q(messages__hidden_at__isnull=True))
        )

    def for_queue_page(self) -> AdviceRequestQuerySet:
        """The coordinators' queue: open requests first, then the longest without activity."""
        from veche.advice.choices import AdviceStatus

        open_first = models.Case(
            models.When(status=AdviceStatus.NEW, then=models.Value(0)),
            models.When(status__in=[AdviceStatus.ASSIGNED, AdviceStatus.IN_PROGRESS], then=models.Value(1)),
            default=models.Value(2),
        )
        return self.for_list_page().alias(open_first=open_first).order_by("open_first", "last_activity_at", "id")

    def for_detail_page(self) -> AdviceRequestQuerySet:
        """The request page: the request, its people, and its thread with authors and attachments."""
        from veche.advice.models import AdviceMessage

        messages = AdviceMessage.objects.select_related("author", "hidden_by").prefetch_related("attachments")
        return self.select_related(
            "network", "requester_organisation", "requested_by", "expert", "assigned_by", "closed_by"
        ).prefetch_related(models.Prefetch("messages", queryset=messages.order_by("created_at", "id")))

    def working_on(self, expert_ids: list[int]) -> dict[int, int]:
        """How many requests each of these experts is working on now, in one query."""
        from veche.advice.choices import WITH_EXPERT

        rows = (
            self.filter(expert_id__in=expert_ids, status__in=sorted(WITH_EXPERT))
            .values("expert_id")
            .annotate(count=models.Count("id"))
        )
        return {row["expert_id"]: row["count"] for row in rows}


class AdviceMessageQuerySet(models.QuerySet["AdviceMessage"]):
    def shown(self) -> AdviceMessageQuerySet:
        return self.filter(hidden_at__isnull=True)
