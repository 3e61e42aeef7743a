"""From a sent invoice to the buyer's two documents: the PDF, and the Peppol XML that embeds it
together with the supplier's attachments. The PDF the buyer receives is the archive copy, the
same PDF with that XML embedded (PDF/A-3b), so that one file is the whole invoice.

What makes a document impossible to deliver is checked first and raised as `Unrenderable`, so
the supplier hears of it at once instead of after retries that cannot succeed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from services.renderer.failures import Unrenderable
from services.renderer.ubl import invoice_xml
from services.renderer.workers import RenderPool
from shared.events.invoice import InvoiceSent
from shared.invoices import Attachment, totals
from shared.peppol import participant_id


@dataclass(frozen=True)
class Documents:
    pdf: bytes
    xml: bytes

    @property
    def pdf_sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()

    @property
    def xml_sha256(self) -> str:
        return hashlib.sha256(self.xml).hexdigest()


def sent_invoice_sha256(event: InvoiceSent) -> str:
    """What identifies the document sent, whoever sent it and when: the invoice and its totals."""
    sent = event.model_dump_json(include={"invoice", "totals"})
    return hashlib.sha256(sent.encode()).hexdigest()


def check_deliverable(event: InvoiceSent) -> None:
    """Refuse what no rendering can turn into a valid Peppol document or a deliverable mail."""
    invoice = event.invoice
    if not invoice.lines:
        raise Unrenderable("the invoice has no lines (BR-16)")
    if not (invoice.buyer_reference or invoice.buyer_order_number):
        raise Unrenderable(
            "neither the buyer's reference nor its order number is given (PEPPOL-EN16931-R003)"
        )
    if not invoice.buyer.email:
        raise Unrenderable("the buyer has no e-mail address to deliver the invoice to")
    if "peppol" in event.channels and not event.buyer_peppol_id:
        raise Unrenderable("the buyer receives invoices through Peppol but has no participant id")
    if "peppol" in event.channels and participant_id(invoice.seller) is None:
        raise Unrenderable("the seller has no Peppol participant id to send the invoice from")
    if totals(invoice.lines, invoice.charges) != event.totals:
        raise Unrenderable("the totals sent do not add up from the lines and charges")


async def render_documents(
    event: InvoiceSent, pool: RenderPool, attached: list[tuple[Attachment, bytes]]
) -> Documents:
    """The invoice's documents, its attachments (`attachments_of`) embedded in the XML."""
    pdf = await pool.pdf(event.invoice, event.language)
    xml = invoice_xml(event.invoice, attached, pdf, buyer_peppol_id=event.buyer_peppol_id)
    # The buyer's PDF carries the XML, which carries that PDF without it: one cannot hold itself.
    archive = await pool.archive_copy(event.invoice, event.language, pdf, xml)
    return Documents(pdf=archive, xml=xml)
