-- A supplier's invoice templates, each for one of its customers: the form's content without its
-- number and dates (stored as an InvoiceForm), and the days between the invoice date and the due
-- date, so that an invoice started from it gets today's dates with the same payment term.
CREATE TABLE invoice_templates (
    id uuid PRIMARY KEY,
    supplier_id uuid NOT NULL,
    buyer_id uuid NOT NULL,
    name text NOT NULL,
    form jsonb NOT NULL,
    payment_days int NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
-- Saving under a name the customer's templates already have replaces that template.
CREATE UNIQUE INDEX invoice_templates_name ON invoice_templates (supplier_id, buyer_id, name);
