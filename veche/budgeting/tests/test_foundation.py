"""The module type is registered, and adding a budgeting module creates its edition in the same transaction."""

from __future__ import annotations

import pytest

from veche.budgeting.models import Edition
from veche.budgeting.tests.factories import make_edition
from veche.participation import services as participation
from veche.participation.registry import get_module_type

pytestmark = pytest.mark.django_db


def test_budgeting_is_a_registered_module_type():
    module_type = get_module_type("budgeting")
    assert [phase.key for phase in module_type.phases] == [
        "submission",
        "verification",
        "appeals",
        "voting",
        "results",
        "implementation",
    ]
    assert module_type.phase_type("voting").features == {"vote"}


def test_adding_a_budgeting_module_creates_its_edition_with_the_countrys_currency(personas):
    from veche.participation.tests.factories import ProcessFactory

    process = ProcessFactory(organisation=personas.organisation)
    personas.organisation.country = "PL"
    personas.organisation.save()
    module = participation.add_module(actor=personas.coordinator, process=process, module_type="budgeting")
    edition = Edition.objects.get(module=module)
    assert edition.currency == "PLN"


def test_make_edition_activates_the_named_phase():
    edition = make_edition(phase="voting")
    assert edition.module.allows("vote")
    assert not edition.module.allows("propose")
