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
	var req chain.ChainInput
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

// chainMasterInput names the chain an organization becomes the 链主 of.
type chainMasterInput struct {
	ChainID int64 `json:"chain_id"`
}

func (s *Server) setChainMaster(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req chainMasterInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	return s.Store.Registry.SetChainMaster(r.Context(), p.Caller(s.Now()), id, &req.ChainID)
}

func (s *Server) endChainMaster(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Registry.SetChainMaster(r.Context(), p.Caller(s.Now()), id, nil)
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
