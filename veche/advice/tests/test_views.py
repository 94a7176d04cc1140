"""The pages of advice on request through the test client: who sees what, the forms, query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veche.advice import services
from veche.advice.choices import AdviceStatus
from veche.advice.models import AdviceRequest
from veche.advice.tests.factories import AdviceMessageFactory, make_expert

pytestmark = pytest.mark.django_db


def detail_url(request) -> str:
    return reverse("advice:detail", kwargs={"pk": request.pk})


def test_a_member_asks_through_the_form(client, cast):
    client.force_login(cast.requester)
    url = reverse("advice:ask", kwargs={"network_slug": cast.network.slug})
    page = client.get(url)
    assert page.status_code == 200
    assert cast.municipality.name in page.content.decode()
    response = client.post(
        url,
        {
            "on_behalf": str(cast.municipality.pk),
            "title": "Evaluating our consultation",
            "stage": "evaluating",
            "method": "consultation",
            "description": "We finished a consultation on the square and want to evaluate it properly.",
            "preferred_language": "cs",
            "wanted_from": "",
            "deadline": "",
        },
    )
    request = AdviceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(request)
    assert request.requester_organisation == cast.municipality


def test_the_form_explains_errors(client, cast):
    client.force_login(cast.requester)
    url = reverse("advice:ask", kwargs={"network_slug": cast.network.slug})
    response = client.post(
        url,
        {"on_behalf": "self", "title": "x", "stage": "other", "description": "too short", "preferred_language": "cs"},
    )
    assert response.status_code == 200
    assert "at least 20 characters" in response.content.decode()
    assert not AdviceRequest.objects.exists()


def test_non_members_are_told_who_may_ask(client, cast):
    client.force_login(cast.resident)
    response = client.get(reverse("advice:ask", kwargs={"network_slug": cast.network.slug}))
    assert response.status_code == 403
    assert "Advice is for members" in response.content.decode()
    assert client.get(reverse("advice:ask", kwargs={"network_slug": cast.municipality.slug})).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("resident", 404),
        ("other_expert", 404),
        ("other_coordinator", 404),
        ("requester", 200),
        ("requester_colleague", 200),
        ("expert", 200),
        ("coordinator", 200),
        ("superuser", 200),
    ],
)
def test_who_sees_a_request(client, cast, persona, status):
    request = cast.request(AdviceStatus.ASSIGNED)
    client.force_login(cast.get(persona))
    assert client.get(detail_url(request)).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(detail_url(cast.request()))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_whole_journey_through_the_pages(client, cast):
    request = cast.request()
    client.force_login(cast.coordinator)
    page = client.get(reverse("advice:assign", kwargs={"pk": request.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert body.index(cast.expert.display_name) < body.index(cast.other_expert.display_name)  # cs, CZ, same region
    response = client.post(
        reverse("advice:assign", kwargs={"pk": request.pk}), {"expert": cast.expert.pk, "expected_expert": ""}
    )
    assert response.status_code == 302
    client.force_login(cast.expert)
    response = client.post(
        detail_url(request),
        {"body": "Here is a plan.", "files": [SimpleUploadedFile("plan.pdf", b"%PDF-1.4 x")]},
    )
    assert response.status_code == 302
    message = request.messages.get()
    assert response["Location"] == message.get_absolute_url()
    response = client.post(reverse("advice:close", kwargs={"pk": request.pk}), {"summary": "Two rounds, one walk."})
    assert response.status_code == 302
    client.force_login(cast.requester)
    page = client.get(detail_url(request)).content.decode()
    assert "Two rounds, one walk." in page and "plan.pdf" in page and reverse("advice:rate", args=[request.pk]) in page
    response = client.post(reverse("advice:rate", kwargs={"pk": request.pk}), {"rating": "4", "comment": "Good"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.rating) == (AdviceStatus.CLOSED, 4)


def test_actions_refuse_the_wrong_people(client, cast):
    request = cast.request(AdviceStatus.ASSIGNED)
    client.force_login(cast.requester)
    assert client.get(reverse("advice:assign", kwargs={"pk": request.pk})).status_code == 403
    assert client.get(reverse("advice:close", kwargs={"pk": request.pk})).status_code == 403
    client.force_login(cast.requester_colleague)
    assert client.post(detail_url(request), {"body": "Hello"}).status_code == 403
    client.force_login(cast.other_coordinator)
    assert client.get(reverse("advice:decline", kwargs={"pk": request.pk})).status_code == 404


def test_attachments_are_served_only_to_the_people_in_the_request(client, cast):
    request = cast.request(AdviceStatus.ASSIGNED)
    message = services.post_message(
        actor=cast.expert, request=request, body="File", files=[SimpleUploadedFile("rules.pdf", b"%PDF-1.4 rules")]
    )
    url = message.attachments.get().get_absolute_url()
    client.force_login(cast.requester)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 rules"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(cast.other_expert)
    assert client.get(url).status_code == 404
    services.hide_message(actor=cast.coordinator, message=message, reason="Wrong file")
    client.force_login(cast.requester)
    assert client.get(url).status_code == 404
    client.force_login(cast.coordinator)
    assert client.get(url).status_code == 200


def test_a_hidden_message_shows_the_reason_only(client, cast):
    request = cast.request(AdviceStatus.IN_PROGRESS)
    message = AdviceMessageFactory(request=request, author=cast.expert, body="Secret advertising")
    client.force_login(cast.coordinator)
    response = client.post(reverse("advice:hide_message", kwargs={"pk": message.pk}), {"reason": "Advertising"})
    assert response.status_code == 302
    client.force_login(cast.requester)
    page = client.get(detail_url(request)).content.decode()
    assert "Secret advertising" not in page and "Advertising" in page


def test_the_report_link_leads_to_the_report_form(client, cast):
    request = cast.request(AdviceStatus.IN_PROGRESS)
    message = AdviceMessageFactory(request=request, author=cast.expert)
    client.force_login(cast.requester)
    url = reverse("contributions:report", kwargs={"label": "advice.advicemessage", "object_id": message.pk})
    assert url in client.get(detail_url(request)).content.decode()
    assert client.get(url).status_code == 200
    client.force_login(cast.other_expert)
    assert client.get(url).status_code == 404


def _fill(cast, count: int) -> None:
    municipality_requests = [cast.request(status) for status in (AdviceStatus.NEW, AdviceStatus.IN_PROGRESS)]
    for index in range(count):
        request = cast.request(AdviceStatus.ASSIGNED if index % 2 else AdviceStatus.NEW, title=f"Request {index}")
        AdviceMessageFactory(request=request, author=cast.requester)
    return municipality_requests


@pytest.mark.parametrize("url_name", ["advice:queue", "advice:mine"])
def test_list_pages_need_a_fixed_number_of_queries(client, cast, url_name):
    kwargs = {"network_slug": cast.network.slug} if url_name == "advice:queue" else {}
    user = cast.coordinator if url_name == "advice:queue" else cast.requester
    client.force_login(user)
    url = reverse(url_name, kwargs=kwargs)
    _fill(cast, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _fill(cast, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and "Request 11" in response.content.decode()
    assert len(many) == len(few)


def test_the_request_page_needs_a_fixed_number_of_queries(client, cast):
    request = cast.request(AdviceStatus.IN_PROGRESS)
    client.force_login(cast.coordinator)
    AdviceMessageFactory(request=request, author=cast.expert)
    with CaptureQueriesContext(connection) as few:
        assert client.get(detail_url(request)).status_code == 200
    for index in range(10):
        message = services.post_message(
            actor=cast.expert,
            request=request,
            body=f"Message {index}",
            files=[SimpleUploadedFile(f"n{index}.txt", b"note")],
        )
        assert message.pk
    with CaptureQueriesContext(connection) as many:
        assert client.get(detail_url(request)).status_code == 200
    assert len(many) == len(few)


def test_the_assign_page_needs_a_fixed_number_of_queries(client, cast):
    request = cast.request()
    client.force_login(cast.coordinator)
    url = reverse("advice:assign", kwargs={"pk": request.pk})
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for index in range(8):
        make_expert(cast.network, methods=("consultation", "survey"), region=f"Region {index}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url + "?all=1").status_code == 200
    assert len(many) == len(few)


def test_every_practitioner_can_be_listed_a_page_at_a_time(client, cast):
    request = cast.request()
    for index in range(30):
        make_expert(cast.network, languages=("de",), country="DE", region=f"Land {index}", methods=("survey",))
    client.force_login(cast.coordinator)
    url = reverse("advice:assign", kwargs={"pk": request.pk})
    first = client.get(url + "?all=1").content.decode()
    assert first.count('name="expert"') == 25 and "page=2" in first
    assert first.index(cast.expert.display_name) < first.index(cast.other_expert.display_name)
    assert client.get(url + "?all=1&page=2").content.decode().count('name="expert"') == 7


def test_queue_filters(client, cast):
    cast.request(title="Planning a panel", method="citizens_panel")
    cast.request(AdviceStatus.CLOSED, title="Closed one")
    cast.request(title="Polish one", preferred_language="pl")
    client.force_login(cast.coordinator)
    url = reverse("advice:queue", kwargs={"network_slug": cast.network.slug})
    page = client.get(url).content.decode()
    assert "Planning a panel" in page and "Closed one" not in page
    assert "Closed one" in client.get(url, {"status": "closed"}).content.decode()
    only_pl = client.get(url, {"language": "pl"}).content.decode()
    assert "Polish one" in only_pl and "Planning a panel" not in only_pl
    assert "Planning a panel" not in client.get(url, {"method": "survey"}).content.decode()
    assert client.get(url, {"status": "bogus"}).status_code == 200
    client.force_login(cast.expert)
    assert client.get(url).status_code == 403


def test_the_rate_limit_applies_to_messages(client, cast, settings):
    settings.VECHE_WRITE_RATE = "2/m"
    request = cast.request(AdviceStatus.ASSIGNED)
    client.force_login(cast.expert)
    codes = [client.post(detail_url(request), {"body": f"Note {index}"}).status_code for index in range(3)]
    assert codes == [302, 302, 429]
