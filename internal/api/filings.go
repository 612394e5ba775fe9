package api

import (
	"net/http"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/filing"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/filings"
)

// 书记就任/离任备案 and the requests to postpone or advance 换届: filed by a
// Party org's staff, decided by its superior's (the store enforces both).

// requestFilter reads the filters shared by the lists of filings and term
// changes.
func requestFilter(r *http.Request, p *auth.Principal, kinds domain.CodeList) (filings.RequestFilter, error) {
	q := newQuery(r)
	f := filings.RequestFilter{ToApprove: q.flag("to_approve"), Page: q.page()}
	if q.flag("waiting") {
		f.WaitingOn = p.User.PartyOrgID
	}
	if id := q.id("party_org_id"); id != nil {
		f.PartyOrgID = *id
	}
	q.codes(filing.RequestStatuses, "status", &f.Status)
	q.codes(kinds, "kind", &f.Kind)
	return f, q.err()
}

// decodeOptional decodes a body that may be left out entirely (an approval
// without a note).
func decodeOptional(w http.ResponseWriter, r *http.Request, dst any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return decode(w, r, dst)
}

func (s *Server) listSecretaryFilings(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	f, err := requestFilter(r, p, filing.FilingKinds)
	if err != nil {
		return nil, err
	}
	items, total, err := s.Store.Filings.ListSecretaryFilings(r.Context(), p.Scope(), f)
	if err != nil {
		return nil, err
	}
	return list(items, total, f.Page), nil
}

func (s *Server) getSecretaryFiling(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Filings.GetSecretaryFiling(r.Context(), p.Scope(), id)
}

func (s *Server) createSecretaryFiling(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var in filing.SecretaryFilingInput
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	f, err := s.Store.Filings.CreateSecretaryFiling(r.Context(), p.Caller(s.Now()), in)
	if err != nil {
		return nil, err
	}
	return created{f}, nil
}

func (s *Server) resubmitSecretaryFiling(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var in filing.SecretaryFilingInput
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	return s.Store.Filings.ResubmitSecretaryFiling(r.Context(), p.Caller(s.Now()), id, in)
}

// decision runs an approve or return handler: the id, the optional body.
func (s *Server) decision(fn func(c store.Caller, id int64, d filing.DecisionInput) (any, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		id, err := pathID(r)
		if err != nil {
			return nil, err
		}
		var d filing.DecisionInput
		if err := decodeOptional(w, r, &d); err != nil {
			return nil, err
		}
		return fn(p.Caller(s.Now()), id, d)
	}
}

func (s *Server) approveSecretaryFiling(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.decision(func(c store.Caller, id int64, d filing.DecisionInput) (any, error) {
		return s.Store.Filings.ApproveSecretaryFiling(r.Context(), c, id, d)
	})(w, r, p)
}

func (s *Server) returnSecretaryFiling(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.decision(func(c store.Caller, id int64, d filing.DecisionInput) (any, error) {
		return s.Store.Filings.ReturnSecretaryFiling(r.Context(), c, id, d)
	})(w, r, p)
}

func (s *Server) withdrawSecretaryFiling(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Filings.WithdrawSecretaryFiling(r.Context(), p.Caller(s.Now()), id)
}
