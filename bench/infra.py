"""Fresh databases, a fresh queue prefix, and the services running on them as processes.

`deployed("identity", "invoice", …)` is the one way a benchmark starts services: each as
`python -m services.<name>` (tests.reliability.processes.ServiceProcess, wired as
`devtools.system.SERVICES` says), on a fresh database of its own, with one file store and one
queue prefix for all, and the SMTP catcher in this process; more instances of a service (replicas
on the same database and queues) can be added and removed while it runs. Services log (at
WARNING) to `$PORTAL_BENCH_LOGS/<prefix>/<instance>.log` (/tmp/portal-bench-logs by default).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import aio_pika
from aio_pika.abc import AbstractChannel
from aiohttp.test_utils import unused_port

from devtools.mailcatcher import MailCatcher, start_mailcatcher
from devtools.system import SERVICES, Service
from tests.reliability.pipeline import EventTap
from tests.reliability.processes import ServiceProcess, service_environment
from tests.scratch import MakeDatabase, delete_topology, new_run_id, scratch_databases
from tests.system import OPERATOR_SECRET, System

ADMIN_DSN = os.environ.get("PORTAL_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_URL = os.environ.get("PORTAL_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
LOG_ROOT = Path(os.environ.get("PORTAL_BENCH_LOGS", "/tmp/portal-bench-logs"))  # noqa: S108
RUN = new_run_id()
# What a service not deployed is wired to: nothing listens on the discard port.
NOWHERE = "http://127.0.0.1:9"


def databases() -> AbstractAsyncContextManager[MakeDatabase]:
    """`make(name)` creates an empty database and returns its DSN; all are dropped at the end."""
    return scratch_databases(ADMIN_DSN, f"bench_{RUN}")


@asynccontextmanager
async def amqp_channel() -> AsyncIterator[AbstractChannel]:
    """A channel on a connection of its own, both closed at the end."""
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        yield await connection.channel()


@asynccontextmanager
async def amqp_prefix() -> AsyncIterator[str]:
    """A fresh prefix for exchanges and queues; they are deleted at the end."""
    prefix = f"bench-{RUN}-{uuid.uuid4().hex[:4]}."
    try:
        yield prefix
    finally:
        with suppress(Exception):
            async with amqp_channel() as channel:
                await delete_topology(channel, prefix)


@dataclass
class Deployment:
    """Services running on their own databases and one queue prefix, and the mail catcher.

    `instances[name]` lists the processes of a service, the first being the one the others and
    `url(name)` talk to; the rest are replicas sharing its database and queues.
    """

    prefix: str
    mail: MailCatcher
    # Each service's database by its name, and the file store's as `files` when one uses it.
    databases: dict[str, str]
    instances: dict[str, list[ServiceProcess]]
    log_dir: Path
    _environments: dict[str, dict[str, str]] = field(repr=False)

    def url(self, service: str) -> str:
        return self.instances[service][0].url

    def urls(self, service: str) -> list[str]:
        return [instance.url for instance in self.instances[service]]

    @property
    def system(self) -> System:
        """The handles `tests.invoice.conftest.connected_supplier` and the tests' helpers use."""

        def url(name: str) -> str:
            return self.url(name) if name in self.instances else NOWHERE

        return System(
            url("web"),
            url("identity"),
            url("company"),
            url("invoice"),
            url("renderer"),
            self.mail,
            self.prefix,
        )

    def processes(self) -> dict[str, ServiceProcess]:
        """Every running process by a name of its own: `renderer`, `renderer-2`, …"""
        return {
            name if index == 0 else f"{name}-{index + 1}": instance
            for name, instances in self.instances.items()
            for index, instance in enumerate(instances)
        }

    @asynccontextmanager
    async def tapped(self) -> AsyncIterator[EventTap]:
        """A queue of the benchmark's own bound to every event, read by an `EventTap`."""
        tap = EventTap([AMQP_URL], self.prefix)
        try:
            await tap.start()
            yield tap
        finally:
            await tap.stop()
            with suppress(Exception):
                async with amqp_channel() as channel:
                    await channel.queue_delete(tap.queue_name)

    async def add_instance(self, service: str, **settings: str) -> ServiceProcess:
        """Start one more process of `service` (on the same database and queues), with these
        PORTAL_* variables changed, and return it once it is healthy."""
        first = self.instances[service][0]
        port = unused_port()
        instance = ServiceProcess(
            service=first.service,
            port=port,
            environment=self._environments[service] | {"PORTAL_PORT": str(port)} | settings,
            log_path=self.log_dir / f"{service}-{len(self.instances[service]) + 1}.log",
        )
        self.instances[service].append(instance)
        await instance.start()
        return instance

    async def remove_instance(self, instance: ServiceProcess) -> None:
        """Stop a replica that `add_instance` started."""
        for instances in self.instances.values():
            if instance in instances[1:]:
                instances.remove(instance)
                await instance.stop()
                return
        raise ValueError(f"{instance.name} on port {instance.port} is no replica")


def service_named(name: str) -> Service:
    return next(s for s in SERVICES if s.name == name)


@asynccontextmanager
async def deployed(
    *services: str | Service, settings: Mapping[str, Mapping[str, str]] | None = None
) -> AsyncIterator[Deployment]:
    """Start these services (names from `devtools.system.SERVICES`, or `Service`s of the
    benchmarks' own) at once, each on a fresh database, with `settings[name]` as extra PORTAL_*
    variables; stop them and drop everything at the end."""
    chosen = [service_named(s) if isinstance(s, str) else s for s in services]
    settings = settings or {}
    async with AsyncExitStack() as stack:
        make = await stack.enter_async_context(databases())
        prefix = await stack.enter_async_context(amqp_prefix())
        mail = await start_mailcatcher("127.0.0.1", smtp_port=0, http_port=0)
        stack.push_async_callback(mail.stop)
        log_dir = LOG_ROOT / prefix.rstrip(".")
        log_dir.mkdir(parents=True, exist_ok=True)
        ports = {s.name: unused_port() for s in chosen}
        urls = {s.name: NOWHERE for s in SERVICES} | {
            name: f"http://127.0.0.1:{port}" for name, port in ports.items()
        }
        common = {
            "PORTAL_AMQP_URL": AMQP_URL,
            "PORTAL_QUEUE_PREFIX": prefix,
            "PORTAL_OPERATOR_SECRET": OPERATOR_SECRET,
            "PORTAL_CAPTCHA_MAX_NUMBER": "20000",
            "PORTAL_LOG_LEVEL": "WARNING",
        }
        database_urls = {s.name: await make(s.name) for s in chosen if s.database is not None}
        if any(s.uses_files for s in chosen):
            database_urls["files"] = await make("files")
        environments = {
            s.name: service_environment(
                s,
                port=ports[s.name],
                database_url=database_urls.get(s.name),
                files_url=database_urls.get("files"),
                urls=urls,
                smtp_port=mail.smtp_port,
                # The benchmarks' buyers take mail: nothing is posted to an access point.
                peppol_ap_url=NOWHERE,
                settings=common | dict(settings.get(s.name, {})),
            )
            for s in chosen
        }
        deployment = Deployment(
            prefix=prefix,
            mail=mail,
            databases=database_urls,
            instances={
                s.name: [
                    ServiceProcess(
                        service=s,
                        port=ports[s.name],
                        environment=environments[s.name],
                        log_path=log_dir / f"{s.name}.log",
                    )
                ]
                for s in chosen
            },
            log_dir=log_dir,
            _environments=environments,
        )

        async def stop_all() -> None:
            processes = list(deployment.processes().values())
            await asyncio.gather(*(p.stop() for p in reversed(processes)))

        stack.push_async_callback(stop_all)
        await asyncio.gather(*(instances[0].start() for instances in deployment.instances.values()))
        yield deployment
