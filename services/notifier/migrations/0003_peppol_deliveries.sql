-- An invoice's delivery to its buyer by every channel it receives invoices by: the
-- invoice.rendered that asked for it, the channels still to report, where it reached. Its outcome
-- is set once, with the outbox row of invoice.delivered (every channel delivered) or
-- invoice.delivery_failed (the first channel that failed for good).
CREATE TABLE deliveries (
    event_id uuid PRIMARY KEY,
    invoice_id uuid NOT NULL,
    pending text[] NOT NULL,
    recipients text[] NOT NULL DEFAULT '{}',
    outcome text CHECK (outcome IN ('delivered', 'failed')),
    correlation_id text
);

-- An invoice's UBL handed to the Peppol access point, one row per invoice: an invoice the access
-- point accepted is never posted again, whatever asks for it. `attempt_started_at` is written
-- and committed before each POST, so an attempt whose answer was never recorded is visible.
CREATE TABLE peppol_deliveries (
    invoice_id uuid PRIMARY KEY,
    event_id uuid NOT NULL,
    sender text NOT NULL,
    receiver text NOT NULL,
    document_type text NOT NULL,
    xml bytea NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts int NOT NULL DEFAULT 0,
    attempt_started_at timestamptz,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    answer_status int,
    answer text,
    created_at timestamptz NOT NULL DEFAULT now(),
    delivered_at timestamptz,
    correlation_id text
);
CREATE INDEX peppol_deliveries_due ON peppol_deliveries (next_attempt_at) WHERE status = 'pending';
