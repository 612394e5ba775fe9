-- Substring search on organization names at city scale (issue 13: "成都"
-- among 200,000 names took 0.28–0.35 s, a scan of every name).
--
-- Neither engine's trigram index serves Chinese names: SQLite FTS5's
-- trigram tokenizer cannot look up a string shorter than three characters
-- (and most Chinese searches are two: 成都, 锦江, 物流), and pg_trgm finds
-- no trigram at all in CJK text under the C locale (show_trgm('成都市锦江区')
-- is empty), besides needing CREATE EXTENSION. So each name is indexed by
-- its bigrams here, on both engines, with nothing to install: every pair of
-- adjacent characters and the last character alone (so that every
-- character begins some gram: a one-character search is a range of grams),
-- ASCII letters lowered as LIKE and ILIKE compare them. A search of two
-- characters is one gram exactly; a longer one starts from its rarest gram
-- and checks the name (store/registry/name_search.go). Each gram row
-- carries its name, so that the whole city's matches of a common word are
-- walked in name order and counted in the index alone (a list that walked
-- the names themselves passed every 四川… name before the first 成都…).
--
-- The grams are kept by triggers in the transaction of every write of a
-- name, whoever writes (the registry, imports, the bulk loader).
CREATE TABLE organization_name_grams (
    gram            TEXT{{if .Postgres}} COLLATE "C"{{end}} NOT NULL,
    name            TEXT NOT NULL,
    organization_id BIGINT NOT NULL,
    PRIMARY KEY (gram, name, organization_id)
){{if not .Postgres}} WITHOUT ROWID{{end}};

{{if .Postgres}}
-- lower() under COLLATE "C" lowers ASCII letters only, whatever the
-- database's locale: the same grams as SQLite's lower().
CREATE FUNCTION organization_grams_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO organization_name_grams (gram, name, organization_id)
    SELECT DISTINCT substr(lower(a.name COLLATE "C"), i, 2), a.name, a.id FROM added a, generate_series(1, char_length(a.name)) i
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE FUNCTION organization_grams_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM organization_name_grams g USING removed r, generate_series(1, char_length(r.name)) i
    WHERE g.gram = substr(lower(r.name COLLATE "C"), i, 2) AND g.name = r.name AND g.organization_id = r.id;
    RETURN NULL;
END $$;
CREATE FUNCTION organization_grams_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM organization_name_grams g USING generate_series(1, char_length(OLD.name)) i
    WHERE g.gram = substr(lower(OLD.name COLLATE "C"), i, 2) AND g.name = OLD.name AND g.organization_id = OLD.id;
    INSERT INTO organization_name_grams (gram, name, organization_id)
    SELECT DISTINCT substr(lower(NEW.name COLLATE "C"), i, 2), NEW.name, NEW.id FROM generate_series(1, char_length(NEW.name)) i
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER organizations_grams_insert AFTER INSERT ON organizations
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION organization_grams_added();
CREATE TRIGGER organizations_grams_delete AFTER DELETE ON organizations
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION organization_grams_removed();
CREATE TRIGGER organizations_grams_update AFTER UPDATE ON organizations FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION organization_grams_renamed();

INSERT INTO organization_name_grams (gram, name, organization_id)
SELECT DISTINCT substr(lower(o.name COLLATE "C"), i, 2), o.name, o.id FROM organizations o, generate_series(1, char_length(o.name)) i;
{{else}}
-- SQLite's triggers cannot count with a recursive query: the positions of
-- a name's characters come from this table (names are at most 100
-- characters; any text at most domain.MaxLineRunes).
CREATE TABLE name_gram_positions (n INTEGER PRIMARY KEY);
WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1000)
INSERT INTO name_gram_positions (n) SELECT n FROM c;

CREATE TRIGGER organizations_grams_insert AFTER INSERT ON organizations BEGIN
    INSERT OR IGNORE INTO organization_name_grams (gram, name, organization_id)
    SELECT substr(lower(NEW.name), k.n, 2), NEW.name, NEW.id FROM name_gram_positions k WHERE k.n <= length(NEW.name);
END;
CREATE TRIGGER organizations_grams_delete AFTER DELETE ON organizations BEGIN
    DELETE FROM organization_name_grams WHERE name = OLD.name AND organization_id = OLD.id
        AND gram IN (SELECT substr(lower(OLD.name), k.n, 2) FROM name_gram_positions k WHERE k.n <= length(OLD.name));
END;
CREATE TRIGGER organizations_grams_update AFTER UPDATE OF name ON organizations WHEN OLD.name IS NOT NEW.name BEGIN
    DELETE FROM organization_name_grams WHERE name = OLD.name AND organization_id = OLD.id
        AND gram IN (SELECT substr(lower(OLD.name), k.n, 2) FROM name_gram_positions k WHERE k.n <= length(OLD.name));
    INSERT OR IGNORE INTO organization_name_grams (gram, name, organization_id)
    SELECT substr(lower(NEW.name), k.n, 2), NEW.name, NEW.id FROM name_gram_positions k WHERE k.n <= length(NEW.name);
END;

INSERT OR IGNORE INTO organization_name_grams (gram, name, organization_id)
SELECT substr(lower(o.name), k.n, 2), o.name, o.id FROM organizations o JOIN name_gram_positions k ON k.n <= length(o.name);
{{end}}

-- The to-do list (待办) counts the alerts a Party org's staff must handle:
-- those it owns (its direct subordinates') besides its own and those
-- assigned to the account, each an indexed lookup.
CREATE INDEX alerts_owner ON alerts (owner_org_id, status);
