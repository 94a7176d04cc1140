"""Setting a consultation up: description, timeline with the standard's minimum length, methods, area, publishing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from veche.audit.models import AuditEntry
from veche.consultations.choices import MethodKind, TargetGroup
from veche.consultations.geo import parse_area
from veche.consultations.models import Consultation
from veche.consultations.module import COMMENT, RESPOND
from veche.consultations.services import setup
from veche.consultations.services.setup import MethodInput
from veche.consultations.tests.factories import consultation_in
from veche.core.models import Topic

pytestmark = pytest.mark.django_db


def fresh(consultation):
    return Consultation.objects.for_detail_page().get(pk=consultation.pk)


def draft(personas):
    return fresh(
        setup.start_consultation(
            actor=personas.coordinator,
            organisation=personas.organisation,
            subject="Riverside park",
            summary="We plan a park. Tell us what it should have.",
            language="en",
            decision="The council approves the design.",
            decision_maker="Town council",
        )
    )


def days(n, *, start=None):
    start = start or (timezone.now() + dt.timedelta(days=2)).replace(microsecond=0)
    return start, start + dt.timedelta(days=n)


def test_start_creates_a_draft_with_decision(personas):
    consultation = draft(personas)
    assert consultation.decision_maker == "Town council"
    assert not consultation.module.process.is_published
    assert AuditEntry.objects.filter(action="consultations.consultation_created").exists()


@pytest.mark.parametrize("persona", ["resident", "moderator", "other_administrator", "anonymous"])
def test_only_coordinators_start_consultations(personas, persona):
    with pytest.raises(PermissionDenied):
        setup.start_consultation(
            actor=personas.get(persona), organisation=personas.organisation, subject="S", summary="T", language="en"
        )


def test_update_details_topics_and_groups(personas):
    consultation = draft(personas)
    topics = list(Topic.objects.all()[:2])
    setup.update_details(
        actor=personas.coordinator,
        consultation=consultation,
        values={"subject": "Park by the Elbe", "contact_email": "park@example.org"},
        topics=topics,
        target_groups=[TargetGroup.YOUTH, TargetGroup.SENIORS],
    )
    consultation = fresh(consultation)
    assert consultation.subject == "Park by the Elbe"
    assert set(consultation.topics.all()) == set(topics)
    assert {row.group for row in consultation.target_groups.all()} == {"youth", "seniors"}
    entry = AuditEntry.objects.filter(action="consultations.consultation_updated").latest("pk")
    assert entry.data["fields"] == ["subject", "contact_email", "topics", "target_groups"]
    setup.update_details(actor=personas.coordinator, consultation=consultation, values={}, target_groups=["youth"])
    assert [row.group for row in fresh(consultation).target_groups.all()] == ["youth"]


def test_summary_and_subject_stay_required(personas):
    consultation = draft(personas)
    with pytest.raises(ValidationError) as caught:
        setup.update_details(
            actor=personas.coordinator, consultation=consultation, values={"summary": "  ", "subject": ""}
        )
    assert set(caught.value.message_dict) == {"summary", "subject"}


def test_moderators_cannot_change_the_description(personas):
    consultation = draft(personas)
    with pytest.raises(PermissionDenied):
        setup.update_details(actor=personas.moderator, consultation=consultation, values={"subject": "x"})


def test_timeline_is_mirrored_into_the_phases(personas):
    consultation = draft(personas)
    opens, closes = days(30)
    announced = opens - dt.timedelta(days=7)
    due = (closes + dt.timedelta(days=20)).date()
    setup.set_timeline(
        actor=personas.coordinator,
        consultation=consultation,
        announced_at=announced,
        opens_at=opens,
        closes_at=closes,
        report_due=due,
    )
    consultation = fresh(consultation)
    phases = {phase.phase_type: (phase.starts_at, phase.ends_at) for phase in consultation.module.phases.all()}
    assert phases["announcement"] == (announced, opens)
    assert phases["open"] == (opens, closes)
    assert phases["analysis"][0] == closes
    assert timezone.localtime(phases["analysis"][1]).date() == due + dt.timedelta(days=1)
    assert not consultation.module.allows(COMMENT)
    assert consultation.module.allows(COMMENT, opens + dt.timedelta(hours=1))
    assert consultation.module.allows(RESPOND, closes + dt.timedelta(days=1))


def test_a_short_consultation_needs_confirmation_and_again_when_its_dates_change(personas):
    consultation = draft(personas)
    assert setup.minimum_days(consultation) == 21
    opens, closes = days(10)
    due = (closes + dt.timedelta(days=30)).date()
    with pytest.raises(ValidationError) as caught:
        setup.set_timeline(
            actor=personas.coordinator,
            consultation=consultation,
            announced_at=None,
            opens_at=opens,
            closes_at=closes,
            report_due=due,
        )
    assert "confirm_short_period" in caught.value.message_dict
    assert caught.value.error_dict["confirm_short_period"][0].code == "short_period"
    assert "10" in caught.value.message_dict["confirm_short_period"][0]
    setup.set_timeline(
        actor=personas.coordinator,
        consultation=consultation,
        announced_at=None,
        opens_at=opens,
        closes_at=closes,
        report_due=due,
        confirm_short_period=True,
    )
    consultation = fresh(consultation)
    assert consultation.short_period_confirmed
    assert AuditEntry.objects.filter(action="consultations.short_period_confirmed").count() == 1
    # Changing only the report's due date keeps the confirmation.
    setup.set_timeline(
        actor=personas.coordinator,
        consultation=consultation,
        announced_at=None,
        opens_at=opens,
        closes_at=closes,
        report_due=due + dt.timedelta(days=1),
    )
    consultation = fresh(consultation)
    assert consultation.short_period_confirmed
    # Moving the closing date asks again.
    with pytest.raises(ValidationError):
        setup.set_timeline(
            actor=personas.coordinator,
            consultation=consultation,
            announced_at=None,
            opens_at=opens,
            closes_at=closes + dt.timedelta(days=1),
            report_due=due,
        )
    # A timeline as long as the standard asks needs nothing and drops the flag.
    opens, closes = days(21)
    setup.set_timeline(
        actor=personas.coordinator,
        consultation=consultation,
        announced_at=None,
        opens_at=opens,
        closes_at=closes,
        report_due=due,
    )
    assert not fresh(consultation).short_period_confirmed


def test_the_organisations_own_standard_sets_the_minimum(personas):
    from veche.consultations.models import StandardSet

    StandardSet.objects.create(organisation=personas.organisation, name="Ours", min_open_days=35)
    consultation = draft(personas)
    opens, closes = days(30)
    with pytest.raises(ValidationError) as caught:
        setup.set_timeline(
            actor=personas.coordinator,
            consultation=consultation,
            announced_at=None,
            opens_at=opens,
            closes_at=closes,
            report_due=(closes + dt.timedelta(days=5)).date(),
        )
    assert "35" in caught.value.message_dict["confirm_short_period"][0]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"closes_at": None}, "closes_at"),
        ({"report_due": None}, "report_due"),
        ({"closes_at": "before"}, "closes_at"),
        ({"announced_at": "after"}, "announced_at"),
        ({"report_due": "before"}, "report_due"),
    ],
)
def test_bad_timelines_are_refused_with_field_errors(personas, change, field):
    consultation = draft(personas)
    opens, closes = days(30)
    values = {
        "announced_at": None,
        "opens_at": opens,
        "closes_at": closes,
        "report_due": (closes + dt.timedelta(days=9)).date(),
    }
    for name, value in change.items():
        if value == "before":
            value = opens - dt.timedelta(days=1) if name == "closes_at" else (closes - dt.timedelta(days=3)).date()
        elif value == "after":
            value = opens + dt.timedelta(days=1)
        values[name] = value
    with pytest.raises(ValidationError) as caught:
        setup.set_timeline(actor=personas.coordinator, consultation=consultation, **values)
    assert field in caught.value.message_dict


def test_clearing_the_timeline_unschedules_the_phases(personas):
    consultation = draft(personas)
    opens, closes = days(30)
    setup.set_timeline(
        actor=personas.coordinator,
        consultation=consultation,
        announced_at=None,
        opens_at=opens,
        closes_at=closes,
        report_due=(closes + dt.timedelta(days=9)).date(),
    )
    setup.set_timeline(
        actor=personas.coordinator,
        consultation=fresh(consultation),
        announced_at=None,
        opens_at=None,
        closes_at=None,
        report_due=None,
    )
    assert all(phase.starts_at is None for phase in fresh(consultation).module.phases.all())


def test_methods_are_replaced_in_order(personas):
    consultation = draft(personas)
    meeting = timezone.now().replace(microsecond=0) + dt.timedelta(days=5)
    setup.set_methods(
        actor=personas.coordinator,
        consultation=consultation,
        methods=[
            MethodInput(
                kind=MethodKind.PUBLIC_MEETING,
                description="Come and talk",
                starts_at=meeting,
                ends_at=meeting + dt.timedelta(hours=2),
                place="Town hall",
            ),
            MethodInput(kind=MethodKind.ONLINE_COMMENTS),
        ],
    )
    assert [m.kind for m in fresh(consultation).methods.all()] == ["public_meeting", "online_comments"]
    setup.set_methods(
        actor=personas.coordinator, consultation=consultation, methods=[MethodInput(kind=MethodKind.WALK)]
    )
    assert [m.kind for m in fresh(consultation).methods.all()] == ["walk"]


def test_bad_methods_are_refused_and_nothing_changes(personas):
    consultation = draft(personas)
    start = timezone.now()
    with pytest.raises(ValidationError) as caught:
        setup.set_methods(
            actor=personas.coordinator,
            consultation=consultation,
            methods=[
                MethodInput(kind="dance"),
                MethodInput(kind=MethodKind.WALK, starts_at=start, ends_at=start - dt.timedelta(hours=1)),
            ],
        )
    assert len(caught.value.messages) == 2
    assert not consultation.methods.exists()


def test_area_and_centre(personas):
    consultation = draft(personas)
    setup.set_area(actor=personas.coordinator, consultation=consultation, area=parse_area("50.03, 15.2"))
    consultation = fresh(consultation)
    assert consultation.area == {"type": "Point", "coordinates": [15.2, 50.03]}
    assert (consultation.latitude, consultation.longitude) == (50.03, 15.2)
    setup.set_area(actor=personas.coordinator, consultation=consultation, area=None)
    assert fresh(consultation).latitude is None


def test_publishing_needs_a_summary_and_a_timeline(personas):
    consultation = draft(personas)
    with pytest.raises(ValidationError) as caught:
        setup.publish_consultation(actor=personas.coordinator, consultation=consultation)
    assert "timeline" in caught.value.messages[0]
    opens, closes = days(25)
    setup.set_timeline(
        actor=personas.coordinator,
        consultation=consultation,
        announced_at=None,
        opens_at=opens,
        closes_at=closes,
        report_due=(closes + dt.timedelta(days=9)).date(),
    )
    consultation = fresh(consultation)
    setup.publish_consultation(actor=personas.coordinator, consultation=consultation)
    assert fresh(consultation).module.process.is_published
    setup.publish_consultation(actor=personas.coordinator, consultation=consultation)  # idempotent
    assert AuditEntry.objects.filter(action="consultations.published").count() == 1
    setup.unpublish_consultation(actor=personas.coordinator, consultation=fresh(consultation))
    assert not fresh(consultation).module.process.is_published


def test_publishing_is_for_coordinators(personas):
    consultation = consultation_in(personas.organisation, published=False)
    with pytest.raises(PermissionDenied):
        setup.publish_consultation(actor=personas.moderator, consultation=consultation)
