package api

import (
	"net/http"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// partyOrgCreate is the body of POST /party-orgs.
type partyOrgCreate struct {
	ParentID *int64 `json:"parent_id"`
	domain.PartyOrgInput
}

type moveRequest struct {
	ParentID *int64 `json:"parent_id"`
}

func (s *Server) decorate(v *registry.PartyOrgView) {
	v.TermState = v.PartyOrg.TermState(s.Now())
}

func (s *Server) view(r *http.Request, p *auth.Principal, id int64) (registry.PartyOrgView, error) {
	v, err := s.Store.Registry.GetPartyOrg(r.Context(), p.Scope(), id)
	if err == nil {
		s.decorate(&v)
	}
	return v, err
}

func (s *Server) listPartyOrgs(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := registry.PartyOrgFilter{
		ParentID: q.id("parent_id"),
		Under:    q.id("under"),
		Q:        q.str("q"),
		Region:   q.str("region"),
		Status:   q.oneOf("status", "active", "dissolved", "all"),
		Sort:     q.sort(registry.PartyOrgSorts),
		Page:     q.page(),
	}
	if t := q.str("type"); t != "" {
		if _, ok := domain.PartyOrgType(t).Info(); !ok {
			q.errs.Add("type", "未知的党组织类型："+t)
		}
		f.Type = t
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	items, total, err := s.Store.Registry.ListPartyOrgs(r.Context(), p.Scope(), f)
	if err != nil {
		return nil, err
	}
	for i := range items {
		s.decorate(&items[i])
	}
	return list(items, total, f.Page), nil
}

func (s *Server) getPartyOrg(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.view(r, p, id)
}

func (s *Server) partyOrgAncestors(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	items, err := s.Store.Registry.PartyOrgAncestors(r.Context(), p.Scope(), id)
	if err != nil {
		return nil, err
	}
	for i := range items {
		s.decorate(&items[i])
	}
	return items, nil
}

func (s *Server) partyOrgHistory(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Registry.PartyOrgHistory(r.Context(), p.Scope(), id)
}

func (s *Server) createPartyOrg(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var req partyOrgCreate
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	if req.ParentID == nil {
		return nil, errField("parent_id", "请选择上级党组织")
	}
	o, err := s.Store.Registry.CreatePartyOrg(r.Context(), p.Caller(s.Now()), req.ParentID, req.PartyOrgInput)
	if err != nil {
		return nil, err
	}
	v, err := s.view(r, p, o.ID)
	return created{v}, err
}

func (s *Server) updatePartyOrg(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req domain.PartyOrgInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	if _, err := s.Store.Registry.UpdatePartyOrg(r.Context(), p.Caller(s.Now()), id, req); err != nil {
		return nil, err
	}
	return s.view(r, p, id)
}

func (s *Server) movePartyOrg(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req moveRequest
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	if req.ParentID == nil {
		return nil, errField("parent_id", "请选择新的上级党组织")
	}
	if _, err := s.Store.Registry.MovePartyOrg(r.Context(), p.Caller(s.Now()), id, *req.ParentID); err != nil {
		return nil, err
	}
	return s.view(r, p, id)
}

func (s *Server) dissolvePartyOrg(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req domain.DissolveInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	if _, err := s.Store.Registry.DissolvePartyOrg(r.Context(), p.Caller(s.Now()), id, req); err != nil {
		return nil, err
	}
	return s.view(r, p, id)
}

// orgTree answers the tree picker: the children of parent_id, the subtree
// under, or a search by name; without any of them, the caller's scope root.
func (s *Server) orgTree(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := registry.PartyOrgFilter{ParentID: q.id("parent_id"), Under: q.id("under"), Q: q.str("q"),
		Status: q.oneOf("status", "active", "dissolved", "all"), Sort: "path", Page: q.page()}
	if err := q.err(); err != nil {
		return nil, err
	}
	if f.ParentID == nil && f.Under == nil && f.Q == "" {
		root, err := s.Store.Registry.OrgNode(r.Context(), p.Scope(), p.User.PartyOrgID)
		if err != nil {
			return nil, err
		}
		return list([]registry.OrgNode{root}, 1, f.Page), nil
	}
	items, total, err := s.Store.Registry.OrgNodes(r.Context(), p.Scope(), f)
	if err != nil {
		return nil, err
	}
	return list(items, total, f.Page), nil
}
