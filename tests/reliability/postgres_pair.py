"""A PostgreSQL primary and its streaming standby: two clusters of their own, on ports of their own,
made with Debian's tools and dropped whatever happens. The machine's main cluster is never touched.

The standby is a `pg_basebackup -R` of the primary with a replication slot, so it cannot fall
behind the WAL the primary keeps, and replication is synchronous: a commit the primary answered
is on the standby too, so promoting it after the primary dies loses nothing that was confirmed.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from aiohttp.test_utils import unused_port

from tests.reliability.faults import run
from tests.reliability.pipeline import connected, eventually
from tests.scratch import alive

log = logging.getLogger(__name__)

INSTALLED = Path("/usr/lib/postgresql")
# `failover_<pid of the test process>_<role>`: a later run drops the pairs of a killed one.
CLUSTER_NAME = re.compile(r"^failover_(?P<pid>\d+)_(primary|standby)$")
SLOT = "failover_standby"
READY_SECONDS = 60


@dataclass(frozen=True)
class ClusterPair:
    version: str
    primary: str
    standby: str
    primary_port: int
    standby_port: int

    def dsn(self, database: str = "postgres") -> str:
        """Both servers, the primary first; each connection takes the one that accepts writes."""
        return (
            f"postgresql://postgres@127.0.0.1:{self.primary_port},127.0.0.1:{self.standby_port}"
            f"/{database}?target_session_attrs=read-write"
        )

    async def stop_primary(self) -> None:
        """Stop the primary as a crash would: no shutdown checkpoint, sessions cut at once."""
        await _pg_ctlcluster(self.version, self.primary, "stop", "-m", "immediate")

    async def promote_standby(self) -> None:
        """Promote the standby; returns once it takes writes."""
        await _pg_ctlcluster(self.version, self.standby, "promote")


def installed_version() -> str:
    """The newest PostgreSQL installed from Debian's packages."""
    versions = [p.name for p in INSTALLED.iterdir() if (p / "bin" / "initdb").exists()]
    return max(versions, key=float)


@asynccontextmanager
async def cluster_pair() -> AsyncIterator[ClusterPair]:
    """A running primary with a synchronous streaming standby; both dropped on the way out."""
    version = installed_version()
    await _drop_pairs_of_killed_runs()
    pid = os.getpid()
    pair = ClusterPair(
        version=version,
        primary=f"failover_{pid}_primary",
        standby=f"failover_{pid}_standby",
        primary_port=unused_port(),
        standby_port=unused_port(),
    )
    async with AsyncExitStack() as stack:
        await _create(version, pair.primary, pair.primary_port, start=True)
        stack.push_async_callback(_drop, version, pair.primary)
        await _create(version, pair.standby, pair.standby_port, start=False)
        stack.push_async_callback(_drop, version, pair.standby)
        # The standby's data is the primary's, copied: the cluster keeps only its configuration.
        data = await _data_directory(version, pair.standby)
        for entry in data.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        await run(
            "runuser", "-u", "postgres", "--",
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(pair.primary_port), "-U", "postgres",
            "-D", str(data), "-R", "-X", "stream", "-C", "-S", SLOT,
        )  # fmt: skip
        await _pg_ctlcluster(version, pair.standby, "start")
        primary_admin = f"postgresql://postgres@127.0.0.1:{pair.primary_port}/postgres"
        async with connected(primary_admin) as conn:
            await conn.execute("ALTER SYSTEM SET synchronous_standby_names = '*'")
            await conn.execute("SELECT pg_reload_conf()")
        await eventually(
            lambda: _standby_in_sync(primary_admin),
            within=READY_SECONDS,
            what="the standby streaming synchronously",
        )
        log.info(
            "failover pair: primary on %d, standby on %d", pair.primary_port, pair.standby_port
        )
        yield pair


async def _standby_in_sync(admin_dsn: str) -> bool:
    async with connected(admin_dsn) as conn:
        state: asyncpg.Record | None = await conn.fetchrow(
            "SELECT state, sync_state FROM pg_stat_replication"
        )
    return state is not None and tuple(state) == ("streaming", "sync")


async def _create(version: str, name: str, port: int, *, start: bool) -> None:
    # Trust on loopback, as the machine's own cluster is set up, replication included.
    starting = ["--start"] if start else []
    await run("pg_createcluster", version, name, "-p", str(port), *starting, "--", "--auth=trust")


async def _data_directory(version: str, name: str) -> Path:
    output = await run("pg_lsclusters", "--no-header", version, name)
    return Path(output.split()[5])


async def _pg_ctlcluster(version: str, name: str, *action: str) -> None:
    await run("pg_ctlcluster", "--skip-systemctl-redirect", version, name, *action)


async def _drop(version: str, name: str) -> None:
    await run("pg_dropcluster", "--stop", version, name)


async def _drop_pairs_of_killed_runs() -> None:
    for line in (await run("pg_lsclusters", "--no-header")).splitlines():
        version, name, *_ = line.split()
        found = CLUSTER_NAME.match(name)
        if found and not alive(int(found["pid"])):
            log.warning("dropping cluster %s %s, left by a killed failover run", version, name)
            await _drop(version, name)
