package api

import (
	"net/http"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
)

// partyOrgCreate is the body of POST /party-orgs.
type partyOrgCreate struct {
	ParentID *int64 `json:"parent_id"`
	domain.PartyOrgInput
}

type moveRequest struct {
	ParentID *int64 `json:"parent_id"`
}

func (s *Server) decorate(v *store.PartyOrgView) {
	v.TermState = v.PartyOrg.TermState(s.Now())
}

func (s *Server) view(r *http.Request, p *auth.Principal, id int64) (store.PartyOrgView, error) {
	v, err := s.Store.GetPartyOrg(r.Context(), p.Scope(), id)
	if err == nil {
		s.decorate(&v)
	}
	return v, err
}

func (s *Server) listPartyOrgs(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := store.PartyOrgFilter{
		ParentID: q.id("parent_id"),
		Under:    q.id("under"),
		Q:        q.str("q"),
		Region:   q.str("region"),
		Status:   q.oneOf("status", "active", "dissolved", "all"),
		Sort:     q.sort(store.PartyOrgSorts),
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
	items, total, err := s.Store.ListPartyOrgs(r.Context(), p.Scope(), f)
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
	items, err := s.Store.PartyOrgAncestors(r.Context(), p.Scope(), id)
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
	return s.Store.PartyOrgHistory(r.Context(), p.Scope(), id)
}

func (s *Server) createPartyOrg(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var req partyOrgCreate
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	if req.ParentID == nil {
		return nil, errField("parent_id", "请选择上级党组织")
	}
	o, err := s.Store.CreatePartyOrg(r.Context(), p.Caller(s.Now()), req.ParentID, req.PartyOrgInput)
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
	if _, err := s.Store.UpdatePartyOrg(r.Context(), p.Caller(s.Now()), id, req); err != nil {
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
	if _, err := s.Store.MovePartyOrg(r.Context(), p.Caller(s.Now()), id, *req.ParentID); err != nil {
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
	if _, err := s.Store.DissolvePartyOrg(r.Context(), p.Caller(s.Now()), id, req); err != nil {
		return nil, err
	}
	return s.view(r, p, id)
}

// orgTree answers the tree picker: the children of parent_id, the subtree
// under, or a search by name; without any of them, the caller's scope root.
func (s *Server) orgTree(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := store.PartyOrgFilter{ParentID: q.id("parent_id"), Under: q.id("under"), Q: q.str("q"),
		Status: q.oneOf("status", "active", "dissolved", "all"), Sort: "path", Page: q.page()}
	if err := q.err(); err != nil {
		return nil, err
	}
	if f.ParentID == nil && f.Under == nil && f.Q == "" {
		root, err := s.Store.OrgNode(r.Context(), p.Scope(), p.User.PartyOrgID)
		if err != nil {
			return nil, err
		}
		return list([]store.OrgNode{root}, 1, f.Page), nil
	}
	items, total, err := s.Store.OrgNodes(r.Context(), p.Scope(), f)
	if err != nil {
		return nil, err
	}
	return list(items, total, f.Page), nil
}
