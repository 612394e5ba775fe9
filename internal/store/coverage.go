package store

import (
	"context"

	"github.com/lianxin/lianxin/internal/domain"
)

// coverageInput reads the facts coverage is computed from for one
// organization: the Party orgs linked to it and its assignments.
func (s *Store) coverageInput(ctx context.Context, q querier, o domain.Organization) (domain.CoverageInput, error) {
	in := domain.CoverageInput{RegisteredOn: o.RegisteredOn}
	rows, err := q.query(ctx, `SELECT p.id, p.type, p.status, COALESCE(c.since, p.founded_on, ''), COALESCE(p.dissolved_on, ''),
		(SELECT COUNT(*) FROM party_org_covers c2 WHERE c2.party_org_id = p.id)
		FROM party_org_covers c JOIN party_orgs p ON p.id = c.party_org_id WHERE c.organization_id = ? ORDER BY p.id`, o.ID)
	if err != nil {
		return in, err
	}
	for rows.Next() {
		var co domain.CoveringOrg
		var units int
		if err := rows.Scan(&co.PartyOrgID, &co.Type, &co.Status, &co.Since, &co.DissolvedOn, &units); err != nil {
			rows.Close()
			return in, err
		}
		co.Joint = units > 1
		in.Covering = append(in.Covering, co)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return in, err
	}
	rows, err = q.query(ctx, `SELECT id, organization_id, person, role, from_on, COALESCE(to_on, '') FROM coverage_assignments WHERE organization_id = ? ORDER BY id`, o.ID)
	if err != nil {
		return in, err
	}
	defer rows.Close()
	for rows.Next() {
		var a domain.CoverageAssignment
		if err := rows.Scan(&a.ID, &a.OrganizationID, &a.Person, &a.Role, &a.From, &a.To); err != nil {
			return in, err
		}
		in.Assignments = append(in.Assignments, a)
	}
	return in, rows.Err()
}

// OrganizationCoverage is one organization's coverage (两个覆盖) as of
// today, with the facts it was computed from.
type OrganizationCoverage struct {
	domain.CoverageResult
	StateName   string                      `json:"state_name"`
	Covering    []domain.CoveringOrg        `json:"covering"`
	Assignments []domain.CoverageAssignment `json:"assignments"`
}

// GetOrganizationCoverage computes an organization's coverage inside the scope.
func (s *Store) GetOrganizationCoverage(ctx context.Context, c Caller, id int64) (OrganizationCoverage, error) {
	o, err := s.GetOrganization(ctx, c.Scope, id)
	if err != nil {
		return OrganizationCoverage{}, err
	}
	in, err := s.coverageInput(ctx, s.pool(), o.Organization)
	if err != nil {
		return OrganizationCoverage{}, err
	}
	r := domain.Coverage(in, c.Now)
	out := OrganizationCoverage{CoverageResult: r, StateName: r.State.Name(), Covering: in.Covering, Assignments: in.Assignments}
	if out.Covering == nil {
		out.Covering = []domain.CoveringOrg{}
	}
	if out.Assignments == nil {
		out.Assignments = []domain.CoverageAssignment{}
	}
	return out, nil
}
