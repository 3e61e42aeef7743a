"""Run the mail catcher until Ctrl-C: `python -m devtools.mailcatcher --smtp-port 1025`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from contextlib import suppress

from devtools.mailcatcher.catcher import start_mailcatcher

log = logging.getLogger("devtools.mailcatcher")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m devtools.mailcatcher",
        description="Catch every e-mail sent over SMTP and show it in a web inbox.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--smtp-port", type=int, default=1025, help="0 picks a free port")
    parser.add_argument("--http-port", type=int, default=8025, help="0 picks a free port")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    with suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.smtp_port, args.http_port))


async def serve(host: str, smtp_port: int, http_port: int) -> None:
    catcher = await start_mailcatcher(host, smtp_port, http_port)
    log.info("SMTP on %s:%d, inbox at %s", catcher.host, catcher.smtp_port, catcher.http_url)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    try:
        await stopping.wait()
    finally:
        await catcher.stop()


if __name__ == "__main__":
    main()
