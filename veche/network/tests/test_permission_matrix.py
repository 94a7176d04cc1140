"""The "Networks and practitioners" table of docs/domain/permissions.md, checked cell by cell against the rules."""

from __future__ import annotations

from typing import Any

import pytest

from veche.core.testing.factories import UserFactory
from veche.core.testing.permission_table import Expectation, expectations_for
from veche.core.testing.personas import PERSONA_NAMES, Personas
from veche.network import services
from veche.network.choices import MemberListVisibility, MembershipState
from veche.network.models import ContactMessage
from veche.network.tests.factories import MembershipFactory, PractitionerProfileFactory
from veche.organisations.choices import OrganisationKind

EXPECTATIONS = expectations_for("network.")


def build_object(name: str, personas: Personas) -> Any:
    network = personas.organisation
    network.kind = OrganisationKind.NETWORK
    network.save(update_fields=["kind"])
    settings = services.network_settings(network)
    resident = personas.resident
    if name == "network":
        return network
    if name == "unpublished network":
        network.is_published = False
        network.save(update_fields=["is_published"])
        return network
    if name == "network with a public member list":
        return network
    if name == "network with a members-only list":
        settings.member_list_visibility = MemberListVisibility.MEMBERS
        settings.save()
        return network
    if name == "network closed to applications":
        settings.accepts_applications = False
        settings.save()
        return network
    if name == "organisation":
        return personas.organisation
    if name == "application of the resident":
        return MembershipFactory(network=network, user=resident, state=MembershipState.APPLIED)
    if name == "membership of the resident":
        return MembershipFactory(network=network, user=resident, state=MembershipState.ACTIVE)
    if name == "ended membership of the resident":
        return MembershipFactory(network=network, user=resident, state=MembershipState.LEFT)
    if name == "published profile of the resident":
        return PractitionerProfileFactory(user=resident, is_published=True)
    if name == "unpublished profile of the resident":
        return PractitionerProfileFactory(user=resident, is_published=False)
    if name == "profile of the resident":
        return PractitionerProfileFactory(user=resident)
    if name == "published profile of the resident (in no network)":
        return PractitionerProfileFactory(user=resident, is_published=True)
    if name == "published profile of a network member":
        member = MembershipFactory(network=network, user=UserFactory()).user
        return PractitionerProfileFactory(user=member, is_published=True)
    if name == "message to the resident":
        profile = PractitionerProfileFactory(user=resident)
        return ContactMessage.objects.create(
            sender=UserFactory(), profile=profile, network=network, subject="Hello", body="Text"
        )
    raise AssertionError(f"the permission table names an object this test cannot build: {name!r}")


def test_the_table_covers_every_persona_and_permission():
    assert {item.persona for item in EXPECTATIONS} == set(PERSONA_NAMES)
    assert {item.permission for item in EXPECTATIONS} == {
        "network.view_network",
        "network.view_members",
        "network.apply",
        "network.apply_for_organisation",
        "network.manage_members",
        "network.change_network_settings",
        "network.export_directory",
        "network.view_membership",
        "network.leave_membership",
        "network.view_practitioner",
        "network.change_practitioner",
        "network.contact_practitioner",
        "network.moderate_practitioner",
        "network.view_message",
        "network.moderate_message",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=lambda item: item.id)
def test_permission_matrix(expectation: Expectation, personas: Personas):
    obj = build_object(expectation.obj, personas)
    user = personas.get(expectation.persona)
    assert user.has_perm(expectation.permission, obj) is expectation.allowed


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_visible_to_agrees_with_the_view_rule(persona: str, personas: Personas):
    """The directory's list (visible_to) and the profile page (the rule) never disagree."""
    PractitionerProfileFactory(is_published=True)
    PractitionerProfileFactory(is_published=False)
    PractitionerProfileFactory(user=personas.resident, is_published=False)
    from veche.network.models import PractitionerProfile

    user = personas.get(persona)
    by_rule = {p.pk for p in PractitionerProfile.objects.all() if user.has_perm("network.view_practitioner", p)}
    assert set(PractitionerProfile.objects.visible_to(user).values_list("pk", flat=True)) == by_rule
