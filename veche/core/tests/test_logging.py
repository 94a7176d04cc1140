"""Structured logs: with LOG_FORMAT=json each line is one JSON object carrying the request id, and the id is echoed
in X-Request-ID so that a report from a user ("request 4f2c…") leads straight to the lines."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.utils.module_loading import import_string

from veche.core.logging import RequestIdFilter

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def json_lines():
    """Collect what the root logger writes, formatted by the settings' JSON formatter and request-id filter."""
    config = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(config.pop("()"))(**config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


@pytest.mark.django_db
def test_a_json_line_carries_time_level_logger_message_and_the_request_id(client, json_lines):
    with mock.patch("veche.core.views.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz", HTTP_X_REQUEST_ID="req-42.a_b")

    assert response["X-Request-ID"] == "req-42.a_b"
    [line] = [line for line in json_lines() if line["logger"] == "veche.core.views"]
    assert line["level"] == "ERROR"
    assert line["message"] == "health check: database failed"
    assert line["request_id"] == "req-42.a_b"
    assert line["time"][:4].isdigit() and "T" in line["time"]
    assert "OperationalError: gone" in line["exc_info"]


@pytest.mark.django_db
def test_lines_django_logs_after_the_response_carry_the_request_id_too(client, json_lines):
    response = client.get("/api/v1/no-such-thing")

    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["message"] == "Not Found: /api/v1/no-such-thing"
    assert line["request_id"] == response["X-Request-ID"]


def test_lines_outside_a_request_have_no_request_id(json_lines):
    logging.getLogger("veche.test").warning("between requests")
    [line] = json_lines()
    assert line["request_id"] == "-"


@pytest.mark.django_db
def test_a_request_id_is_made_when_none_is_given(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second
    assert uuid.UUID(hex=first)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "malicious",
    [
        "abc\r\nSet-Cookie: stolen=1",
        "<script>alert(1)</script>",
        "x" * 65,
        "",
        "id with spaces",
        '{"request_id": "forged"}',
    ],
)
def test_a_malformed_request_id_is_replaced(client, json_lines, malicious):
    with mock.patch("veche.core.views.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz", HTTP_X_REQUEST_ID=malicious)

    echoed = response["X-Request-ID"]
    assert echoed != malicious
    assert uuid.UUID(hex=echoed)
    [line] = [line for line in json_lines() if line["logger"] == "veche.core.views"]
    assert line["request_id"] == echoed


def test_log_format_json_switches_the_console_to_json():
    """The environment switch itself: LOG_FORMAT=json makes every console line a JSON object."""
    environment = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    script = "import django, logging; django.setup(); logging.getLogger('veche.probe').warning('hello %s', 'json')"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert {"time", "level", "logger", "request_id", "message"} <= set(line)
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "veche.probe", "hello json")
