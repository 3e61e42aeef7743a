-- A buyer's systems read what it received with a key; only its hash is kept.
CREATE TABLE buyer_keys (
    key_hash text PRIMARY KEY,
    buyer_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
