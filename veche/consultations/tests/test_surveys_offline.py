"""Offline input: staff record contributions from meetings and paper forms (several at once), correct and delete
their own entries while the window is open; everything audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from veche.audit.models import AuditEntry
from veche.consultations.choices import ContributionKind
from veche.consultations.models import Contribution
from veche.consultations.services import offline as services
from veche.consultations.services.offline import OfflineEntry
from veche.consultations.tests.factories import consultation_in, document_for

pytestmark = pytest.mark.django_db


def url(consultation, name, **kwargs):
    return reverse(
        f"consultations:{name}",
        kwargs={"org_slug": consultation.organisation.slug, "slug": consultation.slug, **kwargs},
    )


def entry(**fields):
    fields.setdefault("channel", "meeting")
    fields.setdefault("received_on", timezone.localdate())
    fields.setdefault("text", "A pedestrian crossing by the school.")
    return OfflineEntry(**fields)


def test_moderator_records_a_stack_of_entries_audited(personas):
    consultation = consultation_in(personas.organisation)
    document = document_for(consultation)
    paragraph = document.paragraphs.first()
    created = services.record_offline_contributions(
        actor=personas.moderator,
        consultation=consultation,
        entries=[entry(), entry(channel="paper", author_label="Form 2", paragraph=paragraph.pk)],
    )
    assert len(created) == 2
    stored = Contribution.objects.filter(kind=ContributionKind.OFFLINE).order_by("id")
    assert [item.channel for item in stored] == ["meeting", "paper"]
    assert stored[1].paragraph == paragraph and stored[1].recorded_by == personas.moderator
    assert AuditEntry.objects.filter(action="consultations.offline_recorded").count() == 2


def test_bad_entries_are_named_and_nothing_is_stored(personas):
    consultation = consultation_in(personas.organisation)
    other = document_for(consultation_in(personas.organisation)).paragraphs.first()
    with pytest.raises(ValidationError) as caught:
        services.record_offline_contributions(
            actor=personas.moderator,
            consultation=consultation,
            entries=[
                entry(),
                entry(channel="online"),
                entry(received_on=timezone.localdate() + timedelta(days=2), text=" "),
                entry(paragraph=other.pk),
            ],
        )
    messages = caught.value.messages
    assert [message.split(":")[0] for message in messages] == ["Entry 2", "Entry 3", "Entry 4"]
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("persona", ["anonymous", "resident", "member", "expert", "other_administrator"])
def test_only_moderators_and_up_record(personas, persona):
    consultation = consultation_in(personas.organisation)
    with pytest.raises(PermissionDenied):
        services.record_offline_contributions(actor=personas.get(persona), consultation=consultation, entries=[entry()])


def test_recording_closes_when_the_report_is_published_even_for_superusers(personas):
    consultation = consultation_in(personas.organisation, phase="finished")
    services.record_offline_contributions(actor=personas.moderator, consultation=consultation, entries=[entry()])
    consultation.report_published_at = timezone.now()
    consultation.save()
    with pytest.raises((PermissionDenied, ValidationError)):
        services.record_offline_contributions(actor=personas.superuser, consultation=consultation, entries=[entry()])


def test_own_entries_are_corrected_and_deleted(personas):
    consultation = consultation_in(personas.organisation)
    (item,) = services.record_offline_contributions(
        actor=personas.moderator, consultation=consultation, entries=[entry()]
    )
    item.consultation = consultation
    services.update_offline_contribution(
        actor=personas.moderator, contribution=item, entry=entry(text="Corrected", channel="walk")
    )
    item.refresh_from_db()
    assert (item.text, item.channel) == ("Corrected", "walk")
    other_moderator = personas.moderator.__class__.objects.create(email="mod2@example.org")
    from veche.core.testing.factories import RoleFactory

    RoleFactory(organisation=personas.organisation, kind="moderator", user=other_moderator)
    item.consultation = consultation
    with pytest.raises(PermissionDenied):
        services.delete_offline_contribution(actor=other_moderator, contribution=item)
    services.delete_offline_contribution(actor=personas.coordinator, contribution=item)
    assert not Contribution.objects.exists()
    assert AuditEntry.objects.filter(action="consultations.offline_deleted").exists()


def test_staff_pages_record_several_and_list_them(client, personas):
    consultation = consultation_in(personas.organisation)
    client.force_login(personas.moderator)
    add = url(consultation, "offline_add")
    page = client.get(add, {"channel": "paper", "rows": 3})
    assert page.status_code == 200
    today = timezone.localdate().isoformat()
    data = {
        "entries-TOTAL_FORMS": "3",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "50",
    }
    for index in range(3):
        data[f"entries-{index}-channel"] = "paper"
        data[f"entries-{index}-received_on"] = today
    data["entries-0-text"] = "Benches for older people."
    data["entries-1-text"] = "A drinking fountain."
    response = client.post(add, data)
    assert response.status_code == 302
    assert Contribution.objects.filter(kind=ContributionKind.OFFLINE, channel="paper").count() == 2
    listing = client.get(url(consultation, "offline_list"))
    assert b"A drinking fountain." in listing.content
    item = Contribution.objects.first()
    assert client.get(url(consultation, "offline_edit", contribution_id=item.pk)).status_code == 200
    assert client.get(url(consultation, "offline_delete", contribution_id=item.pk)).status_code == 200
    empty = {key: value for key, value in data.items() if "text" not in key}
    assert b"Fill in at least one contribution." in client.post(add, empty).content


def test_offline_pages_are_for_staff(client, personas):
    consultation = consultation_in(personas.organisation)
    client.force_login(personas.resident)
    assert client.get(url(consultation, "offline_list")).status_code == 403
    assert client.get(url(consultation, "offline_add")).status_code == 403


def test_offline_list_query_count_does_not_grow(client, personas):
    consultation = consultation_in(personas.organisation)
    services.record_offline_contributions(actor=personas.moderator, consultation=consultation, entries=[entry()])
    client.force_login(personas.moderator)
    with CaptureQueriesContext(connection) as small:
        client.get(url(consultation, "offline_list"))
    services.record_offline_contributions(
        actor=personas.coordinator, consultation=consultation, entries=[entry() for _ in range(10)]
    )
    with CaptureQueriesContext(connection) as big:
        client.get(url(consultation, "offline_list"))
    assert len(big) == len(small)


def test_an_answered_entry_can_no_longer_change(personas):
    from veche.consultations.models import OfficialResponse, Theme, ThemeMember

    consultation = consultation_in(personas.organisation, phase="analysis")
    first, second = services.record_offline_contributions(
        actor=personas.moderator, consultation=consultation, entries=[entry(), entry(text="Second")]
    )
    OfficialResponse.objects.create(
        consultation=consultation, contribution=first, outcome="accepted", justification="We will."
    )
    theme = Theme.objects.create(consultation=consultation, title="Crossings")
    ThemeMember.objects.create(theme=theme, contribution=second)
    assert services.has_official_response(first)
    assert not services.has_official_response(second)
    OfficialResponse.objects.create(consultation=consultation, theme=theme, outcome="partly", justification="Some.")
    for item in (first, second):
        item.consultation = consultation
        assert services.has_official_response(item)
        with pytest.raises(ValidationError, match="official response"):
            services.update_offline_contribution(actor=personas.moderator, contribution=item, entry=entry())
        with pytest.raises(ValidationError):
            services.delete_offline_contribution(actor=personas.moderator, contribution=item)
