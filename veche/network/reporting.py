"""What the contributions registry needs to let people report messages to practitioners and profiles."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from veche.contributions.registry import Reportable
from veche.network.access import member_network_ids


def _profile_network(profile: Any) -> int | None:
    networks = member_network_ids(profile.user)
    return min(networks) if networks else None


def reportables() -> list[Reportable]:
    from veche.network.models import ContactMessage, PractitionerProfile

    return [
        Reportable(
            model=ContactMessage,
            organisation_id=lambda item: item.network_id,
            excerpt=lambda item: f"{item.subject}\n{item.body}"[:300],
            url=lambda item: reverse("network:message", kwargs={"pk": item.pk}),
            queryset=lambda: ContactMessage.objects.select_related("sender", "profile__user", "network"),
            # Only the recipient sees (and so may report) a message; moderators see it from the queue.
            is_visible_to=lambda user, item: user.is_authenticated and item.profile.user_id == user.pk,
            is_hidden=lambda item: item.is_hidden,
        ),
        Reportable(
            model=PractitionerProfile,
            organisation_id=_profile_network,
            excerpt=lambda item: f"{item.name}\n{item.bio}"[:300],
            url=lambda item: item.get_absolute_url(),
            queryset=lambda: PractitionerProfile.objects.select_related("user"),
            is_visible_to=lambda user, item: user.has_perm("network.view_practitioner", item),
            is_hidden=lambda item: not item.is_published,
        ),
    ]
