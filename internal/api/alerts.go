package api

import (
	"io"
	"net/http"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/services/todo"
	"github.com/lianxin/lianxin/internal/store/alerts"
)

// 防瘫预警: the alerts of the caller's scope, their workflow and figures,
// the rules and their tuning, an evaluation on demand, and the to-do list.

var alertFilterQuery = []param{
	{"rule", "string", "规则代码"}, {"level", "string", "yellow、orange、red"},
	{"region", "string", "区划或功能区代码（含下级街道）"}, {"under", "integer", "该党组织的整棵子树（按党委筛选）"},
	{"party_org_id", "integer", "党组织"}, {"status", "string", "open、acknowledged、resolved、closed、current（默认：未消除的）、all"},
	{"assignee", "string", "me：分配给我的"},
	{"waiting", "boolean", "只看等我处理的（分配给我的，或未分配的本组织及直属下级的，待办）"},
}

var alertListQuery = withPaging(append(append([]param{}, alertFilterQuery...), param{"sort", "string", "level（默认 -level）、since、opened_on、org、rule、urgency（待办的紧急程度）"})...)

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
	if q.flag("waiting") {
		f.WaitingOn, f.WaitingUser = p.User.PartyOrgID, p.User.ID
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

func (s *Server) alertAction(action alert.AlertAction) handlerFunc {
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
	AsOf    domain.Date                           `json:"as_of"`
	Millis  float64                               `json:"duration_ms"`
	PerRule map[alert.RuleCode]*alerts.RuleTiming `json:"per_rule"`
	Items   []alerts.AlertView                    `json:"items"`
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
	return s.Store.Alerts.UpdateAlertRule(r.Context(), p.Caller(s.Now()), alert.RuleCode(r.PathValue("code")), in)
}

// todo is the to-do list for the caller.
func (s *Server) todo(p *auth.Principal) (todo.Service, todo.Viewer) {
	return todo.Service{Store: s.Store, Now: s.Now},
		todo.Viewer{Scope: p.Scope(), Node: p.User.PartyOrgID, UserID: p.User.ID, Alerts: p.Can(auth.PermAlertRead), PartyOrgs: p.Can(auth.PermPartyOrgRead)}
}

func (s *Server) getTodoCounts(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	svc, v := s.todo(p)
	return svc.Counts(r.Context(), v)
}

func (s *Server) getTodo(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	svc, v := s.todo(p)
	return svc.List(r.Context(), v)
}
