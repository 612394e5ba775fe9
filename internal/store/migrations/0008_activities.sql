-- Organizational life (issue 4): activities, their hosting Party orgs,
-- attendances, attachments, the city's monthly themes, and members' own
-- accounts with their activation codes.

CREATE TABLE monthly_themes (
    id          {{.ID}},
    month       TEXT NOT NULL UNIQUE, -- YYYY-MM
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- starts_at and ends_at are UTC RFC 3339 texts (they sort as times);
-- start_date is the start's date in the city's time zone, which the ledger
-- counts by.
CREATE TABLE activities (
    id               {{.ID}},
    party_org_id     BIGINT NOT NULL REFERENCES party_orgs(id),
    type             TEXT NOT NULL,
    title            TEXT NOT NULL,
    theme            TEXT NOT NULL DEFAULT '',
    monthly_theme_id BIGINT REFERENCES monthly_themes(id),
    starts_at        TEXT NOT NULL,
    ends_at          TEXT NOT NULL,
    start_date       TEXT NOT NULL,
    address          TEXT NOT NULL DEFAULT '',
    latitude         {{.Float}},
    longitude        {{.Float}},
    open             INTEGER NOT NULL DEFAULT 0,
    capacity         INTEGER NOT NULL DEFAULT 0,
    agenda           TEXT NOT NULL DEFAULT '',
    minutes          TEXT NOT NULL DEFAULT '',
    resolutions      TEXT NOT NULL DEFAULT '',
    question         TEXT NOT NULL DEFAULT '',
    decision         TEXT NOT NULL DEFAULT '',
    outcome          TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('planned','held','cancelled')),
    cancel_reason    TEXT NOT NULL DEFAULT '',
    created_by       BIGINT REFERENCES users(id),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX activities_org_start ON activities (party_org_id, starts_at);
CREATE INDEX activities_start ON activities (starts_at);
CREATE INDEX activities_open ON activities (open, ends_at);

-- Every hosting Party org, the main one included, so that "the activities
-- of this org" and the ledger read one table whatever the type.
CREATE TABLE activity_hosts (
    activity_id  BIGINT NOT NULL REFERENCES activities(id),
    party_org_id BIGINT NOT NULL REFERENCES party_orgs(id),
    PRIMARY KEY (activity_id, party_org_id)
);
CREATE INDEX activity_hosts_org ON activity_hosts (party_org_id, activity_id);

-- One row per member and activity: a repeated check-in finds it. The
-- member's Party org is kept as it was at the time, so that a recognized
-- attendance (活动互认) counts for the org the member then belonged to.
CREATE TABLE attendances (
    id            {{.ID}},
    activity_id   BIGINT NOT NULL REFERENCES activities(id),
    member_id     BIGINT NOT NULL REFERENCES members(id),
    member_org_id BIGINT REFERENCES party_orgs(id),
    kind          TEXT NOT NULL CHECK (kind IN ('present','leave','absent')),
    reason        TEXT NOT NULL DEFAULT '',
    recognized    INTEGER NOT NULL DEFAULT 0,
    method        TEXT NOT NULL DEFAULT '',
    at            TEXT NOT NULL,
    recorded_by   BIGINT REFERENCES users(id),
    UNIQUE (activity_id, member_id)
);
CREATE INDEX attendances_member ON attendances (member_id, at);

-- Photos and documents; the bytes live under <data>/attachments/.
CREATE TABLE activity_attachments (
    id           {{.ID}},
    activity_id  BIGINT NOT NULL REFERENCES activities(id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    stored_name  TEXT NOT NULL UNIQUE,
    uploaded_by  BIGINT REFERENCES users(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX activity_attachments_activity ON activity_attachments (activity_id);

-- The number of 党小组 a branch has set up: 党小组会 are required only
-- where there are groups.
ALTER TABLE party_orgs ADD COLUMN party_groups INTEGER NOT NULL DEFAULT 0;

-- A member's own account is a user with the member role linked here. Its
-- username is internal ("m" and the member id): members log in with their
-- phone number or ID number, found through the blind indexes, so no phone
-- is ever stored in plain text as a username.
ALTER TABLE users ADD COLUMN member_id BIGINT REFERENCES members(id);
CREATE UNIQUE INDEX users_member ON users (member_id);

-- The code a member's first login needs: issued by the org's staff, kept
-- only as a hash, valid for a few days, used once.
CREATE TABLE member_activations (
    member_id  BIGINT PRIMARY KEY REFERENCES members(id),
    code_hash  TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    issued_by  BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
);
