"""The webhook sender: posts due deliveries to the buyers' endpoints, signed, and records each
outcome.

Delivery is at least once. A batch of due rows is claimed in a short transaction (`FOR UPDATE
SKIP LOCKED`, so replicas share the work) that moves their next attempt past the call; the calls
are made with no transaction open, and each outcome is recorded in a short transaction of its
own. A sender that dies during a call, or whose record of a 2xx is lost, leaves the delivery due
again once its claim runs out, and the receiver gets the same `webhook-id` once more.

A 2xx is delivered; anything else (another status, a refused address, a timeout, a connection
that fails) is tried again after the next delay of `SCHEDULE`, the Standard Webhooks
specification's own, cut so that the last attempt comes a day after the first; then it has
failed. Redirects are not followed (the place they lead was never checked), the answer's body is
read no further than `RESPONSE_LIMIT`, and each call has `TIMEOUT_SECONDS`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiohttp
import asyncpg
from yarl import URL

from services.invoice.webhook_targets import GuardedResolver, TargetRefused, check_target, literal
from services.invoice.webhooks import sign
from shared.clock import utc_now
from shared.db import TRANSIENT_ERRORS
from shared.errors import described
from shared.settings import InvoiceSettings
from shared.worker import drain_forever

log = logging.getLogger(__name__)

CHANNEL = "webhook_deliveries"
DAY_SECONDS = 24 * 3600
# Seconds to wait after each failed attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, and what is
# left of the day, so the eighth and last attempt is 24 h after the first.
_SPEC = (5.0, 5 * 60.0, 30 * 60.0, 2 * 3600.0, 5 * 3600.0, 10 * 3600.0)
SCHEDULE: tuple[float, ...] = (*_SPEC, DAY_SECONDS - sum(_SPEC))
TIMEOUT_SECONDS = 10.0
# How long a claimed delivery is left alone: longer than any call takes.
CLAIM_SECONDS = 60.0
RESPONSE_LIMIT = 64 * 1024
ERROR_LIMIT = 500
USER_AGENT = "Leverantorsportalen-Webhooks/1"

DATABASE_ERRORS = (*TRANSIENT_ERRORS, asyncpg.PostgresError, asyncpg.InternalClientError)


def retry_delay(failures: int, schedule: Sequence[float] = SCHEDULE) -> float | None:
    """Seconds to wait after the `failures`-th failed attempt; None when it is the last."""
    if failures < 1 or failures > len(schedule):
        return None
    return schedule[failures - 1]


@dataclass(frozen=True)
class Due:
    id: int
    message_id: str
    body: str
    attempts: int
    url: str
    secret: str


@dataclass(frozen=True)
class Outcome:
    status: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@asynccontextmanager
async def webhook_session(*, allow_private: bool) -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP session whose every connection goes to an address the rules allow, resolved
    anew for each connection; no proxy from the environment, no cookies kept."""
    connector = aiohttp.TCPConnector(
        resolver=GuardedResolver(allow_private=allow_private), use_dns_cache=False, limit=50
    )
    async with aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
        headers={"User-Agent": USER_AGENT},
    ) as http:
        yield http


async def post(
    http: aiohttp.ClientSession, due: Due, timestamp: int, *, allow_private: bool
) -> Outcome:
    """One attempt; never raises for what the target or the network does."""
    headers = {
        "webhook-id": due.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(due.secret, due.message_id, timestamp, due.body),
        "Content-Type": "application/json",
    }
    try:
        # A name is judged by the session's resolver as it connects; a literal never reaches it.
        if literal(URL(due.url).host or "") is not None:
            await check_target(due.url, allow_private=allow_private)
        async with http.post(
            due.url, data=due.body.encode(), headers=headers, allow_redirects=False
        ) as response:
            await response.content.read(RESPONSE_LIMIT)
            return Outcome(response.status, None)
    except TargetRefused as refused:
        return Outcome(None, f"refused: {refused}"[:ERROR_LIMIT])
    except aiohttp.ClientConnectorError as error:
        if isinstance(error.os_error, TargetRefused):
            return Outcome(None, f"refused: {error.os_error}"[:ERROR_LIMIT])
        return Outcome(None, described(error)[:ERROR_LIMIT])
    except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as error:
        return Outcome(None, described(error)[:ERROR_LIMIT])


async def _claim(pool: asyncpg.Pool, now: datetime, batch_size: int) -> list[Due]:
    async with pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            """WITH due AS (
                   SELECT id FROM webhook_deliveries
                   WHERE state = 'pending' AND next_attempt_at <= $1
                   ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
               UPDATE webhook_deliveries d SET next_attempt_at = $3
               FROM due, webhook_endpoints e
               WHERE d.id = due.id AND e.id = d.endpoint_id
               RETURNING d.id, d.message_id, d.body, d.attempts, e.url, e.secret""",
            now,
            batch_size,
            now + timedelta(seconds=CLAIM_SECONDS),
        )
    return [Due(**dict(row)) for row in rows]


async def _record(
    pool: asyncpg.Pool, due: Due, outcome: Outcome, at: datetime, schedule: Sequence[float]
) -> None:
    attempts = due.attempts + 1
    if outcome.delivered:
        state, next_at = "delivered", None
    else:
        delay = retry_delay(attempts, schedule)
        state = "failed" if delay is None else "pending"
        next_at = None if delay is None else at + timedelta(seconds=delay)
        log.warning(
            "webhook %s attempt %d: %s; %s",
            due.message_id,
            attempts,
            outcome.error or f"HTTP {outcome.status}",
            "given up" if delay is None else f"again in {delay:.0f} s",
        )
    async with pool.acquire() as conn:
        await conn.execute(
            """UPDATE webhook_deliveries
               SET attempts = $2, last_attempt_at = $3, last_status = $4, last_error = $5,
                   state = $6, next_attempt_at = $7
               WHERE id = $1 AND state = 'pending'""",
            due.id,
            attempts,
            at,
            outcome.status,
            outcome.error,
            state,
            next_at,
        )


async def send_due_webhooks(
    pool: asyncpg.Pool,
    http: aiohttp.ClientSession,
    *,
    allow_private: bool,
    batch_size: int = 20,
    schedule: Sequence[float] = SCHEDULE,
    clock: Callable[[], datetime] = utc_now,
) -> int:
    """Send one batch of due deliveries, at once, and record each outcome; how many were due."""
    claimed = await _claim(pool, clock(), batch_size)

    async def attempt(due: Due) -> None:
        at = clock()
        outcome = await post(http, due, int(at.timestamp()), allow_private=allow_private)
        await _record(pool, due, outcome, at, schedule)

    await asyncio.gather(*(attempt(due) for due in claimed))
    return len(claimed)


async def run_webhook_sender(
    pool: asyncpg.Pool,
    settings: InvoiceSettings,
    *,
    batch_size: int = 20,
    poll_seconds: float = 1.0,
    schedule: Sequence[float] = SCHEDULE,
) -> None:
    """Send deliveries forever: woken by NOTIFY on new ones, polling for retries."""
    allow = settings.webhook_allow_private
    async with webhook_session(allow_private=allow) as http:

        async def send() -> int:
            return await send_due_webhooks(
                pool, http, allow_private=allow, batch_size=batch_size, schedule=schedule
            )

        await drain_forever(
            "webhooks",
            send,
            dsn=settings.database_url,
            channel=CHANNEL,
            batch_size=batch_size,
            waiting_errors=DATABASE_ERRORS,
            poll_seconds=poll_seconds,
        )
