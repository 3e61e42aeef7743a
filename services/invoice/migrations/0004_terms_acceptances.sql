-- The newest terms of each buyer that each supplier accepted, as the company service announced:
-- a connection is believed only once the supplier accepted the buyer's current terms.
CREATE TABLE terms_acceptances (
    supplier_id uuid NOT NULL,
    buyer_id uuid NOT NULL,
    terms_version text NOT NULL,
    accepted_at timestamptz NOT NULL,
    PRIMARY KEY (supplier_id, buyer_id)
);
