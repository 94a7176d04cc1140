"""The API of the map of participation: published cases as a list, one case, and GeoJSON with the same filters."""

from __future__ import annotations

import pytest

from veche.cases.choices import CaseStatus
from veche.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_list_shows_published_cases_with_filters(client, personas, network):
    make_case(network=network, title="Kolín PB")
    make_case(network=network, title="Gdańsk panel", country="PL", methods=("citizens_panel",))
    make_case(network=network, title="Draft", status=CaseStatus.DRAFT)
    body = client.get("/api/v1/cases").json()
    assert body["count"] == 2
    body = client.get("/api/v1/cases", {"method": "citizens_panel", "lang": "cs"}).json()
    assert [item["title"] for item in body["items"]] == ["Gdańsk panel"]
    assert body["items"][0]["methods"] == [{"key": "citizens_panel", "name": "Občanský panel nebo shromáždění"}]
    assert client.get("/api/v1/cases", {"method": "telepathy"}).status_code == 422


@pytest.mark.parametrize("count", [1, 10])
def test_list_query_count_does_not_grow(client, personas, network, count, django_assert_num_queries):
    for index in range(count):
        make_case(network=network, title=f"Case {index}")
    with django_assert_num_queries(4):  # count, page, methods, topics
        assert client.get("/api/v1/cases").status_code == 200


def test_detail_and_hidden_cases(client, personas, network):
    case = make_case(
        network=network,
        area={"type": "Polygon", "coordinates": [[[15, 50], [15.1, 50], [15.1, 50.1], [15, 50]]]},
        links=(("Report", "https://example.org/r.pdf"),),
    )
    body = client.get(f"/api/v1/cases/{case.pk}").json()
    assert body["status"] == "published"
    assert body["area"]["type"] == "Polygon"
    assert body["links"] == [{"label": "Report", "url": "https://example.org/r.pdf"}]
    assert body["page_url"].endswith(f"/map/{case.pk}/")
    draft = make_case(network=network, status=CaseStatus.DRAFT, author=personas.member)
    response = client.get(f"/api/v1/cases/{draft.pk}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    client.force_login(personas.member)
    assert client.get(f"/api/v1/cases/{draft.pk}").status_code == 200


def test_geojson_is_absolute_and_filtered(client, personas, network):
    case = make_case(network=network, title="Kolín PB")
    make_case(network=network, title="Gdańsk", country="PL")
    response = client.get("/api/v1/cases/geojson", {"country": "CZ"})
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert [feature["id"] for feature in features] == [case.pk]
    assert features[0]["properties"]["url"] == f"http://testserver/en/map/{case.pk}/"
