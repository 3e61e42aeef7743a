-- A user's TOTP second factor: the secret sealed (services/identity/totp.py), on once confirmed
-- with a first code; `last_step` is the newest time step whose code was accepted, so no code is
-- accepted twice, nor an older one after it.
CREATE TABLE second_factors (
    user_id uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
    sealed_secret text NOT NULL,
    created_at timestamptz NOT NULL,
    confirmed_at timestamptz,
    last_step bigint NOT NULL DEFAULT 0
);

-- One-time recovery codes, stored only as keyed hashes; each is spent once.
CREATE TABLE recovery_codes (
    user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- A login whose password was right, waiting for its second-factor code.
CREATE TABLE login_challenges (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    user_agent text NOT NULL DEFAULT '',
    client_ip text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX login_challenges_expiry ON login_challenges (expires_at);
