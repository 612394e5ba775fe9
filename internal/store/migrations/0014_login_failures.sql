-- Login lockout in the database (issue 11, finding 7), so that it holds
-- across several instances on one database. One row per login name and
-- client address, and one per name with ip = '' for the count across all
-- addresses. login_key is 'u:<id>' for an account and 'n:<hash>' for a
-- typed name that is no account (a hash: a password typed into the
-- username field must not be kept). users.failed_logins and locked_until
-- mirror an account's rows for the administrators' pages.
CREATE TABLE login_failures (
    login_key    TEXT NOT NULL,
    ip           TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    since        TEXT,
    locked_until TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (login_key, ip)
);
CREATE INDEX login_failures_updated ON login_failures (updated_at);
