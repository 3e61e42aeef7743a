-- What a supplier's users changed in its bank accounts and company information: who, when, what,
-- with bank account numbers masked. Append-only: rows are written in the transaction of the
-- change and never updated or deleted.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    company_id uuid NOT NULL REFERENCES companies,
    user_id uuid NOT NULL,
    user_email text NOT NULL,
    action text NOT NULL CHECK (action IN (
        'bank_account.added', 'bank_account.changed', 'bank_account.removed',
        'company.created', 'company.changed'
    )),
    before jsonb,
    after jsonb,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX audit_log_company ON audit_log (company_id, occurred_at DESC, id DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
