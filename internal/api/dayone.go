package api

import (
	"io"
	"net/http"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/partygroup"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Streets and communities (镇街、社区), the Party-org export and 党小组
// (issue 13: what a deployment needs on day one).

func regionCode(r *http.Request) string {
	return domain.NormalizeRegionCode(r.PathValue("code"))
}

func (s *Server) getRegion(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.Store.Registry.GetRegion(r.Context(), regionCode(r))
}

func (s *Server) createRegion(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var req domain.RegionInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	reg, err := s.Store.Registry.CreateRegion(r.Context(), p.Caller(s.Now()), req)
	if err != nil {
		return nil, err
	}
	return created{reg}, nil
}

func (s *Server) updateRegion(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var req domain.RegionInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	return s.Store.Registry.UpdateRegion(r.Context(), p.Caller(s.Now()), regionCode(r), req)
}

func (s *Server) regionHistory(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.Store.Registry.RegionHistory(r.Context(), p.Scope(), regionCode(r))
}

func (s *Server) exportRegions(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	district := newQuery(r).str("region")
	c := p.Caller(s.Now())
	return download{name: "镇街社区-" + c.Now.In(domain.Shanghai).Format("20060102") + ".xlsx", write: func(w io.Writer) error {
		_, err := importer.ExportRegions(r.Context(), s.Store, c, district, w)
		return err
	}}, nil
}

func (s *Server) exportPartyOrgs(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := registry.PartyOrgFilter{Region: q.str("region")}
	if t := q.str("type"); t != "" {
		if _, ok := domain.PartyOrgType(t).Info(); !ok {
			q.errs.Add("type", "未知的党组织类型："+t)
		}
		f.Type = t
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	c := p.Caller(s.Now())
	return download{name: "党组织-" + c.Now.In(domain.Shanghai).Format("20060102") + ".xlsx", write: func(w io.Writer) error {
		_, err := importer.ExportPartyOrgs(r.Context(), s.Store, c, f, w)
		return err
	}}, nil
}

func (s *Server) listPartyGroups(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Groups.ListGroups(r.Context(), p.Scope(), id)
}

func (s *Server) partyGroupMembers(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Groups.GroupMembers(r.Context(), p.Scope(), id)
}

func (s *Server) createPartyGroup(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req partygroup.PartyGroupInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	g, err := s.Store.Groups.CreateGroup(r.Context(), p.Caller(s.Now()), id, req)
	if err != nil {
		return nil, err
	}
	return created{g}, nil
}

func (s *Server) updatePartyGroup(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req partygroup.PartyGroupInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	return s.Store.Groups.UpdateGroup(r.Context(), p.Caller(s.Now()), id, req)
}

func (s *Server) dissolvePartyGroup(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req partygroup.PartyGroupDissolution
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	return s.Store.Groups.DissolveGroup(r.Context(), p.Caller(s.Now()), id, req)
}

func (s *Server) setPartyGroupMembers(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req partygroup.PartyGroupMembers
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	return s.Store.Groups.SetGroupMembers(r.Context(), p.Caller(s.Now()), id, req)
}
