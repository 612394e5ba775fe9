-- The key industry chains (重点产业链, issue 13) as reference data that staff
-- maintain: each linked to its 行业党委 (a Party org, optional). An
-- organization names its chain by code in organizations.chain (indexed with
-- its coverage since 0006); a chain is retired, never deleted, so that the
-- code keeps a meaning. The rows a deployment starts with are written by the
-- migration's Go step (store/chains_seed.go) from domain/chain.Seed, which
-- also turns the free-text chains written before into codes.
CREATE TABLE industry_chains (
    id           {{.ID}},
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL UNIQUE,
    sort         INTEGER NOT NULL DEFAULT 0,
    party_org_id BIGINT REFERENCES party_orgs(id),
    retired      INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX industry_chains_party_org ON industry_chains (party_org_id);
