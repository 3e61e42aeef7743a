"""A test session tidies what killed runs left on the broker, and nothing of a run still going:
one whose process runs keeps its queues even while none has a consumer (a scenario has stopped
the broker under it, say)."""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

import aio_pika
import pytest

from tests import scratch
from tests.conftest import AMQP_URL
from tests.scratch import PID_DIGITS, alive, delete_abandoned_topology, new_run_id


async def test_only_the_queues_of_runs_whose_process_is_gone_are_deleted() -> None:
    gone_pid = next(pid for pid in itertools.count(4_000_000) if not alive(pid))
    going = f"test-{new_run_id()}.tidy"
    killed = f"test-{gone_pid:0{PID_DIGITS}x}abcdef.tidy"
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        for name in (going, killed):
            await channel.declare_queue(name, durable=True)
        await delete_abandoned_topology(channel)
        remaining = await connection.channel()
        await remaining.declare_queue(going, passive=True)
        await remaining.queue_delete(going)
        try:
            await remaining.declare_queue(killed, passive=True)
        except aio_pika.exceptions.ChannelNotFoundEntity:
            return
        raise AssertionError(f"{killed} was left")


async def test_a_rabbitmqctl_that_never_answers_skips_the_tidying(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    hanging = tmp_path / "rabbitmqctl"
    hanging.write_text("#!/bin/sh\nexec sleep 600\n")
    hanging.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    monkeypatch.setattr(scratch, "RABBITMQCTL_TIMEOUT", 0.5)
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        started = time.monotonic()
        deleted = await delete_abandoned_topology(await connection.channel())
    assert deleted == 0
    assert time.monotonic() - started < 10
    assert "gave no answer" in caplog.text
