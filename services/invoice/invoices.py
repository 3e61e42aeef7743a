"""What a supplier does with invoices: keep drafts, attach files, preview, send, copy, credit.

A sent invoice never changes: sending freezes the document, and the `invoice.sent` event that
carries it commits with the status change.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from services.invoice import attachments as files
from services.invoice import db, line_import, model, webhooks
from services.invoice.file_store import store_attachments
from services.invoice.schemas import (
    InvoiceDetail,
    InvoiceForm,
    InvoiceIds,
    InvoicePage,
    InvoiceSummary,
)
from shared.db import Connection, row_to
from shared.errors import Conflict, FieldErrors, NotFound
from shared.events.company import BuyerChanged, SupplierProfileChanged
from shared.events.invoice import InvoiceSent
from shared.file_store import FileStore
from shared.invoices import Attachment, Invoice, Totals
from shared.outbox import add_event
from shared.sessions import Principal

PRODUCER = "invoice"
PAGE_SIZE = 25


@dataclass(frozen=True)
class Deps:
    pool: asyncpg.Pool
    files: FileStore
    now: datetime


async def company_of(conn: Connection, principal: Principal) -> uuid.UUID:
    """The company the user invoices for; not found for a user without one."""
    company_id = await db.company_of_user(conn, principal.user_id)
    if company_id is None:
        raise NotFound("invoice.no_company")
    return company_id


async def _supplier(conn: Connection, company_id: uuid.UUID) -> SupplierProfileChanged:
    profile = await db.supplier(conn, company_id)
    assert profile is not None
    return SupplierProfileChanged.model_validate(profile)


async def _buyer(conn: Connection, buyer_id: uuid.UUID | None) -> BuyerChanged | None:
    found = await db.buyer(conn, buyer_id) if buyer_id else None
    return BuyerChanged.model_validate(found) if found else None


async def _own(
    conn: Connection, company_id: uuid.UUID, invoice_id: uuid.UUID, *, lock: bool = False
) -> asyncpg.Record:
    row = await db.invoice_of(conn, company_id, invoice_id, lock=lock)
    if row is None:
        raise NotFound("not_found")
    return row


async def _locked(
    conn: Connection, principal: Principal, invoice_id: uuid.UUID, status: str
) -> tuple[uuid.UUID, asyncpg.Record]:
    """The user's company and its invoice, locked until the transaction ends; a conflict unless
    the invoice is in `status`."""
    company_id = await company_of(conn, principal)
    row = await _own(conn, company_id, invoice_id, lock=True)
    if row["status"] != status:
        raise Conflict(f"invoice.not_{status}")
    return company_id, row


def _stored(form: InvoiceForm, totals: Totals) -> dict[str, Any]:
    return {
        "buyer_id": form.buyer_id,
        "number": form.number,
        "form": form.model_dump_json(),
        "totals": totals.model_dump_json(),
        "payable": totals.payable,
        "currency": form.currency,
    }


@contextmanager
def _unique_number() -> Iterator[None]:
    """The index on (supplier, number) decides, so two saves at once cannot both take a number."""
    try:
        yield
    except asyncpg.UniqueViolationError as error:
        if error.constraint_name != "invoices_number":
            raise
        raise FieldErrors([("number", "invoice.number_taken", {})]) from None


async def _own_references(conn: Connection, principal: Principal, form: InvoiceForm) -> None:
    """A draft names only a buyer its supplier is connected to and an account of its own."""
    foreign = await db.foreign_references(
        conn, principal.user_id, form.buyer_id, form.bank_account_id
    )
    codes = {
        "buyer_id": "invoice.buyer_not_connected",
        "bank_account_id": "invoice.account_unknown",
    }
    if foreign:
        raise FieldErrors([(field, codes[field], {}) for field in foreign])


def _draft_detail(
    summary: asyncpg.Record,
    form: InvoiceForm,
    totals: Totals,
    attachments: list[asyncpg.Record],
    credited_invoice_id: uuid.UUID | None,
) -> InvoiceDetail:
    """A draft as just saved, from what was written: a draft has no document and no reason."""
    return InvoiceDetail(
        **dict(summary),
        form=form,
        document=None,
        totals=totals,
        status_reason=None,
        attachments=[row_to(Attachment, a) for a in attachments],
        credited_invoice_id=credited_invoice_id,
    )


async def form_context(deps: Deps, principal: Principal) -> dict[str, Any]:
    """What the form is prefilled with: the supplier, its accounts and its connected buyers."""
    async with deps.pool.acquire() as conn:
        company_id = await company_of(conn, principal)
        supplier = await _supplier(conn, company_id)
        buyers = await db.connected_buyers(conn, company_id)
    return {"supplier": supplier.model_dump(mode="json"), "buyers": buyers}


async def create_draft(
    deps: Deps,
    principal: Principal,
    form: InvoiceForm,
    *,
    kind: str = "invoice",
    credited_invoice_id: uuid.UUID | None = None,
) -> InvoiceDetail:
    totals = model.form_totals(form)
    # One statement finds the user's company and inserts: atomic on its own, no transaction.
    async with deps.pool.acquire() as conn:
        await _own_references(conn, principal, form)
        with _unique_number():
            summary = await db.insert_draft_of_user(
                conn,
                principal.user_id,
                id=uuid.uuid4(),
                kind=kind,
                credited_invoice_id=credited_invoice_id,
                now=deps.now,
                created_by=creator(principal),
                **_stored(form, totals),
            )
    if summary is None:
        raise NotFound("invoice.no_company")
    return _draft_detail(summary, form, totals, [], credited_invoice_id)


async def update_draft(
    deps: Deps, principal: Principal, invoice_id: uuid.UUID, form: InvoiceForm
) -> InvoiceDetail:
    totals = model.form_totals(form)
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id, row = await _locked(conn, principal, invoice_id, "draft")
        await _own_references(conn, principal, form)
        with _unique_number():
            summary = await db.update_draft(
                conn, invoice_id, supplier_id=company_id, now=deps.now, **_stored(form, totals)
            )
        # Locked above as this supplier's draft, so the update found it.
        assert summary is not None
        attached = await db.attachments_of(conn, invoice_id)
    return _draft_detail(summary, form, totals, attached, row["credited_invoice_id"])


async def import_lines(
    deps: Deps, principal: Principal, invoice_id: uuid.UUID, content: bytes
) -> InvoiceDetail:
    """Append a CSV file's lines to the draft: every one of them, or none and every problem."""
    lines, errors = line_import.read_lines(content)
    if errors:
        raise FieldErrors(errors)
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id, row = await _locked(conn, principal, invoice_id, "draft")
        form = InvoiceForm.model_validate(row["form"])
        count = len(form.lines) + len(lines)
        if count > line_import.MAX_ROWS:
            limit = {"max": line_import.MAX_ROWS, "count": count}
            raise FieldErrors([("lines_file", "line_import.too_many_lines", limit)])
        form = form.model_copy(update={"lines": [*form.lines, *lines]})
        await db.update_draft(
            conn,
            invoice_id,
            supplier_id=company_id,
            now=deps.now,
            **_stored(form, model.form_totals(form)),
        )
        return await _detail(conn, company_id, invoice_id)


async def delete_draft(deps: Deps, principal: Principal, invoice_id: uuid.UUID) -> None:
    async with deps.pool.acquire() as conn:
        company_id = await company_of(conn, principal)
        row = await _own(conn, company_id, invoice_id)
        if row["status"] != "draft":
            raise Conflict("invoice.not_draft")
        await db.delete_draft(conn, company_id, invoice_id)


async def detail(deps: Deps, principal: Principal, invoice_id: uuid.UUID) -> InvoiceDetail:
    async with deps.pool.acquire() as conn:
        company_id = await company_of(conn, principal)
        return await _detail(conn, company_id, invoice_id)


async def _detail(conn: Connection, company_id: uuid.UUID, invoice_id: uuid.UUID) -> InvoiceDetail:
    row = await _own(conn, company_id, invoice_id)
    return InvoiceDetail(
        **row_to(InvoiceSummary, row).model_dump(),
        form=InvoiceForm.model_validate(row["form"]),
        document=row["document"],
        totals=Totals.model_validate(row["totals"]),
        status_reason=row["status_reason"],
        attachments=[row_to(Attachment, a) for a in await db.attachments_of(conn, invoice_id)],
        credited_invoice_id=row["credited_invoice_id"],
    )


async def listing(
    deps: Deps, principal: Principal, search: str, status: str | None, page: int
) -> InvoicePage:
    offset = (page - 1) * PAGE_SIZE
    search = search.strip()
    async with deps.pool.acquire() as conn:
        rows = await db.list_invoices(conn, principal.user_id, search, status, PAGE_SIZE, offset)
        # Each row carries how many match in all; an empty page is no company (404), nothing at
        # all, or a page past the last, whose first page tells the total.
        counted = rows
        if not rows and offset:
            counted = await db.list_invoices(conn, principal.user_id, search, status, 1, 0)
        if not counted:
            await company_of(conn, principal)
        total = int(counted[0]["total"]) if counted else 0
    return InvoicePage(
        invoices=[row_to(InvoiceSummary, r) for r in rows],
        total=total,
        page=page,
        pages=max(1, math.ceil(total / PAGE_SIZE)),
    )


async def all_ids(deps: Deps, principal: Principal) -> InvoiceIds:
    async with deps.pool.acquire() as conn:
        company_id = await company_of(conn, principal)
        return InvoiceIds(ids=await db.invoice_ids_of(conn, company_id))


async def document_for_preview(deps: Deps, principal: Principal, invoice_id: uuid.UUID) -> Invoice:
    """The draft as the buyer would receive it now; a sent invoice's frozen document."""
    async with deps.pool.acquire() as conn:
        company_id = await company_of(conn, principal)
        row = await _own(conn, company_id, invoice_id)
        if row["document"] is not None:
            return Invoice.model_validate(row["document"])
        form = InvoiceForm.model_validate(row["form"])
        buyer = await _buyer(conn, form.buyer_id)
        if buyer is None:
            raise FieldErrors([("buyer_id", "required", {})])
        if not await db.is_connected(conn, company_id, buyer.buyer_id):
            raise FieldErrors([("buyer_id", "invoice.buyer_not_connected", {})])
        return await _document(conn, row, form, await _supplier(conn, company_id), buyer)


async def _document(
    conn: Connection,
    row: asyncpg.Record,
    form: InvoiceForm,
    supplier: SupplierProfileChanged,
    buyer: BuyerChanged,
) -> Invoice:
    credited = None
    if row["credited_invoice_id"]:
        original = await db.invoice_of(conn, row["supplier_id"], row["credited_invoice_id"])
        credited = original["document"] if original else None
    attached = [row_to(Attachment, a) for a in await db.attachments_of(conn, row["id"])]
    return model.build_invoice(row["id"], row["kind"], form, supplier, buyer, attached, credited)


async def send(
    deps: Deps, principal: Principal, invoice_id: uuid.UUID, language: str
) -> InvoiceDetail:
    """Check everything, freeze the document and record `invoice.sent` in one transaction."""
    await _store_attachments_ahead(deps, principal, invoice_id)
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id, row = await _locked(conn, principal, invoice_id, "draft")
        await store_attachments(conn, deps.files, invoice_id)
        form = InvoiceForm.model_validate(row["form"])
        supplier = await _supplier(conn, company_id)
        buyer = await _buyer(conn, form.buyer_id)
        connected = buyer is not None and await db.is_connected(conn, company_id, buyer.buyer_id)
        taken = bool(form.number) and await db.number_taken(
            conn, company_id, form.number, invoice_id
        )
        # A buyer that publishes new terms keeps its suppliers connected, but none sends again
        # before accepting them.
        accepted = buyer and await db.accepted_terms_version(conn, company_id, buyer.buyer_id)
        errors = model.problems(
            form,
            kind=row["kind"],
            supplier=supplier,
            buyer=buyer,
            connected=connected,
            number_taken=taken,
            terms_accepted=buyer is None or accepted == buyer.terms_version,
        )
        if errors:
            raise FieldErrors(errors)
        assert buyer is not None
        document = await _document(conn, row, form, supplier, buyer)
        totals = model.form_totals(form)
        sender = _sender(principal, language)
        await db.mark_sent(conn, invoice_id, document.model_dump(mode="json"), deps.now, sender)
        await _publish_sent(conn, document, totals, sender, deps.now, buyer)
        return await _detail(conn, company_id, invoice_id)


async def _store_attachments_ahead(deps: Deps, principal: Principal, invoice_id: uuid.UUID) -> None:
    """Put the invoice's attachments in the file store before its send's transaction opens, so
    that the transaction does not wait on the store (it checks again, for files attached since)."""
    async with deps.pool.acquire() as conn:
        await _own(conn, await company_of(conn, principal), invoice_id)
        await store_attachments(conn, deps.files, invoice_id)


def _sender(principal: Principal, language: str) -> db.Sender:
    """The user sending, in the language of the request: told of the delivery, and later of what
    the buyer answers."""
    return db.Sender(
        principal.user_id, principal.email, "en" if language == "en" else "sv", name_of(principal)
    )


def name_of(principal: Principal) -> str:
    return f"{principal.first_name} {principal.last_name}".strip() or principal.email


def creator(principal: Principal) -> db.Creator:
    return db.Creator(principal.user_id, name_of(principal))


async def _publish_sent(
    conn: Connection,
    document: Invoice,
    totals: Totals,
    sender: db.Sender,
    now: datetime,
    buyer: BuyerChanged,
) -> None:
    """The event, and its delivery to each of the buyer's webhooks, with the send. The event
    says how the buyer receives invoices now, so the steps after it need not ask."""
    envelope = await add_event(
        conn,
        InvoiceSent(
            invoice=document,
            totals=totals,
            sent_at=now,
            sent_by=sender.user_id,
            sender_email=sender.email,
            language=sender.language,
            channels=buyer.channels,
            buyer_peppol_id=buyer.peppol_id,
        ),
        producer=PRODUCER,
    )
    await webhooks.enqueue(
        conn,
        document.buyer_id,
        envelope.event_id,
        "invoice.sent",
        envelope.occurred_at,
        webhooks.sent_data(document, totals, now),
    )


async def retry(
    deps: Deps, principal: Principal, invoice_id: uuid.UUID, language: str
) -> InvoiceDetail:
    """Send a failed invoice's unchanged document again."""
    await _store_attachments_ahead(deps, principal, invoice_id)
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id, row = await _locked(conn, principal, invoice_id, "failed")
        await store_attachments(conn, deps.files, invoice_id)
        document = Invoice.model_validate(row["document"])
        totals = Totals.model_validate(row["totals"])
        sender = _sender(principal, language)
        # Sent again the way the buyer receives invoices now, which may have changed since.
        buyer = await _buyer(conn, document.buyer_id)
        assert buyer is not None, "an invoice was sent to a buyer it knew"
        await db.mark_sent(conn, invoice_id, row["document"], row["sent_at"] or deps.now, sender)
        await _publish_sent(conn, document, totals, sender, deps.now, buyer)
        return await _detail(conn, company_id, invoice_id)


async def copy(
    deps: Deps, principal: Principal, invoice_id: uuid.UUID, *, credit: bool = False
) -> InvoiceDetail:
    """A new draft from an invoice: the same content without a number (Kopiera), or a credit note
    referencing a sent invoice (Kreditera)."""
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id = await company_of(conn, principal)
        row = await _own(conn, company_id, invoice_id)
        if credit and (row["status"] == "draft" or row["kind"] != "invoice"):
            raise Conflict("invoice.not_creditable")
        form = InvoiceForm.model_validate(row["form"]).model_copy(
            update={"number": "", "issue_date": None, "due_date": None}
        )
        new_id = uuid.uuid4()
        await db.insert_invoice(
            conn,
            id=new_id,
            supplier_id=company_id,
            kind="credit_note" if credit else row["kind"],
            credited_invoice_id=invoice_id if credit else None,
            now=deps.now,
            created_by=creator(principal),
            **_stored(form, model.form_totals(form)),
        )
        await db.copy_attachments(conn, invoice_id, new_id, deps.now)
        return await _detail(conn, company_id, new_id)


async def attach(
    deps: Deps,
    principal: Principal,
    invoice_id: uuid.UUID,
    filename: str,
    content: bytes,
    *,
    quota: int,
) -> Attachment:
    """Check the file, then store it unless the supplier's distinct files would take more than
    `quota` bytes with it."""
    problem = await files.pdf_problem(content)
    if problem:
        raise FieldErrors([("file", problem, {})])
    attachment = Attachment(
        id=uuid.uuid4(),
        filename=files.safe_filename(filename),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    async with deps.pool.acquire() as conn, conn.transaction():
        company_id, _ = await _locked(conn, principal, invoice_id, "draft")
        if len(await db.attachments_of(conn, invoice_id)) >= files.MAX_COUNT:
            raise FieldErrors([("file", "attachment.too_many", {})])
        await db.lock_supplier(conn, company_id)
        if await db.stored_with(conn, company_id, attachment.sha256, attachment.size) > quota:
            raise FieldErrors([("file", "attachment.quota", {"quota": files.megabytes(quota)})])
        await db.insert_attachment(
            conn,
            invoice_id=invoice_id,
            supplier_id=company_id,
            content=content,
            now=deps.now,
            **attachment.model_dump(),
        )
    return attachment


async def detach(
    deps: Deps, principal: Principal, invoice_id: uuid.UUID, attachment_id: uuid.UUID
) -> None:
    async with deps.pool.acquire() as conn, conn.transaction():
        await _locked(conn, principal, invoice_id, "draft")
        if not await db.delete_attachment(conn, invoice_id, attachment_id):
            raise NotFound("not_found")


async def attachment(
    deps: Deps, principal: Principal, invoice_id: uuid.UUID, attachment_id: uuid.UUID
) -> tuple[str, bytes]:
    """An attachment's name and bytes, for its supplier."""
    async with deps.pool.acquire() as conn:
        await _own(conn, await company_of(conn, principal), invoice_id)
        found = await db.attachment_content(conn, invoice_id, attachment_id)
    if found is None:
        raise NotFound("not_found")
    return found["filename"], bytes(found["content"])


async def sent_document(deps: Deps, principal: Principal, invoice_id: uuid.UUID) -> Invoice:
    async with deps.pool.acquire() as conn:
        row = await _own(conn, await company_of(conn, principal), invoice_id)
    if row["document"] is None or row["status"] == "draft":
        raise Conflict("invoice.not_sent")
    return Invoice.model_validate(row["document"])
