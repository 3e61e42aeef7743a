"""Waiting for a condition outside the test's reach (a row, a metric) with a deadline."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T | None]],
    *,
    within: float = 10.0,
    every: float = 0.05,
) -> T:
    """The first truthy answer of `probe`; fails with its last answer after `within` seconds."""
    answer: T | None = None
    try:
        async with asyncio.timeout(within):
            while True:
                answer = await probe()
                if answer:
                    return answer
                await asyncio.sleep(every)
    except TimeoutError:
        raise AssertionError(f"still {answer!r} after {within} s") from None
