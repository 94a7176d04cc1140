"""Messages in advice threads can be reported; the network's coordinators handle the reports (they hide a message
on advice:hide_message, which resolves the reports)."""

from __future__ import annotations

from django.urls import reverse

from veche.advice.models import AdviceMessage
from veche.contributions.registry import Reportable, register_reportable


def register() -> None:
    register_reportable(
        Reportable(
            model=AdviceMessage,
            organisation_id=lambda item: item.request.network_id,
            excerpt=lambda item: item.body[:300],
            url=lambda item: item.get_absolute_url(),
            moderate_url=lambda item: reverse("advice:hide_message", kwargs={"pk": item.pk}),
            queryset=lambda: AdviceMessage.objects.select_related("request"),
            is_visible_to=lambda user, item: user.has_perm("advice.view_request", item.request),
            is_hidden=lambda item: item.is_hidden,
        )
    )
