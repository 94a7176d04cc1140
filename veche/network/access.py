"""Who belongs to which network — the public contract of the network app.

Other apps (cases on the map of participation, advice on request, …) import only from this module and read the
public fields of PractitionerProfile; they never query the network app's tables themselves.

A person belongs to a network when any of these holds:

1. they are an individual member (an accepted Membership that has not ended);
2. they hold a staff role (administrator, coordinator, moderator, expert) in an organisation that is a current member
   of the network (organisations.Affiliation without left_on) — they act for that organisation;
3. they hold any role in the network organisation itself (its coordinators are members too).

A network coordinator holds the coordinator or administrator role in the network organisation. Superusers are
neither members nor coordinators here; rules that should let them in say so themselves.

The results for one user are cached on the user object for the request (like veche.organisations.roles); call
forget(user) after changing memberships within the same request.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from veche.organisations.choices import STAFF_ROLES, OrganisationKind, RoleKind
from veche.organisations.roles import forget_roles, roles_by_organisation

COORDINATOR_ROLES = frozenset({RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR})
_CACHE_ATTR = "_veche_member_network_ids"


def _network_pk(network: Any) -> int | None:
    return getattr(network, "pk", network)


def staff_organisation_ids(user: Any) -> set[int]:
    """Organisations the user acts for: those where they hold a staff role. No query beyond the cached roles."""
    return {pk for pk, kinds in roles_by_organisation(user).items() if kinds & STAFF_ROLES}


def member_network_ids(user: Any) -> set[int]:
    """Ids of the networks the user belongs to (see the module docstring). One query, cached on the user."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from veche.network.choices import MembershipState
        from veche.organisations.models import Organisation

        roles = roles_by_organisation(user)
        staff_of = staff_organisation_ids(user)
        condition = Q(network_memberships__user_id=user.pk, network_memberships__state=MembershipState.ACTIVE)
        if roles:
            condition |= Q(pk__in=list(roles))
        if staff_of:
            condition |= Q(affiliations__organisation_id__in=staff_of, affiliations__left_on__isnull=True)
        cached = set(
            Organisation.objects.filter(condition, kind=OrganisationKind.NETWORK)
            .values_list("pk", flat=True)
            .distinct()
        )
        setattr(user, _CACHE_ATTR, cached)
    return set(cached)


def is_network_member(user: Any, network: Any) -> bool:
    """True when the user belongs to the network (an Organisation or its id)."""
    return _network_pk(network) in member_network_ids(user)


def coordinated_network_ids(user: Any) -> set[int]:
    """Ids of the organisations where the user is a coordinator or administrator. Only networks among them matter:
    pass the result through member_network_ids() or compare with a network's id. No query beyond the cached roles."""
    return {pk for pk, kinds in roles_by_organisation(user).items() if kinds & COORDINATOR_ROLES}


def is_network_coordinator(user: Any, network: Any) -> bool:
    """True when the user coordinates the network: the coordinator or administrator role in its organisation."""
    return _network_pk(network) in coordinated_network_ids(user)


def member_organisation_ids(network: Any) -> QuerySet:
    """The current member organisations of a network, as a values queryset usable in a subquery."""
    from veche.organisations.models import Affiliation

    return Affiliation.objects.filter(network_id=_network_pk(network), left_on__isnull=True).values("organisation_id")


def people_in_networks_q(network_ids: set[int] | list[int], *, field: str = "user_id") -> Q:
    """A condition on `field` (a user id column) that holds for people who belong to any of the networks — for
    querysets of other models, e.g. PractitionerProfile.objects.filter(people_in_networks_q(ids)). Three subqueries,
    no query now."""
    from veche.network.choices import MembershipState
    from veche.network.models import Membership
    from veche.organisations.models import Role

    ids = list(network_ids)
    if not ids:
        return Q(pk__in=[])
    individuals = Membership.objects.filter(
        network_id__in=ids, state=MembershipState.ACTIVE, user__isnull=False
    ).values("user_id")
    acting_for_members = Role.objects.filter(
        kind__in=STAFF_ROLES,
        organisation__network_affiliations__network_id__in=ids,
        organisation__network_affiliations__left_on__isnull=True,
    ).values("user_id")
    network_staff = Role.objects.filter(organisation_id__in=ids).values("user_id")
    return (
        Q(**{f"{field}__in": individuals})
        | Q(**{f"{field}__in": acting_for_members})
        | Q(**{f"{field}__in": network_staff})
    )


def forget(user: Any) -> None:
    """Drop the cached networks (and roles) after memberships or roles change within the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
    forget_roles(user)


def networks_showing_members(user: Any, networks: list[Any]) -> set[int]:
    """Ids of the networks, among these, whose member lists the user may see: public lists, members-only ones the
    user belongs to, all for superusers — `network.view_members` for many networks at once (one query for the
    settings, and member_network_ids when a list is members-only). Registered with veche.organisations.member_lists,
    so the organisation pages and API keep a members-only list too."""
    from veche.network.choices import MemberListVisibility
    from veche.network.models import NetworkSettings

    ids = {network.pk for network in networks}
    if getattr(user, "is_superuser", False):
        return ids
    closed = set(
        NetworkSettings.objects.filter(
            network_id__in=ids, member_list_visibility=MemberListVisibility.MEMBERS
        ).values_list("network_id", flat=True)
    )
    if closed:
        closed -= member_network_ids(user)
    return ids - closed
