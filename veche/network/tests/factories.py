"""Factories of the network app (minimal objects; tests add what they need)."""

from __future__ import annotations

import factory

from veche.core.testing.factories import NetworkFactory, UserFactory
from veche.network.choices import MembershipState
from veche.network.models import Membership, PractitionerProfile


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)
    state = MembershipState.ACTIVE
    motivation = "I run consultations."
    region = "South Moravia"
    experience = "Five participatory budgets."


class PractitionerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PractitionerProfile

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Practitioner {n}")
    is_published = True
