-- What a new deployment loads on day one (issue 13): streets and
-- communities maintained by staff, 党小组 of a branch entered by staff, and
-- the Party-org and region imports.

-- Streets (9-digit codes) and communities (12 digits) are edited by staff
-- now: a version for concurrent edits and the time of the last change.
ALTER TABLE regions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE regions ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';

-- 党小组: a branch's groups, each with its members (members.party_group_id).
-- party_orgs.party_groups, which the ledger reads to owe 党小组会, is kept
-- by the store as the number of a branch's active groups.
CREATE TABLE party_groups (
    id               {{.ID}},
    party_org_id     BIGINT NOT NULL REFERENCES party_orgs(id),
    name             TEXT NOT NULL,
    leader_member_id BIGINT REFERENCES members(id),
    founded_on       TEXT,
    status           TEXT NOT NULL CHECK (status IN ('active','dissolved')),
    dissolved_on     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX party_groups_org ON party_groups (party_org_id, status);
CREATE UNIQUE INDEX party_groups_name ON party_groups (party_org_id, name) WHERE status = 'active';
ALTER TABLE members ADD COLUMN party_group_id BIGINT REFERENCES party_groups(id);
-- The founding date of a branch's earliest active group: 党小组会 are owed
-- from then (NULL with groups: since ever, as the generator's are).
ALTER TABLE party_orgs ADD COLUMN party_groups_since TEXT;
CREATE INDEX members_party_group ON members (party_group_id);

-- Two more kinds of import. SQLite cannot alter a CHECK constraint: the
-- table is rebuilt (nothing references it).
{{if .Postgres}}
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_kind_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_kind_check CHECK (kind IN ('organizations','members','party-orgs','regions'));
{{else}}
CREATE TABLE import_jobs_new (
    id           {{.ID}},
    kind         TEXT NOT NULL CHECK (kind IN ('organizations','members','party-orgs','regions')),
    file_name    TEXT NOT NULL,
    skip_invalid INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL CHECK (status IN ('queued','validating','importing','done','failed','rejected')),
    total        INTEGER NOT NULL DEFAULT 0,
    imported     INTEGER NOT NULL DEFAULT 0,
    unchanged    INTEGER NOT NULL DEFAULT 0,
    rejected     INTEGER NOT NULL DEFAULT 0,
    progress     {{.Float}} NOT NULL DEFAULT 0,
    message      TEXT NOT NULL DEFAULT '',
    errors       TEXT NOT NULL DEFAULT '[]',
    error_count  INTEGER NOT NULL DEFAULT 0,
    user_id      BIGINT REFERENCES users(id),
    username     TEXT NOT NULL,
    scope_path   {{.PathText}} NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    finished_at  TEXT,
    instance     TEXT NOT NULL DEFAULT '',
    upload_bytes BIGINT NOT NULL DEFAULT 0
);
INSERT INTO import_jobs_new (id, kind, file_name, skip_invalid, status, total, imported, unchanged, rejected, progress, message, errors,
    error_count, user_id, username, scope_path, created_at, updated_at, finished_at, instance, upload_bytes)
SELECT id, kind, file_name, skip_invalid, status, total, imported, unchanged, rejected, progress, message, errors,
    error_count, user_id, username, scope_path, created_at, updated_at, finished_at, instance, upload_bytes FROM import_jobs;
DROP TABLE import_jobs;
ALTER TABLE import_jobs_new RENAME TO import_jobs;
CREATE INDEX import_jobs_scope ON import_jobs (scope_path, id);
CREATE INDEX import_jobs_status ON import_jobs (status);
CREATE INDEX import_jobs_user_status ON import_jobs (user_id, status);
{{end}}
