"""Keeps a set of programs running on this machine: starts each and waits until it answers its
health URL, starts again any that dies after a pause that doubles with each quick death, and
stops them all on request. The others keep running while one is down."""

from __future__ import annotations

import asyncio
import sys
import time
from contextlib import suppress
from dataclasses import dataclass

import aiohttp

HEALTH_WAIT_SECONDS = 60
STOP_WAIT_SECONDS = 10
FIRST_PAUSE_SECONDS = 1.0
LONGEST_PAUSE_SECONDS = 30.0
# A program that stayed up this long had recovered: its next death waits the first pause again.
STABLE_SECONDS = 60.0


class StartFailed(Exception):
    """A program died or never answered while starting; the message says which and how."""


@dataclass
class Program:
    name: str
    argv: list[str]
    health_url: str
    env: dict[str, str] | None = None
    process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(*self.argv, env=self.env)

    async def wait_healthy(self) -> None:
        """Until the health URL answers 200; `StartFailed` if it dies or never does."""
        assert self.process is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + HEALTH_WAIT_SECONDS
        async with aiohttp.ClientSession() as http:
            while loop.time() < deadline:
                if self.process.returncode is not None:
                    raise StartFailed(
                        f"{self.name} exited with code {self.process.returncode}; see its log above"
                    )
                with suppress(aiohttp.ClientError, OSError):
                    async with http.get(
                        self.health_url, timeout=aiohttp.ClientTimeout(total=2)
                    ) as response:
                        if response.status == 200:
                            return
                await asyncio.sleep(0.3)
        raise StartFailed(
            f"{self.name} did not become healthy at {self.health_url} within "
            f"{HEALTH_WAIT_SECONDS} s"
        )


def next_pause(up_seconds: float, last_pause: float | None) -> float:
    """How long to wait before starting again a program that died after `up_seconds`."""
    if last_pause is None or up_seconds >= STABLE_SECONDS:
        return FIRST_PAUSE_SECONDS
    return min(last_pause * 2, LONGEST_PAUSE_SECONDS)


def say(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


async def keep_running(program: Program, stopping: asyncio.Event) -> None:
    """Start `program` again whenever it dies, until `stopping` is set."""
    loop = asyncio.get_running_loop()
    pause: float | None = None
    while True:
        assert program.process is not None
        started = loop.time()
        code = await program.process.wait()
        if stopping.is_set():
            return
        pause = next_pause(loop.time() - started, pause)
        say(f"{program.name} died with code {code}; restarting it in {pause:g} s")
        with suppress(TimeoutError):
            async with asyncio.timeout(pause):
                await stopping.wait()
        if stopping.is_set():
            return
        await program.start()
        assert program.process is not None
        say(f"{program.name} restarted (pid {program.process.pid})")


async def stop(programs: list[Program]) -> None:
    """SIGTERM to each, the last started first; SIGKILL to any still running after a while."""
    running = [p.process for p in reversed(programs) if p.process is not None]
    for process in running:
        if process.returncode is None:
            with suppress(ProcessLookupError):
                process.terminate()
    for process in running:
        try:
            async with asyncio.timeout(STOP_WAIT_SECONDS):
                await process.wait()
        except TimeoutError:
            with suppress(ProcessLookupError):
                process.kill()
            await process.wait()
