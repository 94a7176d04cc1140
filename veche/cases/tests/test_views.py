"""The pages through the client: map, list, GeoJSON, case page, writing, review, history, from a finished process;
query counts that do not grow with the number of cases."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.urls import reverse

from veche.cases import services
from veche.cases.choices import CaseStatus
from veche.cases.models import Case
from veche.cases.tests.factories import case_input, make_case
from veche.core.testing.factories import NetworkFactory

pytestmark = pytest.mark.django_db


def post_data(**overrides):
    data = {
        "language": "cs",
        "title": "Participativní rozpočet Kolína",
        "summary": "Obyvatelé navrhli a vybrali projekty.",
        "municipality": "Kolín",
        "region": "Středočeský kraj",
        "country": "CZ",
        "latitude": "50.0281",
        "longitude": "15.2006",
        "area": "",
        "started_on": "2024-03-01",
        "ended_on": "2024-10-31",
        "methods": ["participatory_budgeting"],
        "topics": ["public_space"],
        "organiser": "Město Kolín",
        "participants": "1200",
        "participants_note": "",
        "budget": "2000000",
        "currency": "czk",
        "results": "Osm projektů.",
        "changes": "",
        "lessons": "",
        "links": "Zpráva | https://example.org/zprava.pdf\nhttps://example.org/",
    }
    data.update(overrides)
    return data


def test_map_page_lists_published_cases_and_points_to_the_data(client, personas, network):
    make_case(network=network, title="Published one")
    make_case(network=network, title="A draft", status=CaseStatus.DRAFT)
    response = client.get(reverse("cases:map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Published one" in html and "A draft" not in html
    assert 'data-url="/en/map/cases.geojson"' in html
    assert "<script>" not in html  # no inline script (strict CSP)


def test_filters_apply_to_the_list_and_the_data_url(client, personas, network):
    make_case(network=network, title="Kolín PB", methods=("participatory_budgeting",), country="CZ")
    make_case(network=network, title="Panel", methods=("citizens_panel",), country="PL", municipality="Gdańsk")
    response = client.get(reverse("cases:list"), {"method": "citizens_panel"})
    html = response.content.decode()
    assert "Panel" in html and "Kolín PB" not in html
    response = client.get(reverse("cases:map"), {"country": "PL", "year": "2024", "bogus": "x"})
    assert 'data-url="/en/map/cases.geojson?country=PL&amp;year=2024"' in response.content.decode()
    data = json.loads(client.get(reverse("cases:geojson"), {"municipality": "gdań"}).content)
    assert [feature["properties"]["title"] for feature in data["features"]] == ["Panel"]


def test_invalid_filters_are_ignored(client, personas, network):
    make_case(network=network, title="Budget")
    response = client.get(reverse("cases:list"), {"method": "nonsense", "year": "abc"})
    assert response.status_code == 200 and "Budget" in response.content.decode()


def test_empty_map_says_so(client, db):
    response = client.get(reverse("cases:map"))
    assert "No cases on the map yet" in response.content.decode()


def test_geojson_is_points_with_popups(client, personas, network):
    case = make_case(
        network=network,
        title="Budget",
        area={"type": "Polygon", "coordinates": [[[15, 50], [15.1, 50], [15.1, 50.1], [15, 50]]]},
    )
    response = client.get(reverse("cases:geojson"))
    assert response["Content-Type"] == "application/geo+json"
    feature = json.loads(response.content)["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [15.2006, 50.0281]}
    assert feature["properties"]["url"] == f"/en/map/{case.pk}/"
    assert feature["properties"]["methods"] == ["participatory_budgeting"]
    assert feature["properties"]["municipality"] == "Kolín" and feature["properties"]["year"] == 2024


@pytest.mark.parametrize("count", [1, 12])
def test_list_and_data_query_counts_do_not_grow(client, personas, network, count, django_assert_num_queries):
    for index in range(count):
        make_case(network=network, title=f"Case {index}")
    # filter form (years, networks), count, page, methods, topics, photos.
    with django_assert_num_queries(7):
        client.get(reverse("cases:list"))
    with django_assert_num_queries(7):
        client.get(reverse("cases:map"))
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        client.get(reverse("cases:geojson"))
    with django_assert_num_queries(0):
        client.get(reverse("cases:geojson"))  # cached


@pytest.mark.parametrize("count", [1, 8])
def test_case_page_query_count_does_not_grow(client, personas, network, count, django_assert_num_queries):
    case = make_case(network=network)
    for index in range(count):
        case.photos.create(image=f"cases/{case.pk}/p{index}.jpg", alt=f"Photo {index}")
    with django_assert_num_queries(5):  # case with network/organisation/author, methods, topics, photos, pending
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200


def test_unpublished_cases_are_hidden(client, personas, network):
    draft = make_case(network=network, author=personas.member, status=CaseStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(personas.resident)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(personas.member)
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.force_login(personas.coordinator)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_member_writes_submits_and_editor_publishes(client, personas, network):
    client.force_login(personas.member)
    response = client.get(reverse("cases:create"))
    assert response.status_code == 200
    response = client.post(reverse("cases:create"), post_data(network=network.pk))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert case.currency == "CZK"
    assert case.links == [
        ["Zpráva", "https://example.org/zprava.pdf"],
        ["https://example.org/", "https://example.org/"],
    ]
    response = client.post(reverse("cases:submit", kwargs={"pk": case.pk}))
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    client.force_login(personas.coordinator)
    queue = client.get(reverse("cases:review_queue")).content.decode()
    assert case.title in queue
    assert client.get(reverse("cases:review", kwargs={"pk": case.pk})).status_code == 200
    response = client.post(reverse("cases:review", kwargs={"pk": case.pk}), {"decision": "return", "note": ""})
    assert response.status_code == 200 and "Tell the author what to change." in response.content.decode()
    client.post(reverse("cases:review", kwargs={"pk": case.pk}), {"decision": "publish", "note": ""})
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED
    data = json.loads(client.get(reverse("cases:geojson")).content)
    assert [feature["id"] for feature in data["features"]] == [case.pk]


def test_form_refuses_bad_input_with_clear_messages(client, personas, network):
    client.force_login(personas.member)
    bad = post_data(
        network=network.pk,
        area='{"type": "Point", "coordinates": [15, 50]}',
        ended_on="2020-01-01",
        links="not a link",
        budget="100",
        currency="",
    )
    html = client.post(reverse("cases:create"), bad).content.decode()
    assert "The area must be a Polygon or a MultiPolygon." in html
    assert "The end is before the start." in html
    assert "Line 1 is not a web address" in html
    assert "Say in which currency the budget is." in html
    assert not Case.objects.exists()


def test_people_outside_networks_are_told_how_to_join(client, personas, network):
    client.force_login(personas.resident)
    response = client.get(reverse("cases:create"))
    assert response.status_code == 403
    assert "Cases are written by members of a network" in response.content.decode()


def test_author_edits_published_case_and_editor_reviews_the_changes(client, personas, network):
    case = services.create_case(actor=personas.member, network=network, data=case_input())
    services.submit_case(actor=personas.member, case=case)
    services.decide_case(actor=personas.coordinator, case=case, decision="publish")
    client.force_login(personas.member)
    edit = reverse("cases:edit", kwargs={"pk": case.pk})
    assert "Send the changes for review" in client.get(edit).content.decode()
    client.post(edit, post_data(title="New title", note="Better title"))
    case.refresh_from_db()
    assert case.title == "Participatory budget of Kolín"
    assert "New title" in client.get(edit).content.decode()  # the author continues from the proposal
    client.force_login(personas.administrator)
    html = client.get(reverse("cases:review", kwargs={"pk": case.pk})).content.decode()
    assert "What the author changed" in html and "New title" in html
    client.post(reverse("cases:review", kwargs={"pk": case.pk}), {"decision": "publish", "note": ""})
    case.refresh_from_db()
    assert case.title == "New title"
    history = client.get(reverse("cases:history", kwargs={"pk": case.pk}))
    assert history.status_code == 200
    assert "Changes proposed to the published case" in history.content.decode()
    version = client.get(reverse("cases:revision", kwargs={"pk": case.pk, "number": 1}))
    assert "Participatory budget of Kolín" in version.content.decode()
    client.force_login(personas.member)
    assert client.get(reverse("cases:history", kwargs={"pk": case.pk})).status_code == 403


def test_photos_are_reencoded_without_gps(client, personas, network):
    from PIL import Image

    from veche.core.tests.imaging import GPS_IFD, image_bytes, upload

    case = services.create_case(actor=personas.member, network=network, data=case_input())
    client.force_login(personas.member)
    photo_file = upload(image_bytes("JPEG", gps=True), "meeting.jpg", "image/jpeg")
    response = client.post(reverse("cases:photos", kwargs={"pk": case.pk}), {"image": photo_file, "alt": "The meeting"})
    assert response.status_code == 302
    photo = case.photos.get()
    with photo.image.open("rb") as handle, Image.open(handle) as image:
        assert not image.getexif().get_ifd(GPS_IFD)
    client.post(reverse("cases:photo_delete", kwargs={"pk": case.pk, "photo_id": photo.pk}))
    assert not case.photos.exists()


def test_unpublish_page(client, personas, network):
    case = make_case(network=network)
    client.force_login(personas.coordinator)
    url = reverse("cases:unpublish", kwargs={"pk": case.pk})
    assert client.get(url).status_code == 200
    client.post(url, {"note": "Not a participatory process."})
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED


def test_other_networks_editors_cannot_review(client, personas, network):
    other = NetworkFactory()
    case = make_case(network=other, status=CaseStatus.SUBMITTED)
    client.force_login(personas.coordinator)
    assert client.get(reverse("cases:review", kwargs={"pk": case.pk})).status_code == 404
