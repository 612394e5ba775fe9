// Package todo is the to-do list (待办): what truly waits on a member of
// staff — alerts to handle, requests of the Party orgs directly under
// theirs to decide, their own requests sent back — counted for the top bar
// and listed by kind, most urgent first (the rules: domain/todo).
package todo

import (
	"context"
	"sort"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/domain/filing"
	dtodo "github.com/lianxin/lianxin/internal/domain/todo"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/alerts"
	"github.com/lianxin/lianxin/internal/store/filings"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// Viewer is whom the list is for: their Party org (node) and scope, their
// account, and which kinds of work their permissions show them.
type Viewer struct {
	Scope  store.Scope
	Node   int64
	UserID int64
	// Alerts: may read alerts; PartyOrgs: may read Party orgs (filings and
	// term changes).
	Alerts, PartyOrgs bool
}

// Service reads the to-do list.
type Service struct {
	Store *stores.Set
	Now   func() time.Time
}

// TodoCounts are the numbers in the top bar: what waits on the viewer.
type TodoCounts struct {
	Alerts               int `json:"alerts"`
	AlertsAssigned       int `json:"alerts_assigned"`
	FilingsToApprove     int `json:"filings_to_approve"`
	TermChangesToApprove int `json:"term_changes_to_approve"`
	Returned             int `json:"returned"`
	Total                int `json:"total"`
}

// Item is one thing waiting, whatever its kind.
type Item struct {
	Kind         dtodo.Kind       `json:"kind"`
	ID           int64            `json:"id"`
	Title        string           `json:"title"`
	PartyOrgID   int64            `json:"party_org_id"`
	PartyOrgName string           `json:"party_org_name"`
	Detail       string           `json:"detail"`
	Level        alert.AlertLevel `json:"level"`
	Overdue      bool             `json:"overdue"`
	// Since is when it began to wait: the alert's condition, the request's
	// submission or return.
	Since        domain.Date `json:"since"`
	AssignedToMe bool        `json:"assigned_to_me"`
	urgency      dtodo.Urgency
}

// Group is one kind: how many wait and the most urgent of them.
type Group struct {
	Kind  dtodo.Kind `json:"kind"`
	Name  string     `json:"name"`
	Count int        `json:"count"`
	Items []Item     `json:"items"`
}

// Todo is what waits on the viewer, by kind, the most urgent group first.
type Todo struct {
	Counts TodoCounts `json:"counts"`
	Groups []Group    `json:"groups"`
}

// listed is how many items of each kind the list shows; each group links
// to its whole list.
const listed = 10

// Counts counts what waits on v.
func (s Service) Counts(ctx context.Context, v Viewer) (TodoCounts, error) {
	var c TodoCounts
	var err error
	if v.Alerts {
		if c.Alerts, c.AlertsAssigned, err = s.Store.Alerts.WaitingCounts(ctx, v.Scope, v.Node, v.UserID); err != nil {
			return c, err
		}
	}
	if v.PartyOrgs {
		ft, err := s.Store.Filings.FilingTodo(ctx, v.Node)
		if err != nil {
			return c, err
		}
		c.FilingsToApprove, c.TermChangesToApprove, c.Returned = ft.FilingsToApprove, ft.ChangesToApprove, ft.Returned
	}
	c.Total = c.Alerts + c.FilingsToApprove + c.TermChangesToApprove + c.Returned
	return c, nil
}

// List is the counts with the most urgent items of each kind.
func (s Service) List(ctx context.Context, v Viewer) (Todo, error) {
	c, err := s.Counts(ctx, v)
	if err != nil {
		return Todo{}, err
	}
	t := Todo{Counts: c, Groups: []Group{}}
	first := store.Page{Number: 1, Size: listed}
	today := domain.DateOf(s.Now())
	add := func(kind dtodo.Kind, count int, items []Item) {
		if count == 0 || len(items) == 0 {
			return
		}
		sort.SliceStable(items, func(i, j int) bool { return items[i].urgency.Before(items[j].urgency) })
		t.Groups = append(t.Groups, Group{Kind: kind, Name: dtodo.Kinds.Name(string(kind)), Count: count, Items: items})
	}
	if v.Alerts && c.Alerts > 0 {
		page, _, err := s.Store.Alerts.ListAlerts(ctx, v.Scope, alerts.AlertFilter{WaitingOn: v.Node, WaitingUser: v.UserID, Sort: "urgency", Page: first})
		if err != nil {
			return t, err
		}
		items := make([]Item, 0, len(page))
		for _, a := range page {
			u := dtodo.Urgency{Level: a.Level, Overdue: dtodo.AlertOverdue(a.Rule), Since: a.Since}
			items = append(items, Item{Kind: dtodo.KindAlert, ID: a.ID, Title: a.RuleName, PartyOrgID: a.PartyOrgID, PartyOrgName: a.PartyOrgName,
				Detail: a.Reason, Level: u.Level, Overdue: u.Overdue, Since: u.Since,
				AssignedToMe: a.AssigneeID != nil && *a.AssigneeID == v.UserID, urgency: u})
		}
		add(dtodo.KindAlert, c.Alerts, items)
	}
	if v.PartyOrgs && c.FilingsToApprove+c.TermChangesToApprove+c.Returned > 0 {
		late := s.requestRule(ctx)
		if c.FilingsToApprove > 0 {
			fs, _, err := s.Store.Filings.ListSecretaryFilings(ctx, v.Scope, filings.RequestFilter{WaitingOn: v.Node, Page: first})
			if err != nil {
				return t, err
			}
			var items []Item
			for _, f := range fs {
				u := dtodo.RequestLevel(domain.DateOf(f.SubmittedAt), today, late)
				items = append(items, requestItem(dtodo.KindFiling, f.ID, f.KindName, f.PartyOrgID, f.PartyOrgName, f.PersonName, u))
			}
			add(dtodo.KindFiling, c.FilingsToApprove, items)
		}
		if c.TermChangesToApprove > 0 {
			cs, _, err := s.Store.Filings.ListTermChanges(ctx, v.Scope, filings.RequestFilter{WaitingOn: v.Node, Page: first})
			if err != nil {
				return t, err
			}
			var items []Item
			for _, r := range cs {
				u := dtodo.RequestLevel(domain.DateOf(r.SubmittedAt), today, late)
				detail := ""
				if r.NewDate != "" {
					detail = "拟至 " + string(r.NewDate)
				}
				items = append(items, requestItem(dtodo.KindTermChange, r.ID, r.KindName, r.PartyOrgID, r.PartyOrgName, detail, u))
			}
			add(dtodo.KindTermChange, c.TermChangesToApprove, items)
		}
		if c.Returned > 0 {
			back := filings.RequestFilter{PartyOrgID: v.Node, Status: filing.RequestReturned, Page: first}
			fs, _, err := s.Store.Filings.ListSecretaryFilings(ctx, v.Scope, back)
			if err != nil {
				return t, err
			}
			cs, _, err := s.Store.Filings.ListTermChanges(ctx, v.Scope, back)
			if err != nil {
				return t, err
			}
			var items []Item
			for _, f := range fs {
				items = append(items, requestItem(dtodo.KindReturned, f.ID, "书记备案："+f.KindName, f.PartyOrgID, f.PartyOrgName, f.DecisionNote, returnedSince(f.DecidedAt)))
			}
			for _, r := range cs {
				items = append(items, requestItem(dtodo.KindReturned, r.ID, "换届请示："+r.KindName, r.PartyOrgID, r.PartyOrgName, r.DecisionNote, returnedSince(r.DecidedAt)))
			}
			if len(items) > listed {
				items = items[:listed]
			}
			add(dtodo.KindReturned, c.Returned, items)
		}
	}
	// The most urgent group first; equally urgent ones in the kinds' order.
	sort.SliceStable(t.Groups, func(i, j int) bool {
		return t.Groups[i].Items[0].urgency.Before(t.Groups[j].Items[0].urgency)
	})
	return t, nil
}

func requestItem(kind dtodo.Kind, id int64, title string, orgID int64, orgName, detail string, u dtodo.Urgency) Item {
	return Item{Kind: kind, ID: id, Title: title, PartyOrgID: orgID, PartyOrgName: orgName, Detail: detail,
		Level: u.Level, Overdue: u.Overdue, Since: u.Since, urgency: u}
}

// returnedSince: a returned request waits from its return.
func returnedSince(at *time.Time) dtodo.Urgency {
	if at == nil {
		return dtodo.Urgency{}
	}
	return dtodo.Urgency{Since: domain.DateOf(*at)}
}

// requestRule is the city's setting of the filing_pending rule, whose
// thresholds say how late a decision is.
func (s Service) requestRule(ctx context.Context) alert.RuleSetting {
	def, _ := alert.RuleDefOf(alert.RuleFilingPending)
	setting := def.DefaultSetting()
	if rules, err := s.Store.Alerts.AlertRules(ctx); err == nil {
		for _, r := range rules {
			if r.Code == alert.RuleFilingPending {
				setting = alert.RuleSetting{Enabled: r.Enabled, Params: r.Values}
			}
		}
	}
	return setting
}
