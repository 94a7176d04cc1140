"""RFC 6238 TOTP (HMAC-SHA1, 30-second steps, 6 digits), written out here so the journey acts as an authenticator app
would instead of asking the server for a code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

STEP_SECONDS = 30
DIGITS = 6


def hotp(secret: str, counter: int) -> str:
    """RFC 4226: HMAC-SHA1 of the big-endian counter, dynamic truncation, last DIGITS decimal digits."""
    key = base64.b32decode(secret.replace(" ", "").upper() + "=" * (-len(secret.replace(" ", "")) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def current_counter(now: float | None = None) -> int:
    return int(time.time() if now is None else now) // STEP_SECONDS


def totp(secret: str, now: float | None = None) -> str:
    return hotp(secret, current_counter(now))


def fresh_totp(secret: str, *, not_: set[str]) -> str:
    """A code valid now (the server accepts one step either side) that differs from codes already used: the server
    refuses to accept the same code twice, and a journey may need two codes within one 30-second step."""
    counter = current_counter()
    for candidate in (hotp(secret, counter), hotp(secret, counter + 1)):
        if candidate not in not_:
            return candidate
    raise AssertionError("no unused TOTP code in the accepted window")
