-- A deleted account keeps its row: other services' records name its id (who created or sent an
-- invoice, who changed a company). Nothing personal is left in it: no address, no names, and a
-- password no hash matches. With no address the unique index on lower(email) holds no value of
-- it (NULLs are distinct), so the same address can register a new account later.
ALTER TABLE users ADD COLUMN deleted_at timestamptz;
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_email_until_deleted
    CHECK ((email IS NULL) = (deleted_at IS NOT NULL));
