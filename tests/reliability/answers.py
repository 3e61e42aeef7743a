"""Every HTTP answer a client session got, with when it came: what users saw during a fault."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from types import SimpleNamespace

import aiohttp


@dataclass(frozen=True)
class Answer:
    at: float  # time.monotonic()
    method: str
    path: str
    # None when no answer came: the connection failed or was cut.
    status: int | None
    retry_after: str | None
    # What went wrong when no answer came, as the client saw it.
    error: str | None = None


class AnswerLog:
    def __init__(self) -> None:
        self.answers: list[Answer] = []

    def between(self, start: float, end: float) -> list[Answer]:
        return [a for a in self.answers if start <= a.at <= end]

    @staticmethod
    def by_status(answers: list[Answer]) -> dict[str, int]:
        return dict(sorted(Counter(str(a.status) for a in answers).items()))

    @staticmethod
    def unexpected(answers: list[Answer]) -> list[Answer]:
        """Anything but a success or `503` with `Retry-After`. A retry may also be told 409 or
        422 when its first try went through but its answer was lost; those are expected too."""
        return [a for a in answers if not _expected(a)]

    def trace(self) -> aiohttp.TraceConfig:
        trace = aiohttp.TraceConfig()
        trace.on_request_end.append(self._on_end)
        trace.on_request_exception.append(self._on_exception)
        return trace

    async def _on_end(
        self, _: aiohttp.ClientSession, __: SimpleNamespace, end: aiohttp.TraceRequestEndParams
    ) -> None:
        self.answers.append(
            Answer(
                time.monotonic(),
                end.method,
                end.url.path,
                end.response.status,
                end.response.headers.get("Retry-After"),
            )
        )

    async def _on_exception(
        self,
        _: aiohttp.ClientSession,
        __: SimpleNamespace,
        failed: aiohttp.TraceRequestExceptionParams,
    ) -> None:
        self.answers.append(
            Answer(
                time.monotonic(),
                failed.method,
                failed.url.path,
                None,
                None,
                f"{type(failed.exception).__name__}: {failed.exception}",
            )
        )


@asynccontextmanager
async def recording_session() -> AsyncIterator[tuple[aiohttp.ClientSession, AnswerLog]]:
    """A client session whose every answer lands in the log."""
    log = AnswerLog()
    async with aiohttp.ClientSession(trace_configs=[log.trace()]) as http:
        yield http, log


def _expected(answer: Answer) -> bool:
    if answer.status is None:
        return False
    if answer.status == 503:
        return bool(answer.retry_after)
    return 200 <= answer.status < 300 or answer.status in (409, 422)
