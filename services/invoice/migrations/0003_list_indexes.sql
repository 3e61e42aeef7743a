-- The invoice list of a supplier with 100,000 invoices: each filter has an index in the list's
-- order, and the counts of its pages are kept rather than counted.

-- A status filter, in the list's order: a deep page is found in the index alone.
CREATE INDEX invoices_status_list ON invoices (supplier_id, status, created_at DESC, id);

-- A search by number prefix, case-insensitive as ILIKE is (lower() in the database's collation),
-- compared in "C" so that a prefix is a range of the index whatever the collation. The included
-- columns let a search be answered from the index alone (`number` too, for lower(number)).
CREATE INDEX invoices_number_prefix ON invoices (supplier_id, (lower(number)) COLLATE "C")
    INCLUDE (number, status, created_at, id);

-- A search by customer: a supplier has a few dozen customer names, read by skipping through this
-- index from name to name; the invoices of the names that match are then ranges of it.
CREATE INDEX invoices_buyer_name ON invoices (supplier_id, buyer_name, created_at DESC, id)
    INCLUDE (status);

-- Deleting a draft checks that no credit note refers to it; without an index that check read the
-- whole table, half a second per deleted draft at a million invoices.
CREATE INDEX invoices_credited ON invoices (credited_invoice_id) WHERE credited_invoice_id IS NOT NULL;

-- How many invoices each supplier has per status, so that the list can show its pages without
-- counting 100,000 rows. The triggers below add each change to the slot of the connection making
-- it, so concurrent writers of one supplier do not queue on one row; a supplier's count is the sum
-- of its slots.
CREATE TABLE invoice_counts (
    supplier_id uuid NOT NULL,
    status text NOT NULL,
    slot int NOT NULL,
    invoices bigint NOT NULL,
    PRIMARY KEY (supplier_id, status, slot)
) WITH (fillfactor = 50);

-- A statement's new invoices, counted once per statement, so that a bulk insert updates a few
-- rows; in key order, so that two statements lock the same rows in the same order.
CREATE FUNCTION count_added_invoices() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invoice_counts (supplier_id, status, slot, invoices)
    SELECT supplier_id, status, pg_backend_pid() % 16, count(*) FROM added
    GROUP BY supplier_id, status
    ORDER BY supplier_id, status
    ON CONFLICT (supplier_id, status, slot)
        DO UPDATE SET invoices = invoice_counts.invoices + excluded.invoices;
    RETURN NULL;
END $$;

CREATE FUNCTION add_invoice_count(supplier uuid, invoice_status text, difference bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invoice_counts (supplier_id, status, slot, invoices)
    VALUES (supplier, invoice_status, pg_backend_pid() % 16, difference)
    ON CONFLICT (supplier_id, status, slot)
        DO UPDATE SET invoices = invoice_counts.invoices + excluded.invoices;
END $$;

-- An invoice deleted, or moved to another status; the smaller key first, so that two moves in
-- opposite directions (failed → sent, sent → failed) cannot deadlock.
CREATE FUNCTION count_changed_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM add_invoice_count(OLD.supplier_id, OLD.status, -1);
    ELSIF (OLD.supplier_id, OLD.status) < (NEW.supplier_id, NEW.status) THEN
        PERFORM add_invoice_count(OLD.supplier_id, OLD.status, -1);
        PERFORM add_invoice_count(NEW.supplier_id, NEW.status, 1);
    ELSE
        PERFORM add_invoice_count(NEW.supplier_id, NEW.status, 1);
        PERFORM add_invoice_count(OLD.supplier_id, OLD.status, -1);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER invoices_counted_on_insert AFTER INSERT ON invoices
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION count_added_invoices();
-- Only an update that moves an invoice runs it: saving a draft's content costs nothing here.
CREATE TRIGGER invoices_counted_on_update AFTER UPDATE OF supplier_id, status ON invoices
    FOR EACH ROW WHEN (OLD.supplier_id <> NEW.supplier_id OR OLD.status <> NEW.status)
    EXECUTE FUNCTION count_changed_invoice();
CREATE TRIGGER invoices_counted_on_delete AFTER DELETE ON invoices
    FOR EACH ROW EXECUTE FUNCTION count_changed_invoice();

INSERT INTO invoice_counts (supplier_id, status, slot, invoices)
SELECT supplier_id, status, 0, count(*) FROM invoices GROUP BY supplier_id, status;
