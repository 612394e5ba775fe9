package api

import (
	"net/http"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/filing"
	"github.com/lianxin/lianxin/internal/store"
)

// 换届: an org's terms and elections, and the requests to postpone or
// advance an election.

func (s *Server) orgTerms(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Filings.OrgTerms(r.Context(), p.Scope(), id, s.Now())
}

func (s *Server) recordTerm(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in domain.TermInput
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	return s.Store.Filings.RecordTerm(r.Context(), p.Caller(s.Now()), id, in)
}

func (s *Server) recordElection(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in domain.ElectionInput
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	e, err := s.Store.Filings.RecordElection(r.Context(), p.Caller(s.Now()), id, in)
	if err != nil {
		return nil, err
	}
	return created{e}, nil
}

func (s *Server) listTermChanges(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	f, err := requestFilter(r, p, domain.TermChangeKinds)
	if err != nil {
		return nil, err
	}
	items, total, err := s.Store.Filings.ListTermChanges(r.Context(), p.Scope(), f)
	if err != nil {
		return nil, err
	}
	return list(items, total, f.Page), nil
}

func (s *Server) getTermChange(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Filings.GetTermChange(r.Context(), p.Scope(), id)
}

func (s *Server) createTermChange(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var in domain.TermChangeInput
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	c, err := s.Store.Filings.CreateTermChange(r.Context(), p.Caller(s.Now()), in)
	if err != nil {
		return nil, err
	}
	return created{c}, nil
}

func (s *Server) approveTermChange(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.decision(func(c store.Caller, id int64, d filing.DecisionInput) (any, error) {
		return s.Store.Filings.ApproveTermChange(r.Context(), c, id, d)
	})(w, r, p)
}

func (s *Server) returnTermChange(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.decision(func(c store.Caller, id int64, d filing.DecisionInput) (any, error) {
		return s.Store.Filings.ReturnTermChange(r.Context(), c, id, d)
	})(w, r, p)
}

func (s *Server) withdrawTermChange(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Filings.WithdrawTermChange(r.Context(), p.Caller(s.Now()), id)
}
