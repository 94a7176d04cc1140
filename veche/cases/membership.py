"""Who writes and who edits a network's map: the one place the cases app asks, so that the rules, the querysets and
the forms agree. It reads the network app's public contract (veche.network.access) and nothing else of it.

Members of a network (individual members, staff of its member organisations, anyone with a role in the network
organisation) write cases; its editors — the network's coordinators and administrators — review and publish them.
"""

from __future__ import annotations

from typing import Any

from veche.network import access
from veche.organisations.choices import RoleKind

EDITOR_ROLES = frozenset({RoleKind.COORDINATOR, RoleKind.ADMINISTRATOR})


def is_editor(user: Any, network_id: int | None) -> bool:
    """May review and publish the cases of the network (no query beyond the cached roles)."""
    return bool(network_id) and access.is_network_coordinator(user, network_id)


def editor_network_ids(user: Any) -> frozenset[int]:
    """Organisations where the user coordinates; only networks among them have cases."""
    return frozenset(access.coordinated_network_ids(user))


def member_network_ids(user: Any) -> frozenset[int]:
    """The networks the user may write cases for. One query per user object, then cached (by the network app)."""
    return frozenset(access.member_network_ids(user))


def is_member(user: Any, network_id: int | None) -> bool:
    return bool(network_id) and access.is_network_member(user, network_id)


def forget(user: Any) -> None:
    access.forget(user)
