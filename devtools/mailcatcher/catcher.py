"""The SMTP server and the web inbox on one store, run in the caller's event loop."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from aiohttp import web

from devtools.mailcatcher.smtp import SmtpServer
from devtools.mailcatcher.store import MailStore
from devtools.mailcatcher.web import create_web_app


class MailCatcher:
    def __init__(self, store: MailStore, smtp: SmtpServer, runner: web.AppRunner) -> None:
        self.store = store
        self.smtp = smtp
        self._runner = runner

    @property
    def host(self) -> str:
        return self.smtp.host

    @property
    def smtp_port(self) -> int:
        return self.smtp.port

    @property
    def http_port(self) -> int:
        return int(self._runner.addresses[0][1])

    @property
    def http_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.http_port}"

    async def stop(self) -> None:
        await self.smtp.stop()
        await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()


async def start_mailcatcher(
    host: str = "127.0.0.1", smtp_port: int = 1025, http_port: int = 8025
) -> MailCatcher:
    """Start SMTP and HTTP on `host`; a port of 0 picks a free one (see the object's ports)."""
    store = MailStore()
    smtp = SmtpServer(store, host, smtp_port)
    await smtp.start()
    runner = web.AppRunner(create_web_app(store), access_log=None)
    try:
        await runner.setup()
        await web.TCPSite(runner, host, http_port).start()
    except BaseException:
        await smtp.stop()
        await runner.cleanup()
        raise
    return MailCatcher(store, smtp, runner)
