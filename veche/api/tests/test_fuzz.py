"""Fuzz every operation from the API's own OpenAPI document (schemathesis): no server error, no undocumented status
code, every response matching its declared schema, invalid input refused. The schema is loaded from the WSGI
application and requests are made in-process, so they see the test database (SQLite or PostgreSQL).

schemathesis' pytest plugin (`from_fixture`) does not work with pytest 9.2, so each operation is a plain
parametrised test that runs schemathesis' Hypothesis strategy for it.
"""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from veche.api.site import api
from veche.api.tests.conftest import make_token
from veche.core.testing.factories import AffiliationFactory, NetworkFactory, OrganisationFactory, RoleFactory
from veche.organisations.choices import Country, OrganisationKind
from veche.organisations.models import Organisation

FUZZ = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, read from the same OpenAPI document the test loads over WSGI."""
    document = api.get_openapi_schema()
    return [(method.upper(), path) for path, methods in document["paths"].items() for method in methods]


def _directory() -> None:
    """A few organisations so that generated requests also hit existing slugs, filters and members."""
    network = NetworkFactory(slug="hub", name="Hub", name_cs="Uzel", name_pl="Węzeł")
    town = OrganisationFactory(slug="a", name="Alpha", name_pl="Alfa", country=Country.PL, population=1000)
    OrganisationFactory(slug="b", name="Beta", kind=OrganisationKind.NGO, description="Helps.", country=Country.CZ)
    hidden = OrganisationFactory(slug="c", name="Hidden", is_published=False)
    AffiliationFactory(network=network, organisation=town)
    AffiliationFactory(network=network, organisation=hidden)
    AffiliationFactory(network=NetworkFactory(slug="0"), organisation=town, left_on=datetime.date(2024, 5, 1))


@pytest.fixture
def api_schema(db, settings):
    from config.wsgi import application

    settings.VECHE_API_RATE = "1000000/m"
    _directory()
    # As Django's test client does: the WSGI handler must not close the test's connection (and its transaction)
    # at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "token"])
def headers(request, api_schema) -> dict[str, str]:
    """Anonymous callers, and (with a token) the administrator of the unpublished organisation, who sees more."""
    if request.param == "anonymous":
        return {}
    administrator = RoleFactory(organisation=Organisation.objects.get(slug="c"), kind="administrator").user
    return make_token(administrator).headers


def test_every_operation_is_fuzzed():
    assert len(_operations()) >= 4


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda mode: mode.value)
@pytest.mark.parametrize(("method", "path"), _operations(), ids=lambda value: value)
def test_fuzz(api_schema, headers, method, path, mode):
    operation = api_schema[path][method]

    @FUZZ
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(headers=headers)

    run()
