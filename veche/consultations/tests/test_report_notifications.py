"""Telling people that the report is out (issue #4, point 6): publishing queues the notification on commit; it
reaches the consultation's followers and the participants who contributed — accounts in the app and by email, each
in their own language, anonymous participants with a verified address by email in the consultation's language —
each person once, and never again, however often publication or the task is retried."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from veche.consultations.choices import ContributionStatus
from veche.consultations.models import ConsultationReport, OfficialResponse, ReportBuild, ResponseOutcome
from veche.consultations.services import report as services
from veche.consultations.services import responses
from veche.consultations.tests.factories import consultation_in, contribution, participant
from veche.contributions.models import Follow
from veche.core.testing.factories import UserFactory
from veche.notifications.models import Notification, NotificationSettings

pytestmark = pytest.mark.django_db

KIND = "consultations.report_published"
REPORT = "/consultations/home-town/park/report/"


@pytest.fixture
def closed(personas):
    return consultation_in(personas.organisation, phase="analysis", language="cs", subject="Park u řeky", slug="park")


def follow(user, consultation):
    Follow.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(consultation), object_id=consultation.pk
    )


def publish(personas, consultation, capture):
    """Answer everything, describe the decision and publish, running the on-commit callbacks (build, notify)."""
    for item in consultation.contributions.answerable().filter(status=ContributionStatus.PUBLISHED):
        responses.respond(
            actor=personas.coordinator, contribution=item, outcome=ResponseOutcome.ACCEPTED, justification="Ano."
        )
    services.save_outcome(actor=personas.coordinator, consultation=consultation, outcome="Park bude.")
    mail.outbox.clear()
    with capture(execute=True), translation.override("en"):  # the coordinator's page is in English
        build = services.request_build(actor=personas.coordinator, consultation=consultation, publish=True)
    consultation.refresh_from_db()
    assert consultation.report_published_at is not None, build.error
    return build


def told():
    return sorted(Notification.objects.filter(kind=KIND).values_list("recipient__email", flat=True))


def emailed():
    return sorted(address for message in mail.outbox for address in message.to)


def test_followers_and_participants_are_each_told_once_in_their_language(
    personas, closed, django_capture_on_commit_callbacks
):
    writer = participant(closed, user=UserFactory(email="writer@example.org", language="pl"))
    contribution(closed, participant=writer, text="Více stromů")
    both = participant(closed, user=UserFactory(email="both@example.org", language="en"))
    contribution(closed, participant=both, text="Lavičky")
    follow(both.user, closed)  # follows and took part: one notification, one email
    follow(UserFactory(email="follower@example.org", language="cs"), closed)

    publish(personas, closed, django_capture_on_commit_callbacks)

    assert told() == ["both@example.org", "follower@example.org", "writer@example.org"]
    assert emailed() == ["both@example.org", "follower@example.org", "writer@example.org"]
    titles = dict(Notification.objects.filter(kind=KIND).values_list("recipient__email", "title"))
    assert titles["writer@example.org"] == "Raport z konsultacji „Park u řeky” został opublikowany"
    assert titles["both@example.org"] == "The report of “Park u řeky” is published"
    assert titles["follower@example.org"] == "Zpráva z konzultace „Park u řeky“ je zveřejněna"
    # The links open the pages in the recipient's language too (the coordinator published in English).
    urls = dict(Notification.objects.filter(kind=KIND).values_list("recipient__email", "url"))
    assert urls == {
        "writer@example.org": f"/pl{REPORT}",
        "both@example.org": f"/en{REPORT}",
        "follower@example.org": f"/cs{REPORT}",
    }
    polish = next(message for message in mail.outbox if message.to == ["writer@example.org"])
    assert "Raport z konsultacji" in polish.subject
    assert f"/pl{REPORT}" in polish.body and "/pl/consultations/home-town/park/evaluation/" in polish.body
    assert ConsultationReport.objects.get(consultation=closed).notified_at is not None


def test_nobody_is_told_twice(personas, closed, django_capture_on_commit_callbacks):
    person = participant(closed, user=UserFactory(email="once@example.org"))
    contribution(closed, participant=person)
    contribution(closed, participant=participant(closed, email="anna@example.org", email_verified_at=timezone.now()))
    build = publish(personas, closed, django_capture_on_commit_callbacks)
    assert told() == ["once@example.org"] and emailed() == ["anna@example.org", "once@example.org"]
    mail.outbox.clear()

    # The task retried (a worker restarted), publication asked for again, a second publishing build that was
    # already queued when the first one published: nothing more.
    assert services.notify_report_published(consultation_id=closed.pk) == 0
    with pytest.raises((ValidationError, PermissionDenied)):
        services.request_build(actor=personas.coordinator, consultation=closed, publish=True)
    late = ReportBuild.objects.create(consultation=closed, publish=True, requested_by=personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        late = services.run_build(late.pk)
    assert "already published" in late.error
    assert ConsultationReport.objects.get(consultation=closed).published_build == build
    assert told() == ["once@example.org"] and mail.outbox == []


def test_participants_whose_contributions_were_hidden_are_told_too(
    personas, closed, django_capture_on_commit_callbacks
):
    """The report says why their contribution was hidden; they took part and hear about it like everyone else."""
    hidden = participant(closed, user=UserFactory(email="hidden@example.org"))
    contribution(closed, participant=hidden, status=ContributionStatus.HIDDEN, moderation_reason="Urážky")
    publish(personas, closed, django_capture_on_commit_callbacks)
    assert told() == ["hidden@example.org"]


def test_who_is_left_out(personas, closed, django_capture_on_commit_callbacks):
    declined = participant(closed, user=UserFactory(email="declined@example.org"), notify=False)
    follow(declined.user, closed)  # said no as a participant: their no wins over the follow
    gone = participant(closed, user=UserFactory(email="gone@example.org", is_active=False))
    follow(gone.user, closed)
    quiet = participant(closed, user=UserFactory(email="quiet@example.org"))
    NotificationSettings.objects.create(user=quiet.user, email_enabled=False)  # in the app only
    contribution(closed, participant=participant(closed, email="unverified@example.org"))  # never used the link
    contribution(closed, participant=participant(closed))  # a one-time code: no address
    no = participant(closed, email="no@example.org", email_verified_at=timezone.now(), notify=False)
    contribution(closed, participant=no)
    participant(closed, email="looked@example.org", email_verified_at=timezone.now())  # verified, wrote nothing
    other = consultation_in(personas.organisation, phase="analysis")
    participant(other, user=UserFactory(email="elsewhere@example.org"))
    follow(UserFactory(email="follows-another@example.org"), other)

    publish(personas, closed, django_capture_on_commit_callbacks)

    assert told() == ["quiet@example.org"]
    assert emailed() == []


def test_anonymous_participants_get_one_email_in_the_consultations_language(
    personas, closed, django_capture_on_commit_callbacks
):
    anna = participant(closed, email="anna@example.org", email_verified_at=timezone.now())
    contribution(closed, participant=anna)
    petr = participant(closed, email="petr@example.org", email_verified_at=timezone.now())
    contribution(closed, participant=petr)
    # The same person took part signed in as well: told once, through their account.
    account = participant(closed, user=UserFactory(email="Petr@Example.org"))
    contribution(closed, participant=account)

    publish(personas, closed, django_capture_on_commit_callbacks)

    assert told() == ["Petr@Example.org"]
    assert sorted(address.casefold() for address in emailed()) == ["anna@example.org", "petr@example.org"]
    anna = next(message for message in mail.outbox if message.to == ["anna@example.org"])
    assert anna.subject == "Zpráva z konzultace „Park u řeky“ je zveřejněna"
    assert f"/cs{REPORT}" in anna.body and "/cs/consultations/home-town/park/evaluation/" in anna.body
    assert "/en/" not in anna.body


def test_anonymous_participants_who_only_supported_or_answered_the_survey_took_part(
    personas, closed, django_capture_on_commit_callbacks
):
    from veche.consultations.models import Support, SurveyResponse
    from veche.consultations.tests.surveys_factories import make_survey

    supporter = participant(closed, email="supports@example.org", email_verified_at=timezone.now())
    Support.objects.create(contribution=contribution(closed), participant=supporter)
    answered = participant(closed, email="answers@example.org", email_verified_at=timezone.now())
    SurveyResponse.objects.create(survey=make_survey(closed, kinds=["single"]), participant=answered)
    publish(personas, closed, django_capture_on_commit_callbacks)
    assert emailed() == ["answers@example.org", "supports@example.org"]


def test_nothing_is_sent_when_publication_fails(personas, closed, django_capture_on_commit_callbacks):
    person = participant(closed, user=UserFactory(email="waiting@example.org"))
    item = contribution(closed, participant=person)
    responses.respond(actor=personas.coordinator, contribution=item, outcome="accepted", justification="Ano.")
    services.save_outcome(actor=personas.coordinator, consultation=closed, outcome="Park bude.")
    build = services.request_build(actor=personas.coordinator, consultation=closed, publish=True)
    OfficialResponse.objects.filter(contribution=item).update(updated_at=timezone.now() + timezone.timedelta(hours=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.run_build(build.pk)
    closed.refresh_from_db()
    assert closed.report_published_at is None
    assert told() == [] and mail.outbox == []
    assert ConsultationReport.objects.get(consultation=closed).notified_at is None
