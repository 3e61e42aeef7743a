"""Stopping a background task for good."""

from __future__ import annotations

import asyncio
from typing import Any


async def cancel_and_wait(task: asyncio.Task[Any]) -> None:
    """Cancel `task` until it has ended.

    Once is not always enough on Python 3.11: a cancellation that arrives together with the
    wake-up of what the task awaits can be lost, and the task then waits on, and the shutdown with
    it, for ever. Seen in the notifier's mailer, cancelled as a NOTIFY woke it, about one test run
    in three; `asyncio.wait_for` has the same flaw (CPython gh-86296). A further request reaches
    whatever the task waits on then.
    """
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=1)
    if not task.cancelled():
        task.exception()  # retrieved: an ending failure is not also logged as never retrieved
