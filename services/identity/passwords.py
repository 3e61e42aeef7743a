"""Password hashing (argon2id) and the password rule: the guide's four requirements and more."""

from __future__ import annotations

import asyncio
import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from prometheus_client import Counter

MIN_LENGTH = 8
MAX_LENGTH = 128
_COMMON = Path(__file__).parent / "common_passwords.txt"

_hasher = PasswordHasher()  # argon2id with the library's recommended (RFC 9106 low-memory) costs


def problems(password: str, email: str) -> list[str]:
    """Every unmet rule, by code, in the order the registration form lists them."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append("password.too_short")
    if len(password) > MAX_LENGTH:
        found.append("password.too_long")
    if not re.search(r"[^A-Za-z0-9\s]", password):
        found.append("password.no_special")
    if not any(c.islower() for c in password) or not any(c.isupper() for c in password):
        found.append("password.no_lower_and_upper")
    if not any(c.isdigit() for c in password):
        found.append("password.no_digit")
    if email and password.strip().lower() == email.strip().lower():
        found.append("password.is_email")
    if password and _is_common(password):
        found.append("password.common")
    return found


def _is_common(password: str) -> bool:
    """A listed password, or a listed word dressed up with digits and signs (`Sommar2024!`)."""
    lowered = password.lower()
    stem = re.sub(r"[^a-zåäö]+$", "", re.sub(r"^[^a-zåäö]+", "", lowered))
    return lowered in common_passwords() or stem in common_passwords()


@cache
def common_passwords() -> frozenset[str]:
    lines = _COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


class Hashing:
    """argon2 in threads, at most `concurrency` at a time, each computation counted.

    argon2 is deliberately slow and releases the GIL, so a thread keeps the loop free; the bound
    keeps a flood of logins or registrations from taking every core: the rest wait their turn.
    """

    def __init__(self, concurrency: int, computed: Counter) -> None:
        self._turns = asyncio.Semaphore(concurrency)
        self._computed = computed

    async def hash(self, password: str) -> str:
        async with self._turns:
            self._computed.inc()
            return await asyncio.to_thread(_hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        async with self._turns:
            self._computed.inc()
            return await asyncio.to_thread(_verify, password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Verified against when the account does not exist, so both answers take as long.
UNKNOWN_USER_HASH = _hasher.hash("not a password of anyone's")
