-- 两个覆盖 materialized (issue 3, 动态清零): each organization's coverage
-- state as computed by domain.Coverage and whether the campaign targets it,
-- kept true by every writer of its inputs and recomputed daily (states move
-- with dates, e.g. an assignment ending). The columns live on organizations
-- so that the city-wide figures are one scan of one table under the scope.
-- cov_on is the day (Asia/Shanghai) the row was computed.

ALTER TABLE organizations ADD COLUMN cov_state TEXT NOT NULL DEFAULT 'uncovered';
ALTER TABLE organizations ADD COLUMN cov_by TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN cov_since TEXT;
ALTER TABLE organizations ADD COLUMN cov_in_scope INTEGER NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN cov_on TEXT;
-- The figures are GROUP BYs over these columns: with the grouping key
-- first and the two coverage columns after it, each is a scan of a covering
-- index in group order (no sort of 200,000 rows). The first also serves the
-- uncovered list (in scope, uncovered, longest first). The region and zone
-- indexes replace the single-column ones of 0002, their prefixes.
CREATE INDEX organizations_coverage ON organizations (cov_in_scope, cov_state, cov_since);
CREATE INDEX organizations_region_cov ON organizations (region_code, cov_in_scope, cov_state);
CREATE INDEX organizations_zone_cov ON organizations (zone_id, cov_in_scope, cov_state);
CREATE INDEX organizations_industry_cov ON organizations (industry, cov_in_scope, cov_state);
CREATE INDEX organizations_chain_cov ON organizations (chain, cov_in_scope, cov_state);
DROP INDEX organizations_region;
DROP INDEX organizations_zone;
-- Members in good standing are counted from the index alone; those held by
-- dissolved Party orgs or by none are index lookups.
CREATE INDEX members_standing ON members (standing, party_org_id);

-- One row a day per snapshot node (the city's root and each district-level
-- Party org): the tallies of the organizations in that node's scope, totals
-- and in-scope side by side. Written by the daily job; rewriting a day
-- replaces it (idempotent).
CREATE TABLE coverage_snapshots (
    day              TEXT NOT NULL,
    party_org_id     BIGINT NOT NULL REFERENCES party_orgs(id),
    region_code      TEXT NOT NULL,
    total            INTEGER NOT NULL,
    org_covered      INTEGER NOT NULL,
    work_covered     INTEGER NOT NULL,
    uncovered        INTEGER NOT NULL,
    in_total         INTEGER NOT NULL,
    in_org_covered   INTEGER NOT NULL,
    in_work_covered  INTEGER NOT NULL,
    in_uncovered     INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (party_org_id, day)
);
