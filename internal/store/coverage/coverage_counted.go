package coverage

import (
	"context"
	"errors"
	"sync"

	"github.com/lianxin/lianxin/internal/domain"
)

// countedSummary fills the whole tree's unfiltered figures from the counts
// kept by the writers (migration 0018, registry/coverage_counts.go): a few
// rows of organization counts and one row of member counts per Party org,
// where the scans read 200,000 organizations and 300,000 members. The
// figures are the same as memberManagement's and tallyBy's for the whole
// tree (TestKeptCountsEqualScratch compares them). The organization and
// member counts are read side by side.
func (s *Store) countedSummary(ctx context.Context, out *CoverageSummary) error {
	var t domain.CoverageTally
	var orgErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t, orgErr = s.countedOrganizations(ctx)
	}()
	// Members in good standing: held by a Party org (any, as the foreign key
	// guarantees it exists), by none (0), by a dissolved one.
	var held, none, dissolved int
	err := s.db.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN party_org_id <> 0 THEN n ELSE 0 END), 0), COALESCE(SUM(CASE WHEN party_org_id = 0 THEN n ELSE 0 END), 0),
		COALESCE((SELECT SUM(d.n) FROM member_counts d WHERE d.standing = ? AND d.party_org_id IN (SELECT id FROM party_orgs WHERE status <> 'active')), 0)
		FROM member_counts WHERE standing = ?`, domain.StandingRegistered, domain.StandingRegistered).Scan(&held, &none, &dissolved)
	wg.Wait()
	if err := errors.Join(orgErr, err); err != nil {
		return err
	}
	out.Organizations, out.InScope = t.Total, t.InScope.Total
	out.OrgCovered, out.WorkCovered, out.Uncovered = t.InScope.OrgCovered, t.InScope.WorkCovered, t.InScope.Uncovered
	out.Members = held + none
	out.MembersUnmanagedByReason = map[string]int{domain.UnmanagedNoPartyOrg: none, domain.UnmanagedDissolvedPartyOrg: dissolved, domain.UnmanagedTransitTooLong: 0}
	out.MembersUnmanaged = none + dissolved
	return nil
}

// countedOrganizations tallies every organization from organization_counts.
func (s *Store) countedOrganizations(ctx context.Context) (domain.CoverageTally, error) {
	var t domain.CoverageTally
	rows, err := s.db.QueryRows(ctx, `SELECT cov_in_scope, cov_state, SUM(n) FROM organization_counts GROUP BY cov_in_scope, cov_state`)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var inScope, n int
		var state string
		if err := rows.Scan(&inScope, &state, &n); err != nil {
			return t, err
		}
		addCount(&t.CoverageCounts, domain.CoverageState(state), n)
		if inScope == 1 {
			addCount(&t.InScope, domain.CoverageState(state), n)
		}
	}
	return t, rows.Err()
}
