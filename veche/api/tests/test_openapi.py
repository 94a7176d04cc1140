"""The OpenAPI document is the contract: every operation declares its errors and security; the docs page works under
the site's strict Content Security Policy."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(openapi: dict):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_the_document_describes_the_api(openapi):
    assert openapi["info"]["title"] == "veche API"
    assert openapi["info"]["version"] == "1"
    assert set(openapi["paths"]) == {
        "/api/v1/me",
        "/api/v1/organisations",
        "/api/v1/organisations/{slug}",
        "/api/v1/organisations/{slug}/members",
        "/api/v1/budgets/editions",
        "/api/v1/budgets/editions/{edition_id}",
        "/api/v1/budgets/editions/{edition_id}/pools",
        "/api/v1/budgets/editions/{edition_id}/projects",
        "/api/v1/budgets/editions/{edition_id}/pools/{pool_id}/results",
        "/api/v1/budgets/editions/{edition_id}/pools/{pool_id}/ballots",
        "/api/v1/budgets/editions/{edition_id}/pools/{pool_id}/pabulib",
        "/api/v1/cases",
        "/api/v1/cases/geojson",
        "/api/v1/cases/{case_id}",
        "/api/v1/advice/requests",
        "/api/v1/advice/requests/{request_id}",
        "/api/v1/consultations",
        "/api/v1/consultations/{consultation_id}",
        "/api/v1/consultations/{consultation_id}/documents",
        "/api/v1/consultations/{consultation_id}/documents/{document_id}",
        "/api/v1/consultations/{consultation_id}/contributions",
        "/api/v1/consultations/{consultation_id}/responses",
        "/api/v1/consultations/{consultation_id}/themes",
        "/api/v1/consultations/{consultation_id}/report",
        "/api/v1/consultations/{consultation_id}/survey",
        "/api/v1/consultations/{consultation_id}/survey/results",
        "/api/v1/network/networks",
        "/api/v1/network/networks/{slug}",
        "/api/v1/network/networks/{slug}/members",
        "/api/v1/network/practitioners",
        "/api/v1/network/practitioners/{profile_id}",
    }


def test_every_operation_documents_the_errors_it_can_give(openapi):
    for name, operation in operations(openapi):
        codes = set(operation["responses"])
        assert {"200", "401", "403", "422", "429", "500"} <= codes, name
        for code in codes - {"200"}:
            schema = operation["responses"][code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (name, code)
    assert "404" in openapi["paths"]["/api/v1/organisations/{slug}"]["get"]["responses"]
    assert "404" in openapi["paths"]["/api/v1/organisations/{slug}/members"]["get"]["responses"]


def test_security_schemes_and_which_operations_are_public(openapi):
    schemes = openapi["components"]["securitySchemes"]
    assert schemes["TokenAuth"]["type"] == "http"
    assert schemes["TokenAuth"]["scheme"] == "bearer"
    assert schemes["SessionAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
        "description": schemes["SessionAuth"]["description"],
    }
    for name, operation in operations(openapi):
        expected = [{"TokenAuth": []}, {"SessionAuth": []}]
        if name != "GET /api/v1/me" and not name.startswith("GET /api/v1/advice/"):
            expected.append({})  # anonymous allowed
        assert operation["security"] == expected, name


def test_every_operation_accepts_the_language_parameter(openapi):
    for name, operation in operations(openapi):
        lang = [parameter for parameter in operation["parameters"] if parameter["name"] == "lang"]
        assert len(lang) == 1, name
    assert openapi["components"]["schemas"]["Language"]["enum"] == ["cs", "pl", "en"]


def test_list_operations_document_pagination(openapi):
    operation = openapi["paths"]["/api/v1/organisations"]["get"]
    limit = next(parameter for parameter in operation["parameters"] if parameter["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 100)
    paged = openapi["components"]["schemas"]["PagedOrganisationSummary"]
    assert set(paged["required"]) == {"count", "next", "previous", "items"}


def test_the_interactive_docs_work_under_the_strict_csp(client):
    """Swagger UI is served from ninja's static files with no inline script; the CSP stays the site's strict one."""
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        # Either a file from our own origin, or a JSON data block (not executed, so not subject to script-src).
        assert re.search(r'src="/static/', tag) or 'type="application/json"' in tag, tag
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert not re.search(r"\sstyle\s*=|\son[a-z]+\s*=", html)
    assert client.get("/static/ninja/swagger-ui-init.js").status_code == 200
