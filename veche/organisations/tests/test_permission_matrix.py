"""The organisations table of docs/domain/permissions.md, checked cell by cell against the rules."""

from __future__ import annotations

import pytest

from veche.core.testing.permission_table import Expectation, expectations_for
from veche.core.testing.personas import PERSONA_NAMES, Personas
from veche.organisations.models import Organisation

EXPECTATIONS = expectations_for("organisations.")


def build_object(name: str, personas: Personas) -> Organisation:
    """The object a table row names, in the personas' organisation."""
    organisation = personas.organisation
    if name == "unpublished organisation":
        organisation.is_published = False
        organisation.save(update_fields=["is_published"])
    elif name in ("published organisation", "organisation"):
        assert organisation.is_published
    else:
        raise AssertionError(f"the permission table names an object this test cannot build: {name!r}")
    return organisation


def test_the_table_covers_every_persona_and_permission():
    assert {item.persona for item in EXPECTATIONS} == set(PERSONA_NAMES)
    permissions = {item.permission for item in EXPECTATIONS}
    assert permissions == {
        "organisations.view_organisation",
        "organisations.change_organisation",
        "organisations.manage_roles",
        "organisations.view_audit_log",
        "organisations.view_members_area",
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
    """The list (QuerySet.visible_to) and the detail page (the rule) must never disagree."""
    Organisation.objects.filter(pk=personas.other_organisation.pk).update(is_published=False)
    Organisation.objects.filter(pk=personas.organisation.pk).update(is_published=False)
    from veche.core.testing.factories import OrganisationFactory

    OrganisationFactory(slug="published-elsewhere")
    user = personas.get(persona)
    by_rule = {org.pk for org in Organisation.objects.all() if user.has_perm("organisations.view_organisation", org)}
    assert set(Organisation.objects.visible_to(user).values_list("pk", flat=True)) == by_rule
