-- Suppliers and buyers alike are companies; a buyer also has terms of use and reference rules.
CREATE TABLE companies (
    id uuid PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('supplier', 'buyer')),
    name text NOT NULL,
    country text NOT NULL,
    organisation_number text NOT NULL,
    vat_number text,
    f_skatt boolean NOT NULL DEFAULT false,
    revision int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX companies_organisation_number ON companies (kind, country, organisation_number);
CREATE UNIQUE INDEX companies_vat_number ON companies (kind, vat_number) WHERE vat_number IS NOT NULL;

CREATE TABLE buyers (
    company_id uuid PRIMARY KEY REFERENCES companies ON DELETE CASCADE,
    email text NOT NULL,
    street text NOT NULL,
    postal_code text NOT NULL,
    city text NOT NULL,
    reference_rules jsonb NOT NULL,
    terms_pdf bytea NOT NULL,
    terms_version text NOT NULL,
    terms_sha256 text NOT NULL
);

-- The people the identity service told us about, and the company each acts for.
CREATE TABLE users (
    id uuid PRIMARY KEY,
    email text NOT NULL,
    invitation_id uuid,
    company_id uuid REFERENCES companies
);
CREATE INDEX users_email ON users (lower(email));

CREATE TABLE invitations (
    id uuid PRIMARY KEY,
    buyer_id uuid NOT NULL REFERENCES companies,
    email text NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    language text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX invitations_email ON invitations (lower(email));

CREATE TABLE connections (
    supplier_id uuid NOT NULL REFERENCES companies,
    buyer_id uuid NOT NULL REFERENCES companies,
    state text NOT NULL CHECK (state IN ('invited', 'terms_accepted', 'connected')),
    invited_at timestamptz NOT NULL,
    terms_version text,
    terms_sha256 text,
    terms_accepted_by uuid,
    terms_accepted_at timestamptz,
    connected_by uuid,
    connected_at timestamptz,
    PRIMARY KEY (supplier_id, buyer_id)
);

CREATE TABLE addresses (
    id uuid PRIMARY KEY,
    company_id uuid NOT NULL REFERENCES companies ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('default', 'invoice')),
    name text NOT NULL,
    street text NOT NULL,
    postal_code text NOT NULL,
    city text NOT NULL,
    country text NOT NULL,
    phone text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX addresses_company ON addresses (company_id);

CREATE TABLE bank_accounts (
    id uuid PRIMARY KEY,
    company_id uuid NOT NULL REFERENCES companies ON DELETE CASCADE,
    bank_name text NOT NULL,
    bank_country text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('bankgiro', 'plusgiro', 'iban')),
    number text NOT NULL,
    bic text,
    created_at timestamptz NOT NULL
);
CREATE INDEX bank_accounts_company ON bank_accounts (company_id);
