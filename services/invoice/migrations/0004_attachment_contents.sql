-- An attachment's bytes are stored once per content, keyed by their SHA-256: copying an invoice
-- adds rows that refer to them, not another copy of up to 100 MB. `refs` counts the attachments
-- referring to a content; the triggers below keep it, whatever deletes an attachment (detaching,
-- or deleting a draft, which cascades), and delete the content with its last reference.
CREATE TABLE attachment_contents (
    sha256 text PRIMARY KEY,
    size int NOT NULL,
    content bytea NOT NULL,
    refs int NOT NULL CHECK (refs >= 0)
);

-- The hash from the bytes themselves, so that two rows share a content only when their bytes
-- are the same; the supplier on each attachment, so that its quota is read from one index.
ALTER TABLE attachments ADD COLUMN supplier_id uuid;
UPDATE attachments a
SET sha256 = encode(sha256(a.content), 'hex'), size = octet_length(a.content),
    supplier_id = i.supplier_id
FROM invoices i WHERE i.id = a.invoice_id;
ALTER TABLE attachments ALTER COLUMN supplier_id SET NOT NULL;

INSERT INTO attachment_contents (sha256, size, content, refs)
SELECT DISTINCT ON (sha256) sha256, size, content, count(*) OVER (PARTITION BY sha256)
FROM attachments ORDER BY sha256;

ALTER TABLE attachments DROP COLUMN content;
ALTER TABLE attachments ADD CONSTRAINT attachments_content
    FOREIGN KEY (sha256) REFERENCES attachment_contents;
-- A supplier's distinct contents and their sizes, for its quota, from the index alone.
CREATE INDEX attachments_supplier ON attachments (supplier_id, sha256) INCLUDE (size);

-- A statement's new attachments, counted per content; the contents locked in key order first,
-- so that two statements touching the same contents cannot deadlock.
CREATE FUNCTION count_added_attachments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM attachment_contents
    WHERE sha256 IN (SELECT sha256 FROM added) ORDER BY sha256 FOR NO KEY UPDATE;
    UPDATE attachment_contents c SET refs = c.refs + n.refs
    FROM (SELECT sha256, count(*) AS refs FROM added GROUP BY sha256) n
    WHERE c.sha256 = n.sha256;
    RETURN NULL;
END $$;

CREATE FUNCTION count_removed_attachments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM attachment_contents
    WHERE sha256 IN (SELECT sha256 FROM removed) ORDER BY sha256 FOR NO KEY UPDATE;
    UPDATE attachment_contents c SET refs = c.refs - n.refs
    FROM (SELECT sha256, count(*) AS refs FROM removed GROUP BY sha256) n
    WHERE c.sha256 = n.sha256;
    DELETE FROM attachment_contents
    WHERE sha256 IN (SELECT sha256 FROM removed) AND refs = 0;
    RETURN NULL;
END $$;

CREATE TRIGGER attachments_counted_on_insert AFTER INSERT ON attachments
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION count_added_attachments();
CREATE TRIGGER attachments_counted_on_delete AFTER DELETE ON attachments
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION count_removed_attachments();
