package bench

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/orgflags"
)

// flagCountsRaw is the statement OrgFlags.Counts runs for the whole city by
// region: one GROUP BY with one SUM per mark, written out.
func flagCountsRaw() string {
	cols := []string{"region_code", "COUNT(*)", "SUM(CASE WHEN cov_state = 'org_covered' THEN 1 ELSE 0 END)"}
	for _, m := range domain.OrgMarks {
		if domain.PartyBuildingFlags.Has(m.Code) {
			cols = append(cols, "SUM("+m.Code+")")
		} else {
			cols = append(cols, "SUM(CASE WHEN flags LIKE '%,"+m.Code+",%' THEN 1 ELSE 0 END)")
		}
	}
	return `SELECT ` + strings.Join(cols, ", ") + ` FROM organizations WHERE status IN ('active', 'suspended', 'abnormal') GROUP BY region_code`
}

// BenchmarkOrgFlagCounts measures 党建情况统计 (GET /organizations/flag-counts)
// for the whole city by district and for 锦江区 by chain, and the chains'
// page (GET /industry-chains) for both, beside the raw statement.
func BenchmarkOrgFlagCounts(b *testing.B) {
	ctx := context.Background()
	for _, eng := range engines() {
		b.Run(eng+"/city-by-region", func(b *testing.B) {
			c := load(b, eng)
			timed(b, func(int) error {
				fc, err := c.s.OrgFlags.Counts(ctx, c.whole, orgflags.ByRegion, orgflags.Filter{})
				if err == nil && len(fc.Rows) < 20 {
					err = fmt.Errorf("only %d districts", len(fc.Rows))
				}
				return err
			})
		})
		b.Run(eng+"/jinjiang-by-chain", func(b *testing.B) {
			c := load(b, eng)
			timed(b, func(int) error {
				_, err := c.s.OrgFlags.Counts(ctx, c.jinjiang, orgflags.ByChain, orgflags.Filter{})
				return err
			})
		})
		b.Run(eng+"/raw-city-by-region", func(b *testing.B) {
			c := load(b, eng)
			timed(b, func(int) error { return c.rawCount(flagCountsRaw()) })
		})
		for _, who := range []string{"city", "jinjiang"} {
			b.Run(eng+"/chains-"+who, func(b *testing.B) {
				c := load(b, eng)
				sc := c.whole
				if who == "jinjiang" {
					sc = c.jinjiang
				}
				timed(b, func(int) error {
					l, err := c.s.Registry.ListChains(ctx, sc, false)
					if err == nil && len(l) != 20 {
						err = fmt.Errorf("%d chains", len(l))
					}
					return err
				})
			})
		}
	}
}
