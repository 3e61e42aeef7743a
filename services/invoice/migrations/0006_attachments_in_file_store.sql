-- Whether the content is in the file store, where the renderer and the notifier read a sent
-- invoice's attachments: put there when its invoice is sent, and, for invoices sent before the
-- store, by the invoice service at start (`services/invoice/file_store.py`).
ALTER TABLE attachment_contents ADD COLUMN in_file_store boolean NOT NULL DEFAULT false;
CREATE INDEX attachment_contents_outside_file_store ON attachment_contents (sha256)
    WHERE NOT in_file_store;
