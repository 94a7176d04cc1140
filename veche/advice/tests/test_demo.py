"""The advice demo: two requests of a member municipality in different states, made through the services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from veche.advice.models import AdviceRequest

pytestmark = pytest.mark.django_db


def test_demo_advice(client):
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())  # idempotent
    requests = list(AdviceRequest.objects.order_by("status").select_related("network", "requester_organisation"))
    assert [item.status for item in requests] == ["closed", "in_progress"]
    closed, working = requests
    assert closed.rating == 5 and closed.summary and closed.messages.count() == 2
    assert working.expert_id and working.messages.count() == 3
    assert working.requester_organisation.kind == "municipality"
    assert working.age_days() == 9 and working.idle_days() == 2
    client.force_login(working.requested_by)
    assert client.get(working.get_absolute_url()).status_code == 200
