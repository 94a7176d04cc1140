"""Cases shown on other pages: an organisation's page (page section) and the network's home page.

The network app calls latest_cases_for_network(network, limit) and includes "cases/_latest_for_network.html" with
`cases` (and `network`), or uses the registered home section when it offers a registry.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse


def latest_cases_for_network(network: Any, limit: int = 6) -> list[Any]:
    """The network's most recently published cases, with what a card shows loaded: three queries."""
    from veche.cases.models import Case

    return list(
        Case.objects.published().filter(network=network).for_list_page().order_by("-published_at", "-id")[:limit]
    )


def network_home_context(network: Any, limit: int = 6) -> dict[str, Any]:
    """The context of cases/_latest_for_network.html."""
    return {
        "network": network,
        "cases": latest_cases_for_network(network, limit),
        "map_url": reverse("cases:map") + f"?network={network.slug}",
    }


def network_home_section(request: HttpRequest, network: Any) -> dict[str, Any]:
    """The network home page's section (veche.network.home_sections): always shown, with an empty state."""
    return network_home_context(network)


def organisation_section(request: HttpRequest, organisation: Any) -> dict[str, Any] | None:
    """On an organisation's page: its published cases (a network's, or those it organised), and for its
    coordinators the way to present its finished processes on a map."""
    from veche.cases.models import Case

    cases = Case.objects.published().select_related("network")
    cases = cases.filter(network=organisation) if organisation.is_network else cases.filter(organisation=organisation)
    latest = list(cases.order_by("-published_at", "-id")[:5])
    can_publish = request.user.has_perm("cases.publish_processes", organisation) and not organisation.is_network
    can_review = request.user.has_perm("cases.review_cases", organisation)
    if not latest and not can_publish and not can_review:
        return None
    map_url = reverse("cases:map")
    if organisation.is_network:
        map_url += f"?network={organisation.slug}"
    return {
        "organisation": organisation,
        "cases": latest,
        "map_url": map_url,
        "can_publish": can_publish,
        "can_review": can_review,
        "publish_url": reverse("cases:finished_processes", kwargs={"org_slug": organisation.slug}),
    }
