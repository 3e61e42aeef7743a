"""Reading a parsed message the way Mailpit presents it: addresses, bodies, numbered parts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

SNIPPET_LENGTH = 250


def addresses(message: EmailMessage, header: str) -> list[dict[str, str]]:
    """Every address in the headers named `header`, as Mailpit's `{"Name", "Address"}`."""
    found: list[dict[str, str]] = []
    for value in message.get_all(header, []):
        for address in getattr(value, "addresses", ()):
            if isinstance(address, Address):
                found.append({"Name": address.display_name, "Address": address.addr_spec})
    return found


def sender(message: EmailMessage) -> dict[str, str]:
    found = addresses(message, "From")
    return found[0] if found else {"Name": "", "Address": ""}


def blind_copies(message: EmailMessage, recipients: tuple[str, ...]) -> list[dict[str, str]]:
    """Envelope recipients named in no To or Cc header: the Bcc a receiver never sees."""
    visible = {a["Address"].lower() for h in ("To", "Cc") for a in addresses(message, h)}
    return [{"Name": "", "Address": r} for r in recipients if r.lower() not in visible]


def body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    return _content(part) if isinstance(part, EmailMessage) else ""


def body_html(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    return _content(part) if isinstance(part, EmailMessage) else ""


def _content(part: EmailMessage) -> str:
    """The part's text with the line ends SMTP gave it (CRLF) made plain newlines."""
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset or a broken encoding
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content.replace("\r\n", "\n") if isinstance(content, str) else ""


def leaf_parts(message: EmailMessage) -> list[tuple[str, EmailMessage]]:
    """Every non-multipart part with its MIME path ("1", "2", "2.1"), as Mailpit's PartID."""
    found: list[tuple[str, EmailMessage]] = []

    def walk(part: EmailMessage, path: str) -> None:
        if part.is_multipart():
            for index, child in enumerate(part.iter_parts(), start=1):
                if isinstance(child, EmailMessage):
                    walk(child, f"{path}.{index}" if path else str(index))
        else:
            found.append((path or "1", part))

    walk(message, "")
    return found


def files(message: EmailMessage) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The (inline, attachments) parts: everything that is not the text or the HTML body."""
    bodies = {id(message.get_body(preferencelist=(kind,))) for kind in ("plain", "html")}
    inline: list[dict[str, Any]] = []
    attached: list[dict[str, Any]] = []
    for part_id, part in leaf_parts(message):
        if id(part) in bodies:
            continue
        content_id = str(part.get("Content-ID", "")).strip().strip("<>")
        payload = part.get_payload(decode=True)
        described = {
            "PartID": part_id,
            "FileName": part.get_filename() or "",
            "ContentType": part.get_content_type(),
            "ContentID": content_id,
            "Size": len(payload) if isinstance(payload, bytes) else 0,
        }
        is_inline = content_id and part.get_content_disposition() != "attachment"
        (inline if is_inline else attached).append(described)
    return inline, attached


def part(message: EmailMessage, part_id: str) -> EmailMessage | None:
    return next((p for pid, p in leaf_parts(message) if pid == part_id), None)


def sent_date(message: EmailMessage, fallback: datetime) -> datetime:
    value = message.get("Date")
    stamp = getattr(value, "datetime", None)
    if not isinstance(stamp, datetime):
        return fallback
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def rfc3339(moment: datetime) -> str:
    if moment.utcoffset() == timedelta(0):
        return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return moment.isoformat(timespec="milliseconds")


def snippet(message: EmailMessage) -> str:
    """The start of the text body, or of the HTML body's visible text, on one line."""
    text = body_text(message)
    if not text.strip():
        extractor = _VisibleText()
        extractor.feed(body_html(message))
        text = " ".join(extractor.chunks)
    return " ".join(text.split())[:SNIPPET_LENGTH]


class _VisibleText(HTMLParser):
    _HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.chunks.append(data)
