-- The SHA-256 of the sent invoice each row was rendered from: documents are written once, and
-- another invoice under the same id is refused. Rows rendered before it was kept have none.
ALTER TABLE documents ADD COLUMN invoice_sha256 text;
