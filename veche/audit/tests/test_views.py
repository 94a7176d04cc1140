"""The organisation's audit log page: who may see it, filters, pagination, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from veche.audit.services import record
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_staff_two_factor(settings):
    settings.VECHE_REQUIRE_STAFF_2FA = False


def log_url(organisation) -> str:
    return f"/en/audit/{organisation.slug}/"


def write(personas, count: int = 1, *, actor=None, action: str = "organisations.updated", organisation=None):
    for index in range(count):
        record(
            actor=actor or personas.administrator,
            action=action,
            target=organisation or personas.organisation,
            data={"fields": ["name_en", f"n{index}"], "note": None},
        )


def test_anonymous_is_sent_to_sign_in(client, personas):
    response = client.get(log_url(personas.organisation))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 403),
        ("member", 403),
        ("moderator", 403),
        ("other_administrator", 403),
        ("coordinator", 200),
        ("administrator", 200),
        ("superuser", 200),
    ],
)
def test_who_may_read_the_log(client, personas, persona, status):
    client.force_login(personas.get(persona))
    assert client.get(log_url(personas.organisation)).status_code == status


def test_unknown_or_hidden_organisation_is_404(client, personas):
    client.force_login(personas.coordinator)
    assert client.get("/en/audit/nowhere/").status_code == 404
    personas.other_organisation.is_published = False
    personas.other_organisation.save()
    assert client.get(log_url(personas.other_organisation)).status_code == 404


def test_the_log_shows_only_this_organisations_entries_with_labels(client, personas):
    write(personas)
    write(personas, actor=personas.other_administrator, organisation=personas.other_organisation)
    client.force_login(personas.coordinator)
    page = client.get(log_url(personas.organisation)).content.decode()
    assert "Organisation updated" in page
    assert "fields: name_en, n0" in page and "note: —" in page
    assert "Other Town" not in page
    assert personas.administrator.public_name in page


def test_filters_by_action_and_person(client, personas):
    write(personas)
    write(personas, actor=personas.coordinator, action="participation.process_created")
    client.force_login(personas.administrator)
    by_action = client.get(log_url(personas.organisation), {"action": "participation.process_created"})
    assert by_action.content.decode().count("<tr>") == 2  # header + one entry
    by_person = client.get(log_url(personas.organisation), {"person": personas.administrator.pk})
    assert "Organisation updated" in by_person.content.decode()
    assert "Process created</td>" not in by_person.content.decode()
    nobody = client.get(log_url(personas.organisation), {"person": 999999, "action": "bogus"})
    assert nobody.status_code == 200 and 'aria-invalid="true"' in nobody.content.decode()


def test_empty_log_has_an_empty_state(client, personas):
    client.force_login(personas.administrator)
    assert "Nothing recorded yet" in client.get(log_url(personas.organisation)).content.decode()


def test_paginates(client, personas):
    write(personas, 55)
    client.force_login(personas.administrator)
    first = client.get(log_url(personas.organisation)).content.decode()
    second = client.get(log_url(personas.organisation), {"page": 2}).content.decode()
    assert first.count("<tr>") == 51 and second.count("<tr>") == 6


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_query_count_does_not_grow(client, personas):
    client.force_login(personas.administrator)
    write(personas)
    one = count_queries(client, log_url(personas.organisation))
    for _index in range(5):
        write(personas, 4, actor=UserFactory(), action="participation.process_updated")
    assert count_queries(client, log_url(personas.organisation)) == one
