-- Each service logs in as its own role, with a password of its own, to its own database; the
-- services on the send path (invoice, renderer, notifier) share the file store's, portal_files:
-- docker-compose's PostgreSQL runs this on the first start of an empty volume. The passwords
-- come from the environment (psql's \getenv); one that is missing, short or the role's own name
-- stops the initialisation.
\set ON_ERROR_STOP on

CREATE FUNCTION pg_temp.create_login(role text, password text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF password IS NULL OR length(password) < 16 OR password = role THEN
        RAISE EXCEPTION 'the password of % must be set, 16 characters or more, not its name', role;
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', role, password);
END
$$;

\getenv identity_password PORTAL_IDENTITY_DATABASE_PASSWORD
SELECT pg_temp.create_login('portal_identity', :'identity_password');
CREATE DATABASE portal_identity OWNER portal_identity;

\getenv notifier_password PORTAL_NOTIFIER_DATABASE_PASSWORD
SELECT pg_temp.create_login('portal_notifier', :'notifier_password');
CREATE DATABASE portal_notifier OWNER portal_notifier;

\getenv company_password PORTAL_COMPANY_DATABASE_PASSWORD
SELECT pg_temp.create_login('portal_company', :'company_password');
CREATE DATABASE portal_company OWNER portal_company;

\getenv invoice_password PORTAL_INVOICE_DATABASE_PASSWORD
SELECT pg_temp.create_login('portal_invoice', :'invoice_password');
CREATE DATABASE portal_invoice OWNER portal_invoice;

\getenv renderer_password PORTAL_RENDERER_DATABASE_PASSWORD
SELECT pg_temp.create_login('portal_renderer', :'renderer_password');
CREATE DATABASE portal_renderer OWNER portal_renderer;

\getenv files_password PORTAL_FILES_DATABASE_PASSWORD
SELECT pg_temp.create_login('portal_files', :'files_password');
CREATE DATABASE portal_files OWNER portal_files;
