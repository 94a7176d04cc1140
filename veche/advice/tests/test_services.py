"""The business rules of advice on request, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from veche.advice import services
from veche.advice.choices import AdviceStatus
from veche.advice.models import AdviceRequest
from veche.advice.tests.factories import make_expert
from veche.audit.models import AuditEntry
from veche.contributions.models import Report
from veche.contributions.services import report_content
from veche.notifications.models import Notification

pytestmark = pytest.mark.django_db


def ask(cast, **values) -> AdviceRequest:
    data = {
        "title": "Rules of our first participatory budget",
        "stage": "rules",
        "method": "participatory_budgeting",
        "description": "We start a PB next spring and need rules that fit a town of 20,000.",
        "preferred_language": "cs",
    } | values
    return services.submit_request(
        actor=cast.requester, network=cast.network, organisation=cast.municipality, data=services.RequestInput(**data)
    )


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


def test_a_member_municipality_asks_and_the_coordinators_hear(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(cast, description="We start a PB.\n\nIt needs <strong>rules</strong> <script>x()</script>.")
    assert request.status == AdviceStatus.NEW
    assert (request.requester_organisation, request.requested_by) == (cast.municipality, cast.requester)
    assert request.region == cast.municipality.region and request.country == "CZ"
    assert "<strong>rules</strong>" in request.description_html and "<script>" not in request.description_html
    assert request.description_html.count("<p>") == 2
    assert kinds(cast.coordinator) == ["advice.requested"]
    assert [message.to for message in mail.outbox] == [[cast.coordinator.email]]
    entry = AuditEntry.objects.get(action="advice.requested")
    assert entry.organisation_id == cast.network.pk and entry.target_repr == f"advice request #{request.pk}"


def test_only_members_may_ask_and_only_for_their_own_organisation(cast):
    with pytest.raises(PermissionDenied):
        services.submit_request(
            actor=cast.resident,
            network=cast.network,
            organisation=None,
            data=services.RequestInput(title="x", stage="other", description="y" * 30, preferred_language="cs"),
        )
    with pytest.raises(PermissionDenied):  # the colleague is staff there, but does not act for the municipality
        services.submit_request(
            actor=cast.requester_colleague,
            network=cast.network,
            organisation=cast.municipality,
            data=services.RequestInput(title="x", stage="other", description="y" * 30, preferred_language="cs"),
        )
    individual = services.submit_request(
        actor=cast.other_expert,
        network=cast.network,
        organisation=None,
        data=services.RequestInput(title="Me", stage="other", description="y" * 30, preferred_language="pl"),
    )
    assert individual.requester_organisation is None and individual.requester_name == cast.other_expert.public_name


def test_invalid_input_is_explained_per_field(cast):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        ask(
            cast,
            title=" ",
            description="short",
            stage="nope",
            method="magic",
            preferred_language="xx",
            deadline=yesterday,
        )
    assert set(caught.value.error_dict) == {"title", "description", "stage", "method", "preferred_language", "deadline"}
    later = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as caught:
        ask(cast, wanted_from=later, deadline=later - dt.timedelta(days=1))
    assert set(caught.value.error_dict) == {"wanted_from"}


def test_assigning_notifies_the_expert_and_the_requester(cast, django_capture_on_commit_callbacks):
    request = ask(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_expert(
            actor=cast.coordinator, request=request, expert=cast.expert, expected_expert_id=None, note="Look at PB."
        )
    request.refresh_from_db()
    assert (request.status, request.expert, request.assigned_by) == ("assigned", cast.expert, cast.coordinator)
    assert kinds(cast.expert) == ["advice.assigned"]
    assert Notification.objects.get(recipient=cast.expert).body == "Look at PB."
    assert kinds(cast.requester) == ["advice.expert_assigned"]
    assert cast.expert.email in {address for message in mail.outbox for address in message.to}
    assert AuditEntry.objects.filter(action="advice.expert_assigned", data__expert=cast.expert.pk).exists()


def test_a_stale_choice_is_refused(cast):
    request = ask(cast)
    services.assign_expert(actor=cast.coordinator, request=request, expert=cast.expert, expected_expert_id=None)
    stale = AdviceRequest.objects.get(pk=request.pk)
    stale.expert_id = None  # what a second coordinator's page still shows
    with pytest.raises(ValidationError) as caught:
        services.assign_expert(actor=cast.coordinator, request=stale, expert=cast.other_expert, expected_expert_id=None)
    assert caught.value.code == "assigned_meanwhile"
    assert AdviceRequest.objects.get(pk=request.pk).expert == cast.expert


def test_re_assigning_tells_the_previous_expert(cast):
    request = ask(cast)
    services.assign_expert(actor=cast.coordinator, request=request, expert=cast.expert, expected_expert_id=None)
    services.assign_expert(
        actor=cast.coordinator, request=request, expert=cast.other_expert, expected_expert_id=cast.expert.pk
    )
    assert AdviceRequest.objects.get(pk=request.pk).expert == cast.other_expert
    assert kinds(cast.expert) == ["advice.assigned", "advice.unassigned"]


@pytest.mark.parametrize("who", ["resident", "requester", "coordinator_of_profile_hidden", "requester_self"])
def test_only_eligible_practitioners_can_be_assigned(cast, who):
    request = ask(cast)
    expert = {
        "resident": cast.resident,
        "requester": cast.requester,
        "requester_self": cast.requester,
        "coordinator_of_profile_hidden": make_expert(cast.network, availability_visibility=40),
    }[who]
    with pytest.raises(ValidationError) as caught:
        services.assign_expert(actor=cast.coordinator, request=request, expert=expert, expected_expert_id=None)
    assert "expert" in caught.value.error_dict


def test_only_the_networks_coordinators_assign(cast):
    request = ask(cast)
    for actor in (cast.other_coordinator, cast.requester, cast.expert):
        with pytest.raises(PermissionDenied):
            services.assign_expert(actor=actor, request=request, expert=cast.expert, expected_expert_id=None)


def test_the_experts_first_message_starts_the_work(cast):
    request = ask(cast)
    services.post_message(actor=cast.requester, request=request, body="We also have a deadline in May.")
    assert AdviceRequest.objects.get(pk=request.pk).status == AdviceStatus.NEW
    services.assign_expert(actor=cast.coordinator, request=request, expert=cast.expert, expected_expert_id=None)
    services.post_message(actor=cast.expert, request=request, body="Let us talk on Monday.")
    request.refresh_from_db()
    assert request.status == AdviceStatus.IN_PROGRESS
    assert kinds(cast.requester)[-1] == "advice.message"
    assert "advice.message" not in kinds(cast.other_expert)


def test_messages_are_sanitised_and_carry_checked_attachments(cast):
    request = cast.request(AdviceStatus.ASSIGNED)
    files = [
        SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
        SimpleUploadedFile("notes.txt", "Poznámky".encode()),
    ]
    message = services.post_message(
        actor=cast.expert,
        request=request,
        body='See <a href="javascript:alert(1)">this</a>\nand <b>that</b>',
        files=files,
    )
    assert "javascript" not in message.body_html and "<b>that</b>" in message.body_html
    stored = list(message.attachments.order_by("original_name"))
    assert [(item.original_name, item.content_type) for item in stored] == [
        ("notes.txt", "text/plain; charset=utf-8"),
        ("plan.pdf", "application/pdf"),
    ]
    assert stored[1].file.read() == b"%PDF-1.4 plan"
    assert "plan" not in stored[1].file.name  # a random name in storage


def test_a_bad_attachment_stores_nothing(cast):
    request = cast.request(AdviceStatus.ASSIGNED)
    with pytest.raises(ValidationError):
        services.post_message(
            actor=cast.expert, request=request, body="Here", files=[SimpleUploadedFile("run.pdf", b"MZ\x90")]
        )
    assert not request.messages.exists()


def test_empty_messages_and_closed_threads_are_refused(cast):
    with pytest.raises(ValidationError):
        services.post_message(actor=cast.requester, request=cast.request(), body="   ")
    with pytest.raises(PermissionDenied):
        services.post_message(actor=cast.requester, request=cast.request(AdviceStatus.CLOSED), body="Thanks!")
    with pytest.raises(PermissionDenied):
        services.post_message(actor=cast.other_expert, request=cast.request(AdviceStatus.ASSIGNED), body="Hi")


def test_closing_with_a_summary_and_rating_once(cast):
    request = cast.request(AdviceStatus.IN_PROGRESS)
    with pytest.raises(ValidationError):
        services.close_request(actor=cast.expert, request=request, summary="ok")
    services.close_request(actor=cast.expert, request=request, summary="Use two rounds of voting and a walk.")
    request.refresh_from_db()
    assert (request.status, request.closed_by) == (AdviceStatus.CLOSED, cast.expert)
    assert "advice.closed" in kinds(cast.requester)
    with pytest.raises(PermissionDenied):
        services.rate_request(actor=cast.expert, request=request, rating=5)
    with pytest.raises(ValidationError):
        services.rate_request(actor=cast.requester, request=request, rating=6)
    services.rate_request(actor=cast.requester, request=request, rating=5, comment="Exactly right.")
    request.refresh_from_db()
    assert (request.rating, request.rating_comment) == (5, "Exactly right.")
    assert "advice.rated" in kinds(cast.expert)
    with pytest.raises(ValidationError) as caught:
        services.rate_request(actor=cast.requester, request=request, rating=1)
    assert caught.value.code == "already_rated"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"advice.closed", "advice.rated"} <= actions


def test_a_coordinator_closing_tells_the_expert(cast):
    request = cast.request(AdviceStatus.ASSIGNED)
    services.close_request(actor=cast.coordinator, request=request, summary="The municipality solved it alone.")
    assert kinds(cast.expert) == ["advice.closed"]


def test_declining_needs_a_reason_and_tells_the_requester(cast):
    request = ask(cast)
    with pytest.raises(ValidationError):
        services.decline_request(actor=cast.coordinator, request=request, reason=" ")
    services.decline_request(actor=cast.coordinator, request=request, reason="This is a legal question.")
    request.refresh_from_db()
    assert request.status == AdviceStatus.DECLINED and request.decline_reason == "This is a legal question."
    assert "advice.declined" in kinds(cast.requester)
    with pytest.raises(PermissionDenied):
        services.decline_request(actor=cast.coordinator, request=request, reason="Again")


def test_reported_messages_are_hidden_by_the_coordinators(cast):
    request = cast.request(AdviceStatus.IN_PROGRESS)
    message = services.post_message(actor=cast.expert, request=request, body="Buy my book!")
    report = report_content(reporter=cast.requester, target=message, reason="spam")
    assert report.organisation_id == cast.network.pk
    with pytest.raises(PermissionDenied):
        report_content(reporter=cast.other_expert, target=message, reason="spam")
    with pytest.raises(PermissionDenied):
        services.hide_message(actor=cast.requester, message=message, reason="Spam")
    services.hide_message(actor=cast.coordinator, message=message, reason="Advertising.")
    message.refresh_from_db()
    assert message.is_hidden and message.hidden_reason == "Advertising."
    assert Report.objects.get(pk=report.pk).status == "resolved"
    assert AuditEntry.objects.filter(action="advice.message_hidden").exists()


def test_reminders_go_once_per_period_to_whoever_must_act(cast, settings):
    settings.VECHE_ADVICE_REMIND_AFTER_DAYS = 3
    now = timezone.now()
    waiting = cast.request(last_activity_at=now - dt.timedelta(days=4))
    idle = cast.request(AdviceStatus.IN_PROGRESS, last_activity_at=now - dt.timedelta(days=5))
    cast.request(last_activity_at=now - dt.timedelta(days=1))  # recent: nothing yet
    cast.request(AdviceStatus.CLOSED, last_activity_at=now - dt.timedelta(days=30))  # closed: never
    sent = services.send_reminders(now=now)
    assert (sent.coordinators, sent.experts) == (1, 1)
    assert kinds(cast.coordinator) == ["advice.reminder_unassigned"]
    assert kinds(cast.expert) == ["advice.reminder_idle"]
    assert "4" in Notification.objects.get(recipient=cast.coordinator).title
    assert services.send_reminders(now=now + dt.timedelta(days=1)) == services.Reminders(0, 0)
    again = services.send_reminders(now=now + dt.timedelta(days=3, hours=1))
    assert (again.coordinators, again.experts) == (2, 1)  # the recent one is due now too
    waiting.refresh_from_db()
    idle.refresh_from_db()
    assert waiting.reminded_at and idle.reminded_at


def test_the_command_reminds_or_enqueues(cast):
    import io

    from django.core.management import call_command

    cast.request(last_activity_at=timezone.now() - dt.timedelta(days=10))
    out = io.StringIO()
    call_command("remind_advice", stdout=out)
    assert "coordinators of 1 requests" in out.getvalue()
    out = io.StringIO()
    call_command("remind_advice", "--enqueue", stdout=out)
    assert out.getvalue().strip() == "Queued."
