"""The audit log cannot be changed: not through the model, not through querysets, and on PostgreSQL not even with
raw SQL (a trigger)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from veche.audit.models import AuditEntry
from veche.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(personas):
    return record(
        actor=personas.administrator, action="organisations.updated", target=personas.organisation, data={"a": 1}
    )


def test_record_fills_in_the_organisation_and_target(entry, personas):
    stored = AuditEntry.objects.get()
    assert stored.organisation == personas.organisation
    assert stored.target_repr == "Home Town" and stored.target_id == str(personas.organisation.pk)
    assert stored.actor == personas.administrator


def test_saving_an_existing_entry_is_refused(entry):
    entry.action = "forged"
    with pytest.raises(TypeError):
        entry.save()
    assert AuditEntry.objects.get().action == "organisations.updated"


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 1


def test_queryset_update_is_refused(entry):
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")


def test_anonymous_actions_have_no_actor(personas):
    entry = record(actor=personas.anonymous, action="x.y")
    assert entry.actor_id is None and entry.organisation_id is None


on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


@pytest.mark.postgres
@on_postgres
@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_auditentry SET action = 'forged'", "DELETE FROM audit_auditentry"],
)
def test_the_database_refuses_raw_updates_and_deletes(entry, statement):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.get().action == "organisations.updated"


@pytest.mark.postgres
@on_postgres
def test_the_database_still_accepts_new_entries(entry):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditentry (created_at, action, target_id, target_repr, data) "
            "VALUES (now(), 'raw.insert', '', '', '{}')"
        )
    assert AuditEntry.objects.count() == 2
