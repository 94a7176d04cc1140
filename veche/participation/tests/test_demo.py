from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from veche.audit.models import AuditEntry
from veche.notifications.models import Notification
from veche.participation.models import Process

pytestmark = pytest.mark.django_db


def test_demo_creates_one_published_process_per_municipality_once(client):
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    mine = ["district-plan-consultation", "riverside-park", "participatory-budget-2027"]
    processes = Process.objects.filter(slug__in=mine).select_related("organisation").order_by("organisation__slug")
    assert [(p.organisation.slug, p.slug) for p in processes] == [
        ("gdynia", "district-plan-consultation"),
        ("kolin", "riverside-park"),
        ("wieliczka", "participatory-budget-2027"),
    ]
    for process in processes:
        assert process.is_published
        assert process.title_cs and process.title_pl and process.title_en
        assert process.summary_cs and process.summary_pl and process.summary_en
    created = AuditEntry.objects.filter(action="participation.process_created", target_id__in=[p.pk for p in processes])
    assert created.count() == 3
    assert Notification.objects.filter(kind__in=["demo.welcome", "participation.process_published"]).count() == 3
    park = processes.get(slug="riverside-park")
    assert park.created_by.email == "coordinator@demo.veche.eu"
    for language in ("cs", "pl", "en"):
        page = client.get(f"/{language}/processes/").content.decode()
        assert getattr(park, f"title_{language}") in page
        detail = client.get(f"/{language}/processes/kolin/riverside-park/")
        assert detail.status_code == 200
