package bench

import (
	"context"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/alerts"
)

// BenchmarkAlertsCity evaluates every alert rule over the whole city (issue
// 5: aim under 5 s on SQLite) and reports the slowest rule group, beside the
// baseline: the same facts read by one raw scan per table, with no rule
// applied. "run" adds recording the result (the daily job and after every
// import), one day later at each iteration.
func BenchmarkAlertsCity(b *testing.B) {
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			c := load(b, engine)
			ctx := context.Background()
			day := domain.DateOf(now)
			days := 0 // the run's day, across the rounds of b.N: a run never goes back in time
			if last, err := c.s.Alerts.LastAlertRun(ctx); err != nil {
				b.Fatal(err)
			} else if last != nil {
				// A kept city, or another engine reading the same one, ran before.
				at, _ := domain.ParseDate(string(last.AsOf))
				days = int(at.Sub(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)).Hours()/24) + 1
			}
			b.Run("evaluate", func(b *testing.B) {
				var ev *alerts.Evaluation
				timedAtLeast(b, 3, func(int) error {
					var err error
					ev, err = c.s.Alerts.Evaluate(ctx, c.whole, day)
					return err
				})
				slowest, ms := alert.RuleCode(""), 0.0
				for code, t := range ev.PerRule {
					if t.Millis > ms {
						slowest, ms = code, t.Millis
					}
				}
				b.ReportMetric(float64(len(ev.Findings)), "findings")
				b.ReportMetric(ms, "slowest-rule-ms")
				b.Logf("slowest rule group: %s %.0f ms; per rule: %v", slowest, ms, perRule(ev))
			})
			b.Run("run", func(b *testing.B) {
				// Day after day, as the daily job: the day counts in the
				// reasons change, so most alerts on record are updated.
				var sum alerts.RunSummary
				timedAtLeast(b, 3, func(int) error {
					at := now.AddDate(0, 0, days)
					days++
					var err error
					sum, err = c.s.Alerts.RunAlerts(ctx, store.System(at, "bench"), domain.DateOf(at), alerts.RunManual)
					return err
				})
				b.ReportMetric(float64(sum.OpenTotal), "open-alerts")
			})
			b.Run("raw", func(b *testing.B) {
				timedAtLeast(b, 3, func(int) error {
					rows := 0
					for _, q := range rawAlertScans {
						n, err := c.count(q)
						if err != nil {
							return err
						}
						rows += n
					}
					b.ReportMetric(float64(rows), "rows")
					return nil
				})
			})
		})
	}
}

func perRule(ev *alerts.Evaluation) map[alert.RuleCode]int {
	out := map[alert.RuleCode]int{}
	for code, t := range ev.PerRule {
		out[code] = int(t.Millis)
	}
	return out
}

// rawAlertScans read, table by table, the columns the rules look at.
var rawAlertScans = []string{
	`SELECT id, parent_id, path, region_code, type, status, secretary_name, secretary_vacant_since, secretary_unfiled_since, term_end, postponed_to, committee_size, founded_on FROM party_orgs`,
	`SELECT id, party_org_id, status, standing, name, joined_on FROM members`,
	`SELECT party_org_id, organization_id FROM party_org_covers`,
	`SELECT id, status, name, updated_at FROM organizations`,
	`SELECT activity_id, party_org_id FROM activity_hosts`,
	`SELECT id, type, status, start_date FROM activities`,
	`SELECT activity_id, member_id, member_org_id, kind, recognized, at FROM attendances`,
	`SELECT party_org_id, year, members_meeting, committee_meeting, group_meeting, party_lecture, theme_day, life_meeting, member_review FROM ledger_months`,
	`SELECT id, party_org_id, kind, status, submitted_at FROM secretary_filings`,
	`SELECT id, party_org_id, kind, status, submitted_at FROM term_changes`,
}

// count reads every row of a query, scanning each column.
func (c *city) count(q string) (int, error) {
	rows, err := c.raw.Query(q)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	for i := range vals {
		vals[i] = new(any)
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			return 0, err
		}
		n++
	}
	return n, rows.Err()
}
