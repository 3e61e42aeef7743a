-- E-mails to send. A handler inserts one per (event, kind); the mailer sends it and marks it in
-- the transaction that locks the row, so a mail is neither lost nor added twice.
CREATE TABLE mails (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL,
    kind text NOT NULL,
    recipient text NOT NULL,
    subject text NOT NULL,
    text_body text NOT NULL,
    html_body text NOT NULL,
    -- Derived from (event_id, kind): a mail sent again after a lost commit keeps its identity.
    message_id text NOT NULL UNIQUE,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    UNIQUE (event_id, kind),
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);

CREATE INDEX mails_due ON mails (next_attempt_at) WHERE status = 'pending';

-- Files sent with a mail (invoices as PDF and XML), in the order they are attached.
CREATE TABLE mail_attachments (
    mail_id uuid NOT NULL REFERENCES mails (id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position >= 0),
    filename text NOT NULL,
    content_type text NOT NULL CHECK (content_type LIKE '%/%'),
    content bytea NOT NULL,
    PRIMARY KEY (mail_id, position)
);

CREATE FUNCTION notify_mails() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mails', '');
    RETURN NULL;
END $$;

CREATE TRIGGER mails_inserted AFTER INSERT ON mails
    FOR EACH STATEMENT EXECUTE FUNCTION notify_mails();
