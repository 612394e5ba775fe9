package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/lianxin/lianxin/internal/domain"
)

// ledgerMonthCols are ledger_months' mask columns, in the order of
// domain.Requirements.
var ledgerMonthCols = func() string {
	cols := make([]string, len(domain.Requirements))
	for i, r := range domain.Requirements {
		cols[i] = r.Code
	}
	return strings.Join(cols, ", ")
}()

// ledgerMonthsSelect computes the masks from held activities: for each
// requirement, the distinct month bits summed (the OR of the months).
var ledgerMonthsSelect = func() string {
	month := `(1 << (CAST(substr(a.start_date, 6, 2) AS INTEGER) - 1))`
	sums := make([]string, len(domain.Requirements))
	for i, r := range domain.Requirements {
		var types []string
		for _, t := range domain.ActivityTypes {
			if t.Counts == domain.Requirement(r.Code) {
				types = append(types, "'"+string(t.Code)+"'")
			}
		}
		sums[i] = `SUM(DISTINCT CASE WHEN a.type IN (` + strings.Join(types, ", ") + `) THEN ` + month + ` ELSE 0 END)`
	}
	return `SELECT h.party_org_id, CAST(substr(a.start_date, 1, 4) AS INTEGER), ` + strings.Join(sums, ", ") + `
		FROM activity_hosts h JOIN activities a ON a.id = h.activity_id WHERE a.status = 'held'`
}()

const ledgerMonthsGroup = ` GROUP BY h.party_org_id, CAST(substr(a.start_date, 1, 4) AS INTEGER)`

// LedgerMonthsFill is the statement that fills ledger_months from every
// held activity (migration 0009 and the bulk load).
func (d *Dialect) LedgerMonthsFill() string {
	return `(party_org_id, year, ` + ledgerMonthCols + `) ` + ledgerMonthsSelect + ledgerMonthsGroup
}

// ledgerKey is one org's year.
type ledgerKey struct {
	org  int64
	year int
}

// refreshLedgerMonths recomputes the masks of some orgs' years, in the
// transaction that changed their activities.
func (s *Store) refreshLedgerMonths(ctx context.Context, t *Tx, keys ...ledgerKey) error {
	seen := map[ledgerKey]bool{}
	for _, k := range keys {
		if seen[k] || k.org <= 0 || k.year < 2000 {
			continue
		}
		seen[k] = true
		if _, err := t.Exec(ctx, `DELETE FROM ledger_months WHERE year = ? AND party_org_id = ?`, k.year, k.org); err != nil {
			return err
		}
		_, err := t.Exec(ctx, `INSERT INTO ledger_months (party_org_id, year, `+ledgerMonthCols+`) `+ledgerMonthsSelect+
			` AND h.party_org_id = ? AND a.start_date >= ? AND a.start_date <= ?`+ledgerMonthsGroup,
			k.org, fmt.Sprintf("%04d-01-01", k.year), fmt.Sprintf("%04d-12-31", k.year))
		if err != nil {
			return err
		}
	}
	return nil
}

// ledgerKeys are the org-years an activity's state touches.
func ledgerKeys(in domain.ActivityInput) []ledgerKey {
	year := in.StartsAt.In(domain.Shanghai).Year()
	var out []ledgerKey
	for _, h := range in.Hosts() {
		out = append(out, ledgerKey{h, year})
	}
	return out
}
