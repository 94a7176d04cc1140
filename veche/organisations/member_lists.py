"""Whether a visitor may see which organisations belong to a network.

The organisations app keeps the affiliations and shows them on its pages and API (a network's members, the networks
an organisation belongs to), but a network may show its members to its members only — a rule of the network app,
which stands on this one. It registers its check here from AppConfig.ready(); with none registered, member lists
are public. Every place that reveals an affiliation asks `may_see_members`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from veche.organisations.models import Organisation

# check(user, networks) → the ids, among these networks, whose members the user may see (a bounded number of queries
# whatever the number of networks, so that list and detail pages keep their query counts).
MemberListCheck = Callable[[Any, "list[Organisation]"], set[int]]

_checks: dict[str, MemberListCheck] = {}


def register_member_list_check(key: str, check: MemberListCheck) -> None:
    """Add (or replace, by key) a check."""
    _checks[key] = check


def unregister_member_list_check(key: str) -> None:
    _checks.pop(key, None)


def networks_showing_members(user: Any, networks: Iterable[Organisation]) -> list[Organisation]:
    """The networks, among these, whose member lists the user may see (every registered check agrees) — so a page
    listing the networks an organisation belongs to does not reveal a membership a network keeps to its members."""
    networks = list(networks)
    if not networks:
        return []
    allowed = {network.pk for network in networks}
    for check in _checks.values():
        allowed &= check(user, networks)
    return [network for network in networks if network.pk in allowed]


def may_see_members(user: Any, network: Organisation) -> bool:
    """The user may see the network's member organisations."""
    return bool(networks_showing_members(user, [network]))


def may_filter_by_network(user: Any, slug: str) -> bool:
    """Whether a list may be filtered by the network with this slug: filtering by a network whose members the user
    may not see would tell who belongs. False for an unknown slug (the filter then finds nothing)."""
    from veche.organisations.models import Organisation

    network = Organisation.objects.filter(slug=slug).first()
    return network is not None and may_see_members(user, network)
