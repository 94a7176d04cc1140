"""The report: snapshot from the data, the build task with progress, the files (CSV, XLSX, PDF), publication refused
while anything is unanswered, the public page, and participants told once."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from veche.consultations.choices import Channel, ContributionKind, ContributionStatus
from veche.consultations.models import (
    ConsultationReport,
    PopulationFigure,
    ReportBuild,
    ReportState,
    ResponseOutcome,
)
from veche.consultations.report_snapshot import build_snapshot
from veche.consultations.services import report as services
from veche.consultations.services import responses
from veche.consultations.tests.factories import consultation_in, contribution, document_for, participant
from veche.core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

JUSTIFICATION = "Vysadíme 40 stromů podél řeky; żółć gęślą jaźń."


@pytest.fixture
def closed(personas):
    return consultation_in(personas.organisation, phase="analysis", language="cs", subject="Park u řeky")


def _answer_all(personas, consultation):
    for item in consultation.contributions.answerable().filter(status=ContributionStatus.PUBLISHED):
        responses.respond(
            actor=personas.coordinator, contribution=item, outcome=ResponseOutcome.ACCEPTED, justification=JUSTIFICATION
        )


def _filled(personas, consultation):
    document = document_for(consultation, sections=2, paragraphs=2)
    paragraph = document.paragraphs.first()
    people = []
    for index in range(12):
        user = UserFactory()
        people.append(
            participant(
                consultation,
                user=user,
                age_band="65_plus" if index < 1 else "30_44",
                gender="woman" if index % 2 else "man",
                district="Zálabí" if index < 6 else " zálabí ",
                demographics_answered_at=timezone.now(),
            )
        )
    contribution(consultation, paragraph=paragraph, participant=people[0], text="Více stínu, prosím.")
    contribution(consultation, kind=ContributionKind.WORDING, paragraph=paragraph, text="Nové znění", proposed_text="X")
    contribution(consultation, kind=ContributionKind.OFFLINE, channel=Channel.MEETING, text="Z veřejného setkání")
    contribution(consultation, kind=ContributionKind.SURVEY_ANSWER, text="Lavičky")
    contribution(consultation, status=ContributionStatus.HIDDEN, moderation_reason="Urážky", text="SECRET insult")
    parent = contribution(consultation, text="Parent")
    contribution(consultation, kind=ContributionKind.REPLY, parent=parent, text="A reply")
    PopulationFigure.objects.bulk_create(
        [
            PopulationFigure(organisation=consultation.organisation, dimension="age_band", group=group, residents=n)
            for group, n in (("18_29", 200), ("30_44", 300), ("45_64", 300), ("65_plus", 200))
        ]
    )
    PopulationFigure.objects.create(
        organisation=consultation.organisation, dimension="district", group="Zálabí", residents=5
    )
    return people


def test_snapshot_counts_channels_demographics_and_hides_small_groups(personas, closed):
    _filled(personas, closed)
    snapshot = build_snapshot(closed)
    assert snapshot["participation"]["participants"] == 12
    assert snapshot["participation"]["contributions"] == 6
    assert snapshot["participation"]["replies"] == 1
    assert {row["channel"]: row["count"] for row in snapshot["participation"]["by_channel"]} == {
        "online": 5,
        "meeting": 1,
    }
    age = next(row for row in snapshot["demographics"]["dimensions"] if row["dimension"] == "age_band")
    groups = {row["group"]: row for row in age["groups"]}
    assert groups["30_44"]["count"] == 11
    assert groups["65_plus"]["count"] is None and groups["65_plus"]["under_represented"]
    assert groups["18_29"]["under_represented"] and not groups["30_44"]["under_represented"]
    district = next(row for row in snapshot["demographics"]["dimensions"] if row["dimension"] == "district")
    assert [(row["group"], row["count"]) for row in district["groups"]] == [("Zálabí", 12)]
    hidden = next(row for row in snapshot["contributions"] if row["hidden"])
    assert hidden["text"] == "" and hidden["moderation_reason"] == "Urážky"
    assert snapshot["outcomes"] == {"unanswered": 5, "hidden": 1}


def test_snapshot_query_count_does_not_grow(personas, closed):
    _filled(personas, closed)
    with CaptureQueriesContext(connection) as small:
        build_snapshot(closed)
    for _ in range(40):
        contribution(closed, paragraph=closed.documents.first().paragraphs.last())
    with CaptureQueriesContext(connection) as big:
        build_snapshot(closed)
    assert len(big) == len(small)


def test_publication_is_refused_while_anything_is_unanswered(personas, closed):
    _filled(personas, closed)
    services.save_outcome(actor=personas.coordinator, consultation=closed, outcome="Park bude.")
    with pytest.raises(ValidationError) as caught:
        services.request_build(actor=personas.coordinator, consultation=closed, publish=True)
    assert "5 contributions still wait for an official response." in caught.value.messages
    assert not ReportBuild.objects.exists()


def test_publication_needs_the_decision_text(personas, closed):
    contribution(closed)
    _answer_all(personas, closed)
    with pytest.raises(ValidationError) as caught:
        services.request_build(actor=personas.coordinator, consultation=closed, publish=True)
    assert caught.value.messages == ["Describe what was decided and why."]


@pytest.mark.parametrize("persona", ["moderator", "member", "resident", "other_administrator"])
def test_only_coordinators_build(personas, closed, persona):
    with pytest.raises(PermissionDenied):
        services.request_build(actor=personas.get(persona), consultation=closed)


def test_build_and_publish_then_tell_everyone_once(personas, closed, django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    from veche.contributions.models import Follow
    from veche.notifications.models import Notification

    people = _filled(personas, closed)
    people[1].notify = False
    people[1].save()
    follower = UserFactory()
    from django.contrib.contenttypes.models import ContentType

    Follow.objects.create(user=follower, content_type=ContentType.objects.get_for_model(closed), object_id=closed.pk)
    Follow.objects.create(
        user=people[1].user, content_type=ContentType.objects.get_for_model(closed), object_id=closed.pk
    )
    Follow.objects.create(
        user=people[2].user, content_type=ContentType.objects.get_for_model(closed), object_id=closed.pk
    )
    anonymous = participant(closed, email="anna@example.org", email_verified_at=timezone.now())
    contribution(closed, participant=anonymous, text="Anna's comment")
    participant(closed, email="unverified@example.org")
    _answer_all(personas, closed)
    services.save_outcome(actor=personas.coordinator, consultation=closed, outcome="Park bude mít 40 nových stromů.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        build = services.request_build(actor=personas.coordinator, consultation=closed, publish=True)
    build.refresh_from_db()
    assert build.state == ReportState.DONE, build.error
    assert build.percent == 100 and set(build.timings) == {"snapshot", "csv_xlsx", "pdf"}
    closed.refresh_from_db()
    assert closed.report_published_at is not None
    assert ConsultationReport.objects.get(consultation=closed).published_build == build

    reader = PdfReader(io.BytesIO(build.pdf.open("rb").read()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Vysadíme 40 stromů" in text and "żółć gęślą jaźń" in text
    assert "Park bude mít 40 nových stromů." in text
    assert "SECRET" not in text and "Urážky" in text

    csv_text = build.csv.open("rb").read().decode("utf-8")
    assert csv_text.startswith("\ufeff") and JUSTIFICATION in csv_text and "SECRET" not in csv_text
    with zipfile.ZipFile(io.BytesIO(build.xlsx.open("rb").read())) as workbook:
        assert "xl/worksheets/sheet1.xml" in workbook.namelist()

    told = set(Notification.objects.filter(kind="consultations.report_published").values_list("recipient", flat=True))
    expected = {person.user_id for person in people} - {people[1].user_id} | {follower.pk}
    assert told == expected
    assert [message.to for message in mail.outbox if "anna@" in message.to[0]] == [["anna@example.org"]]
    assert not any("unverified@" in message.to[0] for message in mail.outbox)
    signed = next(message for message in mail.outbox if message.to == ["anna@example.org"])
    assert "/evaluation/" in signed.body
    # Once per person: running the notification again tells nobody.
    assert services.notify_report_published(consultation_id=closed.pk) == 0
    assert anonymous.pk


def test_responses_are_frozen_after_publication(personas, closed, django_capture_on_commit_callbacks):
    item = contribution(closed)
    _answer_all(personas, closed)
    services.save_outcome(actor=personas.coordinator, consultation=closed, outcome="Done.")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_build(actor=personas.coordinator, consultation=closed, publish=True)
    closed.refresh_from_db()
    with pytest.raises(PermissionDenied):
        responses.respond(actor=personas.coordinator, contribution=item, outcome="accepted", justification="Again")
    with pytest.raises(PermissionDenied):
        services.request_build(actor=personas.coordinator, consultation=closed)


def test_a_double_click_queues_one_build(personas, closed):
    first = services.request_build(actor=personas.coordinator, consultation=closed)
    second = services.request_build(actor=personas.coordinator, consultation=closed)
    assert first == second and ReportBuild.objects.count() == 1


def test_a_response_changed_during_the_build_stops_publication(personas, closed):
    item = contribution(closed)
    _answer_all(personas, closed)
    services.save_outcome(actor=personas.coordinator, consultation=closed, outcome="Done.")
    build = services.request_build(actor=personas.coordinator, consultation=closed, publish=True)
    from veche.consultations.models import OfficialResponse

    OfficialResponse.objects.filter(contribution=item).update(updated_at=timezone.now() + timezone.timedelta(minutes=5))
    build = services.run_build(build.pk)
    closed.refresh_from_db()
    assert build.state == ReportState.DONE and closed.report_published_at is None
    assert "changed while the report was being built" in build.error


def test_a_failing_build_is_marked_failed(personas, closed, monkeypatch):
    build = services.request_build(actor=personas.coordinator, consultation=closed)

    def broken(snapshot, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("veche.consultations.report_exports.report_pdf", broken)
    with pytest.raises(RuntimeError):
        services.run_build(build.pk)
    build.refresh_from_db()
    assert build.state == ReportState.FAILED and "disk full" in build.error


# --- pages --------------------------------------------------------------------------------------------------------


def _urls(consultation):
    args = [consultation.organisation.slug, consultation.slug]
    return reverse("consultations:report", args=args), reverse("consultations:report_manage", args=args)


def test_report_pages_before_and_after_publication(client, personas, closed, django_capture_on_commit_callbacks):
    contribution(closed, text="Více laviček")
    report_url, manage_url = _urls(closed)
    assert client.get(report_url).status_code == 404
    client.force_login(personas.coordinator)
    assert client.get(report_url).status_code == 302  # nothing built yet: to the report's preparation
    response = client.get(manage_url)
    assert "1 contribution still waits for an official response." in response.content.decode()
    response = client.post(manage_url, {"action": "publish"}, follow=True)
    assert "1 contribution still waits" in response.content.decode()
    _answer_all(personas, closed)
    client.post(manage_url, {"action": "outcome", "outcome": "Lavičky budou."})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(manage_url, {"action": "build"})
    assert response.status_code == 302
    response = client.get(report_url)
    assert response.status_code == 200 and response.context["preview"]
    build = ReportBuild.objects.get()
    pdf_url = reverse(
        "consultations:report_build_file", args=[closed.organisation.slug, closed.slug, build.pk, "report.pdf"]
    )
    assert client.get(pdf_url)["Content-Type"] == "application/pdf"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage_url, {"action": "publish"})
    client.logout()
    response = client.get(report_url)
    assert response.status_code == 200 and not response.context["preview"]
    assert JUSTIFICATION in response.content.decode()
    files = reverse("consultations:report_file", args=[closed.organisation.slug, closed.slug, "contributions.csv"])
    download = client.get(files)
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert client.get(pdf_url).status_code == 302  # drafts are for staff


def test_manage_page_refreshes_while_the_build_runs(client, personas, closed):
    services.request_build(actor=personas.coordinator, consultation=closed)  # no on_commit: stays queued
    client.force_login(personas.coordinator)
    content = client.get(_urls(closed)[1]).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in content and "<progress" in content


def test_report_page_query_count_does_not_grow(client, personas, closed, django_capture_on_commit_callbacks):
    contribution(closed)
    _answer_all(personas, closed)
    services.save_outcome(actor=personas.coordinator, consultation=closed, outcome="Done.")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_build(actor=personas.coordinator, consultation=closed)
    url = _urls(closed)[0]
    client.force_login(personas.coordinator)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(60):
        contribution(closed)
    _answer_all(personas, closed)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_build(actor=personas.coordinator, consultation=closed)
    with CaptureQueriesContext(connection) as big:
        client.get(url)
    assert len(big) == len(small)


def test_module_type_hooks_give_stats_and_a_case_summary_once_published(
    personas, closed, django_capture_on_commit_callbacks
):
    from veche.consultations.module import CONSULTATION
    from veche.core.vocabulary import MethodChoices

    _filled(personas, closed)
    assert CONSULTATION.case_summary(closed.module) is None
    _answer_all(personas, closed)
    services.save_outcome(actor=personas.coordinator, consultation=closed, outcome="Park bude.")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_build(actor=personas.coordinator, consultation=closed, publish=True)
    stats = CONSULTATION.stats(closed.module)
    assert stats["contributions"] == 5 and stats["answered"] == 5 and stats["report_published"]
    summary = CONSULTATION.case_summary(closed.module)
    assert summary.participants == 12 and summary.organisation_id == closed.organisation_id
    assert summary.methods[0] == MethodChoices.CONSULTATION
    assert MethodChoices.PUBLIC_MEETING in summary.methods and MethodChoices.SURVEY in summary.methods
    assert summary.url == closed.get_absolute_url() and "report.pdf" in summary.links[1][1]
    assert "Park bude." in summary.results


def test_manage_page_links_the_checklist_standards_and_population_for_those_who_may_use_them(client, personas, closed):
    org = closed.organisation.slug
    links = [
        reverse("consultations:checklist", args=[org, closed.slug]),
        reverse("consultations:standards", args=[org]),
        reverse("consultations:population", args=[org]),
    ]
    client.force_login(personas.coordinator)
    content = client.get(_urls(closed)[1]).content.decode()
    assert all(f'href="{link}"' in content for link in links)
    client.force_login(personas.moderator)  # sees the queue, may not assess or edit standards
    content = client.get(_urls(closed)[1]).content.decode()
    assert not any(link in content for link in links)
