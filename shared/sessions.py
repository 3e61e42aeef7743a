"""Checking a user's session token with the identity service, for services that act for users."""

from __future__ import annotations

import hashlib
import time
import uuid
from dataclasses import dataclass

import aiohttp

from shared.errors import DomainError, Unauthorized


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    language: str


class SessionVerifier:
    """Asks identity who a token belongs to; remembers answers a few seconds to spare the calls.

    A logout therefore takes effect here within `ttl` seconds.
    """

    def __init__(self, http: aiohttp.ClientSession, identity_url: str, ttl: float = 5.0) -> None:
        self.http = http
        self.url = identity_url.rstrip("/") + "/v1/sessions/current"
        self.ttl = ttl
        self._cache: dict[str, tuple[float, Principal]] = {}

    async def principal(self, authorization: str) -> Principal:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("unauthorized")
        key = hashlib.sha256(token.strip().encode()).hexdigest()
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached and cached[0] > now:
            return cached[1]
        try:
            async with self.http.get(
                self.url, headers={"Authorization": f"Bearer {token.strip()}"}
            ) as r:
                if r.status == 401:
                    raise Unauthorized("unauthorized")
                if r.status != 200:
                    raise Unavailable("unavailable")
                user = await r.json()
        except (aiohttp.ClientError, TimeoutError):
            raise Unavailable("unavailable") from None
        principal = Principal(
            user_id=uuid.UUID(user["id"]),
            email=user["email"],
            first_name=user["first_name"],
            last_name=user["last_name"],
            language=user["language"],
        )
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (now + self.ttl, principal)
        return principal


class Unavailable(DomainError):
    status = 503
