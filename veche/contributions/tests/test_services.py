"""Follows and reports through the services: idempotence, visibility, one open report each, decisions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from veche.audit.models import AuditEntry
from veche.contributions import services
from veche.contributions.models import Follow, Report
from veche.notifications.models import Notification
from veche.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


def test_following_is_idempotent_and_reversible(personas):
    process = ProcessFactory(organisation=personas.organisation)
    services.set_following(user=personas.resident, target=process, following=True)
    services.set_following(user=personas.resident, target=process, following=True)
    assert Follow.objects.count() == 1
    assert services.is_following(personas.resident, process)
    assert list(services.followers_of(process)) == [personas.resident]
    assert services.followed_ids(personas.resident, type(process)) == {process.pk}
    services.set_following(user=personas.resident, target=process, following=False)
    assert not services.is_following(personas.resident, process)
    assert Follow.objects.count() == 0


def test_anonymous_cannot_follow(personas):
    process = ProcessFactory(organisation=personas.organisation)
    with pytest.raises(PermissionDenied):
        services.set_following(user=personas.anonymous, target=process, following=True)
    assert not services.is_following(personas.anonymous, process)
    assert services.followed_ids(personas.anonymous, type(process)) == set()


def test_inactive_followers_are_left_out(personas):
    process = ProcessFactory(organisation=personas.organisation)
    services.set_following(user=personas.member, target=process, following=True)
    personas.member.is_active = False
    personas.member.save()
    assert list(services.followers_of(process)) == []


def test_a_report_goes_to_the_organisation_of_the_content(personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    report = services.report_content(reporter=personas.resident, target=process, reason="spam")
    assert report.organisation == personas.organisation
    assert report.target == process
    assert report.is_open


def test_one_open_report_per_person_and_content(personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    services.report_content(reporter=personas.resident, target=process, reason="spam")
    with pytest.raises(ValidationError) as error:
        services.report_content(reporter=personas.resident, target=process, reason="abuse")
    assert error.value.code == "already_reported"
    services.report_content(reporter=personas.member, target=process, reason="abuse")
    assert Report.objects.count() == 2


def test_after_a_decision_the_same_person_may_report_again(personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    services.report_content(reporter=personas.resident, target=process, reason="spam")
    services.dismiss_reports(actor=personas.moderator, target=process, note="Not spam, a real opinion.")
    services.report_content(reporter=personas.resident, target=process, reason="abuse")
    assert Report.objects.open().count() == 1


@pytest.mark.parametrize(
    ("reason", "explanation", "code"),
    [("nonsense", "", "invalid_reason"), ("other", "  ", "explanation_needed")],
)
def test_bad_reports_are_explained(personas, reportable_process, reason, explanation, code):
    process = ProcessFactory(organisation=personas.organisation)
    with pytest.raises(ValidationError) as error:
        services.report_content(reporter=personas.resident, target=process, reason=reason, explanation=explanation)
    assert error.value.error_dict.popitem()[1][0].code == code
    assert not Report.objects.exists()


def test_anonymous_and_those_who_cannot_see_it_cannot_report(personas, reportable_process):
    draft = ProcessFactory(organisation=personas.organisation, is_published=False)
    with pytest.raises(PermissionDenied):
        services.report_content(reporter=personas.anonymous, target=draft, reason="spam")
    with pytest.raises(PermissionDenied):
        services.report_content(reporter=personas.resident, target=draft, reason="spam")


def test_hidden_content_cannot_be_reported(personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation, slug="hidden-one")
    with pytest.raises(ValidationError) as error:
        services.report_content(reporter=personas.resident, target=process, reason="spam")
    assert error.value.code == "already_hidden"


def test_dismissing_needs_a_note_and_the_right_role(personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    services.report_content(reporter=personas.resident, target=process, reason="spam")
    with pytest.raises(ValidationError):
        services.dismiss_reports(actor=personas.moderator, target=process, note=" ")
    for outsider in (personas.other_administrator, personas.member, personas.expert):
        with pytest.raises(PermissionDenied):
            services.dismiss_reports(actor=outsider, target=process, note="Fine.")
    assert Report.objects.open().count() == 1


def test_dismissing_closes_every_open_report_audits_and_tells_the_reporters(personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    services.report_content(reporter=personas.resident, target=process, reason="spam")
    services.report_content(reporter=personas.member, target=process, reason="abuse")
    assert services.dismiss_reports(actor=personas.moderator, target=process, note="It is an opinion.") == 2
    assert not Report.objects.open().exists()
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"}
    entry = AuditEntry.objects.get(action="contributions.report_dismissed")
    assert entry.organisation_id == personas.organisation.pk
    assert entry.data["reports"] == 2
    told = Notification.objects.filter(kind="contributions.report_decided")
    assert {item.recipient_id for item in told} == {personas.resident.pk, personas.member.pk}
    assert all(item.body == "It is an opinion." for item in told)


def test_resolving_is_for_the_content_app_after_it_acted(personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    services.report_content(reporter=personas.resident, target=process, reason="abuse")
    assert services.resolve_reports(actor=personas.moderator, target=process, note="Hidden: insults.") == 1
    assert Report.objects.get().status == "resolved"
    assert AuditEntry.objects.filter(action="contributions.report_resolved").exists()
    assert services.resolve_reports(actor=personas.moderator, target=process) == 0
