"""The HTTP side: Mailpit's JSON API (same paths and field names) and a plain HTML inbox."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from aiohttp import web

from devtools.mailcatcher import mime
from devtools.mailcatcher.store import MailStore, StoredMessage

STORE = web.AppKey("store", MailStore)
PAGES = web.AppKey("pages", jinja2.Environment)

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_LIMIT = 50

# Mail HTML is shown in a sandboxed iframe without scripts; these pages run no script either.
PAGE_SECURITY = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data: http: https:; "
        "frame-ancestors 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def create_web_app(store: MailStore) -> web.Application:
    app = web.Application()
    app[STORE] = store
    app[PAGES] = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    app.router.add_get("/api/v1/messages", list_messages)
    app.router.add_delete("/api/v1/messages", delete_messages)
    app.router.add_get("/api/v1/message/{id}", get_message)
    app.router.add_get("/api/v1/message/{id}/part/{part}", get_part)
    app.router.add_get("/api/v1/message/{id}/raw", get_raw)
    app.router.add_get("/", inbox_page)
    app.router.add_get("/view/{id}", message_page)
    return app


def summary(item: StoredMessage) -> dict[str, Any]:
    message = item.message
    _, attached = mime.files(message)
    return {
        "ID": item.id,
        "MessageID": item.message_id,
        "Read": item.read,
        "From": mime.sender(message),
        "To": mime.addresses(message, "To"),
        "Cc": mime.addresses(message, "Cc"),
        "Bcc": mime.blind_copies(message, item.recipients),
        "ReplyTo": mime.addresses(message, "Reply-To"),
        "Subject": item.subject,
        "Created": mime.rfc3339(item.created),
        "Tags": [],
        "Size": len(item.raw),
        "Attachments": len(attached),
        "Snippet": mime.snippet(message),
    }


def detail(item: StoredMessage) -> dict[str, Any]:
    message = item.message
    inline, attached = mime.files(message)
    return_path = str(message.get("Return-Path", "")).strip().strip("<>") or item.mail_from
    return {
        "ID": item.id,
        "MessageID": item.message_id,
        "From": mime.sender(message),
        "To": mime.addresses(message, "To"),
        "Cc": mime.addresses(message, "Cc"),
        "Bcc": mime.blind_copies(message, item.recipients),
        "ReplyTo": mime.addresses(message, "Reply-To"),
        "ReturnPath": return_path,
        "Subject": item.subject,
        "Date": mime.rfc3339(mime.sent_date(message, item.created)),
        "Tags": [],
        "Text": item.text,
        "HTML": item.html,
        "Size": len(item.raw),
        "Inline": inline,
        "Attachments": attached,
    }


async def list_messages(request: web.Request) -> web.Response:
    store = request.app[STORE]
    start = _query_int(request, "start", 0)
    limit = _query_int(request, "limit", DEFAULT_LIMIT)
    everything = store.messages()
    page = everything[start : start + limit]
    return web.json_response(
        {
            "total": len(everything),
            "unread": sum(not m.read for m in everything),
            "count": len(page),
            "messages_count": len(everything),
            "start": start,
            "tags": [],
            "messages": [summary(m) for m in page],
        }
    )


async def delete_messages(request: web.Request) -> web.Response:
    ids: list[str] | None = None
    if request.can_read_body:
        try:
            body = json.loads(await request.read() or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise _error(web.HTTPBadRequest, "the body is not JSON") from None
        chosen = body.get("IDs") if isinstance(body, dict) else None
        if chosen is not None and not (
            isinstance(chosen, list) and all(isinstance(i, str) for i in chosen)
        ):
            raise _error(web.HTTPBadRequest, "IDs must be a list of strings")
        # Mailpit deletes everything when the list is missing or empty.
        ids = chosen or None
    request.app[STORE].delete(ids)
    return web.Response(text="ok")


async def get_message(request: web.Request) -> web.Response:
    item = _message(request)
    item.read = True
    return web.json_response(detail(item))


async def get_part(request: web.Request) -> web.Response:
    item = _message(request)
    found = mime.part(item.message, request.match_info["part"])
    if found is None:
        raise _error(web.HTTPNotFound, "part not found")
    payload = found.get_payload(decode=True)
    content_type = found.get_content_type()
    charset = found.get_content_charset()
    if charset and found.get_content_maintype() == "text":
        content_type += f"; charset={charset}"
    filename = found.get_filename() or f"part-{request.match_info['part']}"
    return web.Response(
        body=payload if isinstance(payload, bytes) else b"",
        headers={
            "Content-Type": content_type,
            # Served from the inbox's origin, so never rendered there: a mail's HTML could script.
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


async def get_raw(request: web.Request) -> web.Response:
    item = _message(request)
    return web.Response(
        body=item.raw,
        headers={"Content-Type": "text/plain; charset=utf-8", **PAGE_SECURITY},
    )


async def inbox_page(request: web.Request) -> web.Response:
    store = request.app[STORE]
    rows = [
        {
            "id": m.id,
            "read": m.read,
            "sender": _shown(mime.sender(m.message)),
            "recipients": ", ".join(_shown(a) for a in mime.addresses(m.message, "To")),
            "subject": m.subject,
            "received": m.created.strftime("%Y-%m-%d %H:%M:%S UTC"),
            "attachments": len(mime.files(m.message)[1]),
        }
        for m in store.messages()
    ]
    return _page(request, "inbox.html", messages=rows, total=len(store))


async def message_page(request: web.Request) -> web.Response:
    item = _message(request)
    item.read = True
    message = item.message
    headers = [
        ("From", _shown(mime.sender(message))),
        ("To", ", ".join(_shown(a) for a in mime.addresses(message, "To"))),
        ("Cc", ", ".join(_shown(a) for a in mime.addresses(message, "Cc"))),
        ("Bcc", ", ".join(_shown(a) for a in mime.blind_copies(message, item.recipients))),
        ("Subject", item.subject),
        ("Date", str(message.get("Date", ""))),
        ("Message-ID", item.message_id),
    ]
    html_body = item.html
    return _page(
        request,
        "message.html",
        item=item,
        headers=[(name, value) for name, value in headers if value],
        text=item.text,
        # Links open in a new tab: the sandbox forbids navigating the inbox itself.
        html_document='<base target="_blank">' + html_body if html_body else "",
        attachments=mime.files(message)[1],
        total=len(request.app[STORE]),
    )


def _page(request: web.Request, template: str, **context: Any) -> web.Response:
    body = request.app[PAGES].get_template(template).render(**context)
    return web.Response(text=body, content_type="text/html", charset="utf-8", headers=PAGE_SECURITY)


def _shown(address: dict[str, str]) -> str:
    if address["Name"]:
        return f"{address['Name']} <{address['Address']}>"
    return address["Address"]


def _message(request: web.Request) -> StoredMessage:
    item = request.app[STORE].get(request.match_info["id"])
    if item is None:
        raise _error(web.HTTPNotFound, "message not found")
    return item


def _query_int(request: web.Request, name: str, default: int) -> int:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise _error(web.HTTPBadRequest, f"{name} must be a whole number of at least 0")
    return value


def _error(kind: type[web.HTTPException], message: str) -> web.HTTPException:
    return kind(text=json.dumps({"Error": message}), content_type="application/json")
