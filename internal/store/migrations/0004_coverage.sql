-- 两个覆盖 (issue 3): which grassroots Party orgs cover which organizations
-- (one for a 单独组建 branch, several for a 联合党支部), and the instructors
-- or liaisons assigned to organizations (work coverage; a minimal record
-- until instructors become a capability of their own).

CREATE TABLE party_org_covers (
    party_org_id    BIGINT NOT NULL REFERENCES party_orgs(id),
    organization_id BIGINT NOT NULL REFERENCES organizations(id),
    since           TEXT,
    PRIMARY KEY (party_org_id, organization_id)
);
CREATE INDEX party_org_covers_organization ON party_org_covers (organization_id);

CREATE TABLE coverage_assignments (
    id              {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations(id),
    person          TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('instructor','liaison')),
    from_on         TEXT NOT NULL,
    to_on           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX coverage_assignments_organization ON coverage_assignments (organization_id);
