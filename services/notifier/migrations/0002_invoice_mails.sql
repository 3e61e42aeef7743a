-- The mail that delivers an invoice to its buyer names the invoice: the mailer publishes
-- invoice.delivered or invoice.delivery_failed in the transaction that records the mail's outcome.
-- NULL on every other mail, the supplier's confirmation included.
ALTER TABLE mails ADD COLUMN delivers_invoice_id uuid;

-- The correlation of the event that caused the mail, carried on to what the mailer publishes.
ALTER TABLE mails ADD COLUMN correlation_id text;
