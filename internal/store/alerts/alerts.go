package alerts

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/domain/todo"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// Alerts as staff read and work them: scoped lists, one alert with its
// events, the workflow (assign, acknowledge, resolve, reopen), the
// dashboard's figures.

// AlertView is an alert with the names a page shows.
type AlertView struct {
	ID           int64            `json:"id"`
	Rule         alert.RuleCode   `json:"rule"`
	RuleName     string           `json:"rule_name"`
	PartyOrgID   int64            `json:"party_org_id"`
	PartyOrgName string           `json:"party_org_name"`
	PartyOrgType string           `json:"party_org_type"`
	Region       string           `json:"region"`
	DistrictName string           `json:"district_name"`
	OwnerOrgID   int64            `json:"owner_org_id"`
	OwnerOrgName string           `json:"owner_org_name"`
	Level        alert.AlertLevel `json:"level"`
	Since        domain.Date      `json:"since"`
	Days         int              `json:"days"`
	Reason       string           `json:"reason"`
	Status       string           `json:"status"`
	AssigneeID   *int64           `json:"assignee_id"`
	AssigneeName string           `json:"assignee_name"`
	Note         string           `json:"note"`
	OpenedOn     domain.Date      `json:"opened_on"`
	SeenOn       domain.Date      `json:"seen_on"`
	ClosedOn     domain.Date      `json:"closed_on"`
	Version      int              `json:"version"`
	Events       []AlertEventView `json:"events,omitempty"`
}

// AlertEventView is one step of an alert's history.
type AlertEventView struct {
	At       time.Time   `json:"at"`
	OnDate   domain.Date `json:"on_date"`
	Username string      `json:"username"`
	Action   string      `json:"action"`
	Level    string      `json:"level"`
	Note     string      `json:"note"`
}

// AlertFilter selects alerts.
type AlertFilter struct {
	Rule       string
	Level      string
	Region     string // district, zone or street code
	Under      int64  // a committee's subtree
	PartyOrgID int64
	Status     string // a status, "current" (not closed; default) or "all"
	AssigneeID int64
	// WaitingOn and WaitingUser: what waits on this account of this Party
	// org's staff (待办): current alerts assigned to the account, or
	// unassigned at the org or owned by it (its direct subordinates), of
	// the rules of the alert group (todo.InAlerts).
	WaitingOn, WaitingUser int64
	Sort                   string
	store.Page
}

// AlertSorts whitelists the list's sort keys.
var AlertSorts = map[string]string{
	"level": "CASE a.level WHEN 'red' THEN 3 WHEN 'orange' THEN 2 ELSE 1 END", "since": "a.since", "opened_on": "a.opened_on",
	"org": "a.path", "rule": "a.rule", "id": "a.id", "urgency": "",
}

// urgencyOrder is todo.Urgency's order in SQL: the level, then an overdue
// alert (todo.AlertOverdue), then the oldest.
var urgencyOrder = "CASE a.level WHEN 'red' THEN 3 WHEN 'orange' THEN 2 ELSE 1 END DESC, CASE WHEN a.rule = '" +
	string(alert.RuleTermOverdue) + "' THEN 1 ELSE 0 END DESC, a.since, a.id"

const alertCols = `a.id, a.rule, a.party_org_id, p.name, p.type, a.region_code,
	CASE WHEN r.level = 'street' THEN COALESCE(rp.name, '') ELSE COALESCE(r.name, '') END,
	COALESCE(a.owner_org_id, 0), COALESCE(o.name, ''), a.level, a.since, a.reason, a.status, a.assignee_id, COALESCE(u.display_name, ''),
	a.note, a.opened_on, a.seen_on, COALESCE(a.closed_on, ''), a.version`

const alertFrom = ` FROM alerts a JOIN party_orgs p ON p.id = a.party_org_id
	LEFT JOIN party_orgs o ON o.id = a.owner_org_id LEFT JOIN users u ON u.id = a.assignee_id
	LEFT JOIN regions r ON r.code = a.region_code LEFT JOIN regions rp ON rp.code = r.parent_code`

func scanAlert(r interface{ Scan(...any) error }, extra ...any) (AlertView, error) {
	var v AlertView
	var rule, level, since, opened, seen, closed string
	var assignee sql.NullInt64
	err := r.Scan(append([]any{&v.ID, &rule, &v.PartyOrgID, &v.PartyOrgName, &v.PartyOrgType, &v.Region, &v.DistrictName,
		&v.OwnerOrgID, &v.OwnerOrgName, &level, &since, &v.Reason, &v.Status, &assignee, &v.AssigneeName,
		&v.Note, &opened, &seen, &closed, &v.Version}, extra...)...)
	v.Rule, v.Level, v.Since = alert.RuleCode(rule), alert.AlertLevel(level), domain.Date(since)
	v.OpenedOn, v.SeenOn, v.ClosedOn = domain.Date(opened), domain.Date(seen), domain.Date(closed)
	if d, ok := alert.RuleDefOf(v.Rule); ok {
		v.RuleName = d.Name
	}
	if assignee.Valid {
		v.AssigneeID = &assignee.Int64
	}
	end := v.SeenOn
	if v.ClosedOn != "" {
		end = v.ClosedOn
	}
	if a, ok1 := domain.ParseDate(string(v.Since)); ok1 {
		if b, ok2 := domain.ParseDate(string(end)); ok2 && !b.Before(a) {
			v.Days = int(b.Sub(a).Hours() / 24)
		}
	}
	return v, err
}

// alertWhere builds the filter's conditions inside the scope.
func (s *Store) alertWhere(ctx context.Context, sc store.Scope, f AlertFilter) ([]string, []any, error) {
	lo, hi := sc.Bounds()
	conds := []string{"a.path >= ? AND a.path < ?"}
	args := []any{lo, hi}
	if whole, err := s.db.WholeTree(ctx, sc); err != nil {
		return nil, nil, err
	} else if whole {
		conds, args = nil, nil // city staff: no scope condition to plan around
	}
	switch f.Status {
	case "", "current":
		conds = append(conds, "a.status <> 'closed'")
	case "all":
	default:
		if !alert.AlertStatuses.Has(f.Status) {
			return nil, nil, domain.FieldError("status", "状态应为 open、acknowledged、resolved、closed、current 或 all")
		}
		conds = append(conds, "a.status = ?")
		args = append(args, f.Status)
	}
	if f.Rule != "" {
		if _, ok := alert.RuleDefOf(alert.RuleCode(f.Rule)); !ok {
			return nil, nil, domain.FieldError("rule", "没有这条预警规则："+f.Rule)
		}
		conds = append(conds, "a.rule = ?")
		args = append(args, f.Rule)
	}
	if f.Level != "" {
		if !alert.AlertLevels.Has(f.Level) {
			return nil, nil, domain.FieldError("level", "预警等级应为 yellow、orange 或 red")
		}
		conds = append(conds, "a.level = ?")
		args = append(args, f.Level)
	}
	if f.Region != "" {
		conds = append(conds, "a.region_code IN (SELECT code FROM regions WHERE code = ? OR parent_code = ? OR functional_zone_code = ?)")
		args = append(args, f.Region, f.Region, f.Region)
	}
	if f.Under > 0 {
		ulo, uhi, err := s.db.SubtreeBounds(ctx, f.Under)
		if err != nil {
			return nil, nil, err
		}
		conds = append(conds, "a.path >= ? AND a.path < ?")
		args = append(args, ulo, uhi)
	}
	if f.PartyOrgID > 0 {
		conds = append(conds, "a.party_org_id = ?")
		args = append(args, f.PartyOrgID)
	}
	if f.AssigneeID > 0 {
		conds = append(conds, "a.assignee_id = ?")
		args = append(args, f.AssigneeID)
	}
	if f.WaitingOn > 0 {
		// Three indexed lookups (assignee, owner, org): written as an OR,
		// SQLite walked the city's 20,000 current alerts by path instead.
		conds = append(conds, "a.status IN ('open', 'acknowledged') AND a.rule NOT IN ("+outsideAlertGroup+
			`) AND a.id IN (SELECT id FROM alerts WHERE assignee_id = ? AND status IN ('open', 'acknowledged')
				UNION SELECT id FROM alerts WHERE owner_org_id = ? AND status IN ('open', 'acknowledged') AND assignee_id IS NULL
				UNION SELECT id FROM alerts WHERE party_org_id = ? AND status IN ('open', 'acknowledged') AND assignee_id IS NULL)`)
		args = append(args, f.WaitingUser, f.WaitingOn, f.WaitingOn)
	}
	return conds, args, nil
}

// outsideAlertGroup lists, as SQL, the rules whose alerts wait in another
// group of the to-do list (todo.InAlerts).
var outsideAlertGroup = func() string {
	var out []string
	for _, d := range alert.Rules {
		if !todo.InAlerts(d.Code) {
			out = append(out, "'"+string(d.Code)+"'")
		}
	}
	if len(out) == 0 {
		return "''"
	}
	return strings.Join(out, ", ")
}()

// ListAlerts returns a page of alerts inside the scope and the total.
func (s *Store) ListAlerts(ctx context.Context, sc store.Scope, f AlertFilter) ([]AlertView, int, error) {
	conds, args, err := s.alertWhere(ctx, sc, f)
	if err != nil {
		return nil, 0, err
	}
	sortKey := f.Sort
	if sortKey == "" {
		sortKey = "-level"
	}
	// OrderBy's tie-breaker names p.id, the alert's Party org: the ids are
	// read from the alerts alone, where that is a.party_org_id.
	order := strings.ReplaceAll(store.OrderBy(sortKey, AlertSorts, "a.id"), "p.id", "a.party_org_id") + ", a.id"
	if strings.TrimPrefix(sortKey, "-") == "urgency" {
		order = urgencyOrder
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM alerts a`+store.WhereClause(conds), args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	// The page's ids from the alerts alone (the city's 20,000 current
	// alerts sorted without their names), then the page with its names.
	ids, err := store.QueryInts(ctx, s.db.Pool(), `SELECT a.id FROM alerts a`+store.WhereClause(conds)+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
		append(args, f.Limit(), f.Offset())...)
	if err != nil || len(ids) == 0 {
		return []AlertView{}, total, err
	}
	page, err := s.alerts(ctx, `SELECT `+alertCols+alertFrom+` WHERE a.id IN (`+store.JoinInts(ids)+`)`)
	if err != nil {
		return nil, 0, err
	}
	byID := make(map[int64]AlertView, len(page))
	for _, v := range page {
		byID[v.ID] = v
	}
	out := make([]AlertView, 0, len(ids))
	for _, id := range ids {
		out = append(out, byID[id])
	}
	return out, total, nil
}

// WaitingCounts counts the current alerts waiting on the account of the
// Party org's staff (AlertFilter.WaitingOn) and those of them assigned to it.
func (s *Store) WaitingCounts(ctx context.Context, sc store.Scope, node, userID int64) (waiting, assigned int, err error) {
	conds, args, err := s.alertWhere(ctx, sc, AlertFilter{Status: "all", WaitingOn: node, WaitingUser: userID})
	if err != nil {
		return 0, 0, err
	}
	err = s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN a.assignee_id = ? THEN 1 ELSE 0 END), 0) FROM alerts a`+store.WhereClause(conds),
		append([]any{userID}, args...)...).Scan(&waiting, &assigned)
	return waiting, assigned, err
}

func (s *Store) alerts(ctx context.Context, q string, args ...any) ([]AlertView, error) {
	rows, err := s.db.QueryRows(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AlertView{}
	for rows.Next() {
		v, err := scanAlert(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AlertsForExport returns every alert of the filter (at most limit).
func (s *Store) AlertsForExport(ctx context.Context, sc store.Scope, f AlertFilter, limit int) ([]AlertView, error) {
	conds, args, err := s.alertWhere(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	return s.alerts(ctx, `SELECT `+alertCols+alertFrom+store.WhereClause(conds)+` ORDER BY a.path, a.rule, a.id LIMIT ?`, append(args, limit)...)
}

// GetAlert returns one alert inside the scope with its history.
func (s *Store) GetAlert(ctx context.Context, sc store.Scope, id int64) (AlertView, error) {
	lo, hi := sc.Bounds()
	v, err := scanAlert(s.db.QueryRow(ctx, `SELECT `+alertCols+alertFrom+` WHERE a.id = ? AND a.path >= ? AND a.path < ?`, id, lo, hi))
	if errors.Is(err, sql.ErrNoRows) {
		return v, domain.ErrNotFound
	}
	if err != nil {
		return v, err
	}
	rows, err := s.db.QueryRows(ctx, `SELECT at, on_date, username, action, level, note FROM alert_events WHERE alert_id = ? ORDER BY id`, id)
	if err != nil {
		return v, err
	}
	defer rows.Close()
	v.Events = []AlertEventView{}
	for rows.Next() {
		var e AlertEventView
		var at, on string
		if err := rows.Scan(&at, &on, &e.Username, &e.Action, &e.Level, &e.Note); err != nil {
			return v, err
		}
		e.At, e.OnDate = store.ParseTS(at), domain.Date(on)
		v.Events = append(v.Events, e)
	}
	return v, rows.Err()
}

// AlertAction is a step of the workflow.
type AlertAction struct {
	AssigneeID *int64 `json:"assignee_id"`
	Note       string `json:"note" text:"multiline"`
	Version    *int   `json:"version"`
}

// ActOnAlert applies one workflow step inside the caller's scope.
func (s *Store) ActOnAlert(ctx context.Context, c store.Caller, id int64, action alert.AlertAction, in AlertAction) (AlertView, error) {
	note, err := alert.AlertNote(in.Note)
	if err != nil {
		return AlertView{}, err
	}
	err = s.db.Write(ctx, func(t *store.Tx) error {
		lo, hi := c.Scope.Bounds()
		var status, level, path string
		var version int
		var assignee sql.NullInt64
		err := t.QueryRow(ctx, `SELECT status, level, path, version, assignee_id FROM alerts WHERE id = ? AND path >= ? AND path < ?`+s.db.D.ForUpdate(),
			id, lo, hi).Scan(&status, &level, &path, &version, &assignee)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNotFound
		}
		if err != nil {
			return err
		}
		if in.Version != nil && *in.Version != version {
			return &domain.ConflictError{Field: "version", Message: "该预警已被他人处理或已重新评估，请刷新后重试"}
		}
		next, err := alert.AlertStatus(status).Apply(action, alert.AlertStep{HasAssignee: in.AssigneeID != nil, Note: note})
		if err != nil {
			return err
		}
		set, args := "", []any{}
		if action == alert.AlertAssign {
			var upath string
			var disabled bool
			err := t.QueryRow(ctx, `SELECT p.path, u.disabled FROM users u JOIN party_orgs p ON p.id = u.party_org_id WHERE u.id = ? AND u.member_id IS NULL`,
				*in.AssigneeID).Scan(&upath, &disabled)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && (disabled || !strings.HasPrefix(path, upath))) {
				return domain.FieldError("assignee_id", "负责人应为该党组织或其上级党组织的在用工作人员账号")
			}
			if err != nil {
				return err
			}
			set, args = ", assignee_id = ?", []any{*in.AssigneeID}
		}
		if at, ok := action.ResolvedAt(alert.AlertLevel(level)); ok {
			set += ", resolved_level = ?"
			args = append(args, string(at))
		}
		if note != "" {
			set += ", note = ?"
			args = append(args, note)
		}
		args = append([]any{string(next), store.TS(c.Now)}, args...)
		args = append(args, id)
		if _, err := t.Exec(ctx, `UPDATE alerts SET status = ?, updated_at = ?, version = version + 1`+set+` WHERE id = ?`, args...); err != nil {
			return err
		}
		evNote := note
		if action == alert.AlertAssign {
			var name string
			_ = t.QueryRow(ctx, `SELECT display_name FROM users WHERE id = ?`, *in.AssigneeID).Scan(&name)
			evNote = strings.TrimSpace("分配给 " + name + "；" + note)
			evNote = strings.TrimSuffix(evNote, "；")
		}
		act := action.Event()
		if _, err := t.Exec(ctx, `INSERT INTO alert_events (alert_id, at, on_date, user_id, username, action, level, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			id, store.TS(c.Now), string(domain.DateOf(c.Now)), store.NullID(c.Actor.UserID), c.Actor.Username, act, level, evNote); err != nil {
			return err
		}
		type state struct {
			Status string `json:"status"`
			Note   string `json:"note,omitempty"`
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUpdate, "alert", store.Itoa64(id), audit.ResultSuccess).
			WithStates(state{Status: status}, state{Status: string(next), Note: evNote}))
	})
	if err != nil {
		return AlertView{}, err
	}
	return s.GetAlert(ctx, c.Scope, id)
}

// Assignee is a staff account an alert may be given to.
type Assignee struct {
	ID           int64  `json:"id"`
	DisplayName  string `json:"display_name"`
	PartyOrgName string `json:"party_org_name"`
}

// AlertAssignees lists the enabled staff accounts bound to the org or one
// of its superiors, within the caller's scope.
func (s *Store) AlertAssignees(ctx context.Context, sc store.Scope, orgID int64) ([]Assignee, error) {
	o, err := s.registry.GetPartyOrg(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	lo, hi := sc.Bounds()
	rows, err := s.db.QueryRows(ctx, `SELECT u.id, u.display_name, p.name, p.path FROM users u JOIN party_orgs p ON p.id = u.party_org_id
		WHERE u.disabled = 0 AND u.member_id IS NULL AND p.path >= ? AND p.path < ? ORDER BY p.depth DESC, u.display_name`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Assignee{}
	for rows.Next() {
		var a Assignee
		var path string
		if err := rows.Scan(&a.ID, &a.DisplayName, &a.PartyOrgName, &path); err != nil {
			return nil, err
		}
		if strings.HasPrefix(o.Path, path) {
			out = append(out, a)
		}
	}
	return out, rows.Err()
}

// LevelCounts counts alerts by level.
type LevelCounts struct {
	Yellow int `json:"yellow"`
	Orange int `json:"orange"`
	Red    int `json:"red"`
	Total  int `json:"total"`
}

func (l *LevelCounts) add(level string, n int) {
	switch level {
	case "yellow":
		l.Yellow += n
	case "orange":
		l.Orange += n
	case "red":
		l.Red += n
	}
	l.Total += n
}

// AlertStats are the dashboard's figures of the current alerts in scope.
type AlertStats struct {
	AsOf    domain.Date `json:"as_of"`
	LastRun *AlertRun   `json:"last_run"`
	Totals  LevelCounts `json:"totals"`
	ByRule  []struct {
		Rule alert.RuleCode `json:"rule"`
		Name string         `json:"name"`
		LevelCounts
	} `json:"by_rule"`
	ByDistrict []struct {
		Code string `json:"code"`
		Name string `json:"name"`
		LevelCounts
	} `json:"by_district"`
	TopOrgs []TopAlertOrg     `json:"top_orgs"`
	Trend   []AlertTrendPoint `json:"trend"`
}

// TopAlertOrg is one of the orgs with the most current alerts.
type TopAlertOrg struct {
	PartyOrgID   int64  `json:"party_org_id"`
	Name         string `json:"name"`
	DistrictName string `json:"district_name"`
	Total        int    `json:"total"`
	WorstLevel   string `json:"worst_level"`
}

// AlertTrendPoint counts the alerts not closed on a day.
type AlertTrendPoint struct {
	Date domain.Date `json:"date"`
	LevelCounts
}

// TrendDays is the length of the dashboard's trend.
const TrendDays = 90

// AlertStatsOf sums the current alerts of the filter (rule, level and
// status ignored) by rule, district and org, and the trend over TrendDays.
func (s *Store) AlertStatsOf(ctx context.Context, sc store.Scope, f AlertFilter, today domain.Date) (AlertStats, error) {
	f.Rule, f.Level, f.Status, f.PartyOrgID, f.AssigneeID = "", "", "all", 0, 0
	conds, args, err := s.alertWhere(ctx, sc, f)
	if err != nil {
		return AlertStats{}, err
	}
	st := AlertStats{AsOf: today}
	if st.LastRun, err = s.LastAlertRun(ctx); err != nil {
		return st, err
	}
	if st.LastRun != nil {
		st.AsOf = st.LastRun.AsOf
	}
	from := domain.DateOf(mustDate(st.AsOf).AddDate(0, 0, -(TrendDays - 1)).Add(12 * time.Hour))
	rows, err := s.db.QueryRows(ctx, `SELECT a.rule, a.level, a.party_org_id, a.status, a.opened_on, COALESCE(a.closed_on, ''), a.region_code,
		CASE WHEN r.level = 'street' THEN COALESCE(r.parent_code, '') ELSE COALESCE(r.code, '') END,
		CASE WHEN r.level = 'street' THEN COALESCE(rp.name, '') ELSE COALESCE(r.name, '') END
		FROM alerts a LEFT JOIN regions r ON r.code = a.region_code LEFT JOIN regions rp ON rp.code = r.parent_code`+
		store.WhereClause(append(conds, "(a.closed_on IS NULL OR a.closed_on > ?)")), append(args, string(from))...)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	byRule := map[alert.RuleCode]*LevelCounts{}
	type dist struct {
		name string
		LevelCounts
	}
	byDist := map[string]*dist{}
	type orgTally struct {
		n     int
		worst string
		dist  string
	}
	byOrg := map[int64]*orgTally{}
	// diff[k] changes the count of level l on day from+k.
	diff := make([][3]int, TrendDays+1)
	for rows.Next() {
		var rule, level, status, opened, closed, region, dcode, dname string
		var org int64
		if err := rows.Scan(&rule, &level, &org, &status, &opened, &closed, &region, &dcode, &dname); err != nil {
			return st, err
		}
		li := levelRank(level)
		start := max(daysFrom(from, domain.Date(opened)), 0)
		if start <= TrendDays-1 && li >= 0 {
			diff[start][li]++
			if closed != "" {
				if e := daysFrom(from, domain.Date(closed)); e <= TrendDays {
					diff[max(e, 0)][li]--
				}
			}
		}
		if !alert.AlertStatus(status).Current() {
			continue
		}
		st.Totals.add(level, 1)
		if byRule[alert.RuleCode(rule)] == nil {
			byRule[alert.RuleCode(rule)] = &LevelCounts{}
		}
		byRule[alert.RuleCode(rule)].add(level, 1)
		if byDist[dcode] == nil {
			byDist[dcode] = &dist{name: dname}
		}
		byDist[dcode].add(level, 1)
		t := byOrg[org]
		if t == nil {
			t = &orgTally{dist: dname}
			byOrg[org] = t
		}
		t.n++
		if levelRank(level) > levelRank(t.worst) {
			t.worst = level
		}
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	var run [3]int
	for k := range TrendDays {
		for l := range 3 {
			run[l] += diff[k][l]
		}
		p := AlertTrendPoint{Date: domain.DateOf(mustDate(from).AddDate(0, 0, k).Add(12 * time.Hour))}
		p.Yellow, p.Orange, p.Red = run[0], run[1], run[2]
		p.Total = p.Yellow + p.Orange + p.Red
		st.Trend = append(st.Trend, p)
	}
	for _, d := range alert.Rules {
		if c, ok := byRule[d.Code]; ok {
			st.ByRule = append(st.ByRule, struct {
				Rule alert.RuleCode `json:"rule"`
				Name string         `json:"name"`
				LevelCounts
			}{d.Code, d.Name, *c})
		}
	}
	codes := make([]string, 0, len(byDist))
	for c := range byDist {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		st.ByDistrict = append(st.ByDistrict, struct {
			Code string `json:"code"`
			Name string `json:"name"`
			LevelCounts
		}{c, byDist[c].name, byDist[c].LevelCounts})
	}
	ids := make([]int64, 0, len(byOrg))
	for id := range byOrg {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := byOrg[ids[i]], byOrg[ids[j]]
		if a.n != b.n {
			return a.n > b.n
		}
		if ra, rb := levelRank(a.worst), levelRank(b.worst); ra != rb {
			return ra > rb
		}
		return ids[i] < ids[j]
	})
	st.TopOrgs = []TopAlertOrg{}
	for _, id := range ids[:min(10, len(ids))] {
		var name string
		if err := s.db.QueryRow(ctx, `SELECT name FROM party_orgs WHERE id = ?`, id).Scan(&name); err != nil {
			return st, err
		}
		st.TopOrgs = append(st.TopOrgs, TopAlertOrg{id, name, byOrg[id].dist, byOrg[id].n, byOrg[id].worst})
	}
	return st, nil
}

func daysFrom(from, d domain.Date) int {
	a, b := mustDate(from), mustDate(d)
	return int(b.Sub(a).Hours() / 24)
}

// AlertCounts counts the current alerts in scope, and those assigned to a user.
func (s *Store) AlertCounts(ctx context.Context, sc store.Scope, userID int64) (current, assigned int, err error) {
	lo, hi := sc.Bounds()
	err = s.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN assignee_id = ? THEN 1 ELSE 0 END), 0) FROM alerts
		WHERE path >= ? AND path < ? AND status IN ('open', 'acknowledged')`, userID, lo, hi).Scan(&current, &assigned)
	return current, assigned, err
}

// FindingViews shapes an evaluation's findings as alerts (id 0, status
// open), with the names a list shows: what a look at another date answers.
func (s *Store) FindingViews(ctx context.Context, ev *Evaluation) ([]AlertView, error) {
	out := make([]AlertView, 0, len(ev.Findings))
	if len(ev.Findings) == 0 {
		return out, nil
	}
	type ref struct {
		name, typ, region, district, owner string
		ownerID                            int64
	}
	refs := map[int64]ref{}
	rows, err := s.db.QueryRows(ctx, `SELECT p.id, p.name, p.type, p.region_code,
		CASE WHEN r.level = 'street' THEN COALESCE(rp.name, '') ELSE COALESCE(r.name, '') END, COALESCE(p.parent_id, p.id), COALESCE(pp.name, p.name)
		FROM party_orgs p LEFT JOIN party_orgs pp ON pp.id = p.parent_id
		LEFT JOIN regions r ON r.code = p.region_code LEFT JOIN regions rp ON rp.code = r.parent_code`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var r ref
		if err := rows.Scan(&id, &r.name, &r.typ, &r.region, &r.district, &r.ownerID, &r.owner); err != nil {
			rows.Close()
			return nil, err
		}
		refs[id] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, f := range ev.Findings {
		r := refs[f.PartyOrgID]
		v := AlertView{Rule: f.Rule, PartyOrgID: f.PartyOrgID, PartyOrgName: r.name, PartyOrgType: r.typ, Region: r.region, DistrictName: r.district,
			OwnerOrgID: r.ownerID, OwnerOrgName: r.owner, Level: f.Level, Since: f.Since, Reason: f.Reason, Status: string(alert.AlertOpen),
			OpenedOn: ev.AsOf, SeenOn: ev.AsOf}
		if d, ok := alert.RuleDefOf(f.Rule); ok {
			v.RuleName = d.Name
		}
		if f.Since != "" {
			v.Days = daysFrom(f.Since, ev.AsOf)
		}
		out = append(out, v)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := levelRank(string(out[i].Level)), levelRank(string(out[j].Level)); a != b {
			return a > b
		}
		return out[i].PartyOrgID < out[j].PartyOrgID
	})
	return out, nil
}
