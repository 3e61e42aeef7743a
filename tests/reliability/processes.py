"""The services as real OS processes, the way `devtools/run.py` starts them: each on a free port,
with a fresh database of its own, one file store and one bus prefix for the whole system, and its
log in a file.

Each process leads a session of its own, so a kill takes its render workers with it, and is sent
SIGTERM when the test process dies, however it dies, so no service outlives its test run.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import sys
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import asyncpg

from devtools.system import Service
from tests.scratch import alive

ROOT = Path(__file__).parents[2]
HEALTH_WAIT_SECONDS = 90
STOP_WAIT_SECONDS = 15


class ServiceDied(Exception):
    pass


@dataclass
class ServiceProcess:
    service: Service
    port: int
    environment: dict[str, str]
    log_path: Path
    process: asyncio.subprocess.Process | None = None
    starts: int = 0
    pids: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.service.name

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def start(self) -> None:
        """Start the process and wait until its `/healthz` answers 200."""
        assert not self.running, f"{self.name} is already running"
        with self.log_path.open("ab") as log:
            log.write(f"--- start {self.starts + 1} ---\n".encode())
            log.flush()
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                self.service.module,
                cwd=ROOT,
                env=self.environment,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
                preexec_fn=terminate_with_parent,
            )
        self.starts += 1
        self.pids.append(self.process.pid)
        await self.wait_healthy()

    async def wait_healthy(self, within: float = HEALTH_WAIT_SECONDS) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        async with aiohttp.ClientSession() as http:
            while True:
                if not self.running:
                    raise ServiceDied(f"{self.name} exited; see {self.log_path}")
                if await self.healthy(http):
                    return
                if loop.time() > deadline:
                    raise TimeoutError(f"{self.name} not healthy within {within} s")
                await asyncio.sleep(0.2)

    async def healthy(self, http: aiohttp.ClientSession) -> bool:
        with suppress(aiohttp.ClientError, OSError, TimeoutError):
            async with http.get(
                self.url + "/healthz", timeout=aiohttp.ClientTimeout(total=3)
            ) as response:
                return response.status == 200
        return False

    async def kill(self) -> None:
        """SIGKILL the service's process, as an OOM killer would; its orphaned render workers
        (same session, so same process group) go too, as they would with their container."""
        assert self.process is not None and self.running
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        kill_group(self.process.pid)

    async def stop(self) -> None:
        """SIGTERM, a grace period, then SIGKILL for the process and whatever it started."""
        if self.process is None:
            return
        if self.process.returncode is None:
            self.process.terminate()
            try:
                async with asyncio.timeout(STOP_WAIT_SECONDS):
                    await self.process.wait()
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        kill_group(self.process.pid)


PR_SET_PDEATHSIG = 1


def terminate_with_parent() -> None:
    """In the child before exec: the kernel sends SIGTERM when the test process dies."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def kill_group(pgid: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def service_environment(
    service: Service,
    *,
    port: int,
    database_url: str | None,
    files_url: str | None,
    urls: dict[str, str],
    smtp_port: int,
    peppol_ap_url: str,
    settings: dict[str, str],
) -> dict[str, str]:
    """What `devtools.run.environment_of` gives a service, on this test system's ports."""
    # Nothing of the caller's PORTAL_* settings leaks in; the test decides every one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    wiring = {f"{name}_url": url for name, url in urls.items()}
    wiring |= {"smtp_host": "127.0.0.1", "smtp_port": str(smtp_port)}
    wiring |= {"peppol_ap_url": peppol_ap_url}
    env |= {
        "PORTAL_ENVIRONMENT": "development",
        "PORTAL_HOST": "127.0.0.1",
        "PORTAL_PORT": str(port),
        "PYTHONUNBUFFERED": "1",
    }
    if database_url is not None:
        env["PORTAL_DATABASE_URL"] = database_url
    if service.uses_files:
        # Never the setting's default: that is the store `scripts/start` runs on.
        if files_url is None:
            raise ValueError(f"{service.name} puts or reads files: it needs a file store")
        env["PORTAL_FILES_URL"] = files_url
    env |= {key: value.format(**wiring) for key, value in service.environment.items()}
    env |= settings
    return env


# A comment on each database names the test process that owns it, so a later run can tell
# the databases of a run that was killed (and could not drop them) from those of a live one.
OWNER = "portal fault run, pytest pid "


async def create_database(admin_dsn: str, name: str) -> None:
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{OWNER}{os.getpid()}'")
    finally:
        await admin.close()


async def drop_database(admin_dsn: str, name: str) -> None:
    # A fresh connection: the one that created it did not survive the PostgreSQL restart.
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def orphaned_databases(admin_dsn: str, pattern: str) -> list[str]:
    """Databases named like `pattern` whose owning test process is gone."""
    admin = await asyncpg.connect(admin_dsn)
    try:
        rows = await admin.fetch(
            """SELECT datname, shobj_description(oid, 'pg_database') AS note FROM pg_database
               WHERE datname LIKE $1""",
            pattern,
        )
    finally:
        await admin.close()
    orphans = []
    for row in rows:
        note = row["note"] or ""
        if note.startswith(OWNER) and not alive(int(note.removeprefix(OWNER))):
            orphans.append(row["datname"])
    return orphans
