"""The report page and the moderation queue through the test client."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veche.contributions import services
from veche.contributions.models import Report
from veche.participation.tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


def report_url(process) -> str:
    return reverse("contributions:report", kwargs={"label": "participation.process", "object_id": process.pk})


def test_anonymous_visitors_are_asked_to_sign_in(client, personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    response = client.get(report_url(process))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_report_page_quotes_the_content_and_files_the_report(client, personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    client.force_login(personas.resident)
    page = client.get(report_url(process))
    assert page.status_code == 200
    assert f"Excerpt of {process.title}" in page.content.decode()
    response = client.post(report_url(process), {"reason": "abuse", "explanation": "Insults a neighbour."})
    assert response.status_code == 302
    assert response["Location"] == process.get_absolute_url()
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.explanation) == (personas.resident, "abuse", "Insults a neighbour.")


def test_a_second_report_is_explained_on_the_form(client, personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    client.force_login(personas.resident)
    client.post(report_url(process), {"reason": "spam"})
    response = client.post(report_url(process), {"reason": "spam"})
    assert response.status_code == 200
    assert "You have already reported this" in response.content.decode()
    assert Report.objects.count() == 1


def test_unknown_kinds_and_invisible_content_are_not_found(client, personas, reportable_process):
    client.force_login(personas.resident)
    draft = ProcessFactory(organisation=personas.organisation, is_published=False)
    assert client.get(report_url(draft)).status_code == 404
    url = reverse("contributions:report", kwargs={"label": "accounts.user", "object_id": personas.resident.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 403),
        ("member", 403),
        ("expert", 403),
        ("other_administrator", 403),
        ("moderator", 200),
        ("coordinator", 200),
        ("administrator", 200),
        ("superuser", 200),
    ],
)
def test_who_sees_the_queue(client, personas, reportable_process, persona, status):
    client.force_login(personas.get(persona))
    url = reverse("contributions:queue", kwargs={"org_slug": personas.organisation.slug})
    assert client.get(url).status_code == status


def _report_many(personas, count: int) -> None:
    for index in range(count):
        process = ProcessFactory(organisation=personas.organisation, title_en=f"Reported {index}")
        services.report_content(reporter=personas.resident, target=process, reason="spam")
        services.report_content(reporter=personas.member, target=process, reason="abuse")


def _queue_queries(client, personas) -> tuple[int, str]:
    url = reverse("contributions:queue", kwargs={"org_slug": personas.organisation.slug})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_queue_groups_reports_by_content_with_a_constant_number_of_queries(client, personas, reportable_process):
    client.force_login(personas.moderator)
    _report_many(personas, 1)
    one, html = _queue_queries(client, personas)
    assert "2 reports" in html and "Excerpt of Reported 0" in html
    _report_many(personas, 12)
    many, html = _queue_queries(client, personas)
    assert html.count("Excerpt of Reported") == 13
    assert many == one


def test_empty_queue_says_so(client, personas, reportable_process):
    client.force_login(personas.moderator)
    _count, html = _queue_queries(client, personas)
    assert "Nothing here" in html


def test_dismissing_from_the_queue(client, personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    report = services.report_content(reporter=personas.resident, target=process, reason="spam")
    services.report_content(reporter=personas.member, target=process, reason="spam")
    client.force_login(personas.moderator)
    url = reverse("contributions:dismiss", kwargs={"org_slug": personas.organisation.slug, "report_id": report.pk})
    assert client.post(url, {"note": ""}).status_code == 302
    assert Report.objects.open().count() == 2
    client.post(url, {"note": "A fair opinion."})
    assert not Report.objects.open().exists()
    decided = client.get(
        reverse("contributions:queue", kwargs={"org_slug": personas.organisation.slug}) + "?status=dismissed"
    )
    assert "A fair opinion." in decided.content.decode()


def test_a_moderator_of_another_organisation_cannot_dismiss(client, personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    report = services.report_content(reporter=personas.resident, target=process, reason="spam")
    client.force_login(personas.other_administrator)
    url = reverse("contributions:dismiss", kwargs={"org_slug": personas.organisation.slug, "report_id": report.pk})
    assert client.post(url, {"note": "Mine now."}).status_code == 403
    other_url = reverse(
        "contributions:dismiss", kwargs={"org_slug": personas.other_organisation.slug, "report_id": report.pk}
    )
    assert client.post(other_url, {"note": "Mine now."}).status_code == 404
    assert Report.objects.open().count() == 1


def test_the_organisation_page_links_moderators_to_the_queue(client, personas, reportable_process):
    process = ProcessFactory(organisation=personas.organisation)
    services.report_content(reporter=personas.resident, target=process, reason="spam")
    url = personas.organisation.get_absolute_url()
    queue = reverse("contributions:queue", kwargs={"org_slug": personas.organisation.slug})
    client.force_login(personas.moderator)
    assert queue in client.get(url).content.decode()
    client.force_login(personas.member)
    assert queue not in client.get(url).content.decode()
