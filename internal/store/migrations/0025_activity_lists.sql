-- The activity list and the calendar at city scale (issue 13: ≈1,000,000
-- activities a year; every list answers in p99 ≤ 100 ms).
--
-- 1. A narrower scope than the whole tree is read from the hosts of its
-- Party orgs, in start order, from one index: activity_hosts carries a copy
-- of its activity's start and whether it is the main host or a co-host
-- (联合主题党日), so that a district's count and page (≈50,000 activities
-- a year) never visit an activity outside the page, and an activity with
-- two hosts in the scope is counted once without sorting them all.
--
-- 2. The whole tree's totals (city staff's list and calendar) come from
-- counts kept per day, type and status: a SUM over a few rows instead of
-- counting a million index entries (≈350 ms on PostgreSQL).
--
-- Both are kept by triggers in the transaction of every write, whoever
-- writes (the activities' store, the bulk loader, the capabilities to
-- come): a host written without its start or role takes them from the
-- activity; an activity moved, retyped or held moves its hosts and counts.
ALTER TABLE activity_hosts ADD COLUMN starts_at TEXT;
ALTER TABLE activity_hosts ADD COLUMN co_host INTEGER;
UPDATE activity_hosts SET
    starts_at = (SELECT a.starts_at FROM activities a WHERE a.id = activity_hosts.activity_id),
    co_host = CASE WHEN party_org_id = (SELECT a.party_org_id FROM activities a WHERE a.id = activity_hosts.activity_id) THEN 0 ELSE 1 END;
CREATE INDEX activity_hosts_org_start ON activity_hosts (party_org_id, co_host, starts_at, activity_id);

-- The whole tree's list filtered by type or status walks one of these in
-- start order and stops after a page.
CREATE INDEX activities_type_start ON activities (type, starts_at);
CREATE INDEX activities_status_start ON activities (status, starts_at);

{{if .Postgres}}
CREATE TABLE activity_counts (
    start_date TEXT NOT NULL,
    type       TEXT NOT NULL,
    status     TEXT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (start_date, type, status)
);

CREATE FUNCTION activity_hosts_start() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT a.starts_at, CASE WHEN a.party_org_id = NEW.party_org_id THEN 0 ELSE 1 END
        INTO NEW.starts_at, NEW.co_host FROM activities a WHERE a.id = NEW.activity_id;
    RETURN NEW;
END $$;
-- The WHEN clause costs no call when the writer gave both (the loader).
CREATE TRIGGER activity_hosts_start BEFORE INSERT ON activity_hosts FOR EACH ROW
    WHEN (NEW.starts_at IS NULL OR NEW.co_host IS NULL) EXECUTE FUNCTION activity_hosts_start();
CREATE FUNCTION activities_hosts_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE activity_hosts SET starts_at = NEW.starts_at, co_host = CASE WHEN party_org_id = NEW.party_org_id THEN 0 ELSE 1 END
        WHERE activity_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER activities_hosts_moved AFTER UPDATE ON activities FOR EACH ROW
    WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.party_org_id IS DISTINCT FROM NEW.party_org_id)
    EXECUTE FUNCTION activities_hosts_moved();

-- Counts: inserts many rows a statement (the loader), one aggregated change
-- per key, taken in key order so that two writers never wait on each other
-- crosswise.
CREATE FUNCTION activity_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_counts (start_date, type, status, n)
    SELECT start_date, type, status, COUNT(*) FROM added GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (start_date, type, status) DO UPDATE SET n = activity_counts.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION activity_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_counts (start_date, type, status, n)
    SELECT start_date, type, status, -COUNT(*) FROM removed GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (start_date, type, status) DO UPDATE SET n = activity_counts.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION activity_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_counts (start_date, type, status, n)
    SELECT d, t, s, SUM(k) FROM (VALUES (OLD.start_date, OLD.type, OLD.status, -1), (NEW.start_date, NEW.type, NEW.status, 1)) v (d, t, s, k)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (start_date, type, status) DO UPDATE SET n = activity_counts.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE TRIGGER activities_counted_insert AFTER INSERT ON activities
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION activity_counts_added();
CREATE TRIGGER activities_counted_delete AFTER DELETE ON activities
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION activity_counts_removed();
CREATE TRIGGER activities_counted_update AFTER UPDATE ON activities FOR EACH ROW
    WHEN (OLD.start_date IS DISTINCT FROM NEW.start_date OR OLD.type IS DISTINCT FROM NEW.type OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION activity_counts_changed();
{{else}}
CREATE TABLE activity_counts (
    start_date TEXT NOT NULL,
    type       TEXT NOT NULL,
    status     TEXT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (start_date, type, status)
) WITHOUT ROWID;

CREATE TRIGGER activity_hosts_start AFTER INSERT ON activity_hosts WHEN NEW.starts_at IS NULL OR NEW.co_host IS NULL BEGIN
    UPDATE activity_hosts SET
        starts_at = (SELECT a.starts_at FROM activities a WHERE a.id = NEW.activity_id),
        co_host = CASE WHEN NEW.party_org_id = (SELECT a.party_org_id FROM activities a WHERE a.id = NEW.activity_id) THEN 0 ELSE 1 END
        WHERE activity_id = NEW.activity_id AND party_org_id = NEW.party_org_id;
END;
CREATE TRIGGER activities_hosts_moved AFTER UPDATE OF starts_at, party_org_id ON activities
    WHEN OLD.starts_at IS NOT NEW.starts_at OR OLD.party_org_id IS NOT NEW.party_org_id BEGIN
    UPDATE activity_hosts SET starts_at = NEW.starts_at, co_host = CASE WHEN party_org_id = NEW.party_org_id THEN 0 ELSE 1 END
        WHERE activity_id = NEW.id;
END;

CREATE TRIGGER activities_counted_insert AFTER INSERT ON activities BEGIN
    INSERT INTO activity_counts (start_date, type, status, n) VALUES (NEW.start_date, NEW.type, NEW.status, 1)
        ON CONFLICT (start_date, type, status) DO UPDATE SET n = activity_counts.n + 1;
END;
CREATE TRIGGER activities_counted_delete AFTER DELETE ON activities BEGIN
    INSERT INTO activity_counts (start_date, type, status, n) VALUES (OLD.start_date, OLD.type, OLD.status, -1)
        ON CONFLICT (start_date, type, status) DO UPDATE SET n = activity_counts.n - 1;
END;
CREATE TRIGGER activities_counted_update AFTER UPDATE OF start_date, type, status ON activities
    WHEN OLD.start_date IS NOT NEW.start_date OR OLD.type IS NOT NEW.type OR OLD.status IS NOT NEW.status BEGIN
    INSERT INTO activity_counts (start_date, type, status, n) VALUES (OLD.start_date, OLD.type, OLD.status, -1)
        ON CONFLICT (start_date, type, status) DO UPDATE SET n = activity_counts.n - 1;
    INSERT INTO activity_counts (start_date, type, status, n) VALUES (NEW.start_date, NEW.type, NEW.status, 1)
        ON CONFLICT (start_date, type, status) DO UPDATE SET n = activity_counts.n + 1;
END;
{{end}}

-- The counts of the activities already there.
INSERT INTO activity_counts (start_date, type, status, n)
SELECT start_date, type, status, COUNT(*) FROM activities GROUP BY start_date, type, status;
