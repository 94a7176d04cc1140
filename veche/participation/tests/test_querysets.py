"""visible_to agrees with participation.view_process; in_state agrees with phases.py."""

from __future__ import annotations

import datetime as dt

import pytest

from veche.core.testing.personas import PERSONA_NAMES
from veche.participation.models import Process
from veche.participation.tests.factories import ModuleFactory, PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def processes(personas):
    return [
        ProcessFactory(organisation=organisation, is_published=published)
        for organisation in (personas.organisation, personas.other_organisation)
        for published in (True, False)
    ]


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_visible_to_agrees_with_the_rule(personas, processes, persona):
    user = personas.get(persona)
    by_rule = {process.pk for process in processes if user.has_perm("participation.view_process", process)}
    assert set(Process.objects.visible_to(user).values_list("pk", flat=True)) == by_rule


def test_visible_to_has_no_duplicates_for_people_with_several_roles(personas, processes):
    from veche.core.testing.factories import RoleFactory

    RoleFactory(user=personas.coordinator, organisation=personas.organisation, kind="moderator")
    pks = list(Process.objects.visible_to(personas.coordinator).values_list("pk", flat=True))
    assert len(pks) == len(set(pks)) == 3


def scheduled_process(start_days: float | None, end_days: float | None) -> Process:
    process = ProcessFactory()
    module = ModuleFactory(process=process)
    if start_days is not None:
        PhaseFactory(
            module=module,
            starts_at=NOW + dt.timedelta(days=start_days),
            ends_at=NOW + dt.timedelta(days=end_days),
        )
    return process


def test_in_state_matches_phases_py(fake_type):
    upcoming = scheduled_process(1, 2)
    active = scheduled_process(-1, 1)
    starting_now = scheduled_process(0, 1)
    finished = scheduled_process(-2, -1)
    ending_now = scheduled_process(-1, 0)
    unscheduled = scheduled_process(None, None)
    bare = ProcessFactory()
    by_state = {
        state: set(Process.objects.in_state(state, NOW).values_list("pk", flat=True))
        for state in ("upcoming", "active", "finished", "unscheduled")
    }
    assert by_state == {
        "upcoming": {upcoming.pk},
        "active": {active.pk, starting_now.pk},
        "finished": {finished.pk, ending_now.pk},
        "unscheduled": {unscheduled.pk, bare.pk},
    }
    for process in Process.objects.for_list_page():
        assert process.pk in by_state[process.state(NOW)]


def test_in_state_keeps_earlier_filters(fake_type, personas):
    mine = scheduled_process(-1, 1)
    Process.objects.filter(pk=mine.pk).update(organisation=personas.organisation)
    scheduled_process(-1, 1)
    filtered = Process.objects.filter(organisation=personas.organisation).in_state("active", NOW)
    assert list(filtered.values_list("pk", flat=True)) == [mine.pk]
