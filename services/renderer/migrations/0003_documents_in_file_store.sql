-- The documents' bytes live in the file store (`shared.file_store`), under the hashes kept here.
-- Documents rendered before it keep theirs here until the renderer has put them there at start
-- (`services/renderer/file_backlog.py`), which then empties these columns.
ALTER TABLE documents ALTER COLUMN pdf DROP NOT NULL, ALTER COLUMN xml DROP NOT NULL;
CREATE INDEX documents_outside_file_store ON documents (invoice_id) WHERE pdf IS NOT NULL;
