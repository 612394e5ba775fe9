package api

import (
	"net/http"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain/chain"
	"github.com/lianxin/lianxin/internal/store/orgflags"
)

// The key industry chains (重点产业链) and the organizations' Party-building
// flags counted by district, zone, industry and chain.

func (s *Server) listChains(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	retired := q.str("retired") == "true"
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Registry.ListChains(r.Context(), p.Scope(), retired)
}

func (s *Server) getChain(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Registry.GetChain(r.Context(), p.Scope(), id)
}

func (s *Server) saveChain(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r); err != nil {
			return nil, err
		}
	}
	var req chain.Input
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	c, err := s.Store.Registry.SaveChain(r.Context(), p.Caller(s.Now()), id, req)
	if err != nil {
		return nil, err
	}
	v, err := s.Store.Registry.GetChain(r.Context(), p.Scope(), c.ID)
	if err != nil {
		return nil, err
	}
	if id == 0 {
		return created{v}, nil
	}
	return v, nil
}

// chainMasterInput names the organization made a chain's 链主企业.
type chainMasterInput struct {
	OrganizationID int64 `json:"organization_id"`
}

func (s *Server) addChainMaster(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req chainMasterInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	return s.Store.Registry.SetChainMaster(r.Context(), p.Caller(s.Now()), id, req.OrganizationID, true)
}

func (s *Server) removeChainMaster(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	q := newQuery(r)
	org := q.id("organization_id")
	if org == nil {
		q.errs.Add("organization_id", "请指定要取消链主的组织（organization_id）")
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Registry.SetChainMaster(r.Context(), p.Caller(s.Now()), id, *org, false)
}

func (s *Server) orgFlagCounts(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	by := q.oneOf("by", orgflags.ByRegion, orgflags.ByZone, orgflags.ByIndustry, orgflags.ByChain)
	if by == "" {
		by = orgflags.ByRegion
	}
	c := coverageFilter(q)
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.OrgFlags.Counts(r.Context(), p.Scope(), by, orgflags.Filter{Region: c.Region, ZoneID: c.ZoneID, Industry: c.Industry, Chain: c.Chain})
}
