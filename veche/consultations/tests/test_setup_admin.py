"""The admin's consultation list: filters by state, shows the set-up flags read-only."""

from __future__ import annotations

import pytest

from veche.consultations.tests.factories import consultation_in

pytestmark = pytest.mark.django_db


def test_admin_lists_and_filters_consultations(client, personas):
    consultation_in(personas.organisation, subject="Open one")
    consultation_in(personas.organisation, subject="Old one", phase="finished")
    client.force_login(personas.superuser)
    page = client.get("/en/admin/consultations/consultation/?state=closed")
    assert page.status_code == 200
    assert b"Old one" in page.content and b"Open one" not in page.content
    consultation = consultation_in(personas.organisation)
    change = client.get(f"/en/admin/consultations/consultation/{consultation.pk}/change/")
    assert change.status_code == 200
    assert b'name="opening_notified_at"' not in change.content  # read-only
