CREATE TABLE users (
    id uuid PRIMARY KEY,
    email text NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    password_hash text NOT NULL,
    language text NOT NULL CHECK (language IN ('sv', 'en')),
    privacy_policy_version text NOT NULL,
    privacy_policy_accepted_at timestamptz NOT NULL,
    invitation_id uuid,
    email_confirmed_at timestamptz,
    password_changed_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- A confirmation e-mail's link and code, stored only as keyed hashes.
CREATE TABLE confirmations (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    link_token_hash text NOT NULL UNIQUE,
    code_hash text NOT NULL,
    link_expires_at timestamptz NOT NULL,
    code_expires_at timestamptz NOT NULL,
    failed_attempts int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    used_at timestamptz,
    superseded_at timestamptz
);
CREATE INDEX confirmations_user ON confirmations (user_id, created_at DESC);

CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    user_agent text NOT NULL DEFAULT '',
    client_ip text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

CREATE TABLE password_resets (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at DESC);

-- Invitations as the company service announced them; they only prefill registration here.
CREATE TABLE invitations (
    id uuid PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    buyer_name text NOT NULL,
    email text NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);

-- Failed logins, counted per account and per client address over a sliding window.
CREATE TABLE login_failures (
    key text NOT NULL,
    failed_at timestamptz NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, failed_at);

-- Solved captcha challenges, so each solution is accepted once.
CREATE TABLE captcha_spent (
    challenge text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
