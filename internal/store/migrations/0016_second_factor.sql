-- The second login factor (等保 2.0 8.1.4.1 d): a time-based one-time
-- password per account, its recovery codes, and the logins that passed the
-- password and wait for the code. All of it lives in the database, so that
-- any instance can finish a login another began and no step is accepted
-- twice across instances.

-- One authenticator per account. The secret is encrypted with the PII
-- keyring (kind totp_secret); enabled_at is NULL while the enrolment waits
-- for its first code. last_step is the newest accepted time step: a code of
-- that step or an earlier one is refused.
CREATE TABLE user_totp (
    user_id    BIGINT PRIMARY KEY REFERENCES users(id),
    secret     {{.Blob}} NOT NULL,
    enabled_at TEXT,
    last_step  BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- Recovery codes, shown once: only a hash is kept, and each is used once.
CREATE TABLE totp_recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- A login whose password was right and whose second factor is awaited.
-- Only a hash of the token (a cookie) is stored, as for sessions.
CREATE TABLE login_challenges (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    ip         TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_challenges_user ON login_challenges (user_id);
CREATE INDEX login_challenges_expires ON login_challenges (expires_at);
