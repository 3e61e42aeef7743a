"""The invoice service's JSON API: `/v1/me/…` for the caller's own company only, and the
operator's and buyers' routes, each with its own credential."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage
from pydantic import AwareDatetime, Field

from services.invoice import buyer_statuses, invoices, line_import, received, templates, webhooks
from services.invoice.attachments import MAX_BYTES
from services.invoice.renderer import RendererClient
from services.invoice.schemas import (
    InvoiceDetail,
    InvoiceForm,
    InvoiceIds,
    InvoicePage,
    InvoiceResponse,
    InvoiceResponses,
    InvoiceTemplate,
    InvoiceTemplateDetail,
    InvoiceTemplates,
    ReceivedPage,
    ReceivedStream,
    RegisteredWebhook,
    StatusChange,
    TemplateForm,
    WebhookDeliveries,
    WebhookForm,
    Webhooks,
)
from shared.errors import FieldError, FieldErrors, NotFound
from shared.http import json_response, read_json, request_language, require_bearer
from shared.invoices import Attachment, Invoice
from shared.openapi import documented
from shared.service import FILES, POOL
from shared.sessions import Principal, SessionVerifier
from shared.settings import InvoiceSettings

SETTINGS = web.AppKey("settings", InvoiceSettings)
CLOCK = web.AppKey[Callable[[], datetime]]("clock")
SESSIONS = web.AppKey("sessions", SessionVerifier)
RENDERER = web.AppKey("renderer", RendererClient)
# Uploads checked and stored at once; the others wait their turn (see attachments.CHECKS).
UPLOAD_SLOTS = web.AppKey("upload_slots", asyncio.Semaphore)
STATUSES = ("draft", "sent", "delivered", "failed")
MAX_PAGE = 1_000_000

routes = web.RouteTableDef()
INVOICE = {"invoice_id": uuid.UUID}
ATTACHMENT = INVOICE | {"attachment_id": uuid.UUID}
DOCUMENT_TYPES = ("application/pdf", "application/xml")


def deps(request: web.Request) -> invoices.Deps:
    return invoices.Deps(pool=request.app[POOL], files=request.app[FILES], now=request.app[CLOCK]())


async def principal(request: web.Request) -> Principal:
    return await request.app[SESSIONS].principal(request.headers.get("Authorization", ""))


def path_id(request: web.Request, name: str = "invoice_id") -> uuid.UUID:
    try:
        return uuid.UUID(request.match_info[name])
    except ValueError:
        raise NotFound("not_found") from None


def page_number(request: web.Request) -> int:
    """The `page` asked for; a page past the last one is simply empty."""
    try:
        page = int(request.query.get("page", "1"))
    except ValueError:
        raise FieldErrors([("page", "int_parsing", {})]) from None
    # Bounded so that the row offset stays within PostgreSQL's bigint.
    return min(max(1, page), MAX_PAGE)


def search_text(request: web.Request) -> str:
    # PostgreSQL's text cannot hold NUL, so no invoice could match one.
    return request.query.get("q", "")[:100].replace("\x00", "")


def pdf_response(
    content: bytes, filename: str, content_type: str = "application/pdf"
) -> web.Response:
    safe = filename.replace('"', "")
    return web.Response(
        body=content,
        content_type=content_type,
        headers={
            "Content-Disposition": f'inline; filename="{safe}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@routes.get("/v1/me/invoice-form")
@documented(response=dict[str, Any], auth="session")
async def form_context(request: web.Request) -> web.Response:
    return web.json_response(await invoices.form_context(deps(request), await principal(request)))


@routes.get("/v1/me/invoices")
@documented(
    response=InvoicePage,
    auth="session",
    query={"status": Literal["draft", "sent", "delivered", "failed"], "page": int, "q": str},
)
async def list_invoices(request: web.Request) -> web.Response:
    who = await principal(request)
    status = request.query.get("status") or None
    page = page_number(request)
    if status is not None and status not in STATUSES:
        raise FieldErrors([("status", "literal_error", {})])
    return json_response(
        await invoices.listing(deps(request), who, search_text(request), status, page)
    )


@routes.get("/v1/me/invoice-ids")
@documented(response=InvoiceIds, auth="session")
async def list_invoice_ids(request: web.Request) -> web.Response:
    """Every invoice of the company's, oldest first, read at one moment: what an export walks
    through, where the pages of `/v1/me/invoices` could shift under it."""
    return json_response(await invoices.all_ids(deps(request), await principal(request)))


@routes.post("/v1/me/invoices")
@documented(body=InvoiceForm, response=InvoiceDetail, status=201, auth="session")
async def create_invoice(request: web.Request) -> web.Response:
    who = await principal(request)
    form = await read_json(request, InvoiceForm)
    return json_response(await invoices.create_draft(deps(request), who, form), status=201)


@routes.get("/v1/me/invoices/{invoice_id}")
@documented(response=InvoiceDetail, auth="session", path=INVOICE)
async def show_invoice(request: web.Request) -> web.Response:
    return json_response(
        await invoices.detail(deps(request), await principal(request), path_id(request))
    )


@routes.put("/v1/me/invoices/{invoice_id}")
@documented(body=InvoiceForm, response=InvoiceDetail, auth="session", path=INVOICE)
async def update_invoice(request: web.Request) -> web.Response:
    who = await principal(request)
    form = await read_json(request, InvoiceForm)
    return json_response(await invoices.update_draft(deps(request), who, path_id(request), form))


@routes.delete("/v1/me/invoices/{invoice_id}")
@documented(status=204, auth="session", path=INVOICE)
async def delete_invoice(request: web.Request) -> web.Response:
    await invoices.delete_draft(deps(request), await principal(request), path_id(request))
    return web.Response(status=204)


@routes.post("/v1/me/invoices/{invoice_id}/send")
@documented(response=InvoiceDetail, auth="session", path=INVOICE)
async def send_invoice(request: web.Request) -> web.Response:
    who = await principal(request)
    sent = await invoices.send(deps(request), who, path_id(request), request_language(request))
    return json_response(sent)


@routes.post("/v1/me/invoices/{invoice_id}/retry")
@documented(response=InvoiceDetail, auth="session", path=INVOICE)
async def retry_invoice(request: web.Request) -> web.Response:
    who = await principal(request)
    return json_response(
        await invoices.retry(deps(request), who, path_id(request), request_language(request))
    )


@routes.post("/v1/me/invoices/{invoice_id}/copy")
@documented(response=InvoiceDetail, status=201, auth="session", path=INVOICE)
async def copy_invoice(request: web.Request) -> web.Response:
    return json_response(
        await invoices.copy(deps(request), await principal(request), path_id(request)), status=201
    )


@routes.post("/v1/me/invoices/{invoice_id}/credit")
@documented(response=InvoiceDetail, status=201, auth="session", path=INVOICE)
async def credit_invoice(request: web.Request) -> web.Response:
    who = await principal(request)
    return json_response(
        await invoices.copy(deps(request), who, path_id(request), credit=True), status=201
    )


@routes.get("/v1/me/invoices/{invoice_id}/preview")
@documented(content_type="application/pdf", auth="session", path=INVOICE)
async def preview_invoice(request: web.Request) -> web.Response:
    who = await principal(request)
    document = await invoices.document_for_preview(deps(request), who, path_id(request))
    pdf = await request.app[RENDERER].preview(document, request_language(request))
    return pdf_response(pdf, f"{document.number or 'utkast'}.pdf")


@routes.get("/v1/me/invoices/{invoice_id}/pdf")
@documented(content_type="application/pdf", auth="session", path=INVOICE)
async def invoice_pdf(request: web.Request) -> web.Response:
    document = await invoices.sent_document(
        deps(request), await principal(request), path_id(request)
    )
    pdf = await request.app[RENDERER].document(document.id, "pdf")
    return pdf_response(pdf, f"faktura-{document.number}.pdf")


@routes.get("/v1/me/invoices/{invoice_id}/xml")
@documented(content_type="application/xml", auth="session", path=INVOICE)
async def invoice_xml(request: web.Request) -> web.Response:
    document = await invoices.sent_document(
        deps(request), await principal(request), path_id(request)
    )
    xml = await request.app[RENDERER].document(document.id, "xml")
    return pdf_response(xml, f"faktura-{document.number}.xml", "application/xml")


@routes.post("/v1/me/invoices/{invoice_id}/attachments")
@documented(upload="file", response=Attachment, status=201, auth="session", path=INVOICE)
async def add_attachment(request: web.Request) -> web.Response:
    who = await principal(request)
    invoice_id = path_id(request)
    filename, content = await _upload(request)
    quota = request.app[SETTINGS].attachment_quota
    async with request.app[UPLOAD_SLOTS]:
        attachment = await invoices.attach(
            deps(request), who, invoice_id, filename, content, quota=quota
        )
    return json_response(attachment, status=201)


@dataclass(frozen=True)
class UploadRules:
    """How large an upload may be, and where and with which codes it is refused."""

    max_bytes: int
    missing: FieldError
    too_large: FieldError


ATTACHMENT_UPLOAD = UploadRules(
    MAX_BYTES,
    ("file", "attachment.missing", {}),
    ("file", "attachment.too_large", {}),
)
LINES_UPLOAD = UploadRules(
    line_import.MAX_BYTES,
    ("lines_file", "line_import.missing", {}),
    ("lines_file", "line_import.too_large", {"megabytes": line_import.MAX_BYTES // 1_000_000}),
)


async def _upload(
    request: web.Request, rules: UploadRules = ATTACHMENT_UPLOAD
) -> tuple[str, bytes]:
    """The single file of a multipart upload, read up to the size limit and no further."""
    if not request.content_type.startswith("multipart/"):
        raise FieldErrors([rules.missing])
    try:
        return await _file_part(request, rules)
    # A body that is no multipart at all (no boundary, broken part headers) is the caller's.
    except (BadHttpMessage, KeyError, ValueError):
        raise FieldErrors([rules.missing]) from None


async def _file_part(request: web.Request, rules: UploadRules) -> tuple[str, bytes]:
    reader = await request.multipart()
    async for part in reader:
        if getattr(part, "name", None) != "file" or not getattr(part, "filename", None):
            continue
        content = bytearray()
        while chunk := await part.read_chunk(64 * 1024):  # type: ignore[union-attr]
            content += chunk
            if len(content) > rules.max_bytes:
                raise FieldErrors([rules.too_large])
        return str(part.filename), bytes(content)  # type: ignore[union-attr]
    raise FieldErrors([rules.missing])


@routes.post("/v1/me/invoices/{invoice_id}/lines/import")
@documented(upload="file", response=InvoiceDetail, auth="session", path=INVOICE)
async def import_lines(request: web.Request) -> web.Response:
    """Append the lines of a CSV file (at most 1 MB and 500 lines) to the draft.

    The columns are article id, name, quantity, unit, price and VAT, in that order or as a
    heading row in Swedish or English names them; `;` with a decimal comma as Excel writes in
    Sweden, or `,` with a decimal point; UTF-8 or Windows-1252. Either every line is added, or
    none and the answer is a 422 with every problem at `lines_file.<row>.<column>` (the row as
    the spreadsheet numbers it), or at `lines_file` for the file as a whole.
    """
    who = await principal(request)
    invoice_id = path_id(request)
    _, content = await _upload(request, LINES_UPLOAD)
    return json_response(await invoices.import_lines(deps(request), who, invoice_id, content))


TEMPLATE = {"template_id": uuid.UUID}


@routes.get("/v1/me/templates")
@documented(response=InvoiceTemplates, auth="session", query={"buyer_id": uuid.UUID})
async def list_templates(request: web.Request) -> web.Response:
    """The company's invoice templates, by customer and name; `buyer_id` for one customer's."""
    who = await principal(request)
    buyer_id = None
    if request.query.get("buyer_id"):
        try:
            buyer_id = uuid.UUID(request.query["buyer_id"])
        except ValueError:
            raise FieldErrors([("buyer_id", "uuid_parsing", {})]) from None
    found = await templates.listing(deps(request), who, buyer_id)
    return json_response(InvoiceTemplates(templates=found))


@routes.post("/v1/me/templates")
@documented(body=TemplateForm, response=InvoiceTemplate, status=201, auth="session")
async def save_template(request: web.Request) -> web.Response:
    """Save one of the company's invoices as a template for its customer: everything but its
    number, dates and attachments, and its payment term in days. A template of the same name
    for the same customer is replaced."""
    who = await principal(request)
    form = await read_json(request, TemplateForm)
    return json_response(await templates.save(deps(request), who, form), status=201)


@routes.get("/v1/me/templates/{template_id}")
@documented(response=InvoiceTemplateDetail, auth="session", path=TEMPLATE)
async def show_template(request: web.Request) -> web.Response:
    who = await principal(request)
    return json_response(
        await templates.detail(deps(request), who, path_id(request, "template_id"))
    )


@routes.post("/v1/me/templates/{template_id}/invoices")
@documented(response=InvoiceDetail, status=201, auth="session", path=TEMPLATE)
async def start_from_template(request: web.Request) -> web.Response:
    """A new draft from the template, dated today and due after the template's payment term."""
    who = await principal(request)
    template_id = path_id(request, "template_id")
    return json_response(await templates.start_invoice(deps(request), who, template_id), status=201)


@routes.delete("/v1/me/templates/{template_id}")
@documented(status=204, auth="session", path=TEMPLATE)
async def delete_template(request: web.Request) -> web.Response:
    await templates.delete(deps(request), await principal(request), path_id(request, "template_id"))
    return web.Response(status=204)


@routes.get("/v1/me/invoices/{invoice_id}/attachments/{attachment_id}")
@documented(content_type="application/pdf", auth="session", path=ATTACHMENT)
async def show_attachment(request: web.Request) -> web.Response:
    who = await principal(request)
    name, content = await invoices.attachment(
        deps(request), who, path_id(request), path_id(request, "attachment_id")
    )
    return pdf_response(content, name)


@routes.delete("/v1/me/invoices/{invoice_id}/attachments/{attachment_id}")
@documented(status=204, auth="session", path=ATTACHMENT)
async def remove_attachment(request: web.Request) -> web.Response:
    who = await principal(request)
    await invoices.detach(deps(request), who, path_id(request), path_id(request, "attachment_id"))
    return web.Response(status=204)


def require_operator(request: web.Request) -> None:
    require_bearer(request, request.app[SETTINGS].operator_secret, "unauthorized")


@routes.post("/v1/operator/buyers/{buyer_id}/keys")
@documented(response=dict[str, str], status=201, auth="operator", path={"buyer_id": uuid.UUID})
async def issue_buyer_key(request: web.Request) -> web.Response:
    require_operator(request)
    issued = await received.issue_key(deps(request), path_id(request, "buyer_id"))
    return web.json_response(issued, status=201)


@routes.delete("/v1/operator/keys/{reference}")
@documented(response=dict[str, str], auth="operator", path={"reference": str})
async def revoke_buyer_key(request: web.Request) -> web.Response:
    """Revoke a buyer's key named by its id or its first characters (at least eight)."""
    require_operator(request)
    revoked = await received.revoke_key(deps(request), request.match_info["reference"])
    return web.json_response(revoked)


async def buyer_key(request: web.Request) -> received.BuyerKey:
    return await received.key_of(deps(request), request.headers.get("Authorization", ""))


@routes.get("/v1/buyer/invoices")
@documented(
    response=ReceivedStream | ReceivedPage,
    auth="buyer_key",
    query={
        "after": str,
        "since": AwareDatetime,
        "limit": Annotated[int, Field(ge=1, le=received.MAX_STREAM_LIMIT)],
        "page": int,
    },
)
async def buyer_invoices(request: web.Request) -> web.Response:
    """The invoices sent to the key's buyer, in the order they arrived, each listed once.

    Begin with `since` (an ISO 8601 time with its offset: every invoice sent at or after it, and
    perhaps a few sent moments before) or with `limit` alone (from the first invoice), then ask
    with `after` set to the `next` of the last answer, at once while `has_more` is true and later
    for what arrived since. `next` is always given; an invoice still being sent while you read is
    listed in a later answer, never skipped. `limit` is 1 to 200, 50 unless given.

    Without `after`, `since` and `limit`: the deprecated pages (`page`, 25 invoices each, newest
    first), which shift as invoices arrive.
    """
    buyer_id = (await buyer_key(request)).buyer_id
    query = received.stream_query(buyer_id, request.query)
    if query is not None:
        return web.json_response(await received.stream(deps(request), buyer_id, query))
    page = page_number(request)
    return web.json_response(await received.received(deps(request), buyer_id, page))


@routes.get("/v1/buyer/invoices/{invoice_id}")
@documented(response=Invoice, auth="buyer_key", path=INVOICE)
async def buyer_invoice(request: web.Request) -> web.Response:
    buyer_id = (await buyer_key(request)).buyer_id
    return json_response(
        await received.received_document(deps(request), buyer_id, path_id(request))
    )


@routes.get("/v1/buyer/invoices/{invoice_id}/{kind:pdf|xml}")
@documented(content_type=DOCUMENT_TYPES, auth="buyer_key", path=INVOICE)
async def buyer_invoice_document(request: web.Request) -> web.Response:
    buyer_id = (await buyer_key(request)).buyer_id
    document = await received.received_document(deps(request), buyer_id, path_id(request))
    kind = request.match_info["kind"]
    content = await request.app[RENDERER].document(document.id, kind)
    content_type = "application/pdf" if kind == "pdf" else "application/xml"
    return pdf_response(content, f"faktura-{document.number}.{kind}", content_type)


@routes.post("/v1/buyer/invoices/{invoice_id}/status")
@documented(body=StatusChange, response=InvoiceResponse, auth="buyer_key", path=INVOICE)
async def buyer_invoice_status(request: web.Request) -> web.Response:
    """Mark the invoice Mottagen (`received`), Godkänd (`approved`), Avvisad (`rejected`) or Betald
    (`paid`); answered with the status's Invoice Response.

    A rejection needs a `reason` in words the supplier can act on, and may name a `reason_code`
    (REF, LEG, REC, QUA, DEL, PRI, QTY, ITM, PAY, UNR, FIN, OTH; OTH unless given); no other
    status has either (422 at the field). The statuses may follow one another in any order until
    the invoice is rejected or paid: after those, another is refused (409,
    `buyer_status.already_rejected` or `buyer_status.already_paid`), as is any for an invoice whose
    delivery failed (409, `buyer_status.not_delivered`). The status the invoice has already is
    answered as before, and changes nothing. The supplier's sender is e-mailed a rejection or a
    payment.
    """
    key = await buyer_key(request)
    change = await read_json(request, StatusChange)
    response = await buyer_statuses.set_status(
        deps(request),
        key.buyer_id,
        path_id(request),
        change.status,
        change.reason,
        change.reason_code,
        set_by=key.id,
    )
    return json_response(response)


@routes.get("/v1/buyer/invoices/{invoice_id}/responses")
@documented(response=InvoiceResponses, auth="buyer_key", path=INVOICE)
async def buyer_invoice_responses(request: web.Request) -> web.Response:
    """Every status the buyer gave the invoice, the newest last, each with the `url` of its
    Invoice Response."""
    key = await buyer_key(request)
    found = await buyer_statuses.responses(deps(request), key.buyer_id, path_id(request))
    return json_response(InvoiceResponses(responses=found))


@routes.get("/v1/buyer/invoices/{invoice_id}/responses/{response_id}")
@documented(
    content_type="application/xml",
    auth="buyer_key",
    path=INVOICE | {"response_id": uuid.UUID},
)
async def buyer_invoice_response(request: web.Request) -> web.Response:
    """One status as a Peppol BIS Invoice Response 3 (T111): a UBL ApplicationResponse from the
    buyer to the supplier, naming the invoice by its number (Mottagen AB, Godkänd AP, Avvisad RE
    with its reason code and words, Betald PD)."""
    key = await buyer_key(request)
    response_id = path_id(request, "response_id")
    xml = await buyer_statuses.response_document(
        deps(request), key.buyer_id, path_id(request), response_id
    )
    return pdf_response(xml, f"invoice-response-{response_id}.xml", "application/xml")


WEBHOOK = {"webhook_id": uuid.UUID}


@routes.post("/v1/buyer/webhooks")
@documented(body=WebhookForm, response=RegisteredWebhook, status=201, auth="buyer_key")
async def buyer_register_webhook(request: web.Request) -> web.Response:
    """Register a URL to be told of the buyer's invoices: `invoice.sent` when one is sent (or
    sent again) and `invoice.status_changed` when the buyer gives one a status.

    Each delivery is a POST of JSON (`type`, `timestamp`, `data`) signed as the Standard
    Webhooks specification says (`webhook-id`, `webhook-timestamp`, `webhook-signature`), with
    the `secret` of this answer, which is shown only here. A delivery is retried until a 2xx,
    after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and a last time a day after the first attempt; the
    same `webhook-id` each time, for the receiver to drop what it has seen.

    The URL must be `https`, carry no user name or password, and name a host whose addresses are
    all public: a loopback, private, link-local or other internal address is refused (422 at
    `url`), here and again at each delivery. At most 10 per buyer.
    """
    key = await buyer_key(request)
    form = await read_json(request, WebhookForm)
    allow = request.app[SETTINGS].webhook_allow_private
    registered = await webhooks.register(
        deps(request), key.buyer_id, form, allow_private=allow, created_by=key.id
    )
    return json_response(registered, status=201)


@routes.get("/v1/buyer/webhooks")
@documented(response=Webhooks, auth="buyer_key")
async def buyer_webhooks(request: web.Request) -> web.Response:
    """The buyer's webhooks, the oldest first, without their secrets."""
    key = await buyer_key(request)
    return json_response(Webhooks(webhooks=await webhooks.endpoints(deps(request), key.buyer_id)))


@routes.delete("/v1/buyer/webhooks/{webhook_id}")
@documented(status=204, auth="buyer_key", path=WEBHOOK)
async def buyer_delete_webhook(request: web.Request) -> web.Response:
    """Delete a webhook and its delivery log; what it still had to deliver is not sent."""
    key = await buyer_key(request)
    await webhooks.delete(deps(request), key.buyer_id, path_id(request, "webhook_id"))
    return web.Response(status=204)


@routes.get("/v1/buyer/webhooks/{webhook_id}/deliveries")
@documented(
    response=WebhookDeliveries,
    auth="buyer_key",
    path=WEBHOOK,
    query={"limit": Annotated[int, Field(ge=1, le=webhooks.MAX_DELIVERY_LOG)]},
)
async def buyer_webhook_deliveries(request: web.Request) -> web.Response:
    """The webhook's delivery log, the newest first (`limit` 1 to 200, 50 unless given): each
    event's `message_id` (its `webhook-id`), type, when it happened, the attempts so far, the
    last one's time and HTTP status or error, the next one's time, and its state: `pending`,
    `delivered`, or `failed` once the day of retries is over."""
    key = await buyer_key(request)
    limit = webhooks.log_limit(request.query.get("limit"))
    found = await webhooks.deliveries(
        deps(request), key.buyer_id, path_id(request, "webhook_id"), limit
    )
    return json_response(WebhookDeliveries(deliveries=found))
