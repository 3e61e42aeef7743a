"""Checking a user's session token with the identity service, for services that act for users."""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from dataclasses import dataclass

from shared.client import ServiceClient, ServiceError, ServiceUnavailable
from shared.errors import FieldErrors, TooManyRequests, Unauthorized
from shared.i18n import Catalog

# What identity answers at the fields of a reauthentication, so a service that forwards one
# shows the same words.
REAUTHENTICATION_MESSAGES: Catalog = {
    "reauthentication.password_invalid": {
        "sv": "Lösenordet är fel.",
        "en": "The password is wrong.",
    },
    "second_factor.code_required": {
        "sv": "Ange koden från din autentiseringsapp, eller en reservkod.",
        "en": "Enter the code from your authenticator app, or a recovery code.",
    },
    "second_factor.code_invalid": {
        "sv": "Koden är fel, har gått ut eller är redan använd.",
        "en": "The code is wrong, has expired or has already been used.",
    },
    "reauthentication.throttled": {
        "sv": "För många felaktiga försök. Försök igen om {seconds} sekunder.",
        "en": "Too many wrong attempts. Try again in {seconds} seconds.",
    },
}


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

    def __init__(self, identity: ServiceClient, ttl: float = 5.0) -> None:
        self.identity = identity
        self.ttl = ttl
        self._cache: dict[str, tuple[float, Principal]] = {}
        # Lookups under way, with when each was asked: concurrent requests with the same token
        # wait for one call.
        self._pending: dict[str, tuple[float, asyncio.Task[Principal]]] = {}

    async def principal(self, authorization: str) -> Principal:
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthorized("unauthorized")
        key = hashlib.sha256(token.encode()).hexdigest()
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached and cached[0] > now:
            return cached[1]
        pending = self._pending.get(key)
        # Joining a lookup asked for longer than `ttl` ago could let a logout count for longer.
        if pending is None or pending[0] + self.ttl <= now:
            pending = (now, asyncio.create_task(self._look_up(key, token, now)))
            self._pending[key] = pending
            pending[1].add_done_callback(lambda done: self._settled(key, done))
        # Shielded: a caller that goes away must not cancel the lookup the others wait for.
        return await asyncio.shield(pending[1])

    async def _look_up(self, key: str, token: str, asked: float) -> Principal:
        """Ask identity; the answer counts from when it was asked for, so a logout does too."""
        try:
            user = await self.identity.call("GET", "/v1/sessions/current", token=token)
        except ServiceError as error:
            if error.status == 401:
                raise Unauthorized("unauthorized") from None
            raise ServiceUnavailable(f"identity refused a session lookup: {error.status}") from None
        principal = Principal(
            user_id=uuid.UUID(user["id"]),
            email=user["email"],
            first_name=user["first_name"],
            last_name=user["last_name"],
            language=user["language"],
        )
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (asked + self.ttl, principal)
        return principal

    async def reauthenticate(self, authorization: str, password: str, code: str) -> None:
        """Have identity check that the session's own user typed the password (and the
        second-factor code, when on) again; its refusal is raised here as the same error."""
        body = {"password": password, "code": code}
        token = authorization.partition(" ")[2].strip()
        path = "/v1/sessions/current/reauthentication"
        try:
            await self.identity.call("POST", path, token=token, json=body)
        except ServiceError as error:
            if error.status == 401:
                raise Unauthorized("unauthorized") from None
            if error.status == 422:
                raise FieldErrors(
                    [
                        (name, item.code, {})
                        for name, items in error.problems.items()
                        for item in items
                    ]
                ) from None
            if error.status == 429 and error.retry_after is not None:
                seconds = error.retry_after
                raise TooManyRequests(error.code, retry_after=seconds, seconds=seconds) from None
            raise ServiceUnavailable(
                f"identity refused a reauthentication: {error.status}"
            ) from None

    def _settled(self, key: str, lookup: asyncio.Task[Principal]) -> None:
        if (pending := self._pending.get(key)) is not None and pending[1] is lookup:
            del self._pending[key]
        # Retrieved here so that a failure nobody waited for any more is not logged as lost.
        if not lookup.cancelled():
            lookup.exception()
