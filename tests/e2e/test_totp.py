"""The journey's TOTP helper against RFC 6238's published SHA-1 vectors (truncated to six digits)."""

import base64

import pytest

from tests.e2e.totp import fresh_totp, hotp, totp

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("unix_time", "expected"),
    [(59, "287082"), (1111111109, "081804"), (1111111111, "050471"), (1234567890, "005924"), (2000000000, "279037")],
)
def test_totp_matches_rfc_6238_vectors(unix_time: int, expected: str) -> None:
    assert totp(RFC_SECRET, now=unix_time) == expected


def test_hotp_matches_rfc_4226_vectors() -> None:
    assert [hotp(RFC_SECRET, counter) for counter in range(3)] == ["755224", "287082", "359152"]


def test_fresh_totp_skips_a_code_already_used() -> None:
    used = totp(RFC_SECRET)
    assert fresh_totp(RFC_SECRET, not_={used}) != used
