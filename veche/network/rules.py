"""Permissions of the network app. The "Networks and practitioners" tables in docs/domain/permissions.md are the
specification; tests/test_permission_matrix.py checks these rules against them.

Objects: a network (an Organisation of kind network) for view_network, view_members, apply, manage_members,
change_network_settings and export_directory; an organisation for apply_for_organisation; a Membership for
view_membership and leave_membership; a PractitionerProfile for view_practitioner, change_practitioner and
contact_practitioner; a ContactMessage for view_message.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import ObjectDoesNotExist

from veche.network.access import is_network_coordinator, is_network_member, member_network_ids
from veche.network.choices import MemberListVisibility, MembershipState
from veche.organisations.choices import OrganisationKind, RoleKind
from veche.organisations.roles import roles_in


def settings_of(network: Any) -> Any:
    """The network's settings if they exist (select_related or the services create them), else None: defaults."""
    try:
        return network.network_settings
    except ObjectDoesNotExist:  # a network never configured uses the defaults
        return None


@rules.predicate
def is_network(user: Any, network: Any) -> bool:
    return bool(network is not None and network.kind == OrganisationKind.NETWORK)


@rules.predicate
def can_view_network(user: Any, network: Any) -> bool:
    return bool(network is not None and user.has_perm("organisations.view_organisation", network))


@rules.predicate
def member_list_is_public(user: Any, network: Any) -> bool:
    settings = settings_of(network)
    return settings is None or settings.member_list_visibility == MemberListVisibility.PUBLIC


@rules.predicate
def belongs_to_network(user: Any, network: Any) -> bool:
    return is_network_member(user, network)


@rules.predicate
def coordinates_network(user: Any, network: Any) -> bool:
    return network is not None and is_network_coordinator(user, network)


@rules.predicate
def accepts_applications(user: Any, network: Any) -> bool:
    settings = settings_of(network)
    return settings is None or settings.accepts_applications


@rules.predicate
def administers_organisation(user: Any, organisation: Any) -> bool:
    return bool(roles_in(user, getattr(organisation, "pk", None)) & {RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR})


@rules.predicate
def is_own_membership(user: Any, membership: Any) -> bool:
    """The person's own membership, or one of an organisation they administer or coordinate."""
    if not getattr(user, "is_authenticated", False) or membership is None:
        return False
    if membership.user_id is not None:
        return membership.user_id == user.pk
    return bool(roles_in(user, membership.organisation_id) & {RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR})


@rules.predicate
def coordinates_membership_network(user: Any, membership: Any) -> bool:
    return membership is not None and is_network_coordinator(user, membership.network_id)


@rules.predicate
def membership_is_open(user: Any, membership: Any) -> bool:
    return membership is not None and membership.state in (MembershipState.APPLIED, MembershipState.ACTIVE)


@rules.predicate
def is_own_profile(user: Any, profile: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and profile is not None and profile.user_id == user.pk)


@rules.predicate
def is_listed_profile(user: Any, profile: Any) -> bool:
    return bool(profile is not None and profile.is_published and profile.user.is_active)


@rules.predicate
def accepts_messages(user: Any, profile: Any) -> bool:
    return bool(profile is not None and profile.accepts_messages)


@rules.predicate
def profile_in_a_network(user: Any, profile: Any) -> bool:
    """Messages need moderators: the practitioner belongs to at least one network (one query, cached)."""
    return bool(profile is not None and member_network_ids(profile.user))


@rules.predicate
def is_message_recipient(user: Any, message: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and message.profile.user_id == user.pk)


@rules.predicate
def moderates_message_network(user: Any, message: Any) -> bool:
    return bool(roles_in(user, message.network_id) & {RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.MODERATOR})


@rules.predicate
def moderates_profile_network(user: Any, profile: Any) -> bool:
    """Moderators, coordinators and administrators of a network the practitioner belongs to."""
    wanted = {RoleKind.ADMINISTRATOR, RoleKind.COORDINATOR, RoleKind.MODERATOR}
    if profile is None or not getattr(user, "is_authenticated", False):
        return False
    return any(roles_in(user, network_id) & wanted for network_id in member_network_ids(profile.user))


rules.add_perm("network.view_network", is_network & can_view_network)
rules.add_perm(
    "network.view_members",
    is_network & can_view_network & (member_list_is_public | belongs_to_network | rules.is_superuser),
)
rules.add_perm("network.apply", rules.is_authenticated & is_network & can_view_network & accepts_applications)
rules.add_perm("network.apply_for_organisation", rules.is_authenticated & administers_organisation)
rules.add_perm("network.manage_members", is_network & (coordinates_network | rules.is_superuser))
rules.add_perm("network.change_network_settings", is_network & (coordinates_network | rules.is_superuser))
rules.add_perm("network.export_directory", is_network & (coordinates_network | rules.is_superuser))
rules.add_perm("network.view_membership", is_own_membership | coordinates_membership_network | rules.is_superuser)
rules.add_perm("network.leave_membership", is_own_membership & membership_is_open)
rules.add_perm("network.view_practitioner", is_listed_profile | is_own_profile | rules.is_superuser)
rules.add_perm("network.change_practitioner", is_own_profile)
rules.add_perm(
    "network.contact_practitioner",
    rules.is_authenticated & ~is_own_profile & is_listed_profile & accepts_messages & profile_in_a_network,
)
rules.add_perm("network.view_message", is_message_recipient | moderates_message_network | rules.is_superuser)
rules.add_perm("network.moderate_message", moderates_message_network | rules.is_superuser)
rules.add_perm("network.moderate_practitioner", moderates_profile_network | rules.is_superuser)
