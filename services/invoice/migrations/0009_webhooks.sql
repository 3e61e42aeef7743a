-- A buyer's webhooks (services/invoice/webhooks.py): the URLs its systems registered, and one
-- delivery per endpoint of each event they are told of, written in the transaction that records
-- the fact, so none is lost and none is told of a fact that did not commit.
--
-- `secret` is the signing secret as given to the buyer (whsec_…): it must be at hand to sign,
-- so it is kept as it is (docs/security.md, known gaps). An endpoint deleted takes its
-- deliveries with it, which stops those still pending.
CREATE TABLE webhook_endpoints (
    id uuid PRIMARY KEY,
    buyer_id uuid NOT NULL,
    url text NOT NULL,
    description text NOT NULL DEFAULT '',
    secret text NOT NULL,
    created_at timestamptz NOT NULL,
    -- The buyer key that registered it.
    created_by uuid
);
CREATE INDEX webhook_endpoints_buyer ON webhook_endpoints (buyer_id, created_at);

-- `message_id` is the webhook-id header, the same on every attempt so that receivers drop
-- repeats; `body` the JSON exactly as signed. A pending delivery is due at `next_attempt_at`;
-- a sender that claims it moves that time past its call, so one that dies mid-call leaves it
-- to be tried again.
CREATE TABLE webhook_deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id uuid NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
    message_id text NOT NULL,
    event_type text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    last_attempt_at timestamptz,
    last_status integer,
    last_error text,
    next_attempt_at timestamptz,
    UNIQUE (endpoint_id, message_id),
    CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (endpoint_id, id DESC);

CREATE FUNCTION notify_webhook_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('webhook_deliveries', '');
    RETURN NULL;
END $$;

CREATE TRIGGER webhook_deliveries_inserted AFTER INSERT ON webhook_deliveries
    FOR EACH STATEMENT EXECUTE FUNCTION notify_webhook_deliveries();
