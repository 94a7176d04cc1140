"""Model methods delegate to phases.py and read prefetched phases; time is frozen with time-machine."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError

from veche.participation.models import Module, Process
from veche.participation.phases import PhaseState
from veche.participation.rules import module_allows
from veche.participation.tests.factories import ModuleFactory, PhaseFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
MARCH = dt.datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def module(fake_type):
    module = ModuleFactory()
    PhaseFactory(
        module=module, phase_type="information", weight=0, starts_at=MARCH, ends_at=MARCH + dt.timedelta(days=7)
    )
    PhaseFactory(
        module=module,
        phase_type="commenting",
        weight=1,
        starts_at=MARCH + dt.timedelta(days=7),
        ends_at=MARCH + dt.timedelta(days=21),
    )
    PhaseFactory(module=module, phase_type="results", weight=2)
    return Module.objects.prefetch_related("phases").get(pk=module.pk)


def test_current_phase_follows_the_clock_with_an_exclusive_end(module, django_assert_num_queries):
    with django_assert_num_queries(0):
        with time_machine.travel(MARCH - dt.timedelta(seconds=1), tick=False):
            assert module.current_phase() is None
            assert module.next_phase().phase_type == "information"
            assert module.state() is PhaseState.UPCOMING
        with time_machine.travel(MARCH, tick=False):
            assert module.current_phase().phase_type == "information"
        with time_machine.travel(MARCH + dt.timedelta(days=7) - dt.timedelta(microseconds=1), tick=False):
            assert module.current_phase().phase_type == "information"
        with time_machine.travel(MARCH + dt.timedelta(days=7), tick=False):
            assert module.current_phase().phase_type == "commenting"
            assert module.next_phase() is None  # results is not scheduled
        with time_machine.travel(MARCH + dt.timedelta(days=21), tick=False):
            assert module.current_phase() is None
            assert module.state() is PhaseState.FINISHED


def test_features_switch_with_the_phase(module):
    with time_machine.travel(MARCH + dt.timedelta(days=1), tick=False):
        assert module.allows("read") and not module.allows("comment")
        assert module_allows("comment").test(None, module) is False
    with time_machine.travel(MARCH + dt.timedelta(days=8), tick=False):
        assert module.allows("comment")
        assert module_allows("comment").test(None, module) is True
    with time_machine.travel(MARCH + dt.timedelta(days=30), tick=False):
        assert module.active_features() == frozenset()


def test_module_of_an_uninstalled_type_allows_nothing_but_still_shows(module):
    Module.objects.filter(pk=module.pk).update(module_type="gone")
    module = Module.objects.prefetch_related("phases").get(pk=module.pk)
    with time_machine.travel(MARCH + dt.timedelta(days=1), tick=False):
        assert module.type is None
        assert module.type_name == "gone"
        assert module.current_phase().phase_type == "information"
        assert not module.allows("read")
        assert str(module.current_phase()) == "information"


def test_phase_names_come_from_the_module_type(module):
    assert [str(phase) for phase in module.phases.all()] == ["Information", "Commenting", "Results"]


def test_process_state_spans_all_its_modules(module, fake_type):
    other = ModuleFactory(process=module.process)
    PhaseFactory(
        module=other,
        phase_type="information",
        starts_at=MARCH + dt.timedelta(days=40),
        ends_at=MARCH + dt.timedelta(days=50),
    )
    process = Process.objects.for_detail_page().get(pk=module.process_id)
    assert process.state(MARCH + dt.timedelta(days=30)) is PhaseState.ACTIVE
    assert process.state(MARCH + dt.timedelta(days=50)) is PhaseState.FINISHED


def test_database_refuses_end_before_start(fake_type):
    with pytest.raises(IntegrityError):
        PhaseFactory(starts_at=MARCH, ends_at=MARCH)


def test_database_refuses_a_half_scheduled_phase(fake_type):
    with pytest.raises(IntegrityError):
        PhaseFactory(starts_at=MARCH, ends_at=None)
