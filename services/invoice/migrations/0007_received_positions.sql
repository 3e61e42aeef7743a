-- A buyer's systems poll for the invoices that arrived since they last asked
-- (`GET /v1/buyer/invoices?after=…`, services/invoice/received.py). Each invoice sent to a buyer
-- has a place in that buyer's stream, `received_position`: 1, 2, 3, … per buyer, given when it is
-- first sent and kept when a failed invoice is sent again.
--
-- A position is only worth a cursor if no invoice can later appear before one a reader has
-- already seen. A sequence alone would not do that: two sends may take 10 and 11 and commit 11
-- first, so a reader that saw 11 would never see 10. Here the sending transaction holds a lock of
-- its buyer's from numbering until it ends, and numbers from what has committed, so a buyer's
-- positions commit in their order and without gaps: whatever a reader sees is 1…k, and anything
-- not yet visible will be numbered above k. The lock is an advisory one of the transaction, held
-- from the UPDATE that sends until the commit, the few statements that follow; sends to other
-- buyers never wait on it.

-- No invoice is sent while the positions are given to those sent before (by a service still
-- running the code without them, say): the trigger below numbers the ones sent after.
LOCK TABLE invoices IN SHARE ROW EXCLUSIVE MODE;

ALTER TABLE invoices ADD COLUMN received_position bigint;

-- The invoices sent so far, in the order they were sent.
UPDATE invoices i SET received_position = numbered.position
FROM (
    SELECT id, row_number() OVER (PARTITION BY buyer_id ORDER BY sent_at, id) AS position
    FROM invoices WHERE sent_at IS NOT NULL AND buyer_id IS NOT NULL
) numbered
WHERE i.id = numbered.id;

-- The stream's order per buyer; unique, so that no position is ever given twice.
CREATE UNIQUE INDEX invoices_received ON invoices (buyer_id, received_position)
    WHERE received_position IS NOT NULL;

-- The buyer's next position, taken under the buyer's lock (class 7001 of the two-key advisory
-- locks, the buyer's id hashed; two buyers sharing a hash only wait on each other). The query
-- after the lock sees every send that committed before the lock was granted: a volatile function
-- takes a new snapshot for each statement in READ COMMITTED, the services' isolation. Under
-- REPEATABLE READ it could miss one, and the unique index would refuse the send rather than let
-- a position be given twice.
--
-- The last position is read as the first entry of the index from its end: written as max(), the
-- plan cached for a table that looked small counted through all of the buyer's entries, so a
-- statement inserting many sent invoices took time growing with the square of their number.
CREATE FUNCTION give_received_position() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7001, hashtext(NEW.buyer_id::text));
    NEW.received_position := coalesce(
        (SELECT received_position FROM invoices
         WHERE buyer_id = NEW.buyer_id AND received_position IS NOT NULL
         ORDER BY received_position DESC LIMIT 1),
        0) + 1;
    RETURN NEW;
END $$;

-- Whatever sends an invoice (`db.mark_sent`, an older version of it, an import inserting
-- invoices sent already) numbers it; an invoice sent again keeps its position.
CREATE TRIGGER invoices_received_position BEFORE INSERT OR UPDATE OF sent_at ON invoices
    FOR EACH ROW
    WHEN (NEW.sent_at IS NOT NULL AND NEW.buyer_id IS NOT NULL AND NEW.received_position IS NULL)
    EXECUTE FUNCTION give_received_position();
