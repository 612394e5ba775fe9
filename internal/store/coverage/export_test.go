package coverage

import (
	"context"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
)

// ScannedSummary is CoverageSummary computed from the tables themselves,
// never from the kept counts, for tests comparing the two.
func (s *Store) ScannedSummary(ctx context.Context, c store.Caller, f CoverageFilter) (CoverageSummary, error) {
	out := CoverageSummary{AsOf: domain.Date(store.DayOf(c.Now)), Rule: CoverageRule}
	return out, s.scannedSummary(ctx, c.Scope, f, &out)
}
