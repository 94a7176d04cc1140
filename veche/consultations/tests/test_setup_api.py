"""The consultations API: list with filters and pagination, one consultation; visibility as on the site."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from veche.consultations.models import ConsultationTargetGroup
from veche.consultations.services.setup import MethodInput, set_methods
from veche.consultations.tests.factories import consultation_in
from veche.core.models import Topic
from veche.core.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/consultations"


def test_list_and_filters(client, personas):
    park = consultation_in(personas.organisation, subject="Riverside park", latitude=50.0, longitude=15.0)
    consultation_in(personas.organisation, subject="Old plan", phase="finished")
    consultation_in(personas.organisation, subject="Hidden draft", published=False)
    park.topics.add(Topic.objects.get(slug="public_space"))
    ConsultationTargetGroup.objects.create(consultation=park, group="youth")
    body = client.get(LIST).json()
    assert body["count"] == 2
    item = next(row for row in body["items"] if row["subject"] == "Riverside park")
    assert item["state"] == "open" and item["topics"] == ["public_space"] and item["target_groups"] == ["youth"]
    assert item["page_url"].endswith(park.get_absolute_url())
    assert [row["subject"] for row in client.get(LIST, {"state": "closed"}).json()["items"]] == ["Old plan"]
    assert [row["subject"] for row in client.get(LIST, {"q": "river"}).json()["items"]] == ["Riverside park"]
    assert client.get(LIST, {"target_group": "youth"}).json()["count"] == 1
    assert client.get(LIST, {"topic": "public_space"}).json()["count"] == 1
    assert client.get(LIST, {"organisation": "other-town"}).json()["count"] == 0
    assert client.get(LIST, {"state": "bogus"}).status_code == 422


def test_staff_see_their_drafts(client, personas):
    consultation_in(personas.organisation, subject="Hidden draft", published=False)
    client.force_login(personas.moderator)
    items = client.get(LIST).json()["items"]
    assert [(row["subject"], row["published"]) for row in items] == [("Hidden draft", False)]


def test_detail(client, personas):
    park = consultation_in(personas.organisation, subject="Riverside park", contact_email="p@example.org")
    set_methods(actor=personas.coordinator, consultation=park, methods=[MethodInput(kind="walk", place="Bridge")])
    body = client.get(f"{LIST}/{park.pk}").json()
    assert body["contact"]["email"] == "p@example.org"
    assert body["methods"][0]["kind"] == "walk" and body["methods"][0]["place"] == "Bridge"
    assert [phase["key"] for phase in body["phases"]] == ["announcement", "open", "analysis"]
    assert body["minimum_days"] == 21
    draft = consultation_in(personas.organisation, published=False)
    assert client.get(f"{LIST}/{draft.pk}").status_code == 404
    assert client.get(f"{LIST}/999999").json()["code"] == "not_found"


def test_list_query_count_does_not_grow(client, personas):
    topic = Topic.objects.first()
    consultation_in(personas.organisation).topics.add(topic)
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _ in range(10):
        consultation_in(OrganisationFactory()).topics.add(topic)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).json()["count"] == 11
    assert len(many) == len(one)
