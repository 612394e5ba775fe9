package registry

import (
	"context"

	"github.com/lianxin/lianxin/internal/store"
)

// The counts kept by the writers (migration 0018): organizations by
// (cov_in_scope, cov_state) and members by (Party org, standing, status),
// kept by triggers in the transaction of every write. On PostgreSQL a
// write appends its change as a row, so a count is a SUM over its rows;
// the full recomputation of coverage (daily, and when the campaign target
// changes) checks them against the tables and folds the rows.

// countedTables are the counts with their key columns and the statement
// counting the same from scratch.
var countedTables = []struct{ table, key, scratch string }{
	{"organization_counts", "cov_in_scope, cov_state",
		`SELECT cov_in_scope, cov_state, COUNT(*) AS n FROM organizations GROUP BY cov_in_scope, cov_state`},
	{"member_counts", "party_org_id, standing, status",
		`SELECT COALESCE(party_org_id, 0) AS party_org_id, standing, status, COUNT(*) AS n FROM members GROUP BY COALESCE(party_org_id, 0), standing, status`},
}

// ScratchCounts is the statement counting a counted table's rows from
// scratch, for tests comparing the kept counts with it.
func ScratchCounts(table string) (key, scratch string) {
	for _, c := range countedTables {
		if c.table == table {
			return c.key, c.scratch
		}
	}
	return "", ""
}

// rebuildCountsLock is the advisory lock key of RebuildCountsTx ("rc").
const rebuildCountsLock int64 = 0x7263 << 32

// RebuildCountsTx makes the kept counts equal to a count from scratch and
// leaves one row per key. On SQLite (one writer) it rewrites them. On
// PostgreSQL, where other transactions may be appending changes meanwhile,
// it adds the difference to the count from scratch in one statement (one
// snapshot: a concurrent write is either wholly in both or in neither),
// then folds exactly the rows it deletes into one per key; rows appended
// meanwhile stay, and are right.
//
// Rebuilds take turns (an advisory lock to the transaction's end): two
// running side by side would each add the same difference, each in its own
// snapshot, and so correct a drift twice.
func RebuildCountsTx(ctx context.Context, t *store.Tx) error {
	if err := t.AdvisoryLock(ctx, rebuildCountsLock); err != nil {
		return err
	}
	for _, c := range countedTables {
		stmts := []string{`DELETE FROM ` + c.table, `INSERT INTO ` + c.table + ` (` + c.key + `, n) ` + c.scratch}
		if t.D.Postgres() {
			stmts = []string{
				`INSERT INTO ` + c.table + ` (` + c.key + `, n) SELECT ` + c.key + `, SUM(n) FROM (` +
					c.scratch + ` UNION ALL SELECT ` + c.key + `, -n FROM ` + c.table + `) d GROUP BY ` + c.key + ` HAVING SUM(n) <> 0`,
				`WITH gone AS (DELETE FROM ` + c.table + ` RETURNING ` + c.key + `, n) INSERT INTO ` + c.table + ` (` + c.key + `, n)
				SELECT ` + c.key + `, SUM(n) FROM gone GROUP BY ` + c.key + ` HAVING SUM(n) <> 0`,
			}
		}
		for _, q := range stmts {
			if _, err := t.Exec(ctx, q); err != nil {
				return err
			}
		}
	}
	return nil
}

// recounting tells PostgreSQL's trigger on organizations, for the rest of
// the transaction, that the full recomputation will correct the counts
// itself (RebuildCountsTx), so that it need not record each change.
func recounting(ctx context.Context, t *store.Tx, on bool) error {
	if !t.D.Postgres() {
		return nil
	}
	v := "off"
	if on {
		v = "on"
	}
	_, err := t.Exec(ctx, `SELECT set_config('lianxin.recount', ?, true)`, v)
	return err
}
