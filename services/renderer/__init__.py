"""renderer: the buyer's documents of every sent invoice, a PDF and a Peppol BIS Billing 3.0 XML.

Consumes (queue renderer.invoices): invoice.sent.
Publishes: invoice.rendered, invoice.rendering_failed.
Serves (internal, bearer = the internal secret): draft previews as PDF, and the stored PDF and
XML of each rendered invoice.

WeasyPrint runs only in spawned worker processes, loading nothing but `data:` URLs and this
package's assets. The PDF and the XML (which embeds the PDF and the supplier's attachments) are
stored with the outgoing event in the transaction that marks `invoice.sent` processed.
"""
