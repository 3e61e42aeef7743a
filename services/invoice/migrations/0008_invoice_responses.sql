-- A buyer's answers to what it received (services/invoice/buyer_statuses.py): each status it gave
-- an invoice, once, Mottagen, Godkänd, Avvisad or Betald. Each row is an Invoice Response (Peppol
-- BIS Invoice Response 3, T111), its id the response's id, built again from the row and the
-- frozen document whenever it is fetched. `position` orders an invoice's responses: they are
-- written holding the invoice's row lock, so one after another.
CREATE TABLE invoice_responses (
    id uuid PRIMARY KEY,
    position bigint GENERATED ALWAYS AS IDENTITY,
    invoice_id uuid NOT NULL REFERENCES invoices,
    status text NOT NULL CHECK (status IN ('received', 'approved', 'rejected', 'paid')),
    -- A rejection's words and OPStatusReason code; nothing else has either.
    reason text,
    reason_code text,
    set_at timestamptz NOT NULL,
    -- The buyer key that gave it; null for one given otherwise (a buyer's own page, one day).
    set_by uuid,
    CHECK ((status = 'rejected') = (reason IS NOT NULL AND reason_code IS NOT NULL)),
    CHECK (status = 'rejected' OR (reason IS NULL AND reason_code IS NULL))
);
CREATE INDEX invoice_responses_invoice ON invoice_responses (invoice_id, position);

-- The newest of them on the invoice itself, for the supplier's list and page. The buyer's status
-- is apart from `status`, which says how delivery went.
ALTER TABLE invoices
    ADD COLUMN buyer_status text CHECK (buyer_status IN ('received', 'approved', 'rejected', 'paid')),
    ADD COLUMN buyer_status_reason text,
    ADD COLUMN buyer_status_reason_code text,
    ADD COLUMN buyer_status_at timestamptz;

-- Who sent the invoice, and in which language, to tell that user of a rejection or a payment.
-- Invoices sent before this were sent by someone the service did not keep: nobody is told.
ALTER TABLE invoices
    ADD COLUMN sent_by uuid,
    ADD COLUMN sender_email text,
    ADD COLUMN sender_language text CHECK (sender_language IN ('sv', 'en'));
