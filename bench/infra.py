"""Fresh databases and a queue prefix for one benchmark run, and services as subprocesses."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from typing import Any

import aio_pika
import aiohttp
import asyncpg
from aiohttp.test_utils import unused_port

from shared.topology import DEAD_LETTER_EXCHANGE, EXCHANGE, SUBSCRIPTIONS, dead_letter_queue

ADMIN_DSN = os.environ.get("PORTAL_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_URL = os.environ.get("PORTAL_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
RUN = uuid.uuid4().hex[:8]


def dsn_for(database: str) -> str:
    return f"{ADMIN_DSN.rpartition('/')[0]}/{database}"


@asynccontextmanager
async def databases() -> AsyncIterator[Any]:
    """`make(name)` creates an empty database and returns its DSN; all are dropped at the end."""
    created: list[str] = []
    admin = await asyncpg.connect(ADMIN_DSN)

    async def make(name: str) -> str:
        database = f"bench_{RUN}_{name}_{len(created)}"
        await admin.execute(f'CREATE DATABASE "{database}"')
        created.append(database)
        return dsn_for(database)

    try:
        yield make
    finally:
        for database in created:
            with suppress(Exception):
                await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()


@asynccontextmanager
async def amqp_prefix() -> AsyncIterator[str]:
    """A fresh prefix for exchanges and queues; they are deleted at the end."""
    prefix = f"bench-{RUN}-{uuid.uuid4().hex[:4]}."
    try:
        yield prefix
    finally:
        with suppress(Exception):
            connection = await aio_pika.connect(AMQP_URL)
            async with connection:
                channel = await connection.channel()
                for name in SUBSCRIPTIONS:
                    await channel.queue_delete(prefix + name)
                    await channel.queue_delete(dead_letter_queue(prefix + name))
                await channel.exchange_delete(prefix + EXCHANGE)
                await channel.exchange_delete(prefix + DEAD_LETTER_EXCHANGE)


async def wait_healthy(url: str, process: asyncio.subprocess.Process, seconds: float = 60) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    async with aiohttp.ClientSession() as http:
        while asyncio.get_running_loop().time() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"{url}: the process exited with {process.returncode}")
            with suppress(aiohttp.ClientError, OSError):
                async with http.get(url, timeout=aiohttp.ClientTimeout(total=2)) as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy within {seconds} s")


class Processes:
    """Subprocesses started by this run; stopped (terminate, then kill) in reverse order."""

    def __init__(self) -> None:
        self.started: dict[str, asyncio.subprocess.Process] = {}

    async def start(
        self,
        name: str,
        module: str,
        env: dict[str, str],
        port: int,
        args: tuple[str, ...] = (),
    ) -> str:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            module,
            *args,
            env=dict(os.environ) | {"PYTHONUNBUFFERED": "1", "PORTAL_LOG_LEVEL": "WARNING"} | env,
            stdout=asyncio.subprocess.DEVNULL,
        )
        self.started[name] = process
        url = f"http://127.0.0.1:{port}"
        await wait_healthy(url + "/healthz", process)
        return url

    async def stop(self) -> None:
        for process in reversed(self.started.values()):
            if process.returncode is None:
                process.terminate()
        for process in self.started.values():
            with suppress(ProcessLookupError):
                try:
                    await asyncio.wait_for(process.wait(), 10)
                except TimeoutError:
                    process.kill()


def rss_mib(pid: int) -> float:
    """Resident set size now, from /proc."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


__all__ = ["AsyncExitStack", "Processes", "amqp_prefix", "databases", "unused_port"]
