package api

import (
	"io"
	"net/http"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/alerts"
	"github.com/lianxin/lianxin/internal/store/filings"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// 防瘫预警: the alerts of the caller's scope, their workflow and figures,
// the rules and their tuning, an evaluation on demand, and the to-do list.

var alertFilterQuery = []param{
	{"rule", "string", "规则代码"}, {"level", "string", "yellow、orange、red"},
	{"region", "string", "区划或功能区代码（含下级街道）"}, {"under", "integer", "该党组织的整棵子树（按党委筛选）"},
	{"party_org_id", "integer", "党组织"}, {"status", "string", "open、acknowledged、resolved、closed、current（默认：未消除的）、all"},
	{"assignee", "string", "me：分配给我的"},
}

var alertListQuery = withPaging(append(append([]param{}, alertFilterQuery...), param{"sort", "string", "level（默认 -level）、since、opened_on、org、rule"})...)

func alertFilter(q *query, p *auth.Principal) alerts.AlertFilter {
	f := alerts.AlertFilter{Rule: q.str("rule"), Level: q.str("level"), Region: q.str("region"), Status: q.str("status"), Page: q.page()}
	if id := q.id("under"); id != nil {
		f.Under = *id
	}
	if id := q.id("party_org_id"); id != nil {
		f.PartyOrgID = *id
	}
	if q.oneOf("assignee", "me") == "me" {
		f.AssigneeID = p.User.ID
	}
	f.Sort = q.sort(alerts.AlertSorts)
	return f
}

func (s *Server) listAlerts(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := alertFilter(q, p)
	if err := q.err(); err != nil {
		return nil, err
	}
	items, total, err := s.Store.Alerts.ListAlerts(r.Context(), p.Scope(), f)
	if err != nil {
		return nil, err
	}
	return list(items, total, f.Page), nil
}

// maxAlertExport bounds one export.
const maxAlertExport = 50000

func (s *Server) exportAlerts(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := alertFilter(q, p)
	if err := q.err(); err != nil {
		return nil, err
	}
	items, err := s.Store.Alerts.AlertsForExport(r.Context(), p.Scope(), f, maxAlertExport)
	if err != nil {
		return nil, err
	}
	caller := p.Caller(s.Now())
	return download{name: "防瘫预警-" + s.Now().In(domain.Shanghai).Format("20060102") + ".xlsx", write: func(w io.Writer) error {
		return importer.ExportAlerts(r.Context(), s.Store, caller, items, w)
	}}, nil
}

func (s *Server) getAlert(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Alerts.GetAlert(r.Context(), p.Scope(), id)
}

func (s *Server) alertAction(action domain.AlertAction) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
		id, err := pathID(r)
		if err != nil {
			return nil, err
		}
		var in alerts.AlertAction
		if err := decode(w, r, &in); err != nil {
			return nil, err
		}
		return s.Store.Alerts.ActOnAlert(r.Context(), p.Caller(s.Now()), id, action, in)
	}
}

func (s *Server) alertAssignees(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	id := q.id("party_org_id")
	if id == nil {
		q.errs.Add("party_org_id", "请指定党组织")
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Alerts.AlertAssignees(r.Context(), p.Scope(), *id)
}

func (s *Server) alertStats(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := alerts.AlertFilter{Region: q.str("region")}
	if id := q.id("under"); id != nil {
		f.Under = *id
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.Store.Alerts.AlertStatsOf(r.Context(), p.Scope(), f, domain.DateOf(s.Now()))
}

// evaluation is a look at the rules' findings at any date, inside the
// caller's scope, without recording anything.
type evaluation struct {
	AsOf    domain.Date                            `json:"as_of"`
	Millis  float64                                `json:"duration_ms"`
	PerRule map[domain.RuleCode]*alerts.RuleTiming `json:"per_rule"`
	Items   []alerts.AlertView                     `json:"items"`
}

func (s *Server) evaluateAlerts(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	day := q.date("now")
	if err := q.err(); err != nil {
		return nil, err
	}
	if day == "" {
		day = string(domain.DateOf(s.Now()))
	}
	ev, err := s.Store.Alerts.Evaluate(r.Context(), p.Scope(), domain.Date(day))
	if err != nil {
		return nil, err
	}
	items, err := s.Store.Alerts.FindingViews(r.Context(), ev)
	if err != nil {
		return nil, err
	}
	return evaluation{AsOf: ev.AsOf, Millis: ev.Millis, PerRule: ev.PerRule, Items: items}, nil
}

// runRequest asks for an evaluation recorded as alerts.
type runRequest struct {
	Now string `json:"now"`
}

func (s *Server) runAlerts(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var in runRequest
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	day := domain.DateOf(s.Now())
	if in.Now != "" {
		if _, ok := domain.ParseDate(in.Now); !ok {
			return nil, domain.FieldError("now", domain.DateProblem("评估日期", in.Now))
		}
		day = domain.Date(in.Now)
	}
	return s.Store.Alerts.RunAlerts(r.Context(), p.Caller(s.Now()), day, alerts.RunManual)
}

func (s *Server) listRules(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.Store.Alerts.AlertRules(r.Context())
}

func (s *Server) updateRule(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var in alerts.RuleInput
	if err := decode(w, r, &in); err != nil {
		return nil, err
	}
	return s.Store.Alerts.UpdateAlertRule(r.Context(), p.Caller(s.Now()), domain.RuleCode(r.PathValue("code")), in)
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

func (s *Server) todoCounts(r *http.Request, p *auth.Principal) (TodoCounts, error) {
	var c TodoCounts
	ctx, sc := r.Context(), p.Scope()
	var err error
	if p.Can(auth.PermAlertRead) {
		if c.Alerts, c.AlertsAssigned, err = s.Store.Alerts.AlertCounts(ctx, sc, p.User.ID); err != nil {
			return c, err
		}
	}
	if p.Can(auth.PermPartyOrgRead) {
		today := s.Now()
		soon := today.AddDate(0, 0, s.termReminderDays(r))
		if c.TermsOverdue, c.TermsEnding, err = s.Store.Registry.CountTerms(ctx, sc, string(domain.DateOf(today)), string(domain.DateOf(soon))); err != nil {
			return c, err
		}
	}
	if p.Can(auth.PermPartyOrgRead) {
		ft, err := s.Store.Filings.FilingTodo(ctx, sc)
		if err != nil {
			return c, err
		}
		c.FilingsToApprove, c.TermChangesToApprove, c.Returned = ft.FilingsToApprove, ft.ChangesToApprove, ft.Returned
	}
	c.Total = c.Alerts + c.FilingsToApprove + c.TermChangesToApprove + c.TermsEnding + c.TermsOverdue + c.Returned
	return c, nil
}

// termReminderDays is the term_ending rule's first reminder.
func (s *Server) termReminderDays(r *http.Request) int {
	rules, err := s.Store.Alerts.AlertRules(r.Context())
	if err == nil {
		for _, rule := range rules {
			if rule.Code == domain.RuleTermEnding {
				return rule.Values["yellow_days"]
			}
		}
	}
	return 180
}

func (s *Server) getTodoCounts(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.todoCounts(r, p)
}

// Todo is what waits for the caller.
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

func (s *Server) getTodo(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	c, err := s.todoCounts(r, p)
	if err != nil {
		return nil, err
	}
	t := Todo{Counts: c, Alerts: []alerts.AlertView{}, Terms: []registry.PartyOrgView{}, Filings: []filings.SecretaryFiling{},
		TermChanges: []filings.TermChange{}, Returned: []ReturnedRequest{}}
	ctx, sc := r.Context(), p.Scope()
	if p.Can(auth.PermAlertRead) {
		mine, _, err := s.Store.Alerts.ListAlerts(ctx, sc, alerts.AlertFilter{AssigneeID: p.User.ID, Page: store.Page{Number: 1, Size: 10}})
		if err != nil {
			return nil, err
		}
		rest, _, err := s.Store.Alerts.ListAlerts(ctx, sc, alerts.AlertFilter{Status: string(domain.AlertOpen), Page: store.Page{Number: 1, Size: 10}})
		if err != nil {
			return nil, err
		}
		seen := map[int64]bool{}
		for _, a := range append(mine, rest...) {
			if !seen[a.ID] && len(t.Alerts) < 10 {
				seen[a.ID] = true
				t.Alerts = append(t.Alerts, a)
			}
		}
	}
	if p.Can(auth.PermPartyOrgRead) {
		terms, _, err := s.Store.Registry.ListPartyOrgs(ctx, sc, registry.PartyOrgFilter{Sort: "term_end", TermBefore: string(domain.DateOf(s.Now().AddDate(0, 0, s.termReminderDays(r)))),
			Page: store.Page{Number: 1, Size: 10}})
		if err != nil {
			return nil, err
		}
		t.Terms = terms
		first := store.Page{Number: 1, Size: 10}
		if t.Filings, _, err = s.Store.Filings.ListSecretaryFilings(ctx, sc, filings.RequestFilter{ToApprove: true, Page: first}); err != nil {
			return nil, err
		}
		if t.TermChanges, _, err = s.Store.Filings.ListTermChanges(ctx, sc, filings.RequestFilter{ToApprove: true, Page: first}); err != nil {
			return nil, err
		}
		back, _, err := s.Store.Filings.ListSecretaryFilings(ctx, sc, filings.RequestFilter{Status: domain.RequestReturned, Page: first})
		if err != nil {
			return nil, err
		}
		for _, f := range back {
			t.Returned = append(t.Returned, ReturnedRequest{"filing", f.ID, f.PartyOrgID, f.PartyOrgName, f.Kind, f.KindName, f.DecisionNote})
		}
		changes, _, err := s.Store.Filings.ListTermChanges(ctx, sc, filings.RequestFilter{Status: domain.RequestReturned, Page: first})
		if err != nil {
			return nil, err
		}
		for _, f := range changes {
			t.Returned = append(t.Returned, ReturnedRequest{"term_change", f.ID, f.PartyOrgID, f.PartyOrgName, f.Kind, f.KindName, f.DecisionNote})
		}
	}
	return t, nil
}
