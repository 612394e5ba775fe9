package orglife

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// Activities of organizational life (组织生活). An activity is seen by the
// staff of any of its hosting Party orgs (activity_hosts holds them all, the
// main one included) and changed by the staff of its main host.

// HostRef names a hosting Party org.
type HostRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ThemeRef names the monthly theme a 主题党日 follows.
type ThemeRef struct {
	ID    int64  `json:"id"`
	Month string `json:"month"`
	Title string `json:"title"`
}

// ActivityView is an activity as the API shows it.
type ActivityView struct {
	ID int64 `json:"id"`
	activity.ActivityInput
	TypeName     string                    `json:"type_name"`
	PartyOrgName string                    `json:"party_org_name"`
	Hosts        []HostRef                 `json:"hosts"`
	MonthlyTheme *ThemeRef                 `json:"monthly_theme"`
	CancelReason string                    `json:"cancel_reason"`
	Stats        *activity.AttendanceStats `json:"stats"`
	Quorum       *activity.Quorum          `json:"quorum"`
	Attachments  []Attachment              `json:"attachments,omitempty"`
	CreatedAt    time.Time                 `json:"created_at"`
	UpdatedAt    time.Time                 `json:"updated_at"`
	Version      int                       `json:"version"`
	// path of the main host, for the write check
	hostPath string
}

// ActivityFilter selects activities.
type ActivityFilter struct {
	PartyOrgID int64  // hosted (or co-hosted) by this org
	Under      int64  // hosted by an org of this subtree
	Region     string // main host in this district or street
	Type       string
	Status     string
	Open       *bool
	From, To   string // start dates, inclusive, YYYY-MM-DD in the city's time zone
	Q          string
	Desc       bool // newest first (the default)
	Page       store.Page
}

const activityCols = `a.id, a.party_org_id, a.type, a.title, a.theme, a.monthly_theme_id, a.starts_at, a.ends_at, a.address,
	a.latitude, a.longitude, a.open, a.capacity, a.agenda, a.minutes, a.resolutions, a.question, a.decision, a.outcome,
	a.status, a.cancel_reason, a.created_at, a.updated_at, a.version, p.name, p.path, COALESCE(mt.month, ''), COALESCE(mt.title, '')`

const activityFrom = ` FROM activities a JOIN party_orgs p ON p.id = a.party_org_id LEFT JOIN monthly_themes mt ON mt.id = a.monthly_theme_id`

// activityScope: some host of the activity lies in the scope.
const activityScope = `EXISTS (SELECT 1 FROM activity_hosts sh JOIN party_orgs sp ON sp.id = sh.party_org_id
	WHERE sh.activity_id = a.id AND sp.path >= ? AND sp.path < ?)`

func scanActivity(r interface{ Scan(...any) error }) (ActivityView, error) {
	var v ActivityView
	var theme sql.NullInt64
	var lat, lng sql.NullFloat64
	var starts, ends, created, updated, themeMonth, themeTitle string
	var open int
	err := r.Scan(&v.ID, &v.PartyOrgID, &v.Type, &v.Title, &v.Theme, &theme, &starts, &ends, &v.Address,
		&lat, &lng, &open, &v.Capacity, &v.Agenda, &v.Minutes, &v.Resolutions, &v.Question, &v.Decision, &v.Outcome,
		&v.Status, &v.CancelReason, &created, &updated, &v.Version, &v.PartyOrgName, &v.hostPath, &themeMonth, &themeTitle)
	if err != nil {
		return v, err
	}
	v.StartsAt, v.EndsAt, v.CreatedAt, v.UpdatedAt = store.ParseTS(starts), store.ParseTS(ends), store.ParseTS(created), store.ParseTS(updated)
	v.Open = open == 1
	v.TypeName = v.Type.Name()
	if lat.Valid && lng.Valid {
		v.Latitude, v.Longitude = &lat.Float64, &lng.Float64
	}
	if theme.Valid {
		id := theme.Int64
		v.MonthlyThemeID = &id
		v.MonthlyTheme = &ThemeRef{ID: id, Month: themeMonth, Title: themeTitle}
	}
	v.CoHostIDs = []int64{}
	return v, nil
}

// GetActivity returns an activity some host of which lies in the scope,
// with its hosts, attendance figures and attachments.
func (s *Store) GetActivity(ctx context.Context, sc store.Scope, id int64) (ActivityView, error) {
	v, err := s.getActivity(ctx, s.db.Pool(), sc, id)
	if err != nil {
		return v, err
	}
	if err := s.decorateActivities(ctx, s.db.Pool(), []*ActivityView{&v}); err != nil {
		return v, err
	}
	v.Attachments, err = s.attachments(ctx, id)
	return v, err
}

func (s *Store) getActivity(ctx context.Context, q store.Querier, sc store.Scope, id int64) (ActivityView, error) {
	lo, hi := sc.Bounds()
	v, err := scanActivity(q.QueryRow(ctx, `SELECT `+activityCols+activityFrom+` WHERE a.id = ? AND `+activityScope, id, lo, hi))
	if errors.Is(err, sql.ErrNoRows) {
		return v, domain.ErrNotFound
	}
	return v, err
}

// decorateActivities adds hosts and attendance figures to a page of
// activities: one query each for the page.
func (s *Store) decorateActivities(ctx context.Context, q store.Querier, vs []*ActivityView) error {
	if len(vs) == 0 {
		return nil
	}
	byID := map[int64]*ActivityView{}
	ids := make([]string, len(vs))
	for i, v := range vs {
		byID[v.ID] = v
		ids[i] = strconv.FormatInt(v.ID, 10)
		v.Hosts = nil
	}
	in := strings.Join(ids, ",")
	rows, err := q.Query(ctx, `SELECT h.activity_id, p.id, p.name FROM activity_hosts h JOIN party_orgs p ON p.id = h.party_org_id
		WHERE h.activity_id IN (`+in+`) ORDER BY h.activity_id, p.path`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var aid int64
		var h HostRef
		if err := rows.Scan(&aid, &h.ID, &h.Name); err != nil {
			rows.Close()
			return err
		}
		v := byID[aid]
		if h.ID == v.PartyOrgID {
			v.Hosts = append([]HostRef{h}, v.Hosts...)
		} else {
			v.Hosts = append(v.Hosts, h)
			v.CoHostIDs = append(v.CoHostIDs, h.ID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Attendance figures of the whole page: the roster rule of rosterQuery
	// (the hosts' members in good standing, and whoever has an attendance),
	// for every activity of the page at once, in two indexed reads merged
	// here. One UNION joined to members made PostgreSQL hash the whole
	// members table for a page of twenty.
	type key struct{ activity, member int64 }
	type row struct {
		status, kind string
		recognized   int
	}
	roster := map[key]*row{}
	rows, err = q.Query(ctx, `SELECT h.activity_id, mm.id, mm.status FROM activity_hosts h
		JOIN members mm ON mm.party_org_id = h.party_org_id AND mm.standing = ? WHERE h.activity_id IN (`+in+`)`, domain.StandingRegistered)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k key
		r := &row{}
		if err := rows.Scan(&k.activity, &k.member, &r.status); err != nil {
			rows.Close()
			return err
		}
		roster[k] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.Query(ctx, `SELECT t.activity_id, t.member_id, m.status, t.kind, t.recognized FROM attendances t
		JOIN members m ON m.id = t.member_id WHERE t.activity_id IN (`+in+`)`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k key
		r := &row{}
		if err := rows.Scan(&k.activity, &k.member, &r.status, &r.kind, &r.recognized); err != nil {
			return err
		}
		roster[k] = r
	}
	if err := rows.Err(); err != nil {
		return err
	}
	entries := map[int64][]activity.RosterEntry{}
	guests := map[int64]int{}
	for k, r := range roster {
		if r.recognized == 1 {
			if r.kind == string(activity.AttendPresent) {
				guests[k.activity]++
			}
			continue
		}
		entries[k.activity] = append(entries[k.activity], activity.RosterEntry{Status: r.status, Kind: activity.AttendanceKind(r.kind)})
	}
	for _, v := range vs {
		st, qm := attendanceFigures(v.Type, entries[v.ID], guests[v.ID])
		v.Stats, v.Quorum = &st, qm
	}
	return nil
}

// attendanceFigures sums a roster and the guests present; a 支部党员大会
// also gets its quorum.
func attendanceFigures(typ activity.ActivityType, roster []activity.RosterEntry, guests int) (activity.AttendanceStats, *activity.Quorum) {
	st := activity.AttendanceStatsOf(roster, guests)
	if typ != activity.MembersMeeting {
		return st, nil
	}
	qm := activity.RosterQuorum(roster)
	return st, &qm
}

func countPresent(rows []RosterRow) int {
	n := 0
	for _, r := range rows {
		if r.Kind == string(activity.AttendPresent) {
			n++
		}
	}
	return n
}

// hostsOf lists an activity's hosting Party org ids, the main one first.
func hostsOf(v *ActivityView) []int64 {
	out := []int64{v.PartyOrgID}
	for _, h := range v.Hosts {
		if h.ID != v.PartyOrgID {
			out = append(out, h.ID)
		}
	}
	return out
}

// activityHostRef is what a write needs to know about a hosting Party org.
type activityHostRef struct {
	ID     int64
	Name   string
	Path   string
	Status string
}

// checkHosts resolves the hosting orgs: each must exist in the caller's
// scope and be active.
func (s *Store) checkHosts(ctx context.Context, t *store.Tx, sc store.Scope, in *activity.ActivityInput) error {
	lo, hi := sc.Bounds()
	for i, id := range in.Hosts() {
		field := "party_org_id"
		if i > 0 {
			field = "co_host_ids"
		}
		var h activityHostRef
		err := t.QueryRow(ctx, `SELECT id, name, path, status FROM party_orgs WHERE id = ? AND path >= ? AND path < ?`, id, lo, hi).Scan(&h.ID, &h.Name, &h.Path, &h.Status)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.FieldError(field, "党组织不存在或不在您的管理范围内")
		}
		if err != nil {
			return err
		}
		if h.Status != domain.StatusActive {
			return domain.FieldError(field, "党组织已撤销，不能举办活动："+h.Name)
		}
	}
	return nil
}

// checkTheme: a 主题党日's monthly theme must be the theme of its month.
func checkTheme(ctx context.Context, t *store.Tx, in *activity.ActivityInput) error {
	if in.MonthlyThemeID == nil {
		return nil
	}
	m, err := monthlyTheme(ctx, t, `id = ?`, *in.MonthlyThemeID)
	if errors.Is(err, domain.ErrNotFound) {
		return domain.FieldError("monthly_theme_id", "每月主题不存在")
	}
	if err != nil {
		return err
	}
	if month := in.StartsAt.In(domain.Shanghai).Format("2006-01"); m.Month != month {
		return domain.FieldError("monthly_theme_id", fmt.Sprintf("所选主题属于%s，活动在%s举行", m.Month, month))
	}
	return nil
}

// activityWriteCols are the columns an input writes.
const activityWriteCols = `party_org_id, type, title, theme, monthly_theme_id, starts_at, ends_at, start_date, address, latitude, longitude,
	open, capacity, agenda, minutes, resolutions, question, decision, outcome, status`

func activityWriteArgs(in *activity.ActivityInput) []any {
	var theme any
	if in.MonthlyThemeID != nil {
		theme = *in.MonthlyThemeID
	}
	var lat, lng any
	if in.Latitude != nil && in.Longitude != nil {
		lat, lng = *in.Latitude, *in.Longitude
	}
	return []any{in.PartyOrgID, string(in.Type), in.Title, in.Theme, theme, store.TS(in.StartsAt), store.TS(in.EndsAt), string(domain.DateOf(in.StartsAt)),
		in.Address, lat, lng, store.BoolInt(in.Open), in.Capacity, in.Agenda, in.Minutes, in.Resolutions, in.Question, in.Decision, in.Outcome, string(in.Status)}
}

// activityState is the audited and historied state of an activity.
func activityState(v ActivityView) activity.ActivityInput {
	in := v.ActivityInput
	in.CoHostIDs = hostsOf(&v)[1:]
	return in
}

// CreateActivity validates and stores a new activity.
func (s *Store) CreateActivity(ctx context.Context, c store.Caller, in activity.ActivityInput) (ActivityView, error) {
	if err := in.Validate(c.Now); err != nil {
		return ActivityView{}, err
	}
	var id int64
	err := s.db.Write(ctx, func(t *store.Tx) error {
		if err := s.checkHosts(ctx, t, c.Scope, &in); err != nil {
			return err
		}
		if err := checkTheme(ctx, t, &in); err != nil {
			return err
		}
		err := t.QueryRow(ctx, `INSERT INTO activities (`+activityWriteCols+`, created_by, created_at, updated_at, version) VALUES (`+
			store.Placeholders(store.CountCols(activityWriteCols)+3)+`, 1) RETURNING id`,
			append(activityWriteArgs(&in), store.NullInt(c.Actor.UserID), store.TS(c.Now), store.TS(c.Now))...).Scan(&id)
		if err != nil {
			return err
		}
		for _, h := range in.Hosts() {
			if _, err := t.Exec(ctx, `INSERT INTO activity_hosts (activity_id, party_org_id) VALUES (?, ?)`, id, h); err != nil {
				return err
			}
		}
		if in.Status == activity.ActivityHeld {
			if err := s.refreshLedgerMonths(ctx, t, ledgerKeys(in)...); err != nil {
				return err
			}
		}
		if err := s.db.AddHistory(ctx, t, c, "activity", id, audit.ActionCreate, activity.ActivityInput{}, in); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionCreate, "activity", strconv.FormatInt(id, 10), audit.ResultSuccess).WithStates(nil, in))
	})
	if err != nil {
		return ActivityView{}, err
	}
	return s.GetActivity(ctx, c.Scope, id)
}

// writableActivity loads an activity for a change: its main host must lie
// in the caller's scope (a co-host's staff see it but do not edit it).
func (s *Store) writableActivity(ctx context.Context, t *store.Tx, sc store.Scope, id int64) (ActivityView, error) {
	v, err := s.getActivity(ctx, t, sc, id)
	if err != nil {
		return v, err
	}
	if !sc.Contains(v.hostPath) {
		return v, fmt.Errorf("%w：只有主办党组织可以修改该活动", domain.ErrForbidden)
	}
	if err := s.decorateActivities(ctx, t, []*ActivityView{&v}); err != nil {
		return v, err
	}
	return v, nil
}

// UpdateActivity replaces an activity's fields. version, when given, must
// match. A cancelled activity cannot change; a held one stays held.
func (s *Store) UpdateActivity(ctx context.Context, c store.Caller, id int64, in activity.ActivityInput, version *int) (ActivityView, error) {
	defer s.activityCache.Clear()
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, err := s.writableActivity(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if version != nil && *version != before.Version {
			return &domain.ConflictError{Field: "version", Message: "该活动已被他人修改，请刷新后重试"}
		}
		if before.Status == activity.ActivityCancelled {
			return &domain.ConflictError{Field: "status", Message: "已取消的活动不能修改"}
		}
		if in.Status == "" {
			in.Status = before.Status
		}
		if err := in.Validate(c.Now); err != nil {
			return err
		}
		if err := activity.CheckStatusChange(before.Status, in.Status); err != nil {
			return err
		}
		if in.Open && before.Stats != nil && in.Capacity < before.Stats.Guests {
			return domain.FieldError("capacity", fmt.Sprintf("已有%d名外单位党员签到，名额不能少于此数", before.Stats.Guests))
		}
		if !in.Open && before.Stats != nil && before.Stats.Guests > 0 {
			return domain.FieldError("open", "已有外单位党员签到，不能改为非开放式")
		}
		if err := s.checkHosts(ctx, t, c.Scope, &in); err != nil {
			return err
		}
		if err := checkTheme(ctx, t, &in); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `UPDATE activities SET `+store.SetClause(activityWriteCols)+`, updated_at = ?, version = version + 1 WHERE id = ?`,
			append(activityWriteArgs(&in), store.TS(c.Now), id)...); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `DELETE FROM activity_hosts WHERE activity_id = ?`, id); err != nil {
			return err
		}
		for _, h := range in.Hosts() {
			if _, err := t.Exec(ctx, `INSERT INTO activity_hosts (activity_id, party_org_id) VALUES (?, ?)`, id, h); err != nil {
				return err
			}
		}
		old := activityState(before)
		if err := s.refreshLedgerMonths(ctx, t, append(ledgerKeys(old), ledgerKeys(in)...)...); err != nil {
			return err
		}
		if err := s.db.AddHistory(ctx, t, c, "activity", id, audit.ActionUpdate, old, in); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUpdate, "activity", strconv.FormatInt(id, 10), audit.ResultSuccess).WithStates(old, in))
	})
	if err != nil {
		return ActivityView{}, err
	}
	return s.GetActivity(ctx, c.Scope, id)
}

// CancelActivity cancels a planned activity with its reason. Its check-in
// codes die with it: a check-in reads the status.
func (s *Store) CancelActivity(ctx context.Context, c store.Caller, id int64, in activity.CancelInput) (ActivityView, error) {
	defer s.activityCache.Clear()
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, err := s.writableActivity(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if err := in.Validate(before.Status); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `UPDATE activities SET status = 'cancelled', cancel_reason = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			in.Reason, store.TS(c.Now), id); err != nil {
			return err
		}
		type state struct {
			Status string `json:"status"`
			Reason string `json:"cancel_reason"`
		}
		from, to := state{string(before.Status), before.CancelReason}, state{string(activity.ActivityCancelled), in.Reason}
		if err := s.db.AddHistory(ctx, t, c, "activity", id, audit.ActionCancel, from, to); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionCancel, "activity", strconv.FormatInt(id, 10), audit.ResultSuccess).WithStates(from, to))
	})
	if err != nil {
		return ActivityView{}, err
	}
	return s.GetActivity(ctx, c.Scope, id)
}

// ActivityHistory returns an activity's changes, newest first.
func (s *Store) ActivityHistory(ctx context.Context, sc store.Scope, id int64) ([]store.HistoryEntry, error) {
	if _, err := s.getActivity(ctx, s.db.Pool(), sc, id); err != nil {
		return nil, err
	}
	return s.db.History(ctx, "activity", id)
}
