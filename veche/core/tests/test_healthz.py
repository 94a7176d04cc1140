"""/healthz tells a load balancer whether this process can serve: the database and the cache must both answer."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_database_failure_is_503_naming_the_database(client):
    with mock.patch("veche.core.views.connection.cursor", side_effect=OperationalError("server closed")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "failed", "checks": {"database": "failed", "cache": "ok"}}


def test_cache_failure_is_503_naming_the_cache(client):
    with mock.patch("veche.core.views.cache.set", side_effect=ConnectionError("redis is down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "failed", "checks": {"database": "ok", "cache": "failed"}}


def test_a_cache_that_loses_what_it_was_given_is_unhealthy(client):
    with mock.patch("veche.core.views.cache.get", return_value=None):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failed"


def test_the_failure_is_logged(client, caplog):
    with mock.patch("veche.core.views.connection.cursor", side_effect=OperationalError("server closed")):
        client.get("/healthz")

    assert any("database" in record.getMessage() and record.exc_info for record in caplog.records)


def test_answers_without_a_language_prefix_whatever_the_language(client):
    response = client.get("/healthz", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
