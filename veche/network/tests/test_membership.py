"""Membership services: applications, decisions, leaving, history, organisations acting through their staff."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from veche.core.testing.factories import AffiliationFactory, OrganisationFactory, RoleFactory, UserFactory
from veche.network import access, services
from veche.network.choices import MemberListVisibility, MembershipState
from veche.network.models import Membership
from veche.notifications.models import Notification
from veche.organisations.models import Affiliation

pytestmark = pytest.mark.django_db

FORM = {"motivation": "I facilitate planning workshops.", "region": "Vysočina", "experience": "Ten years."}


def test_a_person_applies_and_the_coordinator_accepts(network, coordinator):
    person = UserFactory()
    membership = services.apply_to_network(actor=person, network=network, **FORM)
    assert membership.state == MembershipState.APPLIED
    assert not access.is_network_member(person, network)
    assert Notification.objects.filter(recipient=coordinator, kind="network.application").exists()

    services.decide_application(actor=coordinator, membership=membership, accept=True, message="Welcome!")
    membership.refresh_from_db()
    assert membership.state == MembershipState.ACTIVE and membership.joined_at is not None
    access.forget(person)  # the answer is cached per user object, as within one request
    assert access.is_network_member(person, network)
    assert access.member_network_ids(person) == {network.pk}
    assert [event.state for event in membership.events.all()] == ["applied", "active"]
    assert membership.events.last().actor == coordinator
    assert Notification.objects.filter(recipient=person, kind="network.decision").exists()


def test_declining_needs_a_message_and_is_kept_in_history(network, coordinator):
    person = UserFactory()
    membership = services.apply_to_network(actor=person, network=network, **FORM)
    with pytest.raises(ValidationError) as error:
        services.decide_application(actor=coordinator, membership=membership, accept=False, message=" ")
    assert "message" in error.value.message_dict
    services.decide_application(actor=coordinator, membership=membership, accept=False, message="Not a practitioner.")
    membership.refresh_from_db()
    assert membership.state == MembershipState.DECLINED
    assert membership.decision_message == "Not a practitioner."
    # A declined person may apply again: a new row, the old one stays in the history.
    again = services.apply_to_network(actor=person, network=network, **FORM)
    assert again.pk != membership.pk
    assert Membership.objects.filter(network=network, user=person).count() == 2


def test_an_application_cannot_be_decided_twice(network, coordinator):
    membership = services.apply_to_network(actor=UserFactory(), network=network, **FORM)
    services.decide_application(actor=coordinator, membership=membership, accept=True)
    with pytest.raises(ValidationError) as error:
        services.decide_application(actor=coordinator, membership=membership, accept=False, message="No")
    assert error.value.code == "already_decided"


def test_only_coordinators_decide(network):
    membership = services.apply_to_network(actor=UserFactory(), network=network, **FORM)
    other = RoleFactory(organisation=network, kind="moderator").user
    with pytest.raises(PermissionDenied):
        services.decide_application(actor=other, membership=membership, accept=True)
    with pytest.raises(PermissionDenied):
        services.decide_application(actor=membership.user, membership=membership, accept=True)


def test_one_open_application_at_a_time(network):
    person = UserFactory()
    services.apply_to_network(actor=person, network=network, **FORM)
    with pytest.raises(ValidationError) as error:
        services.apply_to_network(actor=person, network=network, **FORM)
    assert error.value.code == "already_applied"


def test_empty_fields_are_refused(network):
    with pytest.raises(ValidationError) as error:
        services.apply_to_network(actor=UserFactory(), network=network, motivation=" ", region="x", experience="y")
    assert "motivation" in error.value.message_dict


def test_a_closed_network_refuses_applications(network, coordinator):
    services.update_network_settings(actor=coordinator, network=network, changes={"accepts_applications": False})
    with pytest.raises(PermissionDenied):
        services.apply_to_network(actor=UserFactory(), network=network, **FORM)


def test_a_person_belongs_to_several_networks(network, coordinator):
    from veche.core.testing.factories import NetworkFactory

    hub = NetworkFactory(slug="hub")
    hub_coordinator = RoleFactory(organisation=hub, kind="administrator").user
    person = UserFactory()
    for target, decider in ((network, coordinator), (hub, hub_coordinator)):
        membership = services.apply_to_network(actor=person, network=target, **FORM)
        services.decide_application(actor=decider, membership=membership, accept=True)
    access.forget(person)
    assert access.member_network_ids(person) == {network.pk, hub.pk}


def test_leaving_ends_the_membership_and_keeps_history(network, coordinator):
    person = UserFactory()
    membership = services.apply_to_network(actor=person, network=network, **FORM)
    services.decide_application(actor=coordinator, membership=membership, accept=True)
    services.leave_network(actor=person, membership=membership, message="Moving abroad.")
    membership.refresh_from_db()
    assert membership.state == MembershipState.LEFT and membership.ended_at is not None
    access.forget(person)
    assert not access.is_network_member(person, network)
    assert [event.state for event in membership.events.all()] == ["applied", "active", "left"]
    with pytest.raises(PermissionDenied):
        services.leave_network(actor=person, membership=membership)


def test_withdrawing_an_application(network):
    person = UserFactory()
    membership = services.apply_to_network(actor=person, network=network, **FORM)
    services.leave_network(actor=person, membership=membership)
    membership.refresh_from_db()
    assert membership.state == MembershipState.WITHDRAWN


def test_nobody_else_leaves_for_you(network, coordinator):
    person = UserFactory()
    membership = services.apply_to_network(actor=person, network=network, **FORM)
    with pytest.raises(PermissionDenied):
        services.leave_network(actor=UserFactory(), membership=membership)


def test_a_coordinator_ends_a_membership_with_a_reason(network, coordinator):
    person = UserFactory()
    membership = services.apply_to_network(actor=person, network=network, **FORM)
    services.decide_application(actor=coordinator, membership=membership, accept=True)
    with pytest.raises(ValidationError):
        services.end_membership(actor=coordinator, membership=membership, message="")
    services.end_membership(actor=coordinator, membership=membership, message="Broke the code of conduct.")
    membership.refresh_from_db()
    assert membership.state == MembershipState.REMOVED
    access.forget(person)
    assert not access.is_network_member(person, network)


def test_an_organisation_applies_through_its_administrator(network, coordinator):
    town = OrganisationFactory(slug="town")
    administrator = RoleFactory(organisation=town, kind="administrator").user
    expert = RoleFactory(organisation=town, kind="expert").user
    resident = RoleFactory(organisation=town, kind="member").user
    with pytest.raises(PermissionDenied):
        services.apply_to_network(actor=expert, network=network, organisation=town, **FORM)
    membership = services.apply_to_network(actor=administrator, network=network, organisation=town, **FORM)
    assert membership.user is None and membership.applied_by == administrator
    services.decide_application(actor=coordinator, membership=membership, accept=True)
    assert Affiliation.objects.filter(network=network, organisation=town, left_on__isnull=True).exists()
    # Staff of a member organisation act for it; a plain member of the town does not.
    for person, expected in ((administrator, True), (expert, True), (resident, False)):
        access.forget(person)
        assert access.is_network_member(person, network) is expected
    services.leave_network(actor=administrator, membership=membership)
    assert Affiliation.objects.get(network=network, organisation=town).left_on is not None
    access.forget(expert)
    assert not access.is_network_member(expert, network)


def test_an_organisation_already_affiliated_cannot_apply(network):
    town = OrganisationFactory(slug="town")
    AffiliationFactory(network=network, organisation=town)
    administrator = RoleFactory(organisation=town, kind="administrator").user
    with pytest.raises(ValidationError) as error:
        services.apply_to_network(actor=administrator, network=network, organisation=town, **FORM)
    assert error.value.code == "already_member"


def test_a_network_cannot_join_a_network(network):
    from veche.core.testing.factories import NetworkFactory

    other = NetworkFactory(slug="other-net")
    administrator = RoleFactory(organisation=other, kind="administrator").user
    with pytest.raises(ValidationError):
        services.apply_to_network(actor=administrator, network=network, organisation=other, **FORM)


def test_coordinators_and_network_staff_count_as_members(network, coordinator):
    assert access.is_network_coordinator(coordinator, network)
    assert access.is_network_member(coordinator, network)
    outsider = UserFactory()
    assert not access.is_network_coordinator(outsider, network)
    assert access.member_network_ids(outsider) == set()


def test_people_in_networks_q_agrees_with_member_network_ids(network, coordinator):
    from django.contrib.auth import get_user_model

    town = OrganisationFactory(slug="town")
    AffiliationFactory(network=network, organisation=town)
    staff = RoleFactory(organisation=town, kind="moderator").user
    individual = UserFactory()
    Membership.objects.create(
        network=network, user=individual, state="active", motivation="m", region="r", experience="e"
    )
    outsider = UserFactory()
    found = set(get_user_model().objects.filter(access.people_in_networks_q({network.pk}, field="pk")))
    assert {staff, individual, coordinator} <= found
    assert outsider not in found
    for person in get_user_model().objects.all():
        assert (person in found) is (network.pk in access.member_network_ids(person))


def test_settings_are_audited_and_checked(network, coordinator):
    from veche.audit.models import AuditEntry

    with pytest.raises(PermissionDenied):
        services.update_network_settings(
            actor=UserFactory(), network=network, changes={"member_list_visibility": MemberListVisibility.MEMBERS}
        )
    services.update_network_settings(
        actor=coordinator, network=network, changes={"member_list_visibility": MemberListVisibility.MEMBERS}
    )
    entry = AuditEntry.objects.get(action="network.settings_changed")
    assert entry.data == {"fields": ["member_list_visibility"]}
