"""A test session tidies what killed runs left on the broker, and nothing of a run still going:
one whose process runs keeps its queues even while none has a consumer (a scenario has stopped
the broker under it, say)."""

from __future__ import annotations

import itertools

import aio_pika

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
