"""The admin changes processes only through the services (permission, audit) and shows modules and phases read-only."""

from __future__ import annotations

import pytest

from veche.audit.models import AuditEntry
from veche.participation.models import Process
from veche.participation.tests.factories import ModuleFactory, PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.superuser)
    return client


def test_pages_answer(admin_client, personas, fake_type):
    module = ModuleFactory(process=ProcessFactory(organisation=personas.organisation))
    phase = PhaseFactory(module=module)
    for path in (
        "/en/admin/participation/process/",
        f"/en/admin/participation/process/{module.process_id}/change/",
        "/en/admin/participation/module/",
        f"/en/admin/participation/module/{module.pk}/change/",
        "/en/admin/participation/phase/",
        f"/en/admin/participation/phase/{phase.pk}/change/",
    ):
        assert admin_client.get(path).status_code == 200, path
    assert admin_client.get("/en/admin/participation/process/add/").status_code == 403
    assert admin_client.get("/en/admin/participation/module/add/").status_code == 403


def test_saving_a_process_goes_through_the_service(admin_client, personas):
    process = ProcessFactory(organisation=personas.organisation, slug="old", title_en="Old")
    response = admin_client.post(
        f"/en/admin/participation/process/{process.pk}/change/",
        {
            "title_cs": "",
            "title_pl": "",
            "title_en": "New",
            "summary_cs": "",
            "summary_pl": "",
            "summary_en": "",
            "slug": "new",
            "modules-TOTAL_FORMS": "0",
            "modules-INITIAL_FORMS": "0",
            "modules-MIN_NUM_FORMS": "0",
            "modules-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    process.refresh_from_db()
    assert (process.slug, process.title_en) == ("new", "New")
    entry = AuditEntry.objects.get()
    assert entry.action == "participation.process_updated" and entry.actor == personas.superuser


def test_publish_action_uses_the_service(admin_client, personas):
    process = ProcessFactory(organisation=personas.organisation, is_published=False)
    admin_client.post("/en/admin/participation/process/", {"action": "publish", "_selected_action": [process.pk]})
    assert Process.objects.get().is_published
    assert AuditEntry.objects.get().action == "participation.process_published"


def test_a_taken_slug_is_a_form_error(admin_client, personas):
    ProcessFactory(organisation=personas.organisation, slug="taken")
    process = ProcessFactory(organisation=personas.organisation, slug="mine")
    response = admin_client.post(
        f"/en/admin/participation/process/{process.pk}/change/",
        {"title_en": "X", "slug": "taken", "modules-TOTAL_FORMS": "0", "modules-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert "already has a process with this address" in response.content.decode()
    assert Process.objects.get(pk=process.pk).slug == "mine"
