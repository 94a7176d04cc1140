"""Rate limits count the client behind the trusted proxies (X-Forwarded-For), not the proxy's REMOTE_ADDR."""

import pytest
from django.test import RequestFactory
from django_ratelimit.core import get_usage

from veche.core.ratelimit import client_ip


def _request(xff: str | None = None, remote: str = "127.0.0.1"):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().post("/", **extra)


def test_the_setting_points_at_client_ip(settings):
    assert settings.RATELIMIT_IP_META_KEY == "veche.core.ratelimit.client_ip"


@pytest.mark.parametrize(
    ("count", "xff", "expected"),
    [
        (0, "203.0.113.7", "127.0.0.1"),  # no trusted proxy: the header is the client's word, ignored
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a spoofed entry in front of what nginx appended
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (2, "203.0.113.7", "127.0.0.1"),  # shorter than the proxy chain: bypassed a proxy
        (1, None, "127.0.0.1"),
        (1, " , ", "127.0.0.1"),
    ],
)
def test_client_ip(settings, count, xff, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(xff)) == expected


def _use(request):
    return get_usage(request, group="test-client-ip", key="ip", rate="1/h", method="POST", increment=True)


def test_behind_one_proxy_two_clients_have_separate_buckets(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert _use(_request("198.51.100.1"))["should_limit"] is False
    assert _use(_request("198.51.100.2"))["should_limit"] is False  # another person, not the proxy's bucket
    assert _use(_request("198.51.100.1"))["should_limit"] is True


def test_without_trusted_proxies_the_header_cannot_escape_the_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert _use(_request("198.51.100.1", remote="192.0.2.9"))["should_limit"] is False
    assert _use(_request("198.51.100.2", remote="192.0.2.9"))["should_limit"] is True
