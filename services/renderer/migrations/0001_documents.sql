-- The buyer's documents of each sent invoice: rendered once, then served as stored.
CREATE TABLE documents (
    invoice_id uuid PRIMARY KEY,
    pdf bytea NOT NULL,
    xml bytea NOT NULL,
    pdf_sha256 text NOT NULL,
    xml_sha256 text NOT NULL,
    rendered_at timestamptz NOT NULL
);
