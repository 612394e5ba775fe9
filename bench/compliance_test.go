package bench

import (
	"context"
	"testing"

	"github.com/lianxin/lianxin/internal/store/orglife"
)

// BenchmarkComplianceCity is the 三会一课 ledger of every branch of the city
// for one year (`GET /compliance/summary` as city staff; issue 4: at most
// 1 s), beside the raw read of the same held activities.
func BenchmarkComplianceCity(b *testing.B) {
	for _, engine := range engines() {
		b.Run(engine, func(b *testing.B) {
			c := load(b, engine)
			ctx := context.Background()
			var orgs, due int
			b.Run("store", func(b *testing.B) {
				timed(b, func(int) error {
					sum, err := c.s.Life.SummarizeCompliance(ctx, c.whole, orglife.ComplianceFilter{Year: 2026}, "region", now)
					orgs, due = sum.Total.Orgs, sum.Total.Due
					return err
				})
				b.ReportMetric(float64(orgs), "orgs")
				b.ReportMetric(float64(due), "periods-due")
			})
			b.Run("raw", func(b *testing.B) {
				timed(b, func(int) error {
					rows, err := c.raw.Query(c.bind(`SELECT h.party_org_id, a.type, a.start_date FROM activity_hosts h JOIN activities a ON a.id = h.activity_id
						WHERE a.status = 'held' AND a.start_date >= ? AND a.start_date <= ?`), "2026-01-01", "2026-12-31")
					if err != nil {
						return err
					}
					defer rows.Close()
					n := 0
					for rows.Next() {
						var id int64
						var typ, on string
						if err := rows.Scan(&id, &typ, &on); err != nil {
							return err
						}
						n++
					}
					b.ReportMetric(float64(n), "held-rows")
					return rows.Err()
				})
			})
		})
	}
}
