// Package todo is the to-do list (待办): what waits for a member of staff
// across the features — alerts, filings and term changes to decide, terms
// ending or overdue, requests sent back — counted for the top bar and
// listed for the page.
package todo

import (
	"context"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/domain/filing"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/alerts"
	"github.com/lianxin/lianxin/internal/store/filings"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// Viewer is whom the list is for: their scope, their account, and which
// kinds of work their permissions show them.
type Viewer struct {
	Scope  store.Scope
	UserID int64
	// Alerts: may read alerts; PartyOrgs: may read Party orgs (terms,
	// filings and term changes).
	Alerts, PartyOrgs bool
}

// Service reads the to-do list.
type Service struct {
	Store *stores.Set
	Now   func() time.Time
}

// TodoCounts are the numbers in the top bar.
type TodoCounts struct {
	Alerts               int `json:"alerts"`
	AlertsAssigned       int `json:"alerts_assigned"`
	FilingsToApprove     int `json:"filings_to_approve"`
	TermChangesToApprove int `json:"term_changes_to_approve"`
	TermsEnding          int `json:"terms_ending"`
	TermsOverdue         int `json:"terms_overdue"`
	Returned             int `json:"returned"`
	Total                int `json:"total"`
}

// Todo is what waits for the viewer: the counts and the first items of
// each kind.
type Todo struct {
	Counts      TodoCounts                `json:"counts"`
	Alerts      []alerts.AlertView        `json:"alerts"`
	Filings     []filings.SecretaryFiling `json:"filings"`
	TermChanges []filings.TermChange      `json:"term_changes"`
	Terms       []registry.PartyOrgView   `json:"terms"`
	Returned    []ReturnedRequest         `json:"returned"`
}

// ReturnedRequest is a filing or term change the superior sent back.
type ReturnedRequest struct {
	Type         string `json:"type"` // filing, term_change
	ID           int64  `json:"id"`
	PartyOrgID   int64  `json:"party_org_id"`
	PartyOrgName string `json:"party_org_name"`
	Kind         string `json:"kind"`
	KindName     string `json:"kind_name"`
	DecisionNote string `json:"decision_note"`
}

// listed is how many items of each kind the list shows.
const listed = 10

// Counts counts what waits for v.
func (s Service) Counts(ctx context.Context, v Viewer) (TodoCounts, error) {
	var c TodoCounts
	var err error
	if v.Alerts {
		if c.Alerts, c.AlertsAssigned, err = s.Store.Alerts.AlertCounts(ctx, v.Scope, v.UserID); err != nil {
			return c, err
		}
	}
	if v.PartyOrgs {
		today := s.Now()
		soon := today.AddDate(0, 0, s.termReminderDays(ctx))
		if c.TermsOverdue, c.TermsEnding, err = s.Store.Registry.CountTerms(ctx, v.Scope, string(domain.DateOf(today)), string(domain.DateOf(soon))); err != nil {
			return c, err
		}
		ft, err := s.Store.Filings.FilingTodo(ctx, v.Scope)
		if err != nil {
			return c, err
		}
		c.FilingsToApprove, c.TermChangesToApprove, c.Returned = ft.FilingsToApprove, ft.ChangesToApprove, ft.Returned
	}
	c.Total = c.Alerts + c.FilingsToApprove + c.TermChangesToApprove + c.TermsEnding + c.TermsOverdue + c.Returned
	return c, nil
}

// termReminderDays is the term_ending rule's first reminder.
func (s Service) termReminderDays(ctx context.Context) int {
	rules, err := s.Store.Alerts.AlertRules(ctx)
	if err == nil {
		for _, rule := range rules {
			if rule.Code == alert.RuleTermEnding {
				return rule.Values["yellow_days"]
			}
		}
	}
	return 180
}

// List is the counts with the first items of each kind: the alerts
// assigned to v first, then the open ones.
func (s Service) List(ctx context.Context, v Viewer) (Todo, error) {
	c, err := s.Counts(ctx, v)
	if err != nil {
		return Todo{}, err
	}
	t := Todo{Counts: c, Alerts: []alerts.AlertView{}, Terms: []registry.PartyOrgView{}, Filings: []filings.SecretaryFiling{},
		TermChanges: []filings.TermChange{}, Returned: []ReturnedRequest{}}
	first := store.Page{Number: 1, Size: listed}
	if v.Alerts {
		mine, _, err := s.Store.Alerts.ListAlerts(ctx, v.Scope, alerts.AlertFilter{AssigneeID: v.UserID, Page: first})
		if err != nil {
			return t, err
		}
		rest, _, err := s.Store.Alerts.ListAlerts(ctx, v.Scope, alerts.AlertFilter{Status: string(alert.AlertOpen), Page: first})
		if err != nil {
			return t, err
		}
		seen := map[int64]bool{}
		for _, a := range append(mine, rest...) {
			if !seen[a.ID] && len(t.Alerts) < listed {
				seen[a.ID] = true
				t.Alerts = append(t.Alerts, a)
			}
		}
	}
	if v.PartyOrgs {
		terms, _, err := s.Store.Registry.ListPartyOrgs(ctx, v.Scope, registry.PartyOrgFilter{Sort: "term_end",
			TermBefore: string(domain.DateOf(s.Now().AddDate(0, 0, s.termReminderDays(ctx)))), Page: first})
		if err != nil {
			return t, err
		}
		t.Terms = terms
		if t.Filings, _, err = s.Store.Filings.ListSecretaryFilings(ctx, v.Scope, filings.RequestFilter{ToApprove: true, Page: first}); err != nil {
			return t, err
		}
		if t.TermChanges, _, err = s.Store.Filings.ListTermChanges(ctx, v.Scope, filings.RequestFilter{ToApprove: true, Page: first}); err != nil {
			return t, err
		}
		back, _, err := s.Store.Filings.ListSecretaryFilings(ctx, v.Scope, filings.RequestFilter{Status: filing.RequestReturned, Page: first})
		if err != nil {
			return t, err
		}
		for _, f := range back {
			t.Returned = append(t.Returned, ReturnedRequest{"filing", f.ID, f.PartyOrgID, f.PartyOrgName, f.Kind, f.KindName, f.DecisionNote})
		}
		changes, _, err := s.Store.Filings.ListTermChanges(ctx, v.Scope, filings.RequestFilter{Status: filing.RequestReturned, Page: first})
		if err != nil {
			return t, err
		}
		for _, f := range changes {
			t.Returned = append(t.Returned, ReturnedRequest{"term_change", f.ID, f.PartyOrgID, f.PartyOrgName, f.Kind, f.KindName, f.DecisionNote})
		}
	}
	return t, nil
}
