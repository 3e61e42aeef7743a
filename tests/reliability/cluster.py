"""A three-node RabbitMQ cluster of the test's own on this machine, beside the main broker.

Each node has its own name (`portal-<run>-a@localhost`), AMQP and distribution ports on loopback,
data, log and configuration directories, and no plugins; they share an Erlang cookie of the run's
own, which the main broker does not know, so nothing done here can reach it. The nodes are joined
with `rabbitmqctl stop_app / join_cluster / start_app`, and stopped and deleted at the end
whatever happens. Each node leads a process session of its own and is sent SIGTERM when the test
process dies.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import shutil
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp.test_utils import unused_port

from tests.reliability import faults
from tests.reliability.processes import kill_group, terminate_with_parent

log = logging.getLogger(__name__)

# The Debian package's own scripts: those on PATH run as the `rabbitmq` user.
RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"
NODE_LETTERS = ("a", "b", "c")
START_SECONDS = 180


@dataclass
class Node:
    name: str
    amqp_port: int
    dist_port: int
    directory: Path
    process: asyncio.subprocess.Process | None = None
    running: bool = False

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.amqp_port}/"

    def environment(self) -> dict[str, str]:
        config = self.directory / "rabbitmq.conf"
        return {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": str(self.directory),
            "LANG": "C.UTF-8",
            "RABBITMQ_NODENAME": self.name,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.amqp_port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_BASE": str(self.directory),
            "RABBITMQ_MNESIA_BASE": str(self.directory / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.directory / "log"),
            "RABBITMQ_PID_FILE": str(self.directory / "pid"),
            "RABBITMQ_CONFIG_FILE": str(config),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(self.directory / "advanced.config"),
            # Not /etc/rabbitmq's: those name the main broker's node and listener.
            "RABBITMQ_CONF_ENV_FILE": str(self.directory / "rabbitmq-env.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.directory / "enabled_plugins"),
            # The cookie is in HOME/.erlang.cookie; distribution on loopback alone.
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }


@dataclass
class Cluster:
    nodes: list[Node]
    cookie: str
    stopped: list[str] = field(default_factory=list)

    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    def rabbitmqctl(self, node: Node | None = None) -> tuple[str, ...]:
        """`rabbitmqctl` for `node`, by default the first one running."""
        node = node or next(n for n in self.nodes if n.running)
        return ("rabbitmqctl", "-n", node.name, "--erlang-cookie", self.cookie)

    async def ctl(self, node: Node, *words: str) -> str:
        return await faults.run(*self.rabbitmqctl(node), *words)

    async def leaders(self, prefix: str) -> Counter[str]:
        """How many of the queues under `prefix` each node leads."""
        output = await faults.run(
            *self.rabbitmqctl(), "list_queues", "-q", "name", "leader", "--formatter", "json"
        )
        rows = json.loads(output or "[]")
        return Counter(row["leader"] for row in rows if row["name"].startswith(prefix))

    async def stop(self, node: Node) -> None:
        """Stop the whole node, its Erlang VM too, as when its machine goes away."""
        node.running = False
        self.stopped.append(node.name)
        await self.ctl(node, "stop")
        if node.process is not None:
            await node.process.wait()


@asynccontextmanager
async def running_cluster(root: Path) -> AsyncIterator[Cluster]:
    run = uuid.uuid4().hex[:6]
    cookie = secrets.token_hex(20).upper()
    nodes = [
        Node(
            name=f"portal-{run}-{letter}@localhost",
            amqp_port=unused_port(),
            dist_port=unused_port(),
            directory=root / f"{run}-{letter}",
        )
        for letter in NODE_LETTERS
    ]
    cluster = Cluster(nodes, cookie)
    async with AsyncExitStack() as stack:
        for node in nodes:
            stack.push_async_callback(_remove, cluster, node)
            await _start(node, cookie)
        for node in nodes:
            await _await_startup(cluster, node)
        first, *others = nodes
        for node in others:
            await cluster.ctl(node, "stop_app")
            await cluster.ctl(node, "join_cluster", first.name)
            await cluster.ctl(node, "start_app")
            await cluster.ctl(node, "await_startup")
        status = await cluster.ctl(first, "cluster_status", "--formatter", "json")
        running = json.loads(status)["running_nodes"]
        assert sorted(running) == sorted(n.name for n in nodes), status
        log.info("RabbitMQ cluster %s running: %s", run, [n.url for n in nodes])
        yield cluster


async def _start(node: Node, cookie: str) -> None:
    node.directory.mkdir(parents=True)
    (node.directory / "rabbitmq.conf").write_text("")
    (node.directory / "rabbitmq-env.conf").write_text("")
    (node.directory / "enabled_plugins").write_text("[].\n")
    cookie_file = node.directory / ".erlang.cookie"
    cookie_file.write_text(cookie)
    cookie_file.chmod(0o600)
    log_file = (node.directory / "server.out").open("ab")
    with log_file:
        node.process = await asyncio.create_subprocess_exec(
            RABBITMQ_SERVER,
            cwd=node.directory,
            env=node.environment(),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
            start_new_session=True,
            preexec_fn=terminate_with_parent,
        )
    node.running = True


async def _await_startup(cluster: Cluster, node: Node) -> None:
    """Until the node has registered and booted: `await_startup` fails at once before that."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + START_SECONDS
    while True:
        assert node.process is not None and node.process.returncode is None, node.name
        try:
            await cluster.ctl(node, "await_startup", "--timeout", "30")
            return
        except RuntimeError:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(1)


async def _remove(cluster: Cluster, node: Node) -> None:
    if node.process is not None:
        if node.process.returncode is None:
            with suppress(RuntimeError, TimeoutError):
                await faults.run(*cluster.rabbitmqctl(node), "stop", timeout=60)
        kill_group(node.process.pid)
        await node.process.wait()
    shutil.rmtree(node.directory, ignore_errors=True)
