"""The set-up pages through the client: start, describe (with the readability indicator), timeline with the
confirmation, methods, area, publishing; the consultation page's facts; the generic phase page sends here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from veche.consultations.models import Consultation
from veche.consultations.tests.factories import consultation_in

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"


def url(name, consultation):
    return reverse(f"consultations:{name}", args=[consultation.organisation.slug, consultation.slug])


def start(client, personas, **extra):
    client.force_login(personas.coordinator)
    data = {"subject": "Riverside park", "summary": "We plan a park. Tell us what it needs.", "language": "en", **extra}
    return client.post(reverse("consultations:start", args=[personas.organisation.slug]), data)


def test_coordinator_starts_a_consultation_and_lands_on_the_timeline(client, personas):
    response = start(client, personas)
    consultation = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("timeline", consultation)
    assert client.get(response["Location"]).status_code == 200


def test_a_hard_summary_is_flagged_after_saving(client, personas):
    long = "The " + " ".join(["very"] * 40) + " long sentence."
    response = start(client, personas, summary=long)
    followed = client.get(response["Location"])
    assert b"still hard to read" in followed.content


def test_start_form_shows_errors_and_readability(client, personas):
    response = start(client, personas, summary="")
    assert response.status_code == 200
    assert b"field--invalid" in response.content
    assert not Consultation.objects.exists()
    page = client.get(reverse("consultations:start", args=[personas.organisation.slug]))
    assert b'hx-post="/en/consultations/readability/"' in page.content
    assert b'id="readability"' in page.content


@pytest.mark.parametrize("persona", ["resident", "moderator", "other_administrator"])
def test_others_cannot_start(client, personas, persona):
    client.force_login(personas.get(persona))
    assert client.get(reverse("consultations:start", args=[personas.organisation.slug])).status_code == 403


def test_readability_partial(client):
    long = "The " + " ".join(["very"] * 30) + " long sentence."
    response = client.post(
        reverse("consultations:readability"), {"summary": f"A park. {long}", "language": "en"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"Long sentences" in response.content
    assert b"<html" not in response.content
    czech = client.post(
        reverse("consultations:readability"), {"summary": "Implementace multidisciplinární.", "language": "cs"}
    )
    assert "multidisciplinární".encode() in czech.content
    assert client.post(reverse("consultations:readability"), {"language": "xx"}).status_code == 400


def test_edit_details(client, personas):
    consultation = consultation_in(personas.organisation, published=False)
    client.force_login(personas.coordinator)
    page = client.get(url("edit", consultation))
    assert page.status_code == 200
    response = client.post(
        url("edit", consultation),
        {
            "subject": "New subject",
            "summary": "Short and clear.",
            "language": "en",
            "decision": "",
            "decision_maker": "Council",
            "contact_name": "Jana",
            "contact_email": "jana@example.org",
            "contact_phone": "+420 123",
            "topics": [],
            "target_groups": ["youth", "seniors"],
        },
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.subject == "New subject"
    detail = client.get(consultation.get_absolute_url())
    assert b"Young people" in detail.content and b"jana@example.org" in detail.content


def test_moderators_see_drafts_but_cannot_edit(client, personas):
    consultation = consultation_in(personas.organisation, published=False)
    client.force_login(personas.moderator)
    assert client.get(url("edit", consultation)).status_code == 403
    client.force_login(personas.resident)
    assert client.get(url("edit", consultation)).status_code == 404


def timeline_data(opens, closes, **extra):
    return {
        "announced_at": "",
        "opens_at": opens.strftime(FORMAT),
        "closes_at": closes.strftime(FORMAT),
        "report_due": (closes + dt.timedelta(days=14)).strftime("%Y-%m-%d"),
        **extra,
    }


def test_timeline_short_period_asks_for_confirmation(client, personas):
    consultation = consultation_in(personas.organisation, phase=None, published=False)
    client.force_login(personas.coordinator)
    opens = timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(days=3)
    closes = opens + dt.timedelta(days=7)
    response = client.post(url("timeline", consultation), timeline_data(opens, closes))
    assert response.status_code == 200
    assert b'type="checkbox" name="confirm_short_period"' in response.content
    assert Consultation.objects.get(pk=consultation.pk).opens_at is None
    response = client.post(url("timeline", consultation), timeline_data(opens, closes, confirm_short_period="on"))
    assert response.status_code == 302
    saved = Consultation.objects.get(pk=consultation.pk)
    assert saved.short_period_confirmed and saved.open_days == 7


def test_methods_formset(client, personas):
    consultation = consultation_in(personas.organisation, published=False)
    client.force_login(personas.coordinator)
    assert client.get(url("methods", consultation)).status_code == 200
    data = {
        "methods-TOTAL_FORMS": "2",
        "methods-INITIAL_FORMS": "0",
        "methods-MIN_NUM_FORMS": "0",
        "methods-MAX_NUM_FORMS": "30",
        "methods-0-kind": "public_meeting",
        "methods-0-description": "Open meeting",
        "methods-0-starts_at": "2030-03-03T17:00",
        "methods-0-ends_at": "2030-03-03T19:00",
        "methods-0-place": "Town hall",
        "methods-1-kind": "",
    }
    assert client.post(url("methods", consultation), data).status_code == 302
    method = consultation.methods.get()
    assert (method.kind, method.place) == ("public_meeting", "Town hall")
    data["methods-1-place"] = "Somewhere"
    response = client.post(url("methods", consultation), data)
    assert response.status_code == 200 and b"Choose the method." in response.content
    data.update(
        {"methods-1-kind": "walk", "methods-1-starts_at": "2030-03-03T17:00", "methods-1-ends_at": "2030-03-03T16:00"}
    )
    response = client.post(url("methods", consultation), data)
    assert response.status_code == 200 and b"the end must come after the start" in response.content


def test_area_form_accepts_geojson_and_refuses_junk(client, personas):
    consultation = consultation_in(personas.organisation, published=False)
    client.force_login(personas.coordinator)
    page = client.get(url("area", consultation))
    assert b"data-area-editor" in page.content and b"consultation-area.js" in page.content
    polygon = '{"type":"Polygon","coordinates":[[[15.19,50.02],[15.21,50.02],[15.21,50.04]]]}'
    assert client.post(url("area", consultation), {"area": polygon}).status_code == 302
    consultation.refresh_from_db()
    assert consultation.area["type"] == "Polygon" and round(consultation.latitude, 2) == 50.03
    response = client.post(url("area", consultation), {"area": '{"type":"Point","coordinates":[500,1]}'})
    assert response.status_code == 200 and b"not a valid longitude" in response.content
    detail = client.get(consultation.get_absolute_url())
    assert b"consultation-area-data" in detail.content and b"vendor/leaflet/leaflet.js" in detail.content


def test_publish_and_unpublish(client, personas):
    consultation = consultation_in(personas.organisation, published=False, short_period_confirmed=True)
    client.force_login(personas.coordinator)
    detail = client.get(consultation.get_absolute_url())
    assert b"Publish the consultation" in detail.content
    client.post(url("publish", consultation), {"action": "publish"})
    assert Consultation.objects.get(pk=consultation.pk).module.process.is_published
    client.post(url("publish", consultation), {"action": "unpublish"})
    assert not Consultation.objects.get(pk=consultation.pk).module.process.is_published


def test_unready_consultation_lists_what_is_missing(client, personas):
    consultation = consultation_in(personas.organisation, phase=None, published=False)
    client.force_login(personas.coordinator)
    detail = client.get(consultation.get_absolute_url())
    assert b"Before publishing:" in detail.content
    response = client.post(url("publish", consultation), {"action": "publish"}, follow=True)
    assert b"Set the timeline" in response.content


def test_the_process_edit_page_publishes_only_a_ready_consultation(client, personas):
    """The generic "Published" checkbox runs the consultation's publishing checks (ModuleType.publishing_problems)
    and shows their messages; ADR 0018."""
    consultation = consultation_in(personas.organisation, published=False, summary="")  # 10 days open, unconfirmed
    process = consultation.module.process
    edit = reverse("participation:edit", args=[personas.organisation.slug, process.slug])
    data = {"slug": process.slug, "title_en": process.title_en, "is_published": "on"}
    client.force_login(personas.coordinator)
    refused = client.post(edit, data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["is_published"] == [
        "Consultation: Write the plain-language summary.",
        "Consultation: Confirm the shorter period on the timeline page, or lengthen it.",
    ]
    assert "Confirm the shorter period" in refused.content.decode()
    assert not Consultation.objects.get(pk=consultation.pk).module.process.is_published
    Consultation.objects.filter(pk=consultation.pk).update(summary="We plan a park.", short_period_confirmed=True)
    assert client.post(edit, data).status_code == 302
    assert Consultation.objects.get(pk=consultation.pk).module.process.is_published


def test_generic_phase_page_sends_consultations_to_their_timeline(client, personas):
    consultation = consultation_in(personas.organisation)
    process = consultation.module.process
    client.force_login(personas.coordinator)
    response = client.get(
        reverse("participation:schedule", args=[personas.organisation.slug, process.slug, consultation.module_id])
    )
    assert response.status_code == 302
    assert response["Location"] == url("timeline", consultation)
    posted = client.post(
        reverse("participation:schedule", args=[personas.organisation.slug, process.slug, consultation.module_id]), {}
    )
    assert posted["Location"] == url("timeline", consultation)


def test_consultation_page_facts_follow_and_staff_box(client, personas):
    consultation = consultation_in(personas.organisation, decision_maker="Town council")
    page = client.get(consultation.get_absolute_url())
    assert b"Open now" in page.content and b"Town council" in page.content
    assert b"Sign in to follow" in page.content
    assert b"Set-up" not in page.content
    client.force_login(personas.resident)
    page = client.get(consultation.get_absolute_url())
    assert b"Follow this consultation" in page.content
    client.force_login(personas.coordinator)
    page = client.get(consultation.get_absolute_url())
    assert b"Set-up" in page.content and b"Unpublish" in page.content
