"""Test helpers: TOTP codes computed independently of allauth (RFC 6238), and small page parsers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
import struct
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt


def totp_code(secret: str, at: float | None = None, *, period: int = 30, digits: int = 6) -> str:
    """The RFC 6238 code for a base32 secret at a Unix time (now by default)."""
    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


TEST_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 — a fixed TOTP secret for tests


def activate_totp(user: object, secret: str = TEST_SECRET) -> Authenticator:
    """Give user a TOTP authenticator directly, as if they had set it up."""
    return Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)})


def first_link(text: str, pattern: str) -> str:
    match = re.search(pattern, text)
    assert match, f"no link matching {pattern!r} in:\n{text}"
    return match.group(0)


def element_text(page: str, element_id: str) -> str:
    match = re.search(rf'id="{re.escape(element_id)}"[^>]*>([^<]+)<', page)
    assert match, f"no element #{element_id}"
    return html.unescape(match.group(1)).strip()


def input_value(page: str, element_id: str) -> str:
    match = re.search(rf'<input[^>]*id="{re.escape(element_id)}"[^>]*value="([^"]*)"', page)
    assert match, f"no input #{element_id}"
    return html.unescape(match.group(1))
