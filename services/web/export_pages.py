"""Företag → Exportera data: everything the company has here, for its admin, as one ZIP.

The ZIP holds the company's information, addresses, bank accounts, customer connections, users
and change log (`company.json`), its invoice templates (`templates.json`), a list of its invoices
(`invoices.json`) and a folder per invoice with the invoice as saved (`invoice.json`) and, once
sent, the PDF the customer got (PDF/A-3b with the e-invoice inside), the Peppol BIS Billing 3
e-invoice (`invoice.xml`) and the attachments. It is read through the same session as every page,
so it can hold nothing the admin could not open one page at a time.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from services.web.company_pages import company, company_or_none
from services.web.dates import LOCAL_TIME, written_moment
from services.web.invoice_pages import invoice_api, invoice_file
from services.web.pages import LANGUAGE, MEMBERSHIP, USER, message, render, supplier_required, text
from services.web.zip_stream import ZipStream, safe_name
from shared.client import ServiceError, ServiceUnavailable, api_path

log = logging.getLogger(__name__)

routes = web.RouteTableDef()

# What `invoices.json` tells of each invoice; the whole of it is in its folder's `invoice.json`.
SUMMARY = (
    "id",
    "kind",
    "number",
    "status",
    "buyer_name",
    "payable",
    "currency",
    "created_at",
    "sent_at",
    "buyer_status",
    "created_by_name",
    "sent_by_name",
)

# Exports read every invoice the company has: a few at a time, the others wait their turn.
EXPORT_SLOTS = web.AppKey("export_slots", asyncio.Semaphore)


async def export_slots(app: web.Application) -> AsyncIterator[None]:
    app[EXPORT_SLOTS] = asyncio.Semaphore(2)
    yield


def _admin_only(request: web.Request) -> web.Response | None:
    membership = request.get(MEMBERSHIP)
    if membership is None or membership["role"] != "admin":
        return message(request, 403, "export.title", text(request, "export.admins_only"))
    return None


@routes.get("/company/export")
@supplier_required
async def export_page(request: web.Request) -> web.StreamResponse:
    if await company_or_none(request) is None:
        raise web.HTTPSeeOther("/company")
    return _admin_only(request) or render(request, "company_export.html")


@routes.post("/company/export")
@supplier_required
async def export_zip(request: web.Request) -> web.StreamResponse:
    found = await company_or_none(request)
    if found is None:
        raise web.HTTPSeeOther("/company")
    refused = _admin_only(request)
    if refused:
        return refused
    # Read before the download starts, so that a failure here is still a page.
    company_data = await _company_data(request, found)
    made_at = datetime.now(UTC)
    # A header holds ASCII safely: the organisation number, which a name may not be.
    number = (found["organisation_number"] or "").encode("ascii", "ignore").decode()
    name = safe_name(number, "foretag")
    response = web.StreamResponse(
        headers={
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="export-{name}-{made_at:%Y%m%d}.zip"',
            "Cache-Control": "no-store",
        }
    )
    async with request.app[EXPORT_SLOTS]:
        await response.prepare(request)
        archive = ZipStream(response, made_at.astimezone(LOCAL_TIME))
        try:
            await _write(request, archive, company_data, made_at)
            await archive.close()
        except ConnectionResetError:
            log.info("the export of company %s was abandoned by the browser", found["id"])
        except (ServiceError, ServiceUnavailable, OSError):
            # Once the download has begun there is no page to show: the browser sees it break
            # off, and no half ZIP passes for a whole one (it has no central directory).
            log.exception("the export of company %s broke off", found["id"])
            if request.transport is not None:
                request.transport.close()
    return response


async def _company_data(request: web.Request, found: dict[str, Any]) -> dict[str, Any]:
    reads = ("addresses", "bank-accounts", "connections", "members", "audit-log")
    answers = [await company(request, "GET", f"/v1/me/{read}") for read in reads]
    data = {"company": found} | {
        read.replace("-", "_"): answer for read, answer in zip(reads, answers, strict=True)
    }
    return data


async def _write(
    request: web.Request, archive: ZipStream, company_data: dict[str, Any], made_at: datetime
) -> None:
    await archive.add("company.json", _json(company_data))
    await archive.add("templates.json", _json(await _templates(request)))
    listed: list[dict[str, Any]] = []
    missing: list[str] = []
    folders: set[str] = set()
    found = await invoice_api(request, "GET", "/v1/me/invoice-ids")
    for invoice_id in found["ids"]:
        try:
            detail = await invoice_api(request, "GET", api_path("/v1/me/invoices/{}", invoice_id))
        except ServiceError as error:
            if error.status != 404:  # a draft deleted since the list was read
                raise
            continue
        folder = f"invoices/{_folder(detail)}"
        if folder in folders:  # numbers that differ only in characters a file name cannot hold
            folder = f"{folder}-{invoice_id}"
        folders.add(folder)
        listed.append({k: v for k, v in detail.items() if k in SUMMARY} | {"folder": folder})
        missing += await _write_invoice(request, archive, detail, folder)
    await archive.add("invoices.json", _json(listed))
    await archive.add("README.txt", _readme(request, company_data, len(listed), missing, made_at))


async def _templates(request: web.Request) -> list[Any]:
    found = await invoice_api(request, "GET", "/v1/me/templates")
    return [
        await invoice_api(request, "GET", api_path("/v1/me/templates/{}", template["id"]))
        for template in found["templates"]
    ]


def _folder(invoice: dict[str, Any]) -> str:
    if invoice["status"] == "draft" or not invoice["number"]:
        return f"draft-{invoice['id']}"
    return safe_name(invoice["number"], str(invoice["id"]))


async def _write_invoice(
    request: web.Request, archive: ZipStream, detail: dict[str, Any], folder: str
) -> list[str]:
    """The invoice's files in `folder`; the names of those the renderer has not made yet."""
    invoice_id = detail["id"]
    await archive.add(f"{folder}/invoice.json", _json(detail))
    missing = []
    if detail["status"] != "draft":
        for kind in ("pdf", "xml"):
            path = api_path("/v1/me/invoices/{}/{}", invoice_id, kind)
            try:
                content = await invoice_file(request, path)
            except ServiceError as error:
                if error.status != 409:  # 409: being made
                    raise
                missing.append(f"{folder}/invoice.{kind}")
                continue
            await archive.add(f"{folder}/invoice.{kind}", content)
    used: set[str] = set()
    for attachment in detail["attachments"]:
        path = api_path("/v1/me/invoices/{}/attachments/{}", invoice_id, attachment["id"])
        name = safe_name(attachment["filename"], f"{attachment['id']}.pdf")
        if name in used:
            name = f"{attachment['id']}-{name}"
        used.add(name)
        await archive.add(f"{folder}/attachments/{name}", await invoice_file(request, path))
    return missing


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode()


def _readme(
    request: web.Request,
    company_data: dict[str, Any],
    invoices: int,
    missing: list[str],
    made_at: datetime,
) -> bytes:
    found = company_data["company"]
    user = request.get(USER) or {}
    lines = [
        text(
            request,
            "export.readme_title",
            company=found["name"],
            organisation_number=found["organisation_number"] or "",
        ),
        text(
            request,
            "export.readme_made",
            moment=written_moment(made_at.isoformat(), request[LANGUAGE]),
            name=f"{user.get('first_name', '')} {user.get('last_name', '')}".strip(),
            invoices=invoices,
        ),
        "",
        text(request, "export.readme_contents"),
        "",
        text(request, "export.readme_retention"),
    ]
    if missing:
        lines += ["", text(request, "export.readme_missing"), *(f"  {name}" for name in missing)]
    return ("\r\n".join(lines) + "\r\n").encode()
