"""The review workflow: drafts, submission, editors' decisions, proposed changes to a published case, taking a case
off the map; every version kept; the map's cache invalidated when what it shows changes."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection  # noqa: F401  (the skipif condition)

from veche.audit.models import AuditEntry
from veche.cases import services
from veche.cases.choices import CaseStatus, RevisionKind
from veche.cases.geojson import feature_collection_bytes
from veche.cases.querysets import CaseFilters
from veche.cases.tests.factories import case_input
from veche.notifications.models import Notification

pytestmark = pytest.mark.django_db


def features():
    return json.loads(feature_collection_bytes(CaseFilters()))["features"]


def test_member_writes_a_draft_and_every_version_is_kept(personas, network):
    case = services.create_case(actor=personas.member, network=network, data=case_input())
    assert case.status == CaseStatus.DRAFT
    assert case.author == personas.member
    assert case.year == 2024
    assert sorted(case.methods.values_list("slug", flat=True)) == ["participatory_budgeting"]
    services.update_case(actor=personas.member, case=case, data=case_input(title="PB Kolín 2024"))
    kinds = list(case.revisions.order_by("number").values_list("number", "kind"))
    assert kinds == [(1, RevisionKind.CREATED), (2, RevisionKind.EDITED)]
    assert case.revisions.get(number=2).data["title"] == "PB Kolín 2024"


def test_outsiders_cannot_write_for_a_network(personas, network):
    for person in (personas.resident, personas.other_administrator):
        with pytest.raises(PermissionDenied):
            services.create_case(actor=person, network=network, data=case_input())


def test_only_a_network_has_cases(personas, network):
    with pytest.raises(PermissionDenied):
        services.create_case(actor=personas.member, network=personas.other_organisation, data=case_input())


def test_invalid_input_is_refused(personas, network):
    with pytest.raises(ValidationError) as error:
        services.create_case(
            actor=personas.member, network=network, data=case_input(methods=("telepathy",), currency="")
        )
    assert set(error.value.error_dict) == {"methods", "currency"}


def test_submit_notifies_editors_and_publish_puts_it_on_the_map(personas, network, django_capture_on_commit_callbacks):
    case = services.create_case(actor=personas.member, network=network, data=case_input())
    assert features() == []
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_case(actor=personas.member, case=case)
    editors = set(Notification.objects.filter(kind="cases.review_needed").values_list("recipient__email", flat=True))
    assert editors == {"coordinator@example.org", "administrator@example.org"}
    with pytest.raises(PermissionDenied):
        services.decide_case(actor=personas.member, case=case, decision="publish")
    with pytest.raises(PermissionDenied):
        services.decide_case(actor=personas.moderator, case=case, decision="publish")
    with django_capture_on_commit_callbacks(execute=True):
        case = services.decide_case(actor=personas.coordinator, case=case, decision="publish")
    assert case.status == CaseStatus.PUBLISHED and case.published_at is not None
    assert [feature["properties"]["title"] for feature in features()] == [case.title]
    assert AuditEntry.objects.filter(action="cases.case_published", organisation=network).exists()
    assert Notification.objects.filter(recipient=personas.member, kind="cases.reviewed").exists()


def test_return_needs_a_message_and_the_author_resubmits(personas, network):
    case = services.create_case(actor=personas.member, network=network, data=case_input())
    services.submit_case(actor=personas.member, case=case)
    with pytest.raises(ValidationError) as error:
        services.decide_case(actor=personas.administrator, case=case, decision="return", note="  ")
    assert error.value.error_dict["note"][0].code == "note_needed"
    case = services.decide_case(actor=personas.administrator, case=case, decision="return", note="Add photos.")
    assert case.status == CaseStatus.RETURNED and case.review_note == "Add photos."
    services.submit_case(actor=personas.member, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_a_decided_case_cannot_be_decided_again(personas, network):
    case = services.create_case(actor=personas.member, network=network, data=case_input())
    services.submit_case(actor=personas.member, case=case)
    services.decide_case(actor=personas.coordinator, case=case, decision="publish")
    with pytest.raises(ValidationError) as error:
        services.decide_case(actor=personas.administrator, case=case, decision="return", note="No.")
    assert error.value.code == "already_decided"


def test_submitting_an_incomplete_draft_says_what_is_missing(personas, network):
    case = services.create_case(
        actor=personas.member, network=network, data=case_input(latitude=None, longitude=None, started_on=None)
    )
    with pytest.raises(ValidationError) as error:
        services.submit_case(actor=personas.member, case=case)
    assert error.value.code == "incomplete"
    assert "a point on the map" in error.value.messages[0]


def published_case(personas, network):
    case = services.create_case(actor=personas.member, network=network, data=case_input())
    services.submit_case(actor=personas.member, case=case)
    return services.decide_case(actor=personas.coordinator, case=case, decision="publish")


def test_authors_changes_to_a_published_case_wait_for_review(personas, network, django_capture_on_commit_callbacks):
    case = published_case(personas, network)
    before = features()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_case(actor=personas.member, case=case, data=case_input(title="Renamed"), note="New title")
    case.refresh_from_db()
    assert case.title == "Participatory budget of Kolín" and case.status == CaseStatus.PUBLISHED
    assert features() == before
    pending = services.pending_changes(case)
    assert pending.data["title"] == "Renamed" and pending.note == "New title"
    # A second proposal replaces the first one.
    services.update_case(actor=personas.member, case=case, data=case_input(title="Renamed again"))
    assert case.revisions.filter(is_pending=True).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_changes(actor=personas.administrator, case=case, decision="publish")
    case.refresh_from_db()
    assert case.title == "Renamed again"
    assert [feature["properties"]["title"] for feature in features()] == ["Renamed again"]
    assert services.pending_changes(case) is None
    with pytest.raises(ValidationError) as error:
        services.decide_changes(actor=personas.coordinator, case=case, decision="publish")
    assert error.value.code == "no_pending_changes"


def test_returned_changes_leave_the_published_text(personas, network):
    case = published_case(personas, network)
    services.update_case(actor=personas.member, case=case, data=case_input(title="Worse"))
    services.decide_changes(actor=personas.coordinator, case=case, decision="return", note="Keep the old title.")
    case.refresh_from_db()
    assert case.title == "Participatory budget of Kolín"
    assert case.revisions.order_by("-number").first().kind == RevisionKind.CHANGES_RETURNED


def test_editor_edits_a_published_case_at_once(personas, network, django_capture_on_commit_callbacks):
    case = published_case(personas, network)
    features()  # cached
    with django_capture_on_commit_callbacks(execute=True):
        services.update_case(actor=personas.coordinator, case=case, data=case_input(title="Fixed typo"))
    assert [feature["properties"]["title"] for feature in features()] == ["Fixed typo"]
    assert AuditEntry.objects.filter(action="cases.case_edited").exists()


def test_unpublish_takes_it_off_the_map_and_resolves_reports(personas, network, django_capture_on_commit_callbacks):
    from veche.contributions.models import Report
    from veche.contributions.services import report_content

    case = published_case(personas, network)
    report_content(reporter=personas.resident, target=case, reason="spam", explanation="Advertising")
    with pytest.raises(ValidationError):
        services.unpublish_case(actor=personas.coordinator, case=case, note="")
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish_case(actor=personas.coordinator, case=case, note="Advertising, not a process.")
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED
    assert features() == []
    assert Report.objects.get().status == "resolved"


def test_author_deletes_a_draft_but_not_a_published_case(personas, network):
    draft = services.create_case(actor=personas.member, network=network, data=case_input())
    services.delete_case(actor=personas.member, case=draft)
    case = published_case(personas, network)
    with pytest.raises(PermissionDenied):
        services.delete_case(actor=personas.member, case=case)
    services.delete_case(actor=personas.administrator, case=case)
    assert features() == []


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_builds_the_same_geojson_as_python(personas, network):
    from veche.cases.geojson import build_feature_collection, build_on_postgresql
    from veche.cases.tests.factories import make_case

    make_case(network=network, title="Kolín „PB“ & co", methods=("participatory_budgeting", "survey"))
    make_case(network=network, title="Gdańsk", country="PL", methods=("citizens_panel",), latitude=None, longitude=None)
    make_case(network=network, title="Łódź", country="PL", methods=("citizens_panel",), started_on=None)
    for filters in (CaseFilters(), CaseFilters(method="citizens_panel"), CaseFilters(country="CZ", year=2024)):
        for base in ("", "https://veche.example.org"):
            assert json.loads(build_on_postgresql(filters, base=base)) == build_feature_collection(filters, base=base)
