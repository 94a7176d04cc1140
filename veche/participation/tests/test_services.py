"""The participation services: who may do what, what is validated, what is audited, and nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from veche.audit.models import AuditEntry
from veche.participation import services
from veche.participation.models import Module, Phase, Process
from veche.participation.tests.factories import ModuleFactory, ProcessFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
MAY = dt.datetime(2027, 5, 1, 10, 0, tzinfo=UTC)


def days(n: float) -> dt.datetime:
    return MAY + dt.timedelta(days=n)


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True))


# --- create / update / publish -------------------------------------------------------------------------------------
def test_coordinator_creates_a_draft_process_with_titles_per_language(personas):
    process = services.create_process(
        actor=personas.coordinator,
        organisation=personas.organisation,
        title={"cs": "Park u řeky", "en": "Riverside park"},
        summary={"en": "What should it become?"},
    )
    process.refresh_from_db()
    assert (process.title_cs, process.title_en, process.title_pl) == ("Park u řeky", "Riverside park", None)
    assert process.summary_en == "What should it become?"
    assert process.slug == "park-u-reky"
    assert not process.is_published
    assert process.created_by == personas.coordinator
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.organisation) == (
        "participation.process_created",
        personas.coordinator,
        personas.organisation,
    )


@pytest.mark.parametrize("persona", ["resident", "member", "expert", "moderator", "other_administrator"])
def test_others_may_not_create_processes(personas, persona):
    with pytest.raises(PermissionDenied):
        services.create_process(actor=personas.get(persona), organisation=personas.organisation, title={"en": "X"})
    assert not Process.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_title_is_required_in_some_language(personas):
    with pytest.raises(ValidationError) as caught:
        services.create_process(actor=personas.administrator, organisation=personas.organisation, title={"en": " "})
    assert "title" in caught.value.message_dict
    assert not Process.objects.exists()


def test_generated_slugs_do_not_collide(personas):
    make = services.create_process
    first = make(actor=personas.administrator, organisation=personas.organisation, title={"en": "Budget"})
    second = make(actor=personas.administrator, organisation=personas.organisation, title={"en": "Budget"})
    assert (first.slug, second.slug) == ("budget", "budget-2")


def test_a_taken_slug_is_a_field_error_and_leaves_no_trace(personas):
    ProcessFactory(organisation=personas.organisation, slug="budget")
    with pytest.raises(ValidationError) as caught:
        services.create_process(
            actor=personas.administrator, organisation=personas.organisation, title={"en": "B"}, slug="budget"
        )
    assert "slug" in caught.value.message_dict
    assert Process.objects.count() == 1
    assert not AuditEntry.objects.exists()


def test_the_same_slug_is_fine_in_another_organisation(personas):
    ProcessFactory(organisation=personas.other_organisation, slug="budget")
    process = services.create_process(
        actor=personas.administrator, organisation=personas.organisation, title={"en": "B"}, slug="budget"
    )
    assert process.slug == "budget"


def test_update_records_only_the_columns_that_changed(personas):
    process = ProcessFactory(organisation=personas.organisation, title_en="Old", title_cs="Staré")
    services.update_process(actor=personas.coordinator, process=process, title={"en": "New", "cs": "Staré"})
    assert Process.objects.get().title_en == "New"
    assert AuditEntry.objects.get().data == {"fields": ["title_en"]}
    services.update_process(actor=personas.coordinator, process=process, title={"en": "New"})
    assert AuditEntry.objects.count() == 1


def test_update_refuses_a_moderator(personas):
    process = ProcessFactory(organisation=personas.organisation)
    with pytest.raises(PermissionDenied):
        services.update_process(actor=personas.moderator, process=process, title={"en": "New"})


def test_update_to_a_taken_slug_fails_without_saving(personas):
    ProcessFactory(organisation=personas.organisation, slug="taken")
    process = ProcessFactory(organisation=personas.organisation, slug="mine", title_en="Mine")
    with pytest.raises(ValidationError):
        services.update_process(actor=personas.administrator, process=process, title={"en": "Renamed"}, slug="taken")
    stored = Process.objects.get(pk=process.pk)
    assert (stored.slug, stored.title_en) == ("mine", "Mine")
    assert not AuditEntry.objects.exists()


def test_publish_and_unpublish_are_audited_once(personas):
    process = ProcessFactory(organisation=personas.organisation, is_published=False)
    services.publish_process(actor=personas.coordinator, process=process)
    services.publish_process(actor=personas.coordinator, process=process)
    assert Process.objects.get().is_published
    services.unpublish_process(actor=personas.administrator, process=process)
    assert not Process.objects.get().is_published
    assert actions() == ["participation.process_published", "participation.process_unpublished"]


def test_other_organisations_administrator_may_not_publish(personas):
    process = ProcessFactory(organisation=personas.organisation, is_published=False)
    with pytest.raises(PermissionDenied):
        services.publish_process(actor=personas.other_administrator, process=process)
    assert not Process.objects.get().is_published


# --- modules -------------------------------------------------------------------------------------------------------
def test_add_module_creates_the_declared_phases_in_order(personas, fake_type):
    process = ProcessFactory(organisation=personas.organisation)
    module = services.add_module(actor=personas.coordinator, process=process, module_type=fake_type.key)
    assert list(module.phases.values_list("phase_type", "weight", "starts_at")) == [
        ("information", 0, None),
        ("commenting", 1, None),
        ("results", 2, None),
    ]
    assert module.title_en == module.title_cs == "Fake consultation"
    second = services.add_module(
        actor=personas.coordinator, process=process, module_type=fake_type.key, title={"en": "Second round"}
    )
    assert (module.weight, second.weight, second.title_en) == (0, 1, "Second round")
    entry = AuditEntry.objects.first()
    assert entry.action == "participation.module_added"
    assert entry.organisation == personas.organisation


def test_add_module_refuses_an_unregistered_type(personas):
    process = ProcessFactory(organisation=personas.organisation)
    with pytest.raises(ValidationError) as caught:
        services.add_module(actor=personas.coordinator, process=process, module_type="fake_consultation")
    assert "module_type" in caught.value.message_dict
    assert not Module.objects.exists()


def test_add_module_refuses_a_moderator(personas, fake_type):
    process = ProcessFactory(organisation=personas.organisation)
    with pytest.raises(PermissionDenied):
        services.add_module(actor=personas.moderator, process=process, module_type=fake_type.key)


def test_delete_module_removes_phases_and_is_audited(personas, fake_type):
    process = ProcessFactory(organisation=personas.organisation)
    module = services.add_module(actor=personas.administrator, process=process, module_type=fake_type.key)
    services.delete_module(actor=personas.administrator, module=module)
    assert not Module.objects.exists() and not Phase.objects.exists()
    assert actions()[-1] == "participation.module_deleted"
    assert AuditEntry.objects.first().data["module_type"] == fake_type.key


def test_delete_module_refuses_another_organisations_administrator(personas, fake_type):
    module = services.add_module(
        actor=personas.administrator,
        process=ProcessFactory(organisation=personas.organisation),
        module_type=fake_type.key,
    )
    with pytest.raises(PermissionDenied):
        services.delete_module(actor=personas.other_administrator, module=module)
    assert Module.objects.exists()


# --- scheduling ----------------------------------------------------------------------------------------------------
@pytest.fixture
def module(personas, fake_type):
    process = ProcessFactory(organisation=personas.organisation)
    return services.add_module(actor=personas.administrator, process=process, module_type=fake_type.key)


def phase_ids(module: Module) -> list[int]:
    return list(module.phases.order_by("weight").values_list("pk", flat=True))


def test_schedule_phases_saves_a_valid_timeline_and_audits_each_change(personas, module):
    info, comment, results = phase_ids(module)
    services.schedule_phases(
        actor=personas.coordinator,
        module=module,
        schedule={info: (days(0), days(7)), comment: (days(7), days(21)), results: (None, None)},
    )
    stored = dict(Phase.objects.values_list("pk", "starts_at"))
    assert stored[info] == days(0) and stored[comment] == days(7) and stored[results] is None
    scheduled = AuditEntry.objects.filter(action="participation.phase_scheduled")
    assert scheduled.count() == 2
    assert scheduled.get(target_id=str(comment)).data["after"] == [days(7).isoformat(), days(21).isoformat()]


@pytest.mark.parametrize(
    ("dates", "fragment"),
    [
        ({0: (days(0), days(8)), 1: (days(7), days(21))}, "overlaps"),
        ({0: (days(10), days(11)), 1: (days(0), days(5))}, "must come after"),
        ({0: (days(5), days(5))}, "after the start"),
        ({0: (days(5), None)}, "both"),
    ],
)
def test_invalid_timelines_are_refused_and_nothing_changes(personas, module, dates, fragment):
    ids = phase_ids(module)
    with pytest.raises(ValidationError) as caught:
        services.schedule_phases(
            actor=personas.coordinator, module=module, schedule={ids[index]: value for index, value in dates.items()}
        )
    assert any(fragment in message for message in caught.value.messages)
    assert not Phase.objects.filter(starts_at__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="participation.phase_scheduled").exists()


def test_the_whole_timeline_is_checked_not_just_the_changed_phase(personas, module):
    info, comment, _results = phase_ids(module)
    services.schedule_phases(actor=personas.coordinator, module=module, schedule={comment: (days(7), days(21))})
    with pytest.raises(ValidationError):
        services.schedule_phase(
            actor=personas.coordinator, phase=Phase.objects.get(pk=info), starts_at=days(6), ends_at=days(8)
        )
    phase = services.schedule_phase(
        actor=personas.coordinator, phase=Phase.objects.get(pk=info), starts_at=days(6), ends_at=days(7)
    )
    assert phase.ends_at == days(7)


def test_moving_all_phases_at_once_passes_through_no_invalid_state(personas, module):
    info, comment, results = phase_ids(module)
    first = {info: (days(0), days(1)), comment: (days(1), days(2)), results: (days(2), days(3))}
    services.schedule_phases(actor=personas.coordinator, module=module, schedule=first)
    shifted = {key: (start + dt.timedelta(days=30), end + dt.timedelta(days=30)) for key, (start, end) in first.items()}
    services.schedule_phases(actor=personas.coordinator, module=module, schedule=shifted)
    assert Phase.objects.get(pk=results).ends_at == days(33)


def test_phases_of_another_module_cannot_be_scheduled_through_this_one(personas, module, fake_type):
    stranger = ModuleFactory(process=module.process)
    foreign = Phase.objects.create(module=stranger, phase_type="information")
    with pytest.raises(ValidationError):
        services.schedule_phases(actor=personas.coordinator, module=module, schedule={foreign.pk: (days(0), days(1))})
    assert Phase.objects.get(pk=foreign.pk).starts_at is None


def test_scheduling_refuses_a_moderator(personas, module):
    with pytest.raises(PermissionDenied):
        services.schedule_phases(actor=personas.moderator, module=module, schedule={})
