-- The activity lists and the calendar at city scale (issue 13).
--
-- An activity is in a caller's scope when one of its hosts is. A district's
-- list (its ≈1,100 Party orgs, ≈50,000 activities a year) used to test that
-- for every activity of the city, then sort; now it reads the hosts of the
-- scope's Party orgs in start order from one index, and never visits an
-- activity outside the page. activity_hosts.starts_at is a copy of the
-- activity's start, kept by triggers whoever writes (the activity's store,
-- the bulk loader, the capabilities to come): a host written without it
-- takes the activity's, and moving an activity moves its hosts.
ALTER TABLE activity_hosts ADD COLUMN starts_at TEXT;
UPDATE activity_hosts SET starts_at = (SELECT a.starts_at FROM activities a WHERE a.id = activity_hosts.activity_id);
CREATE INDEX activity_hosts_org_start ON activity_hosts (party_org_id, starts_at, activity_id);
{{if .Postgres}}
CREATE FUNCTION activity_hosts_start() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT a.starts_at INTO NEW.starts_at FROM activities a WHERE a.id = NEW.activity_id;
    RETURN NEW;
END $$;
-- The WHEN clause costs no call when the writer gave the start (the loader).
CREATE TRIGGER activity_hosts_start BEFORE INSERT ON activity_hosts FOR EACH ROW
    WHEN (NEW.starts_at IS NULL) EXECUTE FUNCTION activity_hosts_start();
CREATE FUNCTION activities_start_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE activity_hosts SET starts_at = NEW.starts_at WHERE activity_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER activities_start_moved AFTER UPDATE ON activities FOR EACH ROW
    WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at) EXECUTE FUNCTION activities_start_moved();
{{else}}
CREATE TRIGGER activity_hosts_start AFTER INSERT ON activity_hosts WHEN NEW.starts_at IS NULL BEGIN
    UPDATE activity_hosts SET starts_at = (SELECT a.starts_at FROM activities a WHERE a.id = NEW.activity_id)
        WHERE activity_id = NEW.activity_id AND party_org_id = NEW.party_org_id;
END;
CREATE TRIGGER activities_start_moved AFTER UPDATE OF starts_at ON activities WHEN OLD.starts_at IS NOT NEW.starts_at BEGIN
    UPDATE activity_hosts SET starts_at = NEW.starts_at WHERE activity_id = NEW.id;
END;
{{end}}
