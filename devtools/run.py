"""Start the whole system on this machine: databases, an SMTP catcher with a web inbox, a
stand-in Peppol access point, every service; print where to open it; start again any service
that dies; stop everything on Ctrl-C.

    python -m devtools.run [--host 127.0.0.1] [--admin-dsn postgresql://postgres@127.0.0.1/postgres]
                           [--scale renderer=2 ...] [--port-offset 0] [--prefix NAME]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import sys
from contextlib import suppress

import asyncpg

from devtools.supervisor import Program, StartFailed, keep_running, stop
from devtools.system import FIRST_INSTANCE, SERVICES, Instance, Service
from shared.settings import DEVELOPMENT_SECRET


async def provision(admin_dsn: str, instance: Instance) -> None:
    """Create each service's role and database, and the file store's, unless they exist."""
    admin = await asyncpg.connect(admin_dsn)
    try:
        for role, name in instance.databases():
            if not await admin.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role):
                await admin.execute(f'CREATE ROLE "{role}" LOGIN')
            if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await admin.execute(f'CREATE DATABASE "{name}" OWNER "{role}"')
    finally:
        await admin.close()


def environment_of(
    service: Service, host: str, instance: Instance = FIRST_INSTANCE, replica: int = 1
) -> dict[str, str]:
    """A replica's environment: the others are reached at their first replica."""
    wiring = {f"{s.name}_url": f"http://{host}:{instance.port(s)}" for s in SERVICES}
    wiring |= {"smtp_host": host, "smtp_port": str(instance.smtp_port)}
    wiring |= {"peppol_ap_url": f"http://{host}:{instance.peppol_ap_port}"}
    env = dict(os.environ)
    env |= {
        "PORTAL_ENVIRONMENT": "development",
        "PORTAL_HOST": host,
        "PORTAL_PORT": str(instance.port(service, replica)),
        "PYTHONUNBUFFERED": "1",
    }
    if instance.prefix:
        env["PORTAL_QUEUE_PREFIX"] = instance.queue_prefix
    if service.database:
        env["PORTAL_DATABASE_URL"] = instance.database_url(service)
    if service.uses_files:
        env["PORTAL_FILES_URL"] = instance.files_url()
    env |= {key: value.format(**wiring) for key, value in service.environment.items()}
    return env


def programs_of(host: str, instance: Instance, scale: dict[str, int]) -> list[Program]:
    """The mail catcher, the Peppol access point, then every service's replicas in the order of
    the table."""
    catcher = Program(
        "mailcatcher",
        [
            sys.executable, "-m", "devtools.mailcatcher", "--host", host,
            "--smtp-port", str(instance.smtp_port), "--http-port", str(instance.inbox_port),
        ],
        f"http://{host}:{instance.inbox_port}/api/v1/messages",
    )  # fmt: skip
    # The notifier's token in development is the published one; the stand-in asks for the same.
    access_point = Program(
        "peppol",
        [
            sys.executable, "-m", "devtools.peppol_access_point", "--host", host,
            "--port", str(instance.peppol_ap_port), "--token", DEVELOPMENT_SECRET,
        ],
        f"http://{host}:{instance.peppol_ap_port}/received",
    )  # fmt: skip
    programs = [catcher, access_point]
    for service in SERVICES:
        replicas = scale.get(service.name, 1)
        for replica in range(1, replicas + 1):
            programs.append(
                Program(
                    service.name if replicas == 1 else f"{service.name}-{replica}",
                    [sys.executable, "-m", service.module],
                    f"http://{host}:{instance.port(service, replica)}/healthz",
                    environment_of(service, host, instance, replica),
                )
            )
    return programs


def banner(programs: list[Program]) -> str:
    web = next(p for p in programs if p.name in ("web", "web-1"))
    inbox, peppol = programs[0], programs[1]
    return (
        "\nLeverantörsportalen is running.\n"
        f"  Web:    {web.health_url.removesuffix('/healthz')}\n"
        f"  Inbox:  {inbox.health_url.removesuffix('/api/v1/messages')}\n"
        f"  Peppol: {peppol.health_url} (what the stand-in access point received)\n"
        + "".join(
            f"  {p.name:<10} {p.health_url}\n" for p in programs if p not in (web, inbox, peppol)
        )
        + "A service that dies is started again. Press Ctrl-C to stop."
    )


async def run(host: str, admin_dsn: str, instance: Instance, scale: dict[str, int]) -> None:
    await provision(admin_dsn, instance)
    programs = programs_of(host, instance, scale)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    keepers: list[asyncio.Task[None]] = []

    async def start_all() -> None:
        for program in programs:
            await program.start()
            await program.wait_healthy()

    try:
        starting = asyncio.create_task(start_all())
        stopped = asyncio.create_task(stopping.wait())
        await asyncio.wait([starting, stopped], return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            starting.cancel()
        else:
            starting.result()
            print(banner(programs), flush=True)
            keepers = [asyncio.create_task(keep_running(p, stopping)) for p in programs]
            await stopped
    finally:
        stopping.set()
        for keeper in keepers:
            keeper.cancel()
            with suppress(asyncio.CancelledError):
                await keeper
        await stop(programs)
        print("Stopped.", flush=True)


SCALE = re.compile(r"^(?P<service>[a-z]+)=(?P<replicas>[1-9][0-9]?)$")


def replicas(text: str) -> tuple[str, int]:
    """`renderer=2`: the service and how many of it to run."""
    found = SCALE.match(text)
    names = [s.name for s in SERVICES]
    if not found or found["service"] not in names:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected SERVICE=N with N from 1 to 99 and SERVICE one of {', '.join(names)}"
        )
    return found["service"], int(found["replicas"])


def prefix(text: str) -> str:
    if not re.fullmatch(r"[a-z0-9]{0,20}", text):
        raise argparse.ArgumentTypeError(f"{text!r}: up to 20 lower-case letters and digits")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--admin-dsn",
        default=os.environ.get("PORTAL_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a superuser connection, used once to create the services' roles and databases",
    )
    parser.add_argument(
        "--scale",
        type=replicas,
        action="append",
        default=[],
        metavar="SERVICE=N",
        help="run N replicas of a service, sharing its queue and database, replica n on the "
        "first one's port + 100 × (n − 1); the others call the first",
    )
    parser.add_argument(
        "--port-offset",
        type=int,
        default=0,
        help="added to every port, to run beside another copy of the system",
    )
    parser.add_argument(
        "--prefix",
        default="",
        type=prefix,
        help="names this copy's databases (portal_<service>_PREFIX) and queues (PREFIX.…), to "
        "run beside another on the same PostgreSQL and RabbitMQ",
    )
    args = parser.parse_args()
    instance = Instance(port_offset=args.port_offset, prefix=args.prefix)
    try:
        asyncio.run(run(args.host, args.admin_dsn, instance, dict(args.scale)))
    except StartFailed as failure:
        raise SystemExit(str(failure)) from None


if __name__ == "__main__":
    main()
