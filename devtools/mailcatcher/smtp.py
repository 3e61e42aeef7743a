"""The SMTP side: aiosmtpd in the caller's event loop, stoppable and restartable on one port."""

from __future__ import annotations

import asyncio
import logging
import weakref

from aiosmtpd.smtp import SMTP, Envelope, Session

from devtools.mailcatcher.store import MailStore

log = logging.getLogger(__name__)

PERMANENT_REFUSAL = "550 5.1.1 Mailbox unavailable"


class CatchingHandler:
    """Accepts every message into the store, except for recipients told to be refused."""

    def __init__(self, store: MailStore, refusals: dict[str, str]) -> None:
        self.store = store
        self.refusals = refusals

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        refusal = self.refusals.get(address.lower())
        if refusal is not None:
            return refusal
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        item = self.store.add(raw, mail_from=envelope.mail_from or "", recipients=envelope.rcpt_tos)
        log.info("caught %r for %s", item.subject, ", ".join(item.recipients))
        return "250 Message accepted for delivery"


class SmtpServer:
    """Listens on `host:port`; after the first start the port is fixed, so a restart reuses it."""

    def __init__(self, store: MailStore, host: str = "127.0.0.1", port: int = 0) -> None:
        self.store = store
        self.host = host
        self._port = port
        # address (lower case) -> SMTP reply for RCPT TO, to play a rejecting server.
        self.refusals: dict[str, str] = {}
        self._server: asyncio.Server | None = None
        self._sessions: weakref.WeakSet[SMTP] = weakref.WeakSet()

    @property
    def port(self) -> int:
        return self._port

    @property
    def is_running(self) -> bool:
        return self._server is not None

    def refuse(self, address: str, reply: str = PERMANENT_REFUSAL) -> None:
        """Answer RCPT TO `address` with `reply` (a 4xx to defer, a 5xx to reject)."""
        self.refusals[address.lower()] = reply

    def accept(self, address: str) -> None:
        self.refusals.pop(address.lower(), None)

    async def start(self) -> None:
        if self._server is not None:
            return
        loop = asyncio.get_running_loop()
        handler = CatchingHandler(self.store, self.refusals)

        def session() -> SMTP:
            protocol = SMTP(
                handler,
                hostname="mailcatcher",
                ident="Mailcatcher",
                enable_SMTPUTF8=True,
                loop=loop,
            )
            self._sessions.add(protocol)
            return protocol

        self._server = await loop.create_server(session, self.host, self._port)
        self._port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and drop every open session, as a crashed server would."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        for protocol in list(self._sessions):
            if protocol.transport is not None:
                protocol.transport.close()
        await server.wait_closed()
