-- Party members (issue 3, second part). The ID number and the phone are
-- stored only encrypted (internal/pii), with HMAC blind indexes for exact
-- lookup and de-duplication, and a separate index of the ID number's last
-- four characters for search.

CREATE TABLE members (
    id              {{.ID}},
    name            TEXT NOT NULL,
    gender          TEXT NOT NULL,
    ethnicity       TEXT NOT NULL DEFAULT '',
    birth_date      TEXT,
    id_number_enc   {{.Blob}} NOT NULL,
    id_number_index {{.Blob}} NOT NULL UNIQUE,
    id_number_last4 {{.Blob}} NOT NULL,
    phone_enc       {{.Blob}},
    phone_index     {{.Blob}},
    education       TEXT NOT NULL DEFAULT '',
    joined_on       TEXT NOT NULL,
    full_member_on  TEXT,
    status          TEXT NOT NULL,
    standing        TEXT NOT NULL,
    standing_on     TEXT,
    party_org_id    BIGINT REFERENCES party_orgs(id),
    employer_id     BIGINT REFERENCES organizations(id),
    job             TEXT NOT NULL DEFAULT '',
    post            TEXT NOT NULL DEFAULT '',
    key_post        INTEGER NOT NULL DEFAULT 0,
    mobile          INTEGER NOT NULL DEFAULT 0,
    mobile_place    TEXT NOT NULL DEFAULT '',
    gig_type        TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX members_party_org ON members (party_org_id);
CREATE INDEX members_employer ON members (employer_id);
CREATE INDEX members_name ON members (name);
CREATE INDEX members_last4 ON members (id_number_last4);
CREATE INDEX members_phone ON members (phone_index);
