"""What network pages show, assembled with a fixed number of queries."""

from __future__ import annotations

from typing import Any

from veche.core.translation import fallback_expression
from veche.network.models import Membership
from veche.organisations.models import Affiliation, Organisation


def network_members(network: Organisation, *, people: bool) -> tuple[list[Organisation], list[Membership]]:
    """The published current member organisations (by the name the reader sees) and, when asked, the individual
    members (oldest first). Two queries at most, whatever the number of members."""
    organisations = [
        affiliation.organisation
        for affiliation in Affiliation.objects.filter(
            network=network, left_on__isnull=True, organisation__is_published=True
        )
        .select_related("organisation")
        .order_by(fallback_expression("organisation__name"), "organisation_id")
    ]
    individuals: list[Any] = []
    if people:
        individuals = list(
            Membership.objects.active()
            .filter(network=network, user__isnull=False, user__is_active=True)
            .select_related("user", "user__practitioner_profile")
            .order_by("joined_at", "pk")
        )
    return organisations, individuals


def member_map_points(organisations: list[Organisation]) -> dict[str, Any]:
    """The member organisations that have a location, as a GeoJSON FeatureCollection for the members map (no
    query: the organisations are already loaded)."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [organisation.longitude, organisation.latitude]},
            "properties": {
                "title": organisation.name,
                "url": organisation.get_absolute_url(),
                "text": str(organisation.get_kind_display()),
            },
        }
        for organisation in organisations
        if organisation.has_location
    ]
    return {"type": "FeatureCollection", "features": features}
