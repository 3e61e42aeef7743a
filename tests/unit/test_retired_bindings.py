"""A binding an older version declared and no handler wants any more is removed when its
consumer declares its queue again, so its events stop arriving to be dead-lettered."""

from __future__ import annotations

from collections.abc import Callable

import aio_pika

from shared.topology import EXCHANGE, RETIRED_BINDINGS, declare_queue, declare_topology
from tests.conftest import AMQP_URL


async def test_a_retired_binding_goes_when_the_queue_is_declared_again(
    make_amqp_prefix: Callable[[], str],
) -> None:
    prefix = make_amqp_prefix()
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await declare_topology(connection, channel, prefix)
        for name, keys in RETIRED_BINDINGS.items():
            queue = await channel.get_queue(prefix + name)
            for key in keys:
                await queue.bind(exchange, routing_key=key)
            await declare_queue(channel, prefix, name)
            for key in keys:
                await exchange.publish(aio_pika.Message(b"{}"), routing_key=key)
            declared = await channel.declare_queue(prefix + name, passive=True)
            assert declared.declaration_result.message_count == 0, f"{key} still reaches {name}"
        assert exchange.name == prefix + EXCHANGE
