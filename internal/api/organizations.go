package api

import (
	"net/http"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/registry"
)

func (s *Server) listOrganizations(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	f, err := organizationFilter(newQuery(r))
	if err != nil {
		return nil, err
	}
	items, total, err := s.Store.Registry.ListOrganizations(r.Context(), p.Scope(), f)
	if err != nil {
		return nil, err
	}
	return list(items, total, f.Page), nil
}

// organizationFilter reads the list's filters (shared with the export).
func organizationFilter(q *query) (registry.OrganizationFilter, error) {
	f := registry.OrganizationFilter{Q: q.str("q"), Region: q.str("region"), ZoneID: q.id("zone_id"), Manager: q.id("manager_id"),
		Sort: q.sort(registry.OrganizationSorts), Page: q.page()}
	q.codes(domain.OrgStatuses, "status", &f.Status)
	q.codes(domain.Industries, "industry", &f.Industry)
	q.codes(domain.OrgKinds, "kind", &f.Kind)
	q.codes(domain.OrgFlags, "flag", &f.Flag)
	q.codes(domain.OrgMarks, "mark", &f.Mark)
	q.codes(domain.OrgMarks, "no_mark", &f.NoMark)
	f.Chain = q.str("chain")
	return f, q.err()
}

func (s *Server) getOrganization(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Registry.GetOrganization(r.Context(), p.Scope(), id)
}

func (s *Server) organizationHistory(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Registry.OrganizationHistory(r.Context(), p.Scope(), id)
}

func (s *Server) saveOrganization(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r); err != nil {
			return nil, err
		}
	}
	var req domain.OrganizationInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	// The store adds the coverage settings' codes accepted despite a failing check.
	o, err := s.Store.Registry.SaveOrganization(r.Context(), p.Caller(s.Now()), id, req, nil)
	if err != nil {
		return nil, err
	}
	v, err := s.Store.Registry.GetOrganization(r.Context(), p.Scope(), o.ID)
	if err != nil {
		return nil, err
	}
	v.USCCWarnings = o.USCCWarnings
	if id == 0 {
		return created{v}, nil
	}
	return v, nil
}

func (s *Server) organizationCoverage(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Coverage.GetOrganizationCoverage(r.Context(), p.Caller(s.Now()), id)
}
