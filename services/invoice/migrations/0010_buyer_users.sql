-- The people who act for each buyer on its pages, as the company service announced them
-- (company.buyer_users_changed); `buyer_user_revisions` keeps the newest announcement applied.
CREATE TABLE buyer_users (
    user_id uuid PRIMARY KEY,
    buyer_id uuid NOT NULL
);
CREATE INDEX buyer_users_buyer ON buyer_users (buyer_id);
CREATE TABLE buyer_user_revisions (
    buyer_id uuid PRIMARY KEY,
    revision int NOT NULL
);

-- Keys a buyer's users make on the API-nycklar page carry a name and their maker; every key
-- shows when it was last used (written at most once a minute).
ALTER TABLE buyer_keys
    ADD COLUMN name text,
    ADD COLUMN created_by uuid,
    ADD COLUMN last_used_at timestamptz;
CREATE INDEX buyer_keys_buyer ON buyer_keys (buyer_id, created_at);

-- A status given on the buyer's own page names the user who gave it; one given through the API
-- names the key (`set_by`).
ALTER TABLE invoice_responses ADD COLUMN set_by_user uuid;
