-- Several instances on one database, and a bounded import queue (issue 11).

-- An import job runs on the instance that received its upload (the file is
-- in that instance's data directory); the bounds of the queue count every
-- instance's unfinished jobs and the bytes of their uploads. 'cli' is a job
-- of `lianxin import`, '' one recorded before this migration.
ALTER TABLE import_jobs ADD COLUMN instance TEXT NOT NULL DEFAULT '';
ALTER TABLE import_jobs ADD COLUMN upload_bytes BIGINT NOT NULL DEFAULT 0;
CREATE INDEX import_jobs_user_status ON import_jobs (user_id, status);

-- A daily job (the coverage snapshot, the alert run) is run by one instance
-- a day: the instance that takes the lease for the day with a conditional
-- UPDATE runs it and records it done; a holder that dies lets the lease
-- expire, and another instance runs the day's job then.
CREATE TABLE daily_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL DEFAULT '',
    day        TEXT NOT NULL DEFAULT '',
    expires_at TEXT NOT NULL DEFAULT '',
    done_day   TEXT NOT NULL DEFAULT '',
    done_by    TEXT NOT NULL DEFAULT '',
    done_at    TEXT NOT NULL DEFAULT '',
    runs       INTEGER NOT NULL DEFAULT 0
);
