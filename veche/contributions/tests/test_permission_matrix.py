"""Every cell of the "Follows and reports" table in docs/domain/permissions.md, checked against the rules."""

from __future__ import annotations

import pytest

from veche.contributions.models import Report
from veche.core.testing.permission_table import expectations_for
from veche.participation.tests.factories import ProcessFactory

EXPECTATIONS = expectations_for("contributions.")


def build(obj: str, personas):
    if obj == "organisation":
        return personas.organisation
    if obj == "content":
        return ProcessFactory(organisation=personas.organisation)
    if obj == "report":
        process = ProcessFactory(organisation=personas.organisation)
        return Report.objects.create(organisation=personas.organisation, target=process, reason="spam")
    raise AssertionError(f"The permissions table names an object this test cannot build: {obj!r}")


def test_the_table_covers_every_contributions_permission():
    import rules

    registered = {name for name in rules.permissions.permissions if name.startswith("contributions.")}
    assert registered == {item.permission for item in EXPECTATIONS}


@pytest.mark.django_db
@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=lambda item: item.id)
def test_permission_matrix(personas, expectation):
    obj = build(expectation.obj, personas)
    user = personas.get(expectation.persona)
    assert user.has_perm(expectation.permission, obj) is expectation.allowed
