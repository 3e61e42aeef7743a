-- Files one step of the send path makes and a later one reads: an invoice's attachments (from
-- the invoice service), its PDF and its XML (from the renderer). Addressed by their SHA-256,
-- written once, never changed: readers check the bytes against the hash they were given.
CREATE TABLE files (
    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size bigint NOT NULL CHECK (size >= 0),
    content bytea NOT NULL,
    stored_at timestamptz NOT NULL DEFAULT now()
);
