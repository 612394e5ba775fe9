package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/orgflags"
)

// flagCountsRaw is the statement OrgFlags.Counts runs for the whole city by
// region (combinations of region, coverage state, flags and facts, which Go
// then adds up), raw.
func flagCountsRaw() string {
	group := "region_code, cov_state, flags"
	for _, m := range domain.PartyBuildingFlags {
		group += ", " + m.Code
	}
	return `SELECT ` + group + `, COUNT(*) FROM organizations WHERE status IN ('active', 'suspended', 'abnormal') GROUP BY ` + group
}

// BenchmarkOrgFlagCounts measures 党建情况统计 (GET /organizations/flag-counts)
// for the whole city by district, zone, industry and chain and for 锦江区 by
// chain, and the chains' page (GET /industry-chains) for both, beside the
// raw statement of the district counts.
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
		for _, by := range []string{orgflags.ByZone, orgflags.ByIndustry, orgflags.ByChain} {
			b.Run(eng+"/city-by-"+by, func(b *testing.B) {
				c := load(b, eng)
				timed(b, func(int) error {
					_, err := c.s.OrgFlags.Counts(ctx, c.whole, by, orgflags.Filter{})
					return err
				})
			})
		}
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
