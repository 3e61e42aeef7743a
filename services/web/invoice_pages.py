"""Fakturor: the Fakturaportal form, saving or sending, the invoice list and the sent invoice."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import aiohttp
from aiohttp import web

from services.web.dates import written_moment
from services.web.pages import (
    INVOICE,
    LANGUAGE,
    SESSION_TOKEN,
    checked_id,
    render,
    supplier_required,
)
from shared import vat
from shared.client import ServiceError, api_path
from shared.countries import countries
from shared.events.company import BuyerChanged, SupplierProfileChanged
from shared.i18n import Language, translate
from shared.invoice_response import REJECTION_REASONS, RejectionCode
from shared.invoices import CURRENCIES, UNITS
from shared.parties import party_of_buyer, party_of_supplier

routes = web.RouteTableDef()

LINE_FIELDS = ("article_id", "description", "quantity", "unit", "unit_price", "vat")
CHARGE_FIELDS = ("description", "amount", "vat")
HEAD_FIELDS = (
    "buyer_id",
    "bank_account_id",
    "number",
    "issue_date",
    "due_date",
    "delivery_date",
    "currency",
    "buyer_order_number",
    "payment_reference",
    "buyer_reference",
    "contact_person",
    "customs_clearance_number",
    "origin_country",
    "note",
)
OPTIONAL = (
    "buyer_id",
    "bank_account_id",
    "issue_date",
    "due_date",
    "delivery_date",
    "quantity",
    "unit_price",
    "amount",
)


async def invoice_api(request: web.Request, method: str, path: str, **kwargs: Any) -> Any:
    return await request.app[INVOICE].call(
        method, path, language=request[LANGUAGE], token=request[SESSION_TOKEN], **kwargs
    )


async def invoice_file(request: web.Request, path: str) -> bytes:
    """A PDF, XML or attachment of the user's invoice, as the invoice service has it."""
    return await request.app[INVOICE].read(
        "GET", path, language=request[LANGUAGE], token=request[SESSION_TOKEN]
    )


def _number(value: str) -> str | None:
    """A decimal as typed in Sweden (`1 234,50`) in the form the API reads (`1234.50`)."""
    cleaned = re.sub(r"[\s\u00a0]", "", value).replace(",", ".")
    return cleaned or None


def _rows(form: dict[str, str], prefix: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    indexes = sorted(
        {int(m.group(1)) for k in form if (m := re.fullmatch(rf"{prefix}-(\d+)-\w+", k))}
    )
    rows: list[dict[str, Any]] = [
        {f: form.get(f"{prefix}-{i}-{f}", "").strip() for f in fields} for i in indexes
    ]
    return [r for r in rows if any(v for k, v in r.items() if k not in ("unit", "vat"))]


def api_form(form: dict[str, str]) -> dict[str, Any]:
    """The page's fields as the invoice API's form: rows gathered, empty optional values as null."""
    body: dict[str, Any] = {f: form.get(f, "").strip() for f in HEAD_FIELDS}
    body["currency"] = body["currency"] or "SEK"
    body["lines"], body["charges"] = [], []
    for row in _rows(form, "lines", LINE_FIELDS):
        category, _, rate = (row.pop("vat") or "S:25").partition(":")
        row["quantity"], row["unit_price"] = _number(row["quantity"]), _number(row["unit_price"])
        row["unit"] = row["unit"] or "H87"
        body["lines"].append(row | {"vat_category": category, "vat_rate": rate or "0"})
    for row in _rows(form, "charges", CHARGE_FIELDS):
        category, _, rate = (row.pop("vat") or "S:25").partition(":")
        row["amount"] = _number(row["amount"])
        body["charges"].append(row | {"vat_category": category, "vat_rate": rate or "0"})
    for field in OPTIONAL:
        if body.get(field) == "":
            body[field] = None
    return body


def page_form(saved: dict[str, Any]) -> dict[str, Any]:
    """An API form as the page shows it: rows with their VAT choice."""
    shown = {k: ("" if v is None else v) for k, v in saved.items() if k not in ("lines", "charges")}
    shown["lines"] = [
        {
            **{k: ("" if v is None else v) for k, v in line.items()},
            "vat": f"{line['vat_category']}:{_rate(line['vat_rate'])}",
        }
        for line in saved.get("lines", [])
    ]
    shown["charges"] = [
        {
            **{k: ("" if v is None else v) for k, v in c.items()},
            "vat": f"{c['vat_category']}:{_rate(c['vat_rate'])}",
        }
        for c in saved.get("charges", [])
    ]
    return shown


def _rate(value: Any) -> str:
    text = str(value)
    return text.split(".")[0] if re.fullmatch(r"\d+(\.0+)?", text) else text


def new_form() -> dict[str, Any]:
    today = date.today()
    return {
        "issue_date": today.isoformat(),
        "due_date": (today + timedelta(days=30)).isoformat(),
        "currency": "SEK",
        "lines": [{"unit": "H87", "vat": "S:25"}],
        "charges": [],
    }


async def _render_form(
    request: web.Request,
    shown: dict[str, Any],
    invoice: dict[str, Any] | None,
    *,
    status: int = 200,
    errors: dict[str, list[str]] | None = None,
    notice: str | None = None,
    preview: bool = False,
    conveniences: dict[str, Any] | None = None,
) -> web.Response:
    context = await invoice_api(request, "GET", "/v1/me/invoice-form")
    language = request[LANGUAGE]
    supplier = SupplierProfileChanged.model_validate(context["supplier"])
    refusals = {
        buyer["buyer_id"]: {
            choice: [translate(vat.MESSAGES, code, language, **params) for _, code, params in found]
            for choice, found in vat.refusals_by_choice(
                vat.Parties(
                    party_of_supplier(supplier),
                    supplier.f_skatt,
                    party_of_buyer(BuyerChanged.model_validate(buyer)),
                )
            ).items()
        }
        for buyer in context["buyers"]
    }
    return render(
        request,
        "invoice_form.html",
        status=status,
        shown=shown,
        invoice=invoice,
        errors=errors or {},
        supplier=context["supplier"],
        buyers=context["buyers"],
        currencies=CURRENCIES,
        units=[(code, names[language]) for code, names in UNITS.items()],
        vat_choices=vat.CHOICES,
        vat_refusals=refusals,
        countries=countries(language),
        notice=notice,
        preview=preview,
        import_errors=import_errors(errors or {}),
        **(conveniences or {}),
    )


def import_errors(errors: dict[str, list[str]]) -> list[str]:
    """The problems of an imported file, the file's own first and then row by row."""
    return [
        message
        for key, messages in errors.items()
        if key == "lines_file" or key.startswith("lines_file.")
        for message in messages
    ]


def page_links(current: int, pages: int, around: int = 2) -> list[int | None]:
    """The pages to link from a list: the first, the last and a few around the current one,
    None where some are left out; a supplier with 4,000 pages gets a dozen links, not 4,000."""
    shown = {1, pages, *range(current - around, current + around + 1)}
    links: list[int | None] = []
    last = 0
    for number in sorted(n for n in shown if 1 <= n <= pages):
        if number == last + 2:
            links.append(last + 1)  # a gap of one page: the page, not a mark
        elif number > last + 2:
            links.append(None)
        links.append(number)
        last = number
    return links


@routes.get("/invoices")
@supplier_required
async def invoice_list(request: web.Request) -> web.StreamResponse:
    params = {k: request.query[k] for k in ("q", "status", "page") if request.query.get(k)}
    try:
        page = await invoice_api(request, "GET", "/v1/me/invoices", params=params)
    except ServiceError as error:
        if error.code == "invoice.no_company":
            raise web.HTTPSeeOther("/company") from None
        raise
    return render(
        request,
        "invoices.html",
        page=page,
        page_links=page_links(page["page"], page["pages"]),
        query=params,
        notice=request.query.get("notice"),
    )


@routes.get("/invoices/new")
@supplier_required
async def new_invoice(request: web.Request) -> web.StreamResponse:
    try:
        found = await invoice_api(request, "GET", "/v1/me/templates")
        shown = {"invoice_templates": found["templates"], "notice_key": _notice(request)}
        return await _render_form(request, new_form(), None, conveniences=shown)
    except ServiceError as error:
        if error.code == "invoice.no_company":
            raise web.HTTPSeeOther("/company") from None
        raise


@routes.post("/invoices/new")
@supplier_required
async def create_invoice(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    detached_id(fields)  # before the save: a hostile button changes nothing
    try:
        created = await invoice_api(request, "POST", "/v1/me/invoices", json=api_form(fields))
    except ServiceError as error:
        if error.status != 422:
            raise
        return await _render_form(
            request, fields_to_shown(fields), None, status=422, errors=error.fields
        )
    return await _after_save(request, created, fields)


@routes.get("/invoices/{invoice_id}")
@supplier_required
async def show_invoice(request: web.Request) -> web.StreamResponse:
    invoice = await _invoice(request, checked_id(request.match_info["invoice_id"]))
    if invoice["status"] == "draft":
        notice = "saved" if "saved" in request.query else None
        return await _render_form(
            request,
            page_form(invoice["form"]),
            invoice,
            notice=notice,
            preview="preview" in request.query,
        )
    return render(
        request,
        "invoice.html",
        invoice=invoice,
        buyer_status=buyer_status(invoice, request[LANGUAGE]),
        notice=request.query.get("notice"),
    )


def buyer_status(invoice: dict[str, Any], language: Language) -> dict[str, str] | None:
    """The buyer's status of a sent invoice as its page shows it: when, in the reader's words,
    and for a rejection the buyer's reason under the label of its code; None before any."""
    status = invoice["buyer_status"]
    if status is None:
        return None
    shown = {"status": status, "at": written_moment(invoice["buyer_status_at"], language)}
    if invoice["buyer_status_reason"] is not None:
        # The service gives every rejection its code: the buyer's choice, or OTH.
        code: RejectionCode = invoice["buyer_status_reason_code"]
        shown["reason"] = invoice["buyer_status_reason"]
        shown["reason_label"] = REJECTION_REASONS[code][language]
    return shown


@routes.post("/invoices/{invoice_id}")
@supplier_required
async def update_invoice(request: web.Request) -> web.StreamResponse:
    invoice_id = checked_id(request.match_info["invoice_id"])
    form = await request.post()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    detached_id(fields)  # before the save: a hostile button changes nothing
    try:
        saved = await invoice_api(
            request, "PUT", api_path("/v1/me/invoices/{}", invoice_id), json=api_form(fields)
        )
    except ServiceError as error:
        if error.status != 422:
            raise
        invoice = await _invoice(request, invoice_id)
        return await _render_form(
            request, fields_to_shown(fields), invoice, status=422, errors=error.fields
        )
    return await _after_save(request, saved, fields)


def fields_to_shown(fields: dict[str, str]) -> dict[str, Any]:
    """What was typed, kept as typed, to show it again with its errors."""
    shown: dict[str, Any] = {f: fields.get(f, "") for f in HEAD_FIELDS}
    shown["lines"] = _rows(fields, "lines", LINE_FIELDS) or [{"unit": "H87", "vat": "S:25"}]
    shown["charges"] = _rows(fields, "charges", CHARGE_FIELDS)
    return shown


async def _after_save(
    request: web.Request, invoice: dict[str, Any], fields: dict[str, str]
) -> web.StreamResponse:
    """Do what the pressed button asked, now that the draft is saved."""
    action = fields.get("action", "save")
    base = f"/invoices/{invoice['id']}"
    if action == "save":
        raise web.HTTPSeeOther(f"{base}/save")
    if action == "preview":
        # A new draft was on a page without an id to open a tab for: show it with a link.
        raise web.HTTPSeeOther(
            f"{base}/preview.pdf" if fields.get("existing") else f"{base}?preview=1"
        )
    shown = page_form(invoice["form"])
    if action == "add_line":
        shown["lines"].append({"unit": "H87", "vat": "S:25"})
    elif action == "add_charge":
        shown["charges"].append({"description": "Frakt", "vat": "S:25"})
    elif action == "upload":
        upload = (await request.post()).get("file")
        if isinstance(upload, web.FileField) and upload.filename:
            try:
                await _upload(request, invoice["id"], upload)
            except ServiceError as error:
                if error.status != 422:
                    raise
                invoice = await _invoice(request, invoice["id"])
                return await _render_form(request, shown, invoice, status=422, errors=error.fields)
    elif action == "import_lines":
        return await _import_lines(request, invoice, shown)
    elif action == "save_template":
        return await _save_template(request, invoice, shown, fields.get("template_name", ""))
    elif attachment_id := detached_id(fields):
        path = api_path("/v1/me/invoices/{}/attachments/{}", invoice["id"], attachment_id)
        await invoice_api(request, "DELETE", path)
    invoice = await _invoice(request, invoice["id"])
    return await _render_form(request, shown, invoice)


def detached_id(fields: dict[str, str]) -> str | None:
    """The attachment a `detach:<id>` button removes; an id that is none is a page not found."""
    action = fields.get("action", "")
    return checked_id(action.removeprefix("detach:")) if action.startswith("detach:") else None


async def _invoice(request: web.Request, invoice_id: str) -> Any:
    return await invoice_api(request, "GET", api_path("/v1/me/invoices/{}", invoice_id))


async def _upload(request: web.Request, invoice_id: str, upload: web.FileField) -> None:
    data = aiohttp.FormData()
    data.add_field(
        "file", upload.file.read(), filename=upload.filename, content_type="application/pdf"
    )
    path = api_path("/v1/me/invoices/{}/attachments", invoice_id)
    await invoice_api(request, "POST", path, data=data)


async def _import_lines(
    request: web.Request, invoice: dict[str, Any], shown: dict[str, Any]
) -> web.StreamResponse:
    """The file's lines added to the saved draft, or the draft as saved and every problem of
    the file; without a file the invoice service says one is needed."""
    data = aiohttp.FormData()
    upload = (await request.post()).get("lines_file")
    if isinstance(upload, web.FileField) and upload.filename:
        data.add_field("file", upload.file.read(), filename=upload.filename)
    else:
        data.add_field("lines_file", "")
    path = api_path("/v1/me/invoices/{}/lines/import", invoice["id"])
    before = len(shown["lines"])
    try:
        invoice = await invoice_api(request, "POST", path, data=data)
    except ServiceError as error:
        if error.status != 422:
            raise
        invoice = await _invoice(request, invoice["id"])
        return await _render_form(request, shown, invoice, status=422, errors=error.fields)
    shown = page_form(invoice["form"])
    imported = {"notice_key": "line_import.done", "imported": len(shown["lines"]) - before}
    return await _render_form(request, shown, invoice, conveniences=imported)


async def _save_template(
    request: web.Request, invoice: dict[str, Any], shown: dict[str, Any], name: str
) -> web.StreamResponse:
    body = {"invoice_id": invoice["id"], "name": name}
    try:
        await invoice_api(request, "POST", "/v1/me/templates", json=body)
    except ServiceError as error:
        if error.status != 422:
            raise
        errors = {("template_name" if k == "name" else k): v for k, v in error.fields.items()}
        invoice = await _invoice(request, invoice["id"])
        return await _render_form(request, shown, invoice, status=422, errors=errors)
    invoice = await _invoice(request, invoice["id"])
    saved = {"notice_key": "template.saved", "template_name": name.strip()}
    return await _render_form(request, shown, invoice, conveniences=saved)


def _notice(request: web.Request) -> str | None:
    """A notice of the new-invoice page named in its address, one of its own only."""
    return "template.deleted" if request.query.get("notice") == "template_deleted" else None


@routes.post("/invoice-templates/{template_id}/use")
@supplier_required
async def start_from_template(request: web.Request) -> web.StreamResponse:
    path = api_path("/v1/me/templates/{}/invoices", checked_id(request.match_info["template_id"]))
    started = await invoice_api(request, "POST", path)
    raise web.HTTPSeeOther(f"/invoices/{started['id']}")


@routes.post("/invoice-templates/{template_id}/delete")
@supplier_required
async def delete_template(request: web.Request) -> web.StreamResponse:
    path = api_path("/v1/me/templates/{}", checked_id(request.match_info["template_id"]))
    await invoice_api(request, "DELETE", path)
    raise web.HTTPSeeOther("/invoices/new?notice=template_deleted")


@routes.get("/invoices/{invoice_id}/save")
@supplier_required
async def save_choice(request: web.Request) -> web.StreamResponse:
    invoice = await _invoice(request, checked_id(request.match_info["invoice_id"]))
    if invoice["status"] != "draft":
        raise web.HTTPSeeOther(f"/invoices/{invoice['id']}")
    return render(request, "invoice_save.html", invoice=invoice)


@routes.post("/invoices/{invoice_id}/send")
@supplier_required
async def send(request: web.Request) -> web.StreamResponse:
    invoice_id = checked_id(request.match_info["invoice_id"])
    try:
        await invoice_api(request, "POST", api_path("/v1/me/invoices/{}/send", invoice_id))
    except ServiceError as error:
        if error.status != 422:
            raise
        invoice = await _invoice(request, invoice_id)
        return await _render_form(
            request, page_form(invoice["form"]), invoice, status=422, errors=error.fields
        )
    raise web.HTTPSeeOther(f"/invoices/{invoice_id}/sent")


@routes.get("/invoices/{invoice_id}/sent")
@supplier_required
async def sent(request: web.Request) -> web.StreamResponse:
    invoice = await _invoice(request, checked_id(request.match_info["invoice_id"]))
    return render(request, "invoice_sent.html", invoice=invoice)


@routes.post("/invoices/{invoice_id}/{action:copy|credit|retry}")
@supplier_required
async def follow_up(request: web.Request) -> web.StreamResponse:
    invoice_id, action = checked_id(request.match_info["invoice_id"]), request.match_info["action"]
    path = api_path("/v1/me/invoices/{}/{}", invoice_id, action)
    result = await invoice_api(request, "POST", path)
    raise web.HTTPSeeOther(f"/invoices/{result['id']}")


@routes.post("/invoices/{invoice_id}/delete")
@supplier_required
async def delete(request: web.Request) -> web.StreamResponse:
    invoice_id = checked_id(request.match_info["invoice_id"])
    await invoice_api(request, "DELETE", api_path("/v1/me/invoices/{}", invoice_id))
    raise web.HTTPSeeOther("/invoices?notice=deleted")


@routes.get("/invoices/{invoice_id}/{document:preview.pdf|invoice.pdf|invoice.xml}")
@supplier_required
async def document(request: web.Request) -> web.StreamResponse:
    invoice_id, name = checked_id(request.match_info["invoice_id"]), request.match_info["document"]
    endpoint = {"preview.pdf": "preview", "invoice.pdf": "pdf", "invoice.xml": "xml"}[name]
    path = api_path("/v1/me/invoices/{}/{}", invoice_id, endpoint)
    content = await invoice_file(request, path)
    kind = "application/xml" if name.endswith(".xml") else "application/pdf"
    disposition = "attachment" if name.endswith(".xml") else "inline"
    return web.Response(
        body=content,
        content_type=kind,
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )


@routes.get("/invoices/{invoice_id}/attachments/{attachment_id}")
@supplier_required
async def attachment(request: web.Request) -> web.StreamResponse:
    path = api_path(
        "/v1/me/invoices/{}/attachments/{}",
        checked_id(request.match_info["invoice_id"]),
        checked_id(request.match_info["attachment_id"]),
    )
    content = await invoice_file(request, path)
    return web.Response(
        body=content,
        content_type="application/pdf",
        headers={"Content-Disposition": "inline"},
    )
