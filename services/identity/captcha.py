"""A self-hosted proof-of-work captcha speaking the ALTCHA protocol.

The browser finds the number whose SHA-256 with the salt is the challenge; the server checks the
signature it made, the expiry carried in the salt, and that the solution is used only once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

ALGORITHM = "SHA-256"
LIFETIME_SECONDS = 600


@dataclass(frozen=True)
class Solution:
    challenge: str
    expires_at: int


def create_challenge(key: str, max_number: int, now: float | None = None) -> dict[str, object]:
    expires = int((now or time.time()) + LIFETIME_SECONDS)
    salt = f"{secrets.token_hex(12)}?expires={expires}"
    number = secrets.randbelow(max_number + 1)
    challenge = hashlib.sha256(f"{salt}{number}".encode()).hexdigest()
    return {
        "algorithm": ALGORITHM,
        "challenge": challenge,
        "maxnumber": max_number,
        "salt": salt,
        "signature": _sign(key, challenge),
    }


def verify(key: str, payload: str, now: float | None = None) -> Solution | None:
    """The solution in `payload` (base64 JSON), or None when it is not a valid, live one."""
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
        challenge, salt = str(data["challenge"]), str(data["salt"])
        number, signature = int(data["number"]), str(data["signature"])
        expires = int(salt.rpartition("?expires=")[2])
    # OverflowError: a number of 1e999 (infinity); RecursionError: arrays nested too deep.
    except (ValueError, KeyError, TypeError, OverflowError, RecursionError):
        return None
    if data.get("algorithm") != ALGORITHM or expires < (now or time.time()):
        return None
    if not hmac.compare_digest(_sign(key, challenge), signature):
        return None
    digest = hashlib.sha256(f"{salt}{number}".encode()).hexdigest()
    if not hmac.compare_digest(digest, challenge):
        return None
    return Solution(challenge=challenge, expires_at=expires)


def solve(challenge: dict[str, object]) -> str:
    """What a browser does: find the number and encode the payload (used by tools and tests)."""
    salt, target = str(challenge["salt"]), str(challenge["challenge"])
    for number in range(int(str(challenge["maxnumber"])) + 1):
        if hashlib.sha256(f"{salt}{number}".encode()).hexdigest() == target:
            payload = {**challenge, "number": number}
            payload.pop("maxnumber", None)
            return base64.b64encode(json.dumps(payload).encode()).decode()
    raise ValueError("challenge has no solution")


def _sign(key: str, challenge: str) -> str:
    return hmac.new(key.encode(), challenge.encode(), hashlib.sha256).hexdigest()
