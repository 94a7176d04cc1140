"""Factories for the map of participation's tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from veche.cases.choices import CaseStatus
from veche.cases.models import Case
from veche.cases.services import CaseInput, _apply
from veche.core.models import Method


def case_input(**overrides: Any) -> CaseInput:
    values: dict[str, Any] = {
        "title": "Participatory budget of Kolín",
        "summary": "Residents proposed and chose projects for the town.",
        "municipality": "Kolín",
        "country": "CZ",
        "latitude": Decimal("50.028100"),
        "longitude": Decimal("15.200600"),
        "started_on": dt.date(2024, 3, 1),
        "ended_on": dt.date(2024, 10, 31),
        "methods": ("participatory_budgeting",),
        "topics": ("public_space",),
        "organiser": "Town of Kolín",
        "language": "cs",
        "participants": 1200,
        "budget": Decimal("2000000"),
        "currency": "CZK",
        "results": "Eight projects funded.",
    }
    values.update(overrides)
    return CaseInput(**values)


def make_case(*, network: Any, author: Any = None, status: str = CaseStatus.PUBLISHED, **overrides: Any) -> Case:
    """A case written straight to the database (no revision), for read-side tests."""
    from django.utils import timezone

    case = Case(network=network, author=author, status=status)
    if status == CaseStatus.PUBLISHED:
        case.published_at = timezone.now()
    if status == CaseStatus.SUBMITTED:
        case.submitted_at = timezone.now()
    _apply(case, case_input(**overrides))
    return case


def methods(*slugs: str) -> list[Method]:
    return list(Method.objects.filter(slug__in=slugs))
