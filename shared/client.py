"""The one way to call another service's HTTP API: services, the web front and the command line.

A `ServiceClient` is one target service: its base URL, the bearer secret it expects, a timeout and
a body size limit, over an `aiohttp.ClientSession` that its application opens once in a cleanup
context. Every request carries the correlation id of the work at hand, so the callee's log lines
join the caller's. Every answer is read streamed and refused past its limit, so a callee that
sends far more than agreed is never held in memory whole.

Failures come out as two errors, whatever the caller:
- `ServiceUnavailable`, a `ConnectionError`: the callee could not be reached, timed out, answered
  5xx, or not as agreed (a body past the limit, not JSON where JSON was due). It is transient:
  `shared.db.TRANSIENT_ERRORS` holds it, so an HTTP caller answers 503 with `Retry-After` and a
  consumer retries the event for as long as the outage lasts.
- `ServiceError`: the callee refused the request (4xx) with its JSON error, carrying its status,
  code, message and field errors in the language the request asked for.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
from yarl import URL

from shared.context import CORRELATION_HEADER, current_correlation_id

log = logging.getLogger(__name__)

# Far above any JSON answer; calls that fetch documents say their own limit.
DEFAULT_LIMIT = 16 * 1024 * 1024
CHUNK = 64 * 1024


class ServiceUnavailable(ConnectionError):
    """The service did not answer, or not usefully: try again later."""


class ResponseTooLarge(ServiceUnavailable):
    """The service sent more than the call allows; the rest was not read."""

    def __init__(self, method: str, url: str, limit: int) -> None:
        super().__init__(f"{method} {url}: more than {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class FieldProblem:
    code: str
    message: str


class ServiceError(Exception):
    """The service refused the request (4xx) and said why: its code, message and field errors."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        problems: dict[str, list[FieldProblem]] | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.problems = problems or {}
        self.retry_after = retry_after

    @property
    def fields(self) -> dict[str, list[str]]:
        """Each field's messages, as a form shows them."""
        return {name: [item.message for item in items] for name, items in self.problems.items()}


def api_path(template: str, *segments: str) -> str:
    """`template` with each `{}` filled by one segment, percent-encoded, dots included: whatever
    a segment holds (`/`, `?`, `..`), it names one thing under its parent and never climbs out."""
    return template.format(*(quote(segment, safe="").replace(".", "%2E") for segment in segments))


class ServiceClient:
    """One service's HTTP API. `secret` is the bearer token every call carries unless the call
    forwards a user's own `token`."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        base_url: str,
        *,
        secret: str | None = None,
        timeout: aiohttp.ClientTimeout | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.timeout = timeout or aiohttp.ClientTimeout(total=30, connect=5)
        self.limit = limit

    async def call(self, method: str, path: str, **options: Any) -> Any:
        """The JSON answer, or None for an empty one (204)."""
        body = await self.read(method, path, **options)
        if not body:
            return None
        try:
            return json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise ServiceUnavailable(f"{method} {path}: the answer is not JSON") from None

    async def read(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        language: str | None = None,
        json: Any = None,
        data: Any = None,
        params: dict[str, str] | None = None,
        limit: int | None = None,
    ) -> bytes:
        """The answer's body, at most `limit` bytes (the client's own limit by default).

        `path` is sent as it is written: fill its segments with `api_path`.
        """
        headers = {}
        # A forwarded token replaces the secret, even an empty one: a user's call never carries it.
        if bearer := self.secret if token is None else token:
            headers["Authorization"] = f"Bearer {bearer}"
        if language:
            headers["Accept-Language"] = language
        if correlation := current_correlation_id.get():
            headers[CORRELATION_HEADER] = correlation
        # As encoded: yarl would otherwise decode `%2E%2E` and resolve it as `..`.
        url = URL(self.base_url + path, encoded=True)
        limit = self.limit if limit is None else limit
        try:
            async with self.http.request(
                method,
                url,
                json=json,
                data=data,
                params=params,
                headers=headers,
                timeout=self.timeout,
            ) as response:
                body = await read_limited(response, limit, method, path)
                status, retry_after = response.status, response.headers.get("Retry-After", "")
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("%s %s%s failed: %r", method, self.base_url, path, error)
            raise ServiceUnavailable(f"{method} {path}: {error!r}") from None
        if status < 300:
            return body
        if status >= 500 or status < 400:
            raise ServiceUnavailable(f"{method} {path}: HTTP {status}")
        raise refusal(method, path, status, body, retry_after)


async def read_limited(
    response: aiohttp.ClientResponse, limit: int, method: str, path: str
) -> bytes:
    """The whole body, refused as soon as it is known to pass `limit`."""
    if response.content_length is not None and response.content_length > limit:
        raise ResponseTooLarge(method, path, limit)
    content = bytearray()
    async for chunk in response.content.iter_chunked(CHUNK):
        content += chunk
        if len(content) > limit:
            raise ResponseTooLarge(method, path, limit)
    return bytes(content)


def refusal(method: str, path: str, status: int, body: bytes, retry_after: str) -> ServiceError:
    """The service's JSON error as a `ServiceError`; a 4xx without one is no answer at all."""
    try:
        problem = json.loads(body)["error"]
        problems = {
            str(name): [
                FieldProblem(str(item.get("code", "")), str(item.get("message", "")))
                for item in items
            ]
            for name, items in (problem.get("fields") or {}).items()
        }
        code, message = str(problem.get("code", "")), str(problem.get("message", ""))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise ServiceUnavailable(f"{method} {path}: HTTP {status} without an error") from None
    seconds = int(retry_after) if retry_after.isdigit() else None
    return ServiceError(status, code, message, problems, retry_after=seconds)
