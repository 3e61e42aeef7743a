"""`portal broker migrate-queues`: the queues an older version declared classic become quorum
queues of the same names, every message kept (shared/queue_migration.py says how).

It speaks to the broker itself, as a broker user that may configure every queue and publish under
any user (`administrator` and `impersonator` tags; guest in development), with the consumers
stopped; any one node of a cluster will do.
"""

from __future__ import annotations

import argparse

import aio_pika
from aio_pika.exceptions import CONNECTION_EXCEPTIONS
from yarl import URL

from portal_cli.api import CommandError, Services
from portal_cli.wording import say
from shared.queue_migration import migrate_queues


async def migrate(_: Services, args: argparse.Namespace) -> None:
    url = URL(args.amqp_url)
    shown = str(url.with_password("******") if url.password else url)
    try:
        connection = await aio_pika.connect(args.amqp_url, timeout=30)
    except CONNECTION_EXCEPTIONS as error:
        raise CommandError(
            say("unreachable", service="RabbitMQ", url=shown, error=error)
        ) from error
    async with connection:
        moved = await migrate_queues(connection, args.queue_prefix)
    if not moved:
        print(say("queues_in_shape"))
    for queue, count in moved.items():
        print(say("queue_moved", queue=queue, count=count))
