package coverage

import (
	"context"

	"github.com/lianxin/lianxin/internal/domain"
)

// countedSummary fills the whole tree's unfiltered figures from the counts
// kept by the writers (migration 0018, registry/coverage_counts.go): a few
// rows of organization counts and one row of member counts per Party org,
// where the scans read 200,000 organizations and 300,000 members. The
// figures are the same as memberManagement's and tallyBy's for the whole
// tree (TestCountedCoverageEqualsScans compares them).
func (s *Store) countedSummary(ctx context.Context, out *CoverageSummary) error {
	rows, err := s.db.QueryRows(ctx, `SELECT cov_in_scope, cov_state, SUM(n) FROM organization_counts GROUP BY cov_in_scope, cov_state`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var t domain.CoverageTally
	for rows.Next() {
		var inScope, n int
		var state string
		if err := rows.Scan(&inScope, &state, &n); err != nil {
			return err
		}
		addCount(&t.CoverageCounts, domain.CoverageState(state), n)
		if inScope == 1 {
			addCount(&t.InScope, domain.CoverageState(state), n)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	out.Organizations, out.InScope = t.Total, t.InScope.Total
	out.OrgCovered, out.WorkCovered, out.Uncovered = t.InScope.OrgCovered, t.InScope.WorkCovered, t.InScope.Uncovered

	// Members in good standing: held by a Party org (any, as the foreign key
	// guarantees it exists), by none (0), by a dissolved one.
	var held, none, dissolved int
	if err := s.db.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN party_org_id <> 0 THEN n ELSE 0 END), 0), COALESCE(SUM(CASE WHEN party_org_id = 0 THEN n ELSE 0 END), 0)
		FROM member_counts WHERE standing = ?`, domain.StandingRegistered).Scan(&held, &none); err != nil {
		return err
	}
	if err := s.db.QueryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM member_counts
		WHERE standing = ? AND party_org_id IN (SELECT id FROM party_orgs WHERE status <> 'active')`, domain.StandingRegistered).Scan(&dissolved); err != nil {
		return err
	}
	out.Members = held + none
	out.MembersUnmanagedByReason = map[string]int{domain.UnmanagedNoPartyOrg: none, domain.UnmanagedDissolvedPartyOrg: dissolved, domain.UnmanagedTransitTooLong: 0}
	out.MembersUnmanaged = none + dissolved
	return nil
}
