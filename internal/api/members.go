package api

import (
	"net/http"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/members"
)

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	f, err := memberFilter(newQuery(r))
	if err != nil {
		return nil, err
	}
	if err := s.recordLookup(r, p, f, "党员列表"); err != nil {
		return nil, err
	}
	items, total, err := s.Store.Members.ListMembers(r.Context(), p.Scope(), f)
	if err != nil {
		return nil, err
	}
	return list(items, total, f.Page), nil
}

// recordLookup audits a search by a whole ID number or phone — a lookup of
// personal data, limited per account (429 beyond) — before it runs. A name
// or last-four search goes straight to the list.
func (s *Server) recordLookup(r *http.Request, p *auth.Principal, f members.MemberFilter, what string) error {
	q := domain.ParseMemberQuery(f.Q)
	if !q.Exact() {
		return nil
	}
	return s.Store.Members.RecordLookup(r.Context(), p.Caller(s.Now()), q, what)
}

// memberFilter reads the list's filters (shared with the export).
func memberFilter(q *query) (members.MemberFilter, error) {
	f := members.MemberFilter{Q: q.str("q"), PartyOrgID: q.id("party_org_id"), EmployerID: q.id("employer_id"), Region: q.str("region"), Page: q.page()}
	q.codes(domain.MemberStatuses, "status", &f.Status)
	q.codes(domain.MemberStandings, "standing", &f.Standing)
	q.codes(domain.GigTypes, "gig_type", &f.GigType)
	return f, q.err()
}

func (s *Server) getMember(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Members.GetMember(r.Context(), p.Scope(), id)
}

func (s *Server) memberHistory(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Members.MemberHistory(r.Context(), p.Scope(), id)
}

func (s *Server) revealMember(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Members.RevealMember(r.Context(), p.Caller(s.Now()), id)
}

func (s *Server) saveMember(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r); err != nil {
			return nil, err
		}
	}
	var req domain.MemberInput
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	m, err := s.Store.Members.SaveMember(r.Context(), p.Caller(s.Now()), id, req)
	if err != nil {
		return nil, err
	}
	v, err := s.Store.Members.GetMember(r.Context(), p.Scope(), m.ID)
	if err != nil {
		return nil, err
	}
	if id == 0 {
		return created{v}, nil
	}
	return v, nil
}
