"""The second factor's rules as plain functions: TOTP secrets sealed at rest, codes matched to
their time step, and recovery codes.

A secret is sealed with a key derived from the service's token secret: HMAC-SHA256 in counter
mode as the keystream and an HMAC-SHA256 tag over nonce and ciphertext (encrypt-then-MAC), so a
copy of the table alone gives no secret and a tampered one is refused. Rotating the token secret
therefore makes every second factor, and its recovery codes (keyed hashes under the same secret),
unusable: their owners need an operator to remove them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp

ISSUER = "Leverantörsportalen"
STEP_SECONDS = 30
# A phone's clock may be one step off either way.
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # nothing to misread: no 0/o, 1/l/i
SEALED_PREFIX = "v1."
NONCE_BYTES = 16
TOTP_CODE = re.compile(r"\d{6}")


def new_secret() -> str:
    """160 random bits in base32, as authenticator apps take them."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def cleaned(code: str) -> str:
    """A typed code without the spaces and dashes people put in it, in lower case."""
    return re.sub(r"[\s-]+", "", code).lower()


def is_totp_code(code: str) -> bool:
    return TOTP_CODE.fullmatch(cleaned(code)) is not None


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code `code` is, within DRIFT_STEPS of now; None when none is."""
    code = cleaned(code)
    if not TOTP_CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten codes of 50 random bits each, written `xxxxx-xxxxx`."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        text = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{text[:5]}-{text[5:]}")
    return codes


def _key(master: str, purpose: str) -> bytes:
    return hmac.new(master.encode(), f"totp-seal:{purpose}".encode(), hashlib.sha256).digest()


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + 31) // 32
    return b"".join(
        hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest() for i in range(blocks)
    )[:length]


def seal(master: str, secret: str) -> str:
    nonce = secrets.token_bytes(NONCE_BYTES)
    plain = secret.encode()
    stream = _keystream(_key(master, "encrypt"), nonce, len(plain))
    cipher = bytes(a ^ b for a, b in zip(plain, stream, strict=True))
    tag = hmac.new(_key(master, "mac"), nonce + cipher, hashlib.sha256).digest()
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + cipher + tag).decode()


def unseal(master: str, sealed: str) -> str | None:
    """The secret, or None when the seal was made with another key or has been altered."""
    if not sealed.startswith(SEALED_PREFIX):
        return None
    try:
        raw = base64.urlsafe_b64decode(sealed[len(SEALED_PREFIX) :])
    except ValueError:  # binascii.Error is one
        return None
    if len(raw) < NONCE_BYTES + 32:
        return None
    nonce, cipher, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-32], raw[-32:]
    expected = hmac.new(_key(master, "mac"), nonce + cipher, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, expected):
        return None
    stream = _keystream(_key(master, "encrypt"), nonce, len(cipher))
    return bytes(a ^ b for a, b in zip(cipher, stream, strict=True)).decode()
