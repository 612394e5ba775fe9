package store

import (
	"strings"

	"github.com/lianxin/lianxin/internal/domain/activity"
)

// The ledger_months statements live in the core because migration 0009
// fills the table through the dialect (see migrations); orglife keeps it.

// LedgerMonthCols are ledger_months' mask columns, in the order of
// activity.Requirements.
var LedgerMonthCols = func() string {
	cols := make([]string, len(activity.Requirements))
	for i, r := range activity.Requirements {
		cols[i] = r.Code
	}
	return strings.Join(cols, ", ")
}()

// LedgerMonthsSelect computes the masks from held activities: for each
// requirement, the distinct month bits summed (the OR of the months).
var LedgerMonthsSelect = func() string {
	month := `(1 << (CAST(substr(a.start_date, 6, 2) AS INTEGER) - 1))`
	sums := make([]string, len(activity.Requirements))
	for i, r := range activity.Requirements {
		var types []string
		for _, t := range activity.ActivityTypes {
			if t.Counts == activity.Requirement(r.Code) {
				types = append(types, "'"+string(t.Code)+"'")
			}
		}
		sums[i] = `SUM(DISTINCT CASE WHEN a.type IN (` + strings.Join(types, ", ") + `) THEN ` + month + ` ELSE 0 END)`
	}
	return `SELECT h.party_org_id, CAST(substr(a.start_date, 1, 4) AS INTEGER), ` + strings.Join(sums, ", ") + `
		FROM activity_hosts h JOIN activities a ON a.id = h.activity_id WHERE a.status = 'held'`
}()

const LedgerMonthsGroup = ` GROUP BY h.party_org_id, CAST(substr(a.start_date, 1, 4) AS INTEGER)`

// LedgerMonthsFill is the statement that fills ledger_months from every
// held activity (migration 0009 and the bulk load).
func (d *Dialect) LedgerMonthsFill() string {
	return `(party_org_id, year, ` + LedgerMonthCols + `) ` + LedgerMonthsSelect + LedgerMonthsGroup
}
