-- Counts kept by the writers (issue 12): the city's coverage figures and the
-- alert engine's member counts read a few thousand rows of counts instead
-- of scanning 200,000 organizations and 300,000 members.
--
-- organization_counts: organizations by (cov_in_scope, cov_state).
-- member_counts: members by the Party org holding them (0: none), standing
-- and status.
--
-- Triggers keep them in the transaction of every write of the counted
-- columns, whoever writes (the registry, imports, the bulk loader, and the
-- capabilities to come). On SQLite (one writer) a count is one row updated
-- in place. On PostgreSQL a write appends its change as a row (+n, -n): no
-- row is shared by concurrent writers, so none waits for another or
-- deadlocks on a count; a reader sums, and the daily recomputation folds the
-- rows (store/registry/coverage_counts.go).
{{if .Postgres}}
CREATE TABLE organization_counts (
    cov_in_scope INTEGER NOT NULL,
    cov_state    TEXT NOT NULL,
    n            BIGINT NOT NULL
);
CREATE TABLE member_counts (
    party_org_id BIGINT NOT NULL,
    standing     TEXT NOT NULL,
    status       TEXT NOT NULL,
    n            BIGINT NOT NULL
);
CREATE INDEX member_counts_org ON member_counts (party_org_id, standing, status, n);

-- Inserts and deletes come many rows a statement (imports, the bulk
-- loader): one aggregated change per statement, from its transition table.
CREATE FUNCTION organization_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO organization_counts (cov_in_scope, cov_state, n)
    SELECT cov_in_scope, cov_state, COUNT(*) FROM added GROUP BY cov_in_scope, cov_state;
    RETURN NULL;
END $$;
CREATE FUNCTION organization_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO organization_counts (cov_in_scope, cov_state, n)
    SELECT cov_in_scope, cov_state, -COUNT(*) FROM removed GROUP BY cov_in_scope, cov_state;
    RETURN NULL;
END $$;
-- An update is counted only when it changes a counted column (the WHEN
-- clause costs no call otherwise: the daily stamp of every row is free),
-- and not inside the full recomputation of coverage, which sets
-- lianxin.recount in its transaction and then corrects the counts itself
-- (every organization may change then: 200,000 calls saved).
CREATE FUNCTION organization_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO organization_counts (cov_in_scope, cov_state, n)
    VALUES (OLD.cov_in_scope, OLD.cov_state, -1), (NEW.cov_in_scope, NEW.cov_state, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER organizations_counted_insert AFTER INSERT ON organizations
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION organization_counts_added();
CREATE TRIGGER organizations_counted_delete AFTER DELETE ON organizations
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION organization_counts_removed();
CREATE TRIGGER organizations_counted_update AFTER UPDATE ON organizations FOR EACH ROW
    WHEN ((OLD.cov_in_scope IS DISTINCT FROM NEW.cov_in_scope OR OLD.cov_state IS DISTINCT FROM NEW.cov_state)
        AND current_setting('lianxin.recount', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION organization_counts_changed();

CREATE FUNCTION member_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_counts (party_org_id, standing, status, n)
    SELECT COALESCE(party_org_id, 0), standing, status, COUNT(*) FROM added GROUP BY 1, 2, 3;
    RETURN NULL;
END $$;
CREATE FUNCTION member_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_counts (party_org_id, standing, status, n)
    SELECT COALESCE(party_org_id, 0), standing, status, -COUNT(*) FROM removed GROUP BY 1, 2, 3;
    RETURN NULL;
END $$;
CREATE FUNCTION member_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO member_counts (party_org_id, standing, status, n)
    VALUES (COALESCE(OLD.party_org_id, 0), OLD.standing, OLD.status, -1), (COALESCE(NEW.party_org_id, 0), NEW.standing, NEW.status, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER members_counted_insert AFTER INSERT ON members
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION member_counts_added();
CREATE TRIGGER members_counted_delete AFTER DELETE ON members
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION member_counts_removed();
CREATE TRIGGER members_counted_update AFTER UPDATE ON members FOR EACH ROW
    WHEN (OLD.party_org_id IS DISTINCT FROM NEW.party_org_id OR OLD.standing IS DISTINCT FROM NEW.standing OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION member_counts_changed();
{{else}}
CREATE TABLE organization_counts (
    cov_in_scope INTEGER NOT NULL,
    cov_state    TEXT NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (cov_in_scope, cov_state)
) WITHOUT ROWID;
CREATE TABLE member_counts (
    party_org_id BIGINT NOT NULL,
    standing     TEXT NOT NULL,
    status       TEXT NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (party_org_id, standing, status)
) WITHOUT ROWID;

CREATE TRIGGER organizations_counted_insert AFTER INSERT ON organizations BEGIN
    INSERT INTO organization_counts (cov_in_scope, cov_state, n) VALUES (NEW.cov_in_scope, NEW.cov_state, 1)
        ON CONFLICT (cov_in_scope, cov_state) DO UPDATE SET n = organization_counts.n + 1;
END;
CREATE TRIGGER organizations_counted_delete AFTER DELETE ON organizations BEGIN
    INSERT INTO organization_counts (cov_in_scope, cov_state, n) VALUES (OLD.cov_in_scope, OLD.cov_state, -1)
        ON CONFLICT (cov_in_scope, cov_state) DO UPDATE SET n = organization_counts.n - 1;
END;
CREATE TRIGGER organizations_counted_update AFTER UPDATE OF cov_in_scope, cov_state ON organizations
    WHEN OLD.cov_in_scope IS NOT NEW.cov_in_scope OR OLD.cov_state IS NOT NEW.cov_state BEGIN
    INSERT INTO organization_counts (cov_in_scope, cov_state, n) VALUES (OLD.cov_in_scope, OLD.cov_state, -1)
        ON CONFLICT (cov_in_scope, cov_state) DO UPDATE SET n = organization_counts.n - 1;
    INSERT INTO organization_counts (cov_in_scope, cov_state, n) VALUES (NEW.cov_in_scope, NEW.cov_state, 1)
        ON CONFLICT (cov_in_scope, cov_state) DO UPDATE SET n = organization_counts.n + 1;
END;

CREATE TRIGGER members_counted_insert AFTER INSERT ON members BEGIN
    INSERT INTO member_counts (party_org_id, standing, status, n) VALUES (COALESCE(NEW.party_org_id, 0), NEW.standing, NEW.status, 1)
        ON CONFLICT (party_org_id, standing, status) DO UPDATE SET n = member_counts.n + 1;
END;
CREATE TRIGGER members_counted_delete AFTER DELETE ON members BEGIN
    INSERT INTO member_counts (party_org_id, standing, status, n) VALUES (COALESCE(OLD.party_org_id, 0), OLD.standing, OLD.status, -1)
        ON CONFLICT (party_org_id, standing, status) DO UPDATE SET n = member_counts.n - 1;
END;
CREATE TRIGGER members_counted_update AFTER UPDATE OF party_org_id, standing, status ON members
    WHEN OLD.party_org_id IS NOT NEW.party_org_id OR OLD.standing IS NOT NEW.standing OR OLD.status IS NOT NEW.status BEGIN
    INSERT INTO member_counts (party_org_id, standing, status, n) VALUES (COALESCE(OLD.party_org_id, 0), OLD.standing, OLD.status, -1)
        ON CONFLICT (party_org_id, standing, status) DO UPDATE SET n = member_counts.n - 1;
    INSERT INTO member_counts (party_org_id, standing, status, n) VALUES (COALESCE(NEW.party_org_id, 0), NEW.standing, NEW.status, 1)
        ON CONFLICT (party_org_id, standing, status) DO UPDATE SET n = member_counts.n + 1;
END;
{{end}}

-- The counts of the data already there.
INSERT INTO organization_counts (cov_in_scope, cov_state, n)
SELECT cov_in_scope, cov_state, COUNT(*) FROM organizations GROUP BY cov_in_scope, cov_state;
INSERT INTO member_counts (party_org_id, standing, status, n)
SELECT COALESCE(party_org_id, 0), standing, status, COUNT(*) FROM members GROUP BY COALESCE(party_org_id, 0), standing, status;

-- The alert engine's reads at city scale, from indexes alone:
-- members in good standing by Party org with the status and joining date
-- the member_inactive rule selects on (the former index's prefix, so it
-- serves the coverage counts of a narrower scope as before); the
-- attendances that are not a host member's presence with what the
-- low_attendance rule reads of them; and, on PostgreSQL, whose indexes do
-- not carry the row id as SQLite's do, the held activities of a window
-- with their ids.
DROP INDEX members_standing;
CREATE INDEX members_standing ON members (standing, party_org_id, status, joined_on);
DROP INDEX attendances_exceptions;
CREATE INDEX attendances_exceptions ON attendances (activity_id, kind, recognized, member_org_id) WHERE kind <> 'present' OR recognized = 1;
{{if .Postgres}}
DROP INDEX activities_held;
CREATE INDEX activities_held ON activities (status, start_date, type, id);
{{end}}
