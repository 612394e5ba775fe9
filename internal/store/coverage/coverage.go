package coverage

import (
	"context"

	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"

	"github.com/lianxin/lianxin/internal/domain"
)

// CoveringView is a covering Party org with its name, so that a page shows
// the link without looking each Party org up.
type CoveringView struct {
	domain.CoveringOrg
	Name string `json:"name"`
}

// OrganizationCoverage is one organization's coverage (两个覆盖) as of
// today, with the facts it was computed from.
type OrganizationCoverage struct {
	domain.CoverageResult
	StateName     string                      `json:"state_name"`
	InScope       bool                        `json:"in_scope"`
	DaysUncovered int                         `json:"days_uncovered"`
	Covering      []CoveringView              `json:"covering"`
	Assignments   []domain.CoverageAssignment `json:"assignments"`
}

// GetOrganizationCoverage computes an organization's coverage inside the scope.
func (s *Store) GetOrganizationCoverage(ctx context.Context, c store.Caller, id int64) (OrganizationCoverage, error) {
	o, err := s.registry.GetOrganization(ctx, c.Scope, id)
	if err != nil {
		return OrganizationCoverage{}, err
	}
	q := s.db.Pool()
	links, err := registry.LoadLinks(ctx, q, []int64{id})
	if err != nil {
		return OrganizationCoverage{}, err
	}
	assignments, err := registry.LoadAssignments(ctx, q, []int64{id})
	if err != nil {
		return OrganizationCoverage{}, err
	}
	names, err := coveringNames(ctx, q, id)
	if err != nil {
		return OrganizationCoverage{}, err
	}
	in := domain.GroupCoverageInputs(links, assignments)[id]
	in.RegisteredOn = o.RegisteredOn
	settings, err := s.registry.CoverageSettings(ctx)
	if err != nil {
		return OrganizationCoverage{}, err
	}
	r := domain.Coverage(in, c.Now)
	out := OrganizationCoverage{CoverageResult: r, StateName: r.State.Name(), InScope: settings.Target.InScope(o.Organization),
		Covering: []CoveringView{}, Assignments: []domain.CoverageAssignment{}}
	if r.State == domain.Uncovered {
		out.DaysUncovered = domain.DaysUncovered(r.Since, c.Now)
	}
	for _, l := range links {
		out.Covering = append(out.Covering, CoveringView{CoveringOrg: l.CoveringOrg, Name: names[l.PartyOrgID]})
	}
	out.Assignments = append(out.Assignments, assignments...)
	return out, nil
}

// coveringNames maps the Party orgs covering an organization to their names.
func coveringNames(ctx context.Context, q store.Querier, orgID int64) (map[int64]string, error) {
	rows, err := q.Query(ctx, `SELECT p.id, p.name FROM party_org_covers c JOIN party_orgs p ON p.id = c.party_org_id WHERE c.organization_id = ?`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
