-- The foundation: regions, zones, the Party-org tree, accounts, sessions,
-- settings and the audit trail. Dates are ISO text, timestamps fixed-width
-- UTC text (see store.ts), so both engines share one query set.

CREATE TABLE regions (
    code                 TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    level                TEXT NOT NULL CHECK (level IN ('city','district','functional_zone','street','community')),
    parent_code          TEXT REFERENCES regions(code),
    functional_zone_code TEXT REFERENCES regions(code),
    sort                 INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX regions_parent ON regions (parent_code, sort);
CREATE INDEX regions_fz ON regions (functional_zone_code);

CREATE TABLE party_orgs (
    id              {{.ID}},
    parent_id       BIGINT REFERENCES party_orgs(id),
    path            {{.PathText}} NOT NULL UNIQUE,
    depth           INTEGER NOT NULL,
    name            TEXT NOT NULL,
    short_name      TEXT NOT NULL DEFAULT '',
    type            TEXT NOT NULL,
    region_code     TEXT NOT NULL REFERENCES regions(code),
    founded_on      TEXT,
    secretary_name  TEXT NOT NULL DEFAULT '',
    term_start      TEXT,
    term_years      INTEGER NOT NULL DEFAULT 0,
    term_end        TEXT,
    status          TEXT NOT NULL CHECK (status IN ('active','dissolved')),
    dissolved_on    TEXT,
    dissolve_reason TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX party_orgs_parent ON party_orgs (parent_id, name);
CREATE INDEX party_orgs_region ON party_orgs (region_code);
CREATE INDEX party_orgs_term_end ON party_orgs (term_end);
-- Covers the subtree counts of the home page without touching the table.
CREATE INDEX party_orgs_path_cover ON party_orgs (path, status, type, term_end);
-- Sibling names are unique among active nodes.
CREATE UNIQUE INDEX party_orgs_sibling_name ON party_orgs (parent_id, name) WHERE status = 'active';

-- The change history staff read on a record's page (the audit trail is the
-- auditor's; this one is for the business), for every kind of record.
CREATE TABLE history (
    id          {{.ID}},
    object_type TEXT NOT NULL,
    object_id   BIGINT NOT NULL,
    at          TEXT NOT NULL,
    user_id     BIGINT,
    username    TEXT NOT NULL,
    action      TEXT NOT NULL,
    changes     TEXT NOT NULL
);
CREATE INDEX history_object ON history (object_type, object_id, id);

CREATE TABLE zones (
    id           {{.ID}},
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    region_code  TEXT NOT NULL REFERENCES regions(code),
    party_org_id BIGINT NOT NULL REFERENCES party_orgs(id),
    address      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (region_code, name)
);
CREATE INDEX zones_party_org ON zones (party_org_id);

CREATE TABLE users (
    id                   {{.ID}},
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    party_org_id         BIGINT NOT NULL REFERENCES party_orgs(id),
    password_hash        TEXT NOT NULL,
    password_changed_at  TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TEXT,
    disabled             INTEGER NOT NULL DEFAULT 0,
    last_login_at        TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX users_party_org ON users (party_org_id);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id),
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Sessions live in the database so that several instances can serve them.
-- Only a hash of the token is stored: a copy of the database logs nobody in.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE audit_events (
    id          BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     BIGINT,
    username    TEXT NOT NULL DEFAULT '',
    roles       TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT '',
    request_id  TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_user ON audit_events (username, id);
CREATE INDEX audit_events_object ON audit_events (object_type, object_id, id);
CREATE INDEX audit_events_action ON audit_events (action, id);

-- The head of the chain: one row, updated with each append. The UPDATE takes
-- a row lock on PostgreSQL, so appends from several instances serialize.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- Nobody edits or deletes the trail through the system; the database refuses too.
{{if .Postgres}}
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
{{else}}
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
{{end}}
