"""The process pages through the test client, by persona: 404 for what one may not see, 403 for what one may see
but not change, forms that report errors and save through the services, and query counts that do not grow."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veche.audit.models import AuditEntry
from veche.core.testing.factories import OrganisationFactory
from veche.participation.models import Module, Phase, Process
from veche.participation.tests.factories import ModuleFactory, PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2027, 5, 1, 10, 0, tzinfo=dt.UTC)


def url(name: str, process: Process | None = None, *args: object, lang: str = "en") -> str:
    from django.utils import translation

    with translation.override(lang):
        if process is None:
            return reverse(f"participation:{name}", args=args)
        return reverse(f"participation:{name}", args=[process.organisation.slug, process.slug, *args])


def signed_in(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


def timeline_process(organisation, *, published: bool = True, title: str = "Riverside park") -> Process:
    process = ProcessFactory(organisation=organisation, is_published=published, title_en=title)
    module = ModuleFactory(process=process, title_en="Consultation on the park")
    PhaseFactory(module=module, phase_type="information", weight=0, starts_at=NOW, ends_at=NOW + dt.timedelta(days=7))
    PhaseFactory(
        module=module,
        phase_type="commenting",
        weight=1,
        starts_at=NOW + dt.timedelta(days=7),
        ends_at=NOW + dt.timedelta(days=14),
    )
    PhaseFactory(module=module, phase_type="results", weight=2)
    return process


# --- list ----------------------------------------------------------------------------------------------------------
def test_list_shows_published_processes_and_hides_drafts_from_the_public(client, personas):
    ProcessFactory(organisation=personas.organisation, title_en="Open budget")
    ProcessFactory(organisation=personas.organisation, title_en="Secret draft", is_published=False)
    page = client.get(url("list")).content.decode()
    assert "Open budget" in page and "Secret draft" not in page
    staff_page = signed_in(client, personas.moderator).get(url("list")).content.decode()
    assert "Secret draft" in staff_page and "Draft" in staff_page


def test_list_filters_by_organisation_and_state(client, personas, fake_type):
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        timeline_process(personas.organisation, title="Running now")
        ProcessFactory(organisation=personas.other_organisation, title_en="Elsewhere")
        by_org = client.get(url("list"), {"organisation": personas.other_organisation.slug}).content.decode()
        assert "Elsewhere" in by_org and "Running now" not in by_org
        active = client.get(url("list"), {"state": "active"}).content.decode()
        assert "Running now" in active and "Elsewhere" not in active
        finished = client.get(url("list"), {"state": "finished"}).content.decode()
        assert "Running now" not in finished and "No process matches these filters" in finished


def test_list_reports_bad_filter_values_instead_of_failing(client, personas):
    ProcessFactory(organisation=personas.organisation, title_en="Open budget")
    response = client.get(url("list"), {"organisation": "no-such-town", "state": "sideways", "page": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Open budget" in page and 'aria-invalid="true"' in page


def test_list_empty_state(client, db):
    page = client.get(url("list")).content.decode()
    assert "No processes yet" in page


def test_list_paginates(client, personas):
    for index in range(14):
        ProcessFactory(organisation=personas.organisation, title_en=f"Process number {index}")
    first = client.get(url("list")).content.decode()
    second = client.get(url("list"), {"page": 2}).content.decode()
    assert first.count("Process number") == 12 and second.count("Process number") == 2
    assert 'rel="next"' in first


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["anonymous", "coordinator"])
def test_list_query_count_does_not_grow(client, personas, fake_type, persona):
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        signed_in(client, personas.get(persona))
        timeline_process(personas.organisation)
        one = count_queries(client, url("list"))
        for index in range(8):
            organisation = OrganisationFactory()
            timeline_process(organisation, title=f"Many {index}", published=index % 2 == 0)
        assert count_queries(client, url("list")) == one
        assert count_queries(client, url("list") + "?state=active") == one + 1
        assert one <= 10


# --- detail --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "published", "status"),
    [
        ("anonymous", True, 200),
        ("resident", True, 200),
        ("anonymous", False, 404),
        ("resident", False, 404),
        ("member", False, 404),
        ("other_administrator", False, 404),
        ("moderator", False, 200),
        ("coordinator", False, 200),
        ("superuser", False, 200),
    ],
)
def test_detail_visibility(client, personas, persona, published, status):
    process = ProcessFactory(organisation=personas.organisation, is_published=published)
    assert signed_in(client, personas.get(persona)).get(url("detail", process)).status_code == status


def test_detail_is_404_for_a_process_of_another_organisation_address(client, personas):
    process = ProcessFactory(organisation=personas.organisation)
    wrong = reverse("participation:detail", args=[personas.other_organisation.slug, process.slug])
    assert client.get(wrong).status_code == 404


def test_detail_shows_the_timeline_with_states_and_machine_readable_dates(client, personas, fake_type):
    process = timeline_process(personas.organisation)
    with time_machine.travel(NOW + dt.timedelta(days=8), tick=False):
        page = client.get(url("detail", process)).content.decode()
    assert "Consultation on the park" in page
    timeline = page[page.index("Timeline") :]
    assert timeline.index("Information") < timeline.index("Commenting") < timeline.index("Results")
    assert 'aria-current="step"' in page and "Now: <strong>Commenting</strong>" in page
    assert "Finished" in page and "Under way" in page and "Dates not set yet" in page
    assert '<time datetime="2027-05-08T12:00:00+02:00">' in page
    assert "Edit process" not in page


def test_detail_dates_follow_the_readers_locale(client, personas, fake_type):
    process = timeline_process(personas.organisation)
    english = client.get(url("detail", process, lang="en")).content.decode()
    czech = client.get(url("detail", process, lang="cs")).content.decode()
    assert "May 1, 2027" in english
    assert "1. května 2027" in czech


def test_detail_without_modules_has_an_empty_state_and_staff_actions(client, personas):
    process = ProcessFactory(organisation=personas.organisation)
    public = client.get(url("detail", process)).content.decode()
    assert "Nothing to take part in yet" in public and "Add a module" not in public
    staff = signed_in(client, personas.coordinator).get(url("detail", process)).content.decode()
    assert "Edit process" in staff and url("add_module", process) in staff


def test_detail_query_count_does_not_grow(client, personas, fake_type):
    process = timeline_process(personas.organisation)
    one = count_queries(client, url("detail", process))
    for _index in range(5):
        module = ModuleFactory(process=process)
        PhaseFactory(module=module, phase_type="information")
        PhaseFactory(module=module, phase_type="commenting")
    assert count_queries(client, url("detail", process)) == one


# --- create --------------------------------------------------------------------------------------------------------
def create_url(organisation) -> str:
    return url("create", None, organisation.slug)


def test_create_requires_sign_in(client, personas):
    response = client.get(create_url(personas.organisation))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("resident", 403), ("moderator", 403), ("other_administrator", 403), ("coordinator", 200), ("administrator", 200)],
)
def test_create_page_by_persona(client, personas, persona, status):
    response = signed_in(client, personas.get(persona)).get(create_url(personas.organisation))
    assert response.status_code == status


def test_create_for_an_unknown_organisation_is_404(client, personas):
    signed_in(client, personas.superuser)
    assert client.get(url("create", None, "nowhere")).status_code == 404


def test_create_saves_through_the_service(client, personas):
    signed_in(client, personas.coordinator)
    data = {"title_cs": "Rozpočet", "title_pl": "", "title_en": "Budget 2027", "summary_en": "Vote on projects."}
    response = client.post(create_url(personas.organisation), data)
    process = Process.objects.get()
    assert response.status_code == 302 and response["Location"] == process.get_absolute_url()
    assert (process.slug, process.title_cs, process.is_published) == ("rozpocet", "Rozpočet", False)
    assert AuditEntry.objects.filter(action="participation.process_created").exists()


def test_create_shows_field_errors_and_saves_nothing(client, personas):
    ProcessFactory(organisation=personas.organisation, slug="taken")
    signed_in(client, personas.coordinator)
    response = client.post(create_url(personas.organisation), {"title_en": ""})
    assert response.status_code == 200
    assert "Give a title in at least one language." in response.content.decode()
    response = client.post(create_url(personas.organisation), {"title_en": "X", "slug": "taken"})
    assert "already has a process with this address" in response.content.decode()
    assert Process.objects.count() == 1


# --- edit ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "published", "status"),
    [
        ("resident", False, 404),
        ("other_administrator", False, 404),
        ("resident", True, 403),
        ("moderator", True, 403),
        ("moderator", False, 403),
        ("coordinator", False, 200),
    ],
)
def test_edit_page_by_persona(client, personas, persona, published, status):
    process = ProcessFactory(organisation=personas.organisation, is_published=published)
    assert signed_in(client, personas.get(persona)).get(url("edit", process)).status_code == status


def test_edit_changes_texts_and_publishes_in_one_go(client, personas):
    process = ProcessFactory(organisation=personas.organisation, is_published=False, slug="old")
    signed_in(client, personas.administrator)
    data = {"slug": "new", "title_en": "New title", "title_pl": "Nowy tytuł", "is_published": "on"}
    response = client.post(url("edit", process), data)
    process.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == process.get_absolute_url()
    assert (process.slug, process.title_pl, process.is_published) == ("new", "Nowy tytuł", True)
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "participation.process_updated",
        "participation.process_published",
    }


def test_edit_with_a_taken_slug_changes_nothing(client, personas):
    ProcessFactory(organisation=personas.organisation, slug="taken")
    process = ProcessFactory(organisation=personas.organisation, is_published=False, slug="mine", title_en="Mine")
    signed_in(client, personas.administrator)
    response = client.post(url("edit", process), {"slug": "taken", "title_en": "Renamed", "is_published": "on"})
    assert response.status_code == 200
    process.refresh_from_db()
    assert (process.slug, process.title_en, process.is_published) == ("mine", "Mine", False)
    assert not AuditEntry.objects.exists()


# --- modules and phases --------------------------------------------------------------------------------------------
def test_add_module_without_registered_types_explains_why(client, personas, monkeypatch):
    from veche.participation import registry

    monkeypatch.setattr(registry, "_registry", {})
    process = ProcessFactory(organisation=personas.organisation)
    page = signed_in(client, personas.coordinator).get(url("add_module", process)).content.decode()
    assert "No kinds of module are installed yet" in page and "<form" not in page.split("<main", 1)[1]


def test_add_module_offers_registered_types_and_adds_one(client, personas, fake_type):
    process = ProcessFactory(organisation=personas.organisation)
    signed_in(client, personas.coordinator)
    page = client.get(url("add_module", process)).content.decode()
    assert "Fake consultation" in page and "Information → Commenting → Results" in page
    response = client.post(url("add_module", process), {"module_type": fake_type.key})
    module = Module.objects.get()
    assert response["Location"] == url("schedule", process, module.pk)
    assert module.phases.count() == 3


def test_add_module_refuses_a_bad_choice(client, personas, fake_type):
    process = ProcessFactory(organisation=personas.organisation)
    response = signed_in(client, personas.coordinator).post(url("add_module", process), {"module_type": "nope"})
    assert response.status_code == 200 and not Module.objects.exists()


def test_add_module_is_forbidden_to_moderators(client, personas, fake_type):
    process = ProcessFactory(organisation=personas.organisation)
    response = signed_in(client, personas.moderator).post(url("add_module", process), {"module_type": fake_type.key})
    assert response.status_code == 403 and not Module.objects.exists()


def formset_data(phases: list[Phase], dates: list[tuple[str, str]]) -> dict[str, str]:
    data = {
        "phases-TOTAL_FORMS": str(len(phases)),
        "phases-INITIAL_FORMS": str(len(phases)),
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "1000",
    }
    for index, (phase, (start, end)) in enumerate(zip(phases, dates, strict=True)):
        data |= {
            f"phases-{index}-phase": str(phase.pk),
            f"phases-{index}-starts_at": start,
            f"phases-{index}-ends_at": end,
        }
    return data


@pytest.fixture
def module(personas, fake_type):
    process = ProcessFactory(organisation=personas.organisation)
    module = ModuleFactory(process=process)
    for weight, key in enumerate(("information", "commenting", "results")):
        PhaseFactory(module=module, phase_type=key, weight=weight)
    return module


def test_schedule_page_saves_valid_dates(client, personas, module):
    process = module.process
    phases = list(module.phases.all())
    signed_in(client, personas.coordinator)
    assert client.get(url("schedule", process, module.pk)).status_code == 200
    dates = [("2027-05-01T10:00", "2027-05-08T10:00"), ("2027-05-08T10:00", "2027-05-22T10:00"), ("", "")]
    response = client.post(url("schedule", process, module.pk), formset_data(phases, dates))
    assert response.status_code == 302
    stored = Phase.objects.get(pk=phases[1].pk)
    assert stored.starts_at == dt.datetime(2027, 5, 8, 8, 0, tzinfo=dt.UTC)  # 10:00 in Prague, summer time


def test_schedule_page_reports_overlaps_and_half_dates(client, personas, module):
    process = module.process
    phases = list(module.phases.all())
    signed_in(client, personas.coordinator)
    overlapping = [("2027-05-01T10:00", "2027-05-09T10:00"), ("2027-05-08T10:00", "2027-05-22T10:00"), ("", "")]
    page = client.post(url("schedule", process, module.pk), formset_data(phases, overlapping)).content.decode()
    assert "Commenting overlaps Information." in page
    half = [("2027-05-01T10:00", ""), ("", ""), ("", "")]
    page = client.post(url("schedule", process, module.pk), formset_data(phases, half)).content.decode()
    assert "Give both a start and an end" in page
    garbage = [("yesterday", "2027-05-01T10:00"), ("", ""), ("", "")]
    assert client.post(url("schedule", process, module.pk), formset_data(phases, garbage)).status_code == 200
    assert not Phase.objects.filter(starts_at__isnull=False).exists()


def test_schedule_refuses_a_tampered_phase_list(client, personas, module):
    process = module.process
    phases = list(module.phases.all())
    data = formset_data(phases, [("", "")] * 3)
    data["phases-0-phase"] = "999999"
    page = signed_in(client, personas.coordinator).post(url("schedule", process, module.pk), data).content.decode()
    assert "reload the page" in page


def test_schedule_of_a_module_of_another_process_is_404(client, personas, module):
    other = ProcessFactory(organisation=personas.organisation)
    signed_in(client, personas.coordinator)
    assert client.get(url("schedule", other, module.pk)).status_code == 404


def test_delete_module_confirms_then_deletes(client, personas, module):
    process = module.process
    signed_in(client, personas.administrator)
    page = client.get(url("delete_module", process, module.pk)).content.decode()
    assert "cannot be undone" in page
    response = client.post(url("delete_module", process, module.pk))
    assert response.status_code == 302 and not Module.objects.exists()


# --- the include for the organisation page ------------------------------------------------------------------------
def render_organisation_processes(organisation, user, can_add: bool) -> str:
    from django.template.loader import render_to_string

    processes = Process.objects.visible_to(user).filter(organisation=organisation).for_list_page()
    return render_to_string(
        "participation/_organisation_processes.html",
        {"processes": processes, "organisation": organisation, "can_add_process": can_add},
    )


def test_organisation_include_lists_processes_and_offers_creation_to_staff(personas):
    ProcessFactory(organisation=personas.organisation, title_en="Open budget")
    ProcessFactory(organisation=personas.organisation, title_en="Secret draft", is_published=False)
    public = render_organisation_processes(personas.organisation, personas.anonymous, can_add=False)
    assert "Open budget" in public and "Secret draft" not in public and "New process" not in public
    staff = render_organisation_processes(personas.organisation, personas.coordinator, can_add=True)
    assert "Secret draft" in staff and url("create", None, personas.organisation.slug) in staff


def test_organisation_include_empty_state(personas):
    html = render_organisation_processes(personas.organisation, personas.anonymous, can_add=False)
    assert "No processes yet" in html


def test_list_offers_organisations_sorted_by_the_name_the_reader_sees(client, db):
    zlin = OrganisationFactory(name_en="", name_cs="Zlín")
    cieszyn = OrganisationFactory(name_en="", name_cs="")
    cieszyn.__class__.objects.filter(pk=cieszyn.pk).update(name_en="", name_cs="", name_pl="Cieszyn")
    brno = OrganisationFactory(name_en="", name_cs="Brno")
    for organisation in (zlin, cieszyn, brno):
        ProcessFactory(organisation=organisation)
    choices = client.get(url("list", lang="cs")).context["form"].fields["organisation"].choices
    assert [label for _slug, label in choices[1:]] == ["Brno", "Cieszyn", "Zlín"]


def test_publishing_from_the_edit_page_runs_the_module_types_checks(client, personas):
    """ModuleType.publishing_problems: while a module is not ready the process stays a draft, the texts are not
    saved either, and the module's messages are shown on the "Published" field; once ready, it publishes."""
    from dataclasses import replace

    from veche.participation.registry import registered_for_test
    from veche.participation.tests.factories import FAKE_TYPE

    problems = ["Write the summary.", "Set the dates."]
    checked = replace(FAKE_TYPE, key="checked_type", publishing_problems=lambda module: list(problems))
    process = ProcessFactory(organisation=personas.organisation, is_published=False, slug="draft", title_en="Draft")
    ModuleFactory(process=process, module_type=checked.key, title_en="Survey of the park")
    signed_in(client, personas.coordinator)
    data = {"slug": "draft", "title_en": "Renamed", "is_published": "on"}
    with registered_for_test(checked):
        refused = client.post(url("edit", process), data)
        assert refused.status_code == 200
        assert refused.context["form"].errors["is_published"] == [
            "Survey of the park: Write the summary.",
            "Survey of the park: Set the dates.",
        ]
        assert "Survey of the park: Set the dates." in refused.content.decode()
        process.refresh_from_db()
        assert (process.title_en, process.is_published) == ("Draft", False)
        assert not AuditEntry.objects.exists()

        problems.clear()
        assert client.post(url("edit", process), data).status_code == 302
        process.refresh_from_db()
        assert (process.title_en, process.is_published) == ("Renamed", True)
        problems.append("Write the summary.")  # an already published process is not checked again
        assert client.post(url("edit", process), {**data, "title_en": "Renamed again"}).status_code == 302
