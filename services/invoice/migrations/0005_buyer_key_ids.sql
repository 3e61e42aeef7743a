-- An operator names a key to revoke by its id or by its first characters, shown when it is
-- issued; keys issued before have an id only. The rest of a key is never kept.
ALTER TABLE buyer_keys
    ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN prefix text;
CREATE UNIQUE INDEX buyer_keys_id ON buyer_keys (id);
CREATE INDEX buyer_keys_prefix ON buyer_keys (prefix);
