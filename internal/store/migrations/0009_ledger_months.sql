-- The 三会一课 ledger's facts, kept current by every activity write: for
-- each Party org and year, a bit mask per requirement of the months in
-- which at least one held activity counted for it (bit 0 is January).
-- The city's ledger then reads one row per org instead of every held
-- activity of the year (about 900,000 at city scale).

CREATE TABLE ledger_months (
    party_org_id      BIGINT NOT NULL REFERENCES party_orgs(id),
    year              INTEGER NOT NULL,
    members_meeting   INTEGER NOT NULL DEFAULT 0,
    committee_meeting INTEGER NOT NULL DEFAULT 0,
    group_meeting     INTEGER NOT NULL DEFAULT 0,
    party_lecture     INTEGER NOT NULL DEFAULT 0,
    theme_day         INTEGER NOT NULL DEFAULT 0,
    life_meeting      INTEGER NOT NULL DEFAULT 0,
    member_review     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (year, party_org_id)
);

INSERT INTO ledger_months {{.LedgerMonthsFill}};
