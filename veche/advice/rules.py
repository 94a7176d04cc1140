"""Permissions of advice on request. The "Advice on request" table in docs/domain/permissions.md is the
specification; tests/test_permission_matrix.py checks every cell, per persona.

Who is who, for one request:
- the *requester side*: the person who asked, and the administrators and coordinators of the asking organisation
  (they act for it); they write in the thread and rate the advice;
- the asking organisation's *staff* (any staff role there) may read the request;
- the *assigned expert*;
- the network's *coordinators* (coordinator or administrator role in the network organisation): they see the queue,
  assign, decline, close, write, and moderate messages.
Nobody else learns that the request exists (the pages answer 404). Predicates read loaded fields and the roles
cached on the user (veche.network.access), never a query per object.
"""

from __future__ import annotations

from typing import Any

import rules

from veche.advice.choices import OPEN_STATUSES, WITH_EXPERT, AdviceStatus
from veche.network.access import is_network_coordinator, is_network_member
from veche.organisations.choices import STAFF_ROLES, RoleKind
from veche.organisations.roles import roles_in

ACTING_ROLES = frozenset({RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR})


def _request_of(obj: Any) -> Any:
    """A message's request, or the request itself."""
    return getattr(obj, "request", obj)


@rules.predicate
def is_network(user: Any, network: Any) -> bool:
    return bool(network is not None and getattr(network, "is_network", False))


@rules.predicate
def is_member_of_network(user: Any, network: Any) -> bool:
    return network is not None and is_network_member(user, network)


@rules.predicate
def coordinates_the_network(user: Any, obj: Any) -> bool:
    """obj is a network, a request or a message."""
    if obj is None:
        return False
    network_id = obj.pk if getattr(obj, "is_network", False) else _request_of(obj).network_id
    return is_network_coordinator(user, network_id)


@rules.predicate
def is_requester_side(user: Any, obj: Any) -> bool:
    """The person who asked, or an administrator or coordinator of the asking organisation."""
    request = _request_of(obj)
    if request is None or not getattr(user, "is_authenticated", False):
        return False
    if request.requested_by_id is not None and request.requested_by_id == user.pk:
        return True
    return bool(roles_in(user, request.requester_organisation_id) & ACTING_ROLES)


@rules.predicate
def is_requester_staff(user: Any, obj: Any) -> bool:
    request = _request_of(obj)
    return request is not None and bool(roles_in(user, request.requester_organisation_id) & STAFF_ROLES)


@rules.predicate
def is_assigned_expert(user: Any, obj: Any) -> bool:
    request = _request_of(obj)
    return (
        request is not None
        and getattr(user, "is_authenticated", False)
        and request.expert_id is not None
        and request.expert_id == user.pk
    )


@rules.predicate
def is_open(user: Any, obj: Any) -> bool:
    return _request_of(obj).status in OPEN_STATUSES


@rules.predicate
def has_expert_working(user: Any, obj: Any) -> bool:
    return _request_of(obj).status in WITH_EXPERT


@rules.predicate
def may_be_declined(user: Any, obj: Any) -> bool:
    return _request_of(obj).status in (AdviceStatus.NEW, AdviceStatus.ASSIGNED)


@rules.predicate
def is_closed_and_unrated(user: Any, obj: Any) -> bool:
    request = _request_of(obj)
    return request.status == AdviceStatus.CLOSED and request.rating is None


@rules.predicate
def is_shown(user: Any, message: Any) -> bool:
    return message.hidden_at is None


can_see = is_requester_side | is_requester_staff | is_assigned_expert | coordinates_the_network | rules.is_superuser
participates = is_requester_side | is_assigned_expert | coordinates_the_network

# On a network:
rules.add_perm("advice.add_request", is_network & is_member_of_network)
rules.add_perm("advice.view_queue", is_network & (coordinates_the_network | rules.is_superuser))
# On a request:
rules.add_perm("advice.view_request", can_see)
rules.add_perm("advice.post_message", participates & is_open)
rules.add_perm("advice.assign_expert", coordinates_the_network & is_open)
rules.add_perm("advice.decline_request", coordinates_the_network & may_be_declined)
rules.add_perm("advice.close_request", (is_assigned_expert | coordinates_the_network) & has_expert_working)
rules.add_perm("advice.rate_request", is_requester_side & is_closed_and_unrated)
# On a message:
rules.add_perm("advice.hide_message", coordinates_the_network & is_shown)
