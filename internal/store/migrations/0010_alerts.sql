-- 防瘫预警, 书记备案 and 换届 (issue 5): the rules' tuning, the alerts with
-- their history, secretary filings, terms, elections and requests to
-- postpone or advance an election.

-- A Party org's secretary and committee as filings and elections keep them.
-- secretary_vacant_since is set while the post is empty;
-- secretary_unfiled_since when the secretary changed without an approved
-- filing (an edit of the org's form or an import); postponed_to is the
-- deadline of an approved postponement of the current term.
ALTER TABLE party_orgs ADD COLUMN secretary_member_id BIGINT REFERENCES members(id);
ALTER TABLE party_orgs ADD COLUMN secretary_since TEXT;
ALTER TABLE party_orgs ADD COLUMN secretary_vacant_since TEXT;
ALTER TABLE party_orgs ADD COLUMN secretary_unfiled_since TEXT;
ALTER TABLE party_orgs ADD COLUMN committee_size INTEGER NOT NULL DEFAULT 0;
ALTER TABLE party_orgs ADD COLUMN postponed_to TEXT;

-- An org already without a secretary has been so since it was founded, as
-- far as the records know.
UPDATE party_orgs SET secretary_vacant_since = COALESCE(founded_on, substr(created_at, 1, 10))
    WHERE secretary_name = '' AND status = 'active';

-- The city's tuning of a rule; a rule without a row runs with its defaults.
CREATE TABLE alert_rules (
    code       TEXT PRIMARY KEY,
    enabled    INTEGER NOT NULL,
    params     TEXT NOT NULL, -- JSON object of the parameters
    updated_at TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id),
    version    INTEGER NOT NULL DEFAULT 1
);

-- One row per episode of a rule at a Party org: raised when the rule first
-- finds the condition, updated while it lasts, closed (never deleted) when
-- the cause is gone. subject tells apart several episodes of one rule at
-- one org (a filing: "filing:42"); '' otherwise. path and region_code are
-- the org's, copied for the scoped lists; owner_org_id is the superior
-- Party org that must act.
CREATE TABLE alerts (
    id             {{.ID}},
    rule           TEXT NOT NULL,
    party_org_id   BIGINT NOT NULL REFERENCES party_orgs(id),
    subject        TEXT NOT NULL DEFAULT '',
    path           {{.PathText}} NOT NULL,
    region_code    TEXT NOT NULL,
    owner_org_id   BIGINT REFERENCES party_orgs(id),
    level          TEXT NOT NULL CHECK (level IN ('yellow','orange','red')),
    since          TEXT NOT NULL,
    reason         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open','acknowledged','resolved','closed')),
    resolved_level TEXT NOT NULL DEFAULT '',
    assignee_id    BIGINT REFERENCES users(id),
    note           TEXT NOT NULL DEFAULT '',
    opened_on      TEXT NOT NULL,
    seen_on        TEXT NOT NULL,
    closed_on      TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX alerts_current ON alerts (rule, party_org_id, subject) WHERE status <> 'closed';
CREATE INDEX alerts_path ON alerts (path, status, rule, level);
CREATE INDEX alerts_org ON alerts (party_org_id, id);
CREATE INDEX alerts_assignee ON alerts (assignee_id, status);

-- What happened to an alert: raised, level changed, assigned, acknowledged,
-- resolved, reopened, closed. user_id is NULL for the engine.
CREATE TABLE alert_events (
    id       {{.ID}},
    alert_id BIGINT NOT NULL REFERENCES alerts(id),
    at       TEXT NOT NULL,
    on_date  TEXT NOT NULL,
    user_id  BIGINT REFERENCES users(id),
    username TEXT NOT NULL,
    action   TEXT NOT NULL,
    level    TEXT NOT NULL DEFAULT '',
    note     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_events_alert ON alert_events (alert_id, id);

-- One row per evaluation: when, at which date, what changed, how long it
-- took. The engine's single row lock is the newest run's: runs serialize.
CREATE TABLE alert_runs (
    id          {{.ID}},
    as_of       TEXT NOT NULL,
    cause       TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    raised      INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    closed      INTEGER NOT NULL,
    open_total  INTEGER NOT NULL,
    per_rule    TEXT NOT NULL -- JSON: rule → milliseconds and findings
);
CREATE TABLE alert_engine (
    id         INTEGER PRIMARY KEY,
    last_as_of TEXT NOT NULL DEFAULT ''
);
INSERT INTO alert_engine (id, last_as_of) VALUES (1, '');

-- 书记就任/离任备案: filed by the org, approved or returned by its superior.
-- member_id is the new secretary (appointment) or the one leaving
-- (departure; NULL when the old secretary was recorded only by name).
CREATE TABLE secretary_filings (
    id             {{.ID}},
    party_org_id   BIGINT NOT NULL REFERENCES party_orgs(id),
    kind           TEXT NOT NULL CHECK (kind IN ('appointment','departure')),
    member_id      BIGINT REFERENCES members(id),
    person_name    TEXT NOT NULL,
    effective_on   TEXT NOT NULL,
    method         TEXT NOT NULL DEFAULT '',
    meeting_on     TEXT,
    meeting_record TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT '',
    reason_note    TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('pending','approved','returned','withdrawn')),
    submitted_at   TEXT NOT NULL,
    submitted_by   BIGINT REFERENCES users(id),
    decided_at     TEXT,
    decided_by     BIGINT REFERENCES users(id),
    decision_note  TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX secretary_filings_org ON secretary_filings (party_org_id, id);
CREATE INDEX secretary_filings_status ON secretary_filings (status, submitted_at);

-- Elections (换届选举) and the terms they start. committee is a JSON array
-- of {member_id, name, post}.
CREATE TABLE elections (
    id                  {{.ID}},
    party_org_id        BIGINT NOT NULL REFERENCES party_orgs(id),
    held_on             TEXT NOT NULL,
    method              TEXT NOT NULL,
    expected_voters     INTEGER NOT NULL,
    present_voters      INTEGER NOT NULL,
    committee           TEXT NOT NULL DEFAULT '[]',
    secretary_member_id BIGINT REFERENCES members(id),
    notes               TEXT NOT NULL DEFAULT '',
    created_by          BIGINT REFERENCES users(id),
    created_at          TEXT NOT NULL
);
CREATE INDEX elections_org ON elections (party_org_id, held_on);

CREATE TABLE party_org_terms (
    id           {{.ID}},
    party_org_id BIGINT NOT NULL REFERENCES party_orgs(id),
    start_on     TEXT NOT NULL,
    years        INTEGER NOT NULL,
    end_on       TEXT NOT NULL,
    election_id  BIGINT REFERENCES elections(id),
    ended_on     TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX party_org_terms_org ON party_org_terms (party_org_id, start_on);

-- A request to postpone (new_date: the new deadline) or advance (new_date:
-- the planned election) the 换届 of the current term; beyond one year it
-- needs the requester's explicit confirmation (over_limit).
CREATE TABLE term_changes (
    id            {{.ID}},
    party_org_id  BIGINT NOT NULL REFERENCES party_orgs(id),
    term_id       BIGINT REFERENCES party_org_terms(id),
    kind          TEXT NOT NULL CHECK (kind IN ('postpone','advance')),
    new_date      TEXT NOT NULL,
    reason        TEXT NOT NULL,
    over_limit    INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL CHECK (status IN ('pending','approved','returned','withdrawn')),
    submitted_at  TEXT NOT NULL,
    submitted_by  BIGINT REFERENCES users(id),
    decided_at    TEXT,
    decided_by    BIGINT REFERENCES users(id),
    decision_note TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX term_changes_org ON term_changes (party_org_id, id);
CREATE INDEX term_changes_status ON term_changes (status, submitted_at);
