"""Factories for budgeting tests. `make_edition(phase="voting")` gives a published edition whose named phase is
active now (earlier phases in the past, later ones in the future), with one citywide pool."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from veche.budgeting.choices import PoolKind, ProposalStatus
from veche.budgeting.models import Category, Edition, Pool, Proposal
from veche.budgeting.module import BUDGETING
from veche.participation.models import Module, Phase
from veche.participation.tests.factories import ProcessFactory

PHASES = [phase.key for phase in BUDGETING.phases]


def schedule(edition: Edition, phase: str | None, *, now=None) -> None:
    """Make `phase` the active one now: earlier phases end before now, later ones start after. None unschedules."""
    now = now or timezone.now()
    module = edition.module
    Phase.objects.filter(module=module).delete()
    rows = []
    active = PHASES.index(phase) if phase else None
    for index, key in enumerate(PHASES):
        if active is None:
            starts = ends = None
        else:
            offset = index - active
            starts = now + timedelta(days=10 * offset - 5)
            ends = starts + timedelta(days=10)
        rows.append(Phase(module=module, phase_type=key, starts_at=starts, ends_at=ends, weight=index))
    Phase.objects.bulk_create(rows)
    if hasattr(module, "_prefetched_objects_cache"):
        module._prefetched_objects_cache.clear()


def make_edition(*, phase: str | None = "submission", organisation=None, pools: int = 1, **settings) -> Edition:
    """A published process with a budgeting module, its edition (settings as given) and `pools` citywide pools of
    100,000 each (the first citywide, the rest districts)."""
    process = ProcessFactory(**({"organisation": organisation} if organisation else {}))
    module = Module.objects.create(process=process, module_type=BUDGETING.key, title_en="Budget 2027")
    settings.setdefault("total_budget", Decimal(100_000) * pools)
    edition = Edition.objects.create(module=module, **settings)
    for index in range(pools):
        Pool.objects.create(
            edition=edition,
            name="Citywide" if index == 0 else f"District {index}",
            kind=PoolKind.CITYWIDE if index == 0 else PoolKind.DISTRICT,
            budget=Decimal(100_000),
            weight=index,
        )
    schedule(edition, phase)
    return Edition.objects.with_timeline().get(pk=edition.pk)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")


class ProposalFactory(factory.django.DjangoModelFactory):
    """Needs edition=…; the pool defaults to the edition's first pool."""

    class Meta:
        model = Proposal

    number = factory.Sequence(lambda n: n + 1)
    pool = factory.LazyAttribute(lambda o: o.edition.pools.first())
    title = factory.Sequence(lambda n: f"Project {n}")
    description = "A bench and a tree by the school."
    cost_estimate = Decimal(10_000)
    status = ProposalStatus.ACCEPTED
