"""Caught messages, kept in memory, and a way to wait for the ones a test expects."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from devtools.mailcatcher import mime

Predicate = Callable[["StoredMessage"], bool]


@dataclass
class StoredMessage:
    id: str
    raw: bytes
    message: EmailMessage
    created: datetime
    mail_from: str
    recipients: tuple[str, ...]
    read: bool = False

    @property
    def subject(self) -> str:
        return str(self.message.get("Subject", ""))

    @property
    def message_id(self) -> str:
        """The Message-ID header without its angle brackets, as Mailpit shows it."""
        return str(self.message.get("Message-ID", "")).strip().strip("<>")

    @property
    def text(self) -> str:
        return mime.body_text(self.message)

    @property
    def html(self) -> str:
        return mime.body_html(self.message)


class MailStore:
    """Every message the SMTP server accepted, oldest first."""

    def __init__(self) -> None:
        self._messages: list[StoredMessage] = []
        # Replaced on every change; a waiter holds the one it saw, so no change is missed.
        self._changed = asyncio.Event()

    def add(
        self, raw: bytes, *, mail_from: str = "", recipients: Iterable[str] = ()
    ) -> StoredMessage:
        item = StoredMessage(
            id=str(uuid.uuid4()),
            raw=raw,
            message=BytesParser(EmailMessage, policy=policy.default).parsebytes(raw),
            created=datetime.now(UTC),
            mail_from=mail_from,
            recipients=tuple(recipients),
        )
        self._messages.append(item)
        self._signal_change()
        return item

    def messages(self) -> list[StoredMessage]:
        """All messages, newest first."""
        return self._messages[::-1]

    def get(self, message_id: str) -> StoredMessage | None:
        """The message with this store ID; `latest` names the newest, as in Mailpit."""
        if message_id == "latest":
            return self._messages[-1] if self._messages else None
        return next((m for m in self._messages if m.id == message_id), None)

    def delete(self, ids: Iterable[str] | None = None) -> int:
        """Delete the messages with these IDs, or all of them; return how many went."""
        before = len(self._messages)
        if ids is None:
            self._messages.clear()
        else:
            doomed = set(ids)
            self._messages = [m for m in self._messages if m.id not in doomed]
        self._signal_change()
        return before - len(self._messages)

    def __len__(self) -> int:
        return len(self._messages)

    # The deadline is a parameter so a failed wait can say what did arrive instead.
    async def wait_for(
        self,
        predicate: Predicate | None = None,
        *,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> list[StoredMessage]:
        """The matching messages, oldest first, as soon as at least `count` of them arrived."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    changed = self._changed
                    matching = [m for m in self._messages if predicate is None or predicate(m)]
                    if len(matching) >= count:
                        return matching
                    await changed.wait()
        except TimeoutError:
            subjects = [m.subject for m in self._messages]
            raise TimeoutError(
                f"expected {count} matching message(s) within {timeout} s; caught {subjects}"
            ) from None

    def _signal_change(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()
