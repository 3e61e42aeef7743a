"""The whole system as separate processes, with the handles a fault scenario needs: each
service's process, database and metrics, the file store, the mail catcher's SMTP listener, and a
tap on the bus."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aio_pika
import aiohttp
from aiohttp.test_utils import unused_port
from prometheus_client.parser import text_string_to_metric_families
from yarl import URL

from devtools.mailcatcher import MailCatcher, start_mailcatcher
from devtools.peppol_access_point import AccessPoint
from devtools.system import SERVICES
from shared.broker import connect_rotating
from shared.topology import EXCHANGE, SUBSCRIPTIONS, dead_letter_queue
from tests.harness import serving
from tests.reliability import faults
from tests.reliability.pipeline import TAP_QUEUE, EventTap, MailIndex, connected
from tests.reliability.processes import (
    ServiceProcess,
    create_database,
    drop_database,
    orphaned_databases,
    service_environment,
)
from tests.scratch import delete_topology, new_run_id
from tests.system import OPERATOR_SECRET, PEPPOL_TOKEN, System

log = logging.getLogger(__name__)

# The service that owns each queue: the part of its name before the dot.
QUEUE_OWNERS = {queue: queue.split(".")[0] for queue in SUBSCRIPTIONS}
OUTBOX_SERVICES = ("identity", "company", "invoice", "renderer", "notifier")
LOST_COMMIT = re.compile(r"marking (\d+) mail\(s\) accepted before a lost commit")


@dataclass
class FaultySystem:
    system: System
    services: dict[str, ServiceProcess]
    # Each service's database by its name, and the file store's as `files`.
    databases: dict[str, str]
    prefix: str
    tap: EventTap
    amqp_urls: list[str]
    # The `rabbitmqctl` command for a running node of the broker.
    rabbitmqctl: Callable[[], tuple[str, ...]]
    # None when the system runs on a failover pair: see `_single_server_port`.
    postgres_port: int | None
    http: aiohttp.ClientSession
    log_dir: Path
    mail_index: MailIndex

    @property
    def mail(self) -> MailCatcher:
        return self.system.mail

    async def metric(self, service: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
        """The samples of counter `name` on the service's `/metrics`, by their labels."""
        url = self.services[service].url + "/metrics"
        async with self.http.get(url, timeout=aiohttp.ClientTimeout(total=5)) as response:
            assert response.status == 200, response.status
            text = await response.text()
        samples = {}
        for family in text_string_to_metric_families(text):
            if family.name == name:
                for sample in family.samples:
                    if sample.name == name + "_total":
                        samples[tuple(sorted(sample.labels.items()))] = sample.value
        return samples

    async def dead_lettered(self) -> dict[str, float]:
        """`portal_events_dead_lettered` per queue, from the service that consumes it."""
        found: dict[str, float] = defaultdict(float)
        for service in sorted(set(QUEUE_OWNERS.values())):
            for labels, value in (
                await self.metric(service, "portal_events_dead_lettered")
            ).items():
                found[dict(labels)["consumer"]] += value
        return dict(found)

    async def consumed(self, outcome: str) -> dict[str, float]:
        """`portal_events_consumed` with this outcome, per queue."""
        found: dict[str, float] = defaultdict(float)
        for service in sorted(set(QUEUE_OWNERS.values())):
            for labels, value in (await self.metric(service, "portal_events_consumed")).items():
                named = dict(labels)
                if named["outcome"] == outcome:
                    found[named["consumer"]] += value
        return dict(found)

    async def queue_depths(self) -> dict[str, int]:
        return await faults.queue_depths(self.prefix, self.rabbitmqctl())

    async def dead_letter_depths(self) -> dict[str, int]:
        """Messages in each consumer's dead-letter queue (nothing consumes those)."""
        connection = await connect_rotating(self.amqp_urls)
        async with connection:
            channel = await connection.channel()
            depths = {}
            for queue in SUBSCRIPTIONS:
                dead = await channel.declare_queue(
                    dead_letter_queue(self.prefix + queue), passive=True
                )
                depths[queue] = dead.declaration_result.message_count or 0
            return depths

    def mails_resent_avoided(self) -> int:
        """Mails the notifier has so far marked sent without sending them again, because the
        SMTP server had accepted them just before their commit was lost (from its log)."""
        text = self.services["notifier"].log_path.read_text(errors="replace")
        return sum(int(n) for n in LOST_COMMIT.findall(text))

    async def unhealthy(self) -> list[str]:
        return [name for name, p in self.services.items() if not await p.healthy(self.http)]

    async def quiet(self) -> bool:
        """Nothing left to do anywhere: every outbox empty, no mail and no Peppol delivery
        pending, every queue drained (messages delivered but not yet acknowledged count as not
        drained)."""
        for service in OUTBOX_SERVICES:
            async with connected(self.databases[service]) as conn:
                if await conn.fetchval("SELECT count(*) FROM outbox"):
                    return False
        async with connected(self.databases["notifier"]) as conn:
            if await conn.fetchval("SELECT count(*) FROM mails WHERE status = 'pending'"):
                return False
            if await conn.fetchval(
                "SELECT count(*) FROM peppol_deliveries WHERE status = 'pending'"
            ):
                return False
        depths = await self.queue_depths()
        return not any(depths.get(queue, 0) for queue in SUBSCRIPTIONS)

    async def publish(self, messages: list[tuple[str, bytes]]) -> None:
        """Publish (routing key, body) pairs straight to the system's exchange, with confirms,
        as a producer that knows nothing of the outbox would."""
        connection = await connect_rotating(self.amqp_urls)
        async with connection:
            channel = await connection.channel(publisher_confirms=True)
            exchange = await channel.get_exchange(self.prefix + EXCHANGE)
            for routing_key, body in messages:
                await exchange.publish(
                    aio_pika.Message(
                        body,
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                        # The services' own broker user, or the consumers take it for a forgery.
                        user_id=URL(self.amqp_urls[0]).user or "guest",
                    ),
                    routing_key=routing_key,
                )

    async def outbox_rows(self) -> int:
        """Events written but not yet published, over every service."""
        total = 0
        for service in OUTBOX_SERVICES:
            async with connected(self.databases[service]) as conn:
                total += await conn.fetchval("SELECT count(*) FROM outbox")
        return total


def _database_dsn(admin_dsn: str, database: str) -> str:
    """The admin DSN with another database: its servers and options (a failover pair's
    `target_session_attrs`) kept."""
    return urlsplit(admin_dsn)._replace(path="/" + database).geturl()


def _single_server_port(dsn: str) -> int | None:
    """The port of the one server the DSN names; None when it names several, a pair whose
    faults their scenario owns."""
    parts = urlsplit(dsn)
    if "," in parts.netloc:
        return None
    return parts.port or 5432


async def _delete_topology(amqp_urls: list[str], prefix: str) -> None:
    connection = await connect_rotating(amqp_urls)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(prefix + TAP_QUEUE)
        await delete_topology(channel, prefix)


async def _sweep_killed_runs(admin_dsn: str, amqp_urls: list[str]) -> None:
    """Drop the databases and queues of earlier runs whose test process was killed."""
    runs = set()
    for database in await orphaned_databases(admin_dsn, "faults\\_%"):
        log.warning("dropping %s, left by a killed fault run", database)
        await drop_database(admin_dsn, database)
        runs.add(database.split("_")[1])
    for run in runs:
        await _delete_topology(amqp_urls, f"faults-{run}.")


@asynccontextmanager
async def running_system(
    *,
    admin_dsn: str,
    amqp_urls: list[str],
    log_root: Path,
    rabbitmqctl: Callable[[], tuple[str, ...]] | None = None,
) -> AsyncIterator[FaultySystem]:
    """Start the mail catcher and the Peppol access point in this process and every service as a process of its own, each
    given every one of the broker's `amqp_urls`.

    Without `rabbitmqctl` the broker is the machine's own, which scenarios stop: it is started
    again at the end whatever happened. A cluster of the test's own says how to reach its nodes.
    """
    run = new_run_id()
    prefix = f"faults-{run}."
    log_dir = log_root / run
    log_dir.mkdir(parents=True, exist_ok=True)
    postgres_port = _single_server_port(admin_dsn)
    await _sweep_killed_runs(admin_dsn, amqp_urls)
    async with AsyncExitStack() as stack:
        mail = await start_mailcatcher("127.0.0.1", smtp_port=0, http_port=0)
        stack.push_async_callback(mail.stop)
        # Outside the system like the SMTP server: the scenarios' buyer takes mail and Peppol.
        peppol = AccessPoint(PEPPOL_TOKEN)
        peppol_url = await stack.enter_async_context(serving(peppol.app()))
        http = await stack.enter_async_context(aiohttp.ClientSession())
        databases: dict[str, str] = {}
        for service in SERVICES:
            if service.database is None:
                continue
            name = f"faults_{run}_{service.name}"
            await create_database(admin_dsn, name)
            stack.push_async_callback(drop_database, admin_dsn, name)
            databases[service.name] = _database_dsn(admin_dsn, name)
        # The file store, on the same server(s) as the services' databases: on a failover pair
        # it fails over with them.
        files = f"faults_{run}_files"
        await create_database(admin_dsn, files)
        stack.push_async_callback(drop_database, admin_dsn, files)
        databases["files"] = _database_dsn(admin_dsn, files)
        stack.push_async_callback(_delete_topology, amqp_urls, prefix)
        tap = EventTap(amqp_urls, prefix)
        stack.push_async_callback(tap.stop)
        await tap.start()

        ports = {s.name: unused_port() for s in SERVICES}
        urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
        settings = {
            "PORTAL_AMQP_URL": amqp_urls[0],
            "PORTAL_AMQP_URLS": ",".join(amqp_urls),
            "PORTAL_QUEUE_PREFIX": prefix,
            "PORTAL_OPERATOR_SECRET": OPERATOR_SECRET,
            "PORTAL_CAPTCHA_MAX_NUMBER": "20000",
            "PORTAL_RENDER_WORKERS": "2",
            "PORTAL_PEPPOL_AP_TOKEN": PEPPOL_TOKEN,
        }
        services = {
            s.name: ServiceProcess(
                service=s,
                port=ports[s.name],
                environment=service_environment(
                    s,
                    port=ports[s.name],
                    database_url=databases.get(s.name),
                    files_url=databases["files"],
                    urls=urls,
                    smtp_port=mail.smtp_port,
                    peppol_ap_url=peppol_url,
                    settings=settings,
                ),
                log_path=log_dir / f"{s.name}.log",
            )
            for s in SERVICES
        }
        for process in services.values():
            stack.push_async_callback(process.stop)
        # Runs first on the way out: whatever a failed scenario left stopped is started again,
        # so the services stop cleanly and their databases and queues can be dropped.
        stack.push_async_callback(_restore, mail, postgres_port, rabbitmqctl is None)
        await asyncio.gather(*(p.start() for p in services.values()))
        log.info("fault system %s running; logs in %s", run, log_dir)
        yield FaultySystem(
            system=System(
                web_url=urls["web"],
                identity_url=urls["identity"],
                company_url=urls["company"],
                invoice_url=urls["invoice"],
                renderer_url=urls["renderer"],
                mail=mail,
                queue_prefix=prefix,
                peppol=peppol,
            ),
            services=services,
            databases=databases,
            prefix=prefix,
            tap=tap,
            amqp_urls=amqp_urls,
            rabbitmqctl=rabbitmqctl or (lambda: ("rabbitmqctl",)),
            postgres_port=postgres_port,
            http=http,
            log_dir=log_dir,
            mail_index=MailIndex(mail.store),
        )


async def _restore(mail: MailCatcher, postgres_port: int | None, machine_broker: bool) -> None:
    await mail.smtp.start()
    if machine_broker:
        with suppress(RuntimeError):
            await faults.rabbitmq_start()
    if postgres_port is not None:
        await faults.postgres_ensure_running(postgres_port)
