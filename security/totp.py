"""Time-based one-time passwords, RFC 6238 (HOTP of RFC 4226 over 30-second
steps, HMAC-SHA1, 6 digits): what every authenticator app speaks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

from pingxiang_cf.parsing import ascii_digits

STEP_SECONDS = 30
DIGITS = 6
# Codes of the previous and the next step are accepted too (clock drift).
DRIFT_STEPS = 1


def new_secret() -> str:
    """160 random bits, base32 without padding (as authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def hotp(secret: str, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 section 5.3: HMAC-SHA1, dynamic truncation, modulo 10^digits."""
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    binary = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(binary % (10**digits)).zfill(digits)


def time_step(timestamp: float) -> int:
    return int(timestamp // STEP_SECONDS)


def code_at(secret: str, timestamp: float) -> str:
    return hotp(secret, time_step(timestamp))


def matching_step(secret: str, code: str, timestamp: float, *, after_step: int = 0) -> int | None:
    """The time step whose code equals `code` (within the drift window and
    later than `after_step`, so that a used code is refused), or None."""
    code = ascii_digits((code or "").replace(" ", ""))  # full-width digits typed in Chinese
    if code is None or len(code) != DIGITS:
        return None
    now = time_step(timestamp)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app reads (typed in or as a QR code)."""
    label = quote(f"{issuer}:{account}")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": DIGITS, "period": STEP_SECONDS}
    )
    return f"otpauth://totp/{label}?{query}"
