-- What the company service told us, newest revision kept: enough to prefill and check invoices
-- without calling it while the user types.
CREATE TABLE suppliers (
    company_id uuid PRIMARY KEY,
    revision int NOT NULL,
    profile jsonb NOT NULL
);

CREATE TABLE supplier_users (
    user_id uuid PRIMARY KEY,
    company_id uuid NOT NULL
);

CREATE TABLE buyers (
    buyer_id uuid PRIMARY KEY,
    revision int NOT NULL,
    buyer jsonb NOT NULL
);

CREATE TABLE connections (
    supplier_id uuid NOT NULL,
    buyer_id uuid NOT NULL,
    connected_at timestamptz NOT NULL,
    PRIMARY KEY (supplier_id, buyer_id)
);

CREATE TABLE invoices (
    id uuid PRIMARY KEY,
    supplier_id uuid NOT NULL,
    buyer_id uuid,
    kind text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    number text NOT NULL DEFAULT '',
    status text NOT NULL CHECK (status IN ('draft', 'sent', 'delivered', 'failed')),
    status_reason text,
    form jsonb NOT NULL,
    document jsonb,
    totals jsonb NOT NULL,
    buyer_name text NOT NULL DEFAULT '',
    payable numeric(19, 2) NOT NULL DEFAULT 0,
    currency text NOT NULL DEFAULT 'SEK',
    credited_invoice_id uuid REFERENCES invoices,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    sent_at timestamptz,
    delivered_at timestamptz
);
-- A number is used once per supplier, drafts included; an empty number is a draft not yet numbered.
CREATE UNIQUE INDEX invoices_number ON invoices (supplier_id, number) WHERE number <> '';
CREATE INDEX invoices_list ON invoices (supplier_id, created_at DESC, id);
CREATE INDEX invoices_buyer ON invoices (buyer_id, sent_at DESC) WHERE sent_at IS NOT NULL;

CREATE TABLE attachments (
    id uuid PRIMARY KEY,
    invoice_id uuid NOT NULL REFERENCES invoices ON DELETE CASCADE,
    filename text NOT NULL,
    size int NOT NULL,
    sha256 text NOT NULL,
    content bytea NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX attachments_invoice ON attachments (invoice_id, created_at);
