"""Start the whole system on this machine: databases, an SMTP catcher with a web inbox, every
service; print where to open it; stop everything on Ctrl-C.

    python -m devtools.run [--host 127.0.0.1] [--admin-dsn postgresql://postgres@127.0.0.1/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from contextlib import suppress

import aiohttp
import asyncpg

from devtools.system import INBOX_PORT, SERVICES, SMTP_PORT, Service, database_url

HEALTH_WAIT_SECONDS = 60


async def provision(admin_dsn: str) -> None:
    """Create each service's role and database unless they exist."""
    admin = await asyncpg.connect(admin_dsn)
    try:
        for service in SERVICES:
            if service.database is None:
                continue
            name = service.database
            if not await admin.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", name):
                await admin.execute(f'CREATE ROLE "{name}" LOGIN')
            if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await admin.execute(f'CREATE DATABASE "{name}" OWNER "{name}"')
    finally:
        await admin.close()


def environment_of(service: Service, host: str) -> dict[str, str]:
    wiring = {f"{s.name}_url": f"http://{host}:{s.port}" for s in SERVICES}
    wiring |= {"smtp_host": host, "smtp_port": str(SMTP_PORT)}
    env = dict(os.environ)
    env |= {
        "PORTAL_ENVIRONMENT": "development",
        "PORTAL_HOST": host,
        "PORTAL_PORT": str(service.port),
        "PYTHONUNBUFFERED": "1",
    }
    if service.database:
        env["PORTAL_DATABASE_URL"] = database_url(service)
    env |= {key: value.format(**wiring) for key, value in service.environment.items()}
    return env


async def wait_healthy(url: str, process: asyncio.subprocess.Process, name: str) -> None:
    deadline = asyncio.get_running_loop().time() + HEALTH_WAIT_SECONDS
    async with aiohttp.ClientSession() as http:
        while asyncio.get_running_loop().time() < deadline:
            if process.returncode is not None:
                raise SystemExit(f"{name} exited with code {process.returncode}; see its log above")
            with suppress(aiohttp.ClientError, OSError):
                async with http.get(url, timeout=aiohttp.ClientTimeout(total=2)) as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.3)
    raise SystemExit(f"{name} did not become healthy at {url} within {HEALTH_WAIT_SECONDS} s")


async def run(host: str, admin_dsn: str) -> None:
    await provision(admin_dsn)
    processes: list[tuple[str, asyncio.subprocess.Process]] = []
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        inbox = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "devtools.mailcatcher",
            "--host",
            host,
            "--smtp-port",
            str(SMTP_PORT),
            "--http-port",
            str(INBOX_PORT),
        )
        processes.append(("mailcatcher", inbox))
        await wait_healthy(f"http://{host}:{INBOX_PORT}/api/v1/messages", inbox, "mailcatcher")
        for service in SERVICES:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", service.module, env=environment_of(service, host)
            )
            processes.append((service.name, process))
            await wait_healthy(f"http://{host}:{service.port}/healthz", process, service.name)
        web = next(s for s in SERVICES if s.name == "web")
        print(
            "\nLeverantörsportalen is running.\n"
            f"  Web:    http://{host}:{web.port}\n"
            f"  Inbox:  http://{host}:{INBOX_PORT}   (SMTP on {host}:{SMTP_PORT})\n"
            + "".join(
                f"  {s.name:<8} http://{host}:{s.port}/healthz\n" for s in SERVICES if s is not web
            )
            + "Press Ctrl-C to stop.",
            flush=True,
        )
        ended = [asyncio.create_task(p.wait()) for _, p in processes]
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait([stopping, *ended], return_when=asyncio.FIRST_COMPLETED)
        for (name, process), task in zip(processes, ended, strict=True):
            if task.done() and not stop.is_set():
                print(
                    f"{name} stopped with code {process.returncode}; stopping the rest", flush=True
                )
    finally:
        for _, process in reversed(processes):
            if process.returncode is None:
                process.terminate()
        for _, process in processes:
            with suppress(ProcessLookupError):
                try:
                    await asyncio.wait_for(process.wait(), 10)
                except TimeoutError:
                    process.kill()
        print("Stopped.", flush=True)


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
    args = parser.parse_args()
    asyncio.run(run(args.host, args.admin_dsn))


if __name__ == "__main__":
    main()
