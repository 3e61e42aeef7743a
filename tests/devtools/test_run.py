"""`python -m devtools.run` (what `scripts/start` runs) keeps the system running: a service that
dies is started again while the others go on answering, `--scale` runs replicas, and a Ctrl-C
stops everything. The copy under test has ports, databases and queues of its own, so it runs
beside a `scripts/start` someone else is running; PostgreSQL and RabbitMQ are never stopped."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import aio_pika
import aiohttp
import asyncpg
import pytest

from devtools.supervisor import FIRST_PAUSE_SECONDS, LONGEST_PAUSE_SECONDS, next_pause
from devtools.system import INBOX_PORT, SERVICES, SMTP_PORT, Instance
from tests.conftest import ADMIN_DSN, AMQP_URL
from tests.reliability.processes import ROOT, terminate_with_parent
from tests.scratch import alive, delete_topology

START_SECONDS = 240
STOP_SECONDS = 60


def test_the_pause_before_a_restart_doubles_up_to_its_longest_and_resets_after_a_good_run() -> None:
    pauses = [next_pause(0.5, None)]
    for _ in range(7):
        pauses.append(next_pause(0.5, pauses[-1]))
    assert pauses == [1, 2, 4, 8, 16, 30, 30, 30]
    assert pauses[0] == FIRST_PAUSE_SECONDS and pauses[-1] == LONGEST_PAUSE_SECONDS
    assert next_pause(600, 30) == FIRST_PAUSE_SECONDS


@dataclass
class Running:
    process: asyncio.subprocess.Process
    instance: Instance
    output: Path

    def url(self, service: str, replica: int = 1) -> str:
        (found,) = [s for s in SERVICES if s.name == service]
        return f"http://127.0.0.1:{self.instance.port(found, replica)}"

    def children(self, module: str) -> list[int]:
        """The pids of the run's children running `python -m <module>`."""
        pid = self.process.pid
        found = []
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            with suppress(FileNotFoundError):
                argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
                if module.encode() in argv:
                    found.append(int(child))
        return found


@pytest.mark.timeout(START_SECONDS + 3 * STOP_SECONDS)
async def test_a_killed_service_comes_back_while_the_others_keep_answering(
    tmp_path: Path,
) -> None:
    async with running(["--scale", "renderer=2"], tmp_path / "run.log") as run:
        others = [run.url(s.name) + "/healthz" for s in SERVICES if s.name != "notifier"]
        others.append(run.url("renderer", 2) + "/healthz")
        async with aiohttp.ClientSession() as http:
            done = asyncio.Event()
            watching = asyncio.create_task(_failures(http, others, done))
            (killed,) = run.children("services.notifier")
            os.kill(killed, signal.SIGKILL)
            await _eventually_healthy(http, run.url("notifier") + "/healthz", STOP_SECONDS)
            done.set()
            failures = await watching
        (restarted,) = run.children("services.notifier")
        assert restarted != killed
        assert failures == []
        log = _text(run.output)
        assert "notifier died with code -9; restarting it in 1 s" in log
        assert f"notifier restarted (pid {restarted})" in log
        assert len(run.children("services.renderer")) == 2
        async with aiohttp.ClientSession() as http:
            for replica in (1, 2):
                await _eventually_healthy(http, run.url("renderer", replica) + "/healthz", 5)
        children = [pid for s in SERVICES for pid in run.children(s.module)]
        assert len(children) == len(SERVICES) + 1

        run.process.send_signal(signal.SIGINT)  # as Ctrl-C
        async with asyncio.timeout(STOP_SECONDS):
            assert await run.process.wait() == 0
        assert _text(run.output).rstrip().endswith("Stopped.")
        assert not [pid for pid in children if alive(pid)]


async def _failures(http: aiohttp.ClientSession, urls: list[str], done: asyncio.Event) -> list[str]:
    """Every health answer but 200 from these URLs, polled until `done`."""
    failed: list[str] = []
    while not done.is_set():
        for url in urls:
            try:
                async with http.get(url, timeout=aiohttp.ClientTimeout(total=10)) as r:
                    if r.status != 200:
                        failed.append(f"{url} {r.status}")
            except (aiohttp.ClientError, TimeoutError) as error:
                failed.append(f"{url} {error!r}")
        await asyncio.sleep(0.25)
    return failed


async def _eventually_healthy(http: aiohttp.ClientSession, url: str, within: float) -> None:
    async with asyncio.timeout(within):
        while True:
            with suppress(aiohttp.ClientError, TimeoutError):
                async with http.get(url, timeout=aiohttp.ClientTimeout(total=5)) as r:
                    if r.status == 200:
                        return
            await asyncio.sleep(0.3)


@asynccontextmanager
async def running(arguments: list[str], output: Path) -> AsyncIterator[Running]:
    """`python -m devtools.run` on free ports and a prefix of its own, until it has printed that
    it is running; stopped, and its databases and queues deleted, on the way out."""
    instance = Instance(port_offset=_free_port_offset(), prefix=f"t{uuid.uuid4().hex[:8]}")
    with output.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "devtools.run", "--admin-dsn", ADMIN_DSN,
            "--port-offset", str(instance.port_offset), "--prefix", instance.prefix, *arguments,
            cwd=ROOT, env={**os.environ, "PORTAL_AMQP_URL": AMQP_URL},
            stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True, preexec_fn=terminate_with_parent,
        )  # fmt: skip
    try:
        async with asyncio.timeout(START_SECONDS):
            while "Press Ctrl-C to stop." not in _text(output):
                assert process.returncode is None, _text(output)
                await asyncio.sleep(0.5)
        yield Running(process, instance, output)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                async with asyncio.timeout(STOP_SECONDS):
                    await process.wait()
            except TimeoutError:
                os.killpg(process.pid, signal.SIGKILL)
                await process.wait()
        await _delete(instance)


def _text(path: Path) -> str:
    return path.read_text(errors="replace")


def _free_port_offset() -> int:
    """An offset that puts every port the run may take (two replicas each) on a free one."""
    bases = [INBOX_PORT, SMTP_PORT, *(s.port for s in SERVICES)]
    for _ in range(50):
        offset = random.randrange(10_000, 50_000)
        if all(_free(base + offset + step) for base in bases for step in (0, 100)):
            return offset
    raise AssertionError("no free range of ports")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


async def _delete(instance: Instance) -> None:
    admin = await asyncpg.connect(ADMIN_DSN)
    try:
        for _, database in instance.databases():
            await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await admin.close()
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        await delete_topology(await connection.channel(), instance.queue_prefix)
