"""Every cell of the "Map of participation" table in docs/domain/permissions.md, checked against the rules, and the
list form (Case.objects.visible_to) agreeing with cases.view_case for every persona."""

from __future__ import annotations

import pytest

from veche.cases.choices import CaseStatus
from veche.cases.models import Case
from veche.cases.tests.factories import make_case
from veche.core.testing.permission_table import expectations_for
from veche.core.testing.personas import PERSONA_NAMES

EXPECTATIONS = expectations_for("cases.")
STATUSES = {
    "published case": (CaseStatus.PUBLISHED, None),
    "member's draft": (CaseStatus.DRAFT, "member"),
    "member's submitted case": (CaseStatus.SUBMITTED, "member"),
    "member's published case": (CaseStatus.PUBLISHED, "member"),
}


def as_network(personas):
    personas.organisation.kind = "network"
    personas.organisation.save()
    return personas.organisation


def finished_module(personas):
    from veche.budgeting.models import Edition
    from veche.budgeting.tests.factories import make_edition

    edition = make_edition(phase="results", organisation=personas.organisation)
    Edition.objects.filter(pk=edition.pk).update(results_published_at="2026-01-01T00:00:00Z")
    return edition.module


def build(obj: str, personas):
    if obj in STATUSES:
        status, author = STATUSES[obj]
        network = as_network(personas)
        return make_case(network=network, status=status, author=personas.get(author) if author else None)
    if obj == "network":
        return as_network(personas)
    if obj == "finished module":
        return finished_module(personas)
    if obj == "organisation":
        return personas.organisation
    raise AssertionError(f"The permissions table names an object this test cannot build: {obj!r}")


def test_the_table_covers_every_cases_permission():
    import rules

    registered = {name for name in rules.permissions.permissions if name.startswith("cases.")}
    assert registered == {item.permission for item in EXPECTATIONS}


@pytest.mark.django_db
@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=lambda item: item.id)
def test_permission_matrix(personas, expectation):
    obj = build(expectation.obj, personas)
    user = personas.get(expectation.persona)
    assert user.has_perm(expectation.permission, obj) is expectation.allowed


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_visible_to_agrees_with_view_case(personas, persona):
    network = as_network(personas)
    for status, author in STATUSES.values():
        make_case(network=network, status=status, author=personas.get(author) if author else None)
    make_case(network=network, status=CaseStatus.DRAFT, author=personas.resident)
    user = personas.get(persona)
    expected = {case.pk for case in Case.objects.all() if user.has_perm("cases.view_case", case)}
    assert set(Case.objects.visible_to(user).values_list("pk", flat=True)) == expected
