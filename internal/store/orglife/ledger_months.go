package orglife

import (
	"context"
	"fmt"

	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/domain"
)

// ledgerKey is one org's year.
type ledgerKey struct {
	org  int64
	year int
}

// refreshLedgerMonths recomputes the masks of some orgs' years, in the
// transaction that changed their activities.
func (s *Store) refreshLedgerMonths(ctx context.Context, t *store.Tx, keys ...ledgerKey) error {
	seen := map[ledgerKey]bool{}
	for _, k := range keys {
		if seen[k] || k.org <= 0 || k.year < 2000 {
			continue
		}
		seen[k] = true
		if _, err := t.Exec(ctx, `DELETE FROM ledger_months WHERE year = ? AND party_org_id = ?`, k.year, k.org); err != nil {
			return err
		}
		_, err := t.Exec(ctx, `INSERT INTO ledger_months (party_org_id, year, `+store.LedgerMonthCols+`) `+store.LedgerMonthsSelect+
			` AND h.party_org_id = ? AND a.start_date >= ? AND a.start_date <= ?`+store.LedgerMonthsGroup,
			k.org, fmt.Sprintf("%04d-01-01", k.year), fmt.Sprintf("%04d-12-31", k.year))
		if err != nil {
			return err
		}
	}
	return nil
}

// ledgerKeys are the org-years an activity's state touches.
func ledgerKeys(in activity.ActivityInput) []ledgerKey {
	year := in.StartsAt.In(domain.Shanghai).Year()
	var out []ledgerKey
	for _, h := range in.Hosts() {
		out = append(out, ledgerKey{h, year})
	}
	return out
}
