"""Secrets sent to users (links and codes) and the keyed hashes that are all we store of them."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    """A six-digit code, to be typed from an e-mail."""
    return f"{secrets.randbelow(1_000_000):06d}"


def token_hash(secret: str, purpose: str, token: str) -> str:
    """Keyed, so a leaked table cannot be brute-forced for the short codes."""
    message = f"{purpose}\x00{token}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
