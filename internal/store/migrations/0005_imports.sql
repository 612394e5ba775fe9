-- Excel import jobs (issue 3). The uploaded workbook and its error copy live
-- under the data directory (<data>/imports/<id>/), not here; this table
-- holds the job's state, counts and the first errors, so that the page can
-- poll it and a restarted server can tell which jobs it interrupted.

CREATE TABLE import_jobs (
    id           {{.ID}},
    kind         TEXT NOT NULL CHECK (kind IN ('organizations','members')),
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
    finished_at  TEXT
);
CREATE INDEX import_jobs_scope ON import_jobs (scope_path, id);
CREATE INDEX import_jobs_status ON import_jobs (status);
