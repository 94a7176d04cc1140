from __future__ import annotations

import pytest

from veche.accounts.personal_data import exporters
from veche.audit.models import AuditEntry
from veche.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_staff_two_factor(settings):
    settings.VECHE_REQUIRE_STAFF_2FA = False


def test_admin_lists_and_shows_but_cannot_change(client, personas):
    entry = record(actor=personas.administrator, action="organisations.updated", target=personas.organisation)
    client.force_login(personas.superuser)
    assert client.get("/en/admin/audit/auditentry/").status_code == 200
    detail = client.get(f"/en/admin/audit/auditentry/{entry.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.get("/en/admin/audit/auditentry/add/").status_code == 403
    assert client.post(f"/en/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.count() == 1


def test_personal_data_export_lists_what_the_person_did(personas):
    record(actor=personas.administrator, action="organisations.updated", target=personas.organisation, data={"x": 1})
    record(actor=personas.coordinator, action="organisations.updated", target=personas.organisation)
    exported = exporters()["audit_log"](personas.administrator)
    assert len(exported) == 1
    assert exported[0]["action"] == "organisations.updated"
    assert exported[0]["organisation"] == "home-town" and exported[0]["details"] == {"x": 1}
