"""Factories and the cast of an advice request: a network, a member municipality that asks, experts, coordinators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import factory
from django.contrib.auth.models import AnonymousUser

from veche.advice.choices import AdviceStage, AdviceStatus
from veche.advice.models import AdviceMessage, AdviceRequest
from veche.advice.services import render_text
from veche.core.models import Method
from veche.core.testing.factories import (
    AffiliationFactory,
    NetworkFactory,
    OrganisationFactory,
    RoleFactory,
    UserFactory,
)
from veche.network.choices import MembershipState
from veche.network.models import Membership, PractitionerProfile


class AdviceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdviceRequest

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"How do we run consultation {n}?")
    stage = AdviceStage.PLANNING
    method = "consultation"
    description = "We plan our first public consultation on a new park and need help with the timeline."
    description_html = factory.LazyAttribute(lambda item: render_text(item.description))
    preferred_language = "cs"
    country = "CZ"
    region = "Jihomoravský kraj"


class AdviceMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdviceMessage

    request = factory.SubFactory(AdviceRequestFactory)
    author = factory.SubFactory(UserFactory)
    body = "Here is what we did last year."
    body_html = factory.LazyAttribute(lambda item: render_text(item.body))


def make_expert(
    network: Any,
    *,
    email: str | None = None,
    methods: tuple[str, ...] = ("consultation",),
    languages: tuple[str, ...] = ("cs",),
    country: str = "CZ",
    region: str = "Jihomoravský kraj",
    **profile: Any,
) -> Any:
    """A person in the network with a published profile that offers advice."""
    user = UserFactory(**({"email": email} if email else {}))
    Membership.objects.create(
        network=network,
        user=user,
        state=MembershipState.ACTIVE,
        motivation="I advise municipalities.",
        region=region,
        experience="Ten consultations.",
    )
    values = {
        "name": user.display_name,
        "is_published": True,
        "available_as_advisor": True,
        "languages": list(languages),
        "country": country,
        "region": region,
    } | profile
    record = PractitionerProfile.objects.create(user=user, **values)
    record.methods.set(Method.objects.filter(slug__in=methods))
    return user


@dataclass
class Cast:
    network: Any
    other_network: Any
    municipality: Any
    requester: Any
    requester_colleague: Any
    expert: Any
    other_expert: Any
    coordinator: Any
    other_coordinator: Any
    resident: Any
    anonymous: Any
    superuser: Any

    def get(self, name: str) -> Any:
        return getattr(self, name)

    def request(self, status: str = AdviceStatus.NEW, **values: Any) -> AdviceRequest:
        """A request from the municipality, in the given status (with the expert when one is needed)."""
        fields: dict[str, Any] = {
            "network": self.network,
            "requester_organisation": self.municipality,
            "requested_by": self.requester,
            "status": status,
        }
        if status in (AdviceStatus.ASSIGNED, AdviceStatus.IN_PROGRESS, AdviceStatus.CLOSED):
            fields["expert"] = self.expert
        if status == AdviceStatus.CLOSED:
            fields["summary"] = "Start with a walk."
        return AdviceRequestFactory(**(fields | values))


def make_cast() -> Cast:
    network = NetworkFactory(slug="regional", name="Regional Network", region="Jihomoravský kraj")
    other_network = NetworkFactory(slug="elsewhere", name="Another Network")
    municipality = OrganisationFactory(slug="brno-north", name="Brno-North", region="Jihomoravský kraj")
    AffiliationFactory(network=network, organisation=municipality, joined_on=dt.date(2025, 1, 1))
    requester = RoleFactory(organisation=municipality, kind="coordinator", user=UserFactory(email="asks@x.org")).user
    colleague = RoleFactory(organisation=municipality, kind="moderator", user=UserFactory(email="mod@x.org")).user
    coordinator = RoleFactory(organisation=network, kind="coordinator", user=UserFactory(email="coord@x.org")).user
    other_coordinator = RoleFactory(
        organisation=other_network, kind="coordinator", user=UserFactory(email="coord2@x.org")
    ).user
    return Cast(
        network=network,
        other_network=other_network,
        municipality=municipality,
        requester=requester,
        requester_colleague=colleague,
        expert=make_expert(network, email="expert@x.org"),
        other_expert=make_expert(network, email="expert2@x.org", languages=("pl",), country="PL", region="Małopolska"),
        coordinator=coordinator,
        other_coordinator=other_coordinator,
        resident=UserFactory(email="resident@x.org"),
        anonymous=AnonymousUser(),
        superuser=UserFactory(email="root@x.org", is_superuser=True, is_staff=True),
    )
