"""Factories and a fake module type for the participation tests; the core knows no real module type."""

from __future__ import annotations

import factory

from veche.core.testing.factories import OrganisationFactory
from veche.participation.models import Module, Phase, Process
from veche.participation.registry import ModuleType, PhaseType

FAKE_TYPE = ModuleType(
    key="fake_consultation",
    name="Fake consultation",
    description="A module type that exists only in tests.",
    phases=(
        PhaseType("information", "Information", frozenset({"read"})),
        PhaseType("commenting", "Commenting", frozenset({"read", "comment"})),
        PhaseType("results", "Results", frozenset({"read", "see_results"})),
    ),
)


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    organisation = factory.SubFactory(OrganisationFactory)
    slug = factory.Sequence(lambda n: f"process-{n}")
    title_en = factory.Sequence(lambda n: f"Process {n}")
    is_published = True


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    process = factory.SubFactory(ProcessFactory)
    module_type = FAKE_TYPE.key
    title_en = "Consultation"


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    module = factory.SubFactory(ModuleFactory)
    phase_type = "information"
