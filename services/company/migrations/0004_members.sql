-- A company's people and what each may do: an admin changes the company, its bank accounts and
-- its users; a user keys and sends invoices. Whoever made a supplier company is its first admin.
ALTER TABLE users
    ADD COLUMN role text CHECK (role IN ('admin', 'user')),
    ADD COLUMN first_name text NOT NULL DEFAULT '',
    ADD COLUMN last_name text NOT NULL DEFAULT '',
    ADD COLUMN joined_at timestamptz;
UPDATE users SET role = 'admin' WHERE company_id IS NOT NULL;
ALTER TABLE users ADD CONSTRAINT users_role_with_company
    CHECK ((company_id IS NULL) = (role IS NULL));

-- Invitations to act for a company (a supplier's colleague, a buyer's user). The token is only
-- in the mail: identity keeps its hash to open the registration, and the account registered
-- through it joins the company here.
CREATE TABLE member_invitations (
    id uuid PRIMARY KEY,
    company_id uuid NOT NULL REFERENCES companies ON DELETE CASCADE,
    email text NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    language text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin', 'user')),
    invited_by uuid,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    accepted_by uuid,
    accepted_at timestamptz
);
CREATE INDEX member_invitations_company ON member_invitations (company_id, created_at DESC);
CREATE INDEX member_invitations_email ON member_invitations (lower(email));
