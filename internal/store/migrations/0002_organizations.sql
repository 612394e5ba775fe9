-- The registry of 两新组织 (issue 3, first part). Flags are stored as
-- ",code,code," so that one flag is a LIKE on both engines.

CREATE TABLE organizations (
    id                           {{.ID}},
    uscc                         TEXT NOT NULL UNIQUE,
    kind                         TEXT NOT NULL,
    subtype                      TEXT NOT NULL DEFAULT '',
    name                         TEXT NOT NULL,
    legal_representative         TEXT NOT NULL DEFAULT '',
    founder_name                 TEXT NOT NULL DEFAULT '',
    founder_is_member            INTEGER NOT NULL DEFAULT 0,
    registered_on                TEXT,
    status                       TEXT NOT NULL,
    address                      TEXT NOT NULL DEFAULT '',
    region_code                  TEXT NOT NULL REFERENCES regions(code),
    longitude                    {{.Float}},
    latitude                     {{.Float}},
    zone_id                      BIGINT REFERENCES zones(id),
    industry                     TEXT NOT NULL,
    chain                        TEXT NOT NULL DEFAULT '',
    employees                    INTEGER,
    employee_band                TEXT NOT NULL DEFAULT '',
    revenue_band                 TEXT NOT NULL DEFAULT '',
    flags                        TEXT NOT NULL DEFAULT '',
    charter_includes_party       INTEGER NOT NULL DEFAULT 0,
    charter_includes_party_on    TEXT,
    cross_appointment            INTEGER NOT NULL DEFAULT 0,
    secretary_is_head            INTEGER NOT NULL DEFAULT 0,
    union_established            INTEGER NOT NULL DEFAULT 0,
    youth_league_established     INTEGER NOT NULL DEFAULT 0,
    women_federation_established INTEGER NOT NULL DEFAULT 0,
    area_manager_id              BIGINT NOT NULL REFERENCES party_orgs(id),
    industry_manager_id          BIGINT REFERENCES party_orgs(id),
    created_at                   TEXT NOT NULL,
    updated_at                   TEXT NOT NULL,
    version                      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX organizations_area_manager ON organizations (area_manager_id);
CREATE INDEX organizations_industry_manager ON organizations (industry_manager_id);
CREATE INDEX organizations_region ON organizations (region_code);
CREATE INDEX organizations_name ON organizations (name);
CREATE INDEX organizations_zone ON organizations (zone_id);
