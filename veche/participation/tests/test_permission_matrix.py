"""Every cell of the Participation table in docs/domain/permissions.md, checked against the rules."""

from __future__ import annotations

import pytest

from veche.core.testing.permission_table import expectations_for
from veche.participation.tests.factories import ProcessFactory

EXPECTATIONS = expectations_for("participation.")


def build(obj: str, personas):
    if obj == "organisation":
        return personas.organisation
    if obj == "published process":
        return ProcessFactory(organisation=personas.organisation, is_published=True)
    if obj == "published process of an unpublished organisation":
        personas.organisation.is_published = False
        personas.organisation.save()
        return ProcessFactory(organisation=personas.organisation, is_published=True)
    if obj == "unpublished process":
        return ProcessFactory(organisation=personas.organisation, is_published=False)
    raise AssertionError(f"The permissions table names an object this test cannot build: {obj!r}")


def test_the_table_covers_every_participation_permission():
    import rules

    registered = {name for name in rules.permissions.permissions if name.startswith("participation.")}
    assert registered == {item.permission for item in EXPECTATIONS}


@pytest.mark.django_db
@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=lambda item: item.id)
def test_permission_matrix(personas, expectation):
    obj = build(expectation.obj, personas)
    user = personas.get(expectation.persona)
    assert user.has_perm(expectation.permission, obj) is expectation.allowed
