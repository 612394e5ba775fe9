-- The hashes of an account's earlier passwords (issue 11): a new password
-- may repeat none of the latest five, the current one (users.password_hash)
-- and up to four kept here. Only argon2id hashes, never a password.
CREATE TABLE password_history (
    id            {{.ID}},
    user_id       BIGINT NOT NULL REFERENCES users(id),
    password_hash TEXT NOT NULL,
    replaced_at   TEXT NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, id);
