package alerts

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/domain"
)

// The alert engine's write side: an evaluation of the whole tree is
// reconciled with the alerts on record in one transaction. A finding
// without an alert raises one; an alert whose finding changed is updated
// (and reopened when it got worse than when it was resolved); an alert
// without a finding closes itself. Nothing is deleted, and every step is
// an alert event, so that the history shows when each signal came and went.

// RunSummary is what an evaluation changed.
type RunSummary struct {
	AsOf      domain.Date                    `json:"as_of"`
	Persisted bool                           `json:"persisted"`
	Raised    int                            `json:"raised"`
	Updated   int                            `json:"updated"`
	Closed    int                            `json:"closed"`
	OpenTotal int                            `json:"open_total"`
	Millis    float64                        `json:"duration_ms"`
	PerRule   map[alert.RuleCode]*RuleTiming `json:"per_rule"`
}

// Alert causes recorded in alert_runs.
const (
	RunSchedule = "schedule"
	RunManual   = "manual"
	RunImport   = "import"
	RunCLI      = "cli"
)

// ErrRunBehind is returned when asked to persist an evaluation dated
// before the last persisted one: history is not rewritten.
var ErrRunBehind = domain.FieldError("now", "该日期早于最近一次评估的日期，只能预览，不能记入预警")

// LastAlertRun is the newest evaluation on record (nil before the first).
func (s *Store) LastAlertRun(ctx context.Context) (*AlertRun, error) {
	var r AlertRun
	var at string
	err := s.db.QueryRow(ctx, `SELECT as_of, cause, started_at, duration_ms FROM alert_runs ORDER BY id DESC LIMIT 1`).Scan(&r.AsOf, &r.Cause, &at, &r.DurationMs)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, err
	}
	r.StartedAt = store.ParseTS(at)
	return &r, nil
}

// AlertRun is one evaluation on record.
type AlertRun struct {
	AsOf       domain.Date `json:"as_of"`
	Cause      string      `json:"cause"`
	StartedAt  time.Time   `json:"started_at"`
	DurationMs int64       `json:"duration_ms"`
}

// RunAlerts evaluates every rule over the whole tree at asOf and records
// the result. An asOf before the last recorded evaluation is refused with
// ErrRunBehind (use Evaluate to look at the past).
func (s *Store) RunAlerts(ctx context.Context, c store.Caller, asOf domain.Date, cause string) (RunSummary, error) {
	started := time.Now()
	ev, err := s.Evaluate(ctx, store.ScopeAll, asOf)
	if err != nil {
		return RunSummary{}, err
	}
	sum := RunSummary{AsOf: asOf, PerRule: ev.PerRule}
	err = s.db.Write(ctx, func(t *store.Tx) error {
		// The engine's row serializes runs (a row lock on PostgreSQL; the
		// single writer on SQLite) and keeps the last date.
		var last string
		if err := t.QueryRow(ctx, `SELECT last_as_of FROM alert_engine WHERE id = 1`+s.db.D.ForUpdate()).Scan(&last); err != nil {
			return err
		}
		if string(asOf) < last {
			return ErrRunBehind
		}
		if _, err := t.Exec(ctx, `UPDATE alert_engine SET last_as_of = ? WHERE id = 1`, string(asOf)); err != nil {
			return err
		}
		return s.reconcile(ctx, t, c, ev, &sum)
	})
	if err != nil {
		return sum, err
	}
	sum.Persisted = true
	sum.Millis = float64(time.Since(started).Microseconds()) / 1000
	perRule, _ := json.Marshal(ev.PerRule)
	err = s.db.Write(ctx, func(t *store.Tx) error {
		_, err := t.Exec(ctx, `INSERT INTO alert_runs (as_of, cause, started_at, duration_ms, raised, updated, closed, open_total, per_rule)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, string(asOf), cause, store.TS(started), int64(sum.Millis), sum.Raised, sum.Updated, sum.Closed, sum.OpenTotal, string(perRule))
		return err
	})
	return sum, err
}

type currentAlert struct {
	id                    int64
	level, since, reason  string
	status, resolvedLevel string
}

func alertKey(rule string, org int64, subject string) string {
	return rule + "|" + strconv.FormatInt(org, 10) + "|" + subject
}

func levelRank(l string) int { return alert.AlertLevel(l).Rank() }

func (s *Store) reconcile(ctx context.Context, t *store.Tx, c store.Caller, ev *Evaluation, sum *RunSummary) error {
	rows, err := t.Query(ctx, `SELECT id, rule, party_org_id, subject, level, since, reason, status, resolved_level FROM alerts WHERE status <> 'closed'`)
	if err != nil {
		return err
	}
	current := map[string]*currentAlert{}
	for rows.Next() {
		var a currentAlert
		var rule, subject string
		var org int64
		if err := rows.Scan(&a.id, &rule, &org, &subject, &a.level, &a.since, &a.reason, &a.status, &a.resolvedLevel); err != nil {
			rows.Close()
			return err
		}
		current[alertKey(rule, org, subject)] = &a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	now, day := store.TS(c.Now), string(ev.AsOf)
	type change struct {
		id                           int64
		level, since, reason, status string
		event, note                  string
	}
	var changes []change
	var fresh []OrgFinding
	seen := make(map[string]bool, len(ev.Findings))
	for _, f := range ev.Findings {
		k := alertKey(string(f.Rule), f.PartyOrgID, f.Subject)
		if seen[k] {
			continue
		}
		seen[k] = true
		a, ok := current[k]
		if f.Since == "" {
			// A rule that cannot date its cause (a branch's size): since
			// the engine first saw it.
			f.Since = domain.Date(day)
			if ok {
				f.Since = domain.Date(a.since)
			}
		}
		if !ok {
			fresh = append(fresh, f)
			continue
		}
		lvl := string(f.Level)
		if a.level == lvl && a.since == string(f.Since) && a.reason == f.Reason {
			continue
		}
		ch := change{id: a.id, level: lvl, since: string(f.Since), reason: f.Reason, status: a.status}
		if a.level != lvl {
			ch.event = alert.AlertEventLevelChanged
		}
		if next, reopened := alert.AlertStatus(a.status).Reassess(alert.AlertLevel(a.resolvedLevel), f.Level); reopened {
			ch.status, ch.event, ch.note = string(next), alert.AlertEventReopened, alert.AlertReopenedNote
		}
		changes = append(changes, ch)
	}
	var closed []int64
	for k, a := range current {
		if !seen[k] {
			closed = append(closed, a.id)
		}
	}
	// Updates, a few hundred rows a statement. Most alerts change only
	// their reason (a day count) or date from one day to the next: those
	// statements leave the level and status, and with them every index
	// (SQLite rewrites the indexes of every column a statement sets).
	var reworded, regraded []change
	for _, ch := range changes {
		if ch.event == "" { // same level, not reopened: same status
			reworded = append(reworded, ch)
		} else {
			regraded = append(regraded, ch)
		}
	}
	for i := 0; i < len(reworded); i += 300 {
		part := reworded[i:min(i+300, len(reworded))]
		var sb strings.Builder
		args := append(make([]any, 0, 3*len(part)+2), now, day)
		for j, ch := range part {
			if j > 0 {
				sb.WriteString(",")
			}
			sb.WriteString("(CAST(? AS BIGINT), ?, ?)")
			args = append(args, ch.id, ch.since, ch.reason)
		}
		if _, err := t.Exec(ctx, `UPDATE alerts SET since = v.column2, reason = v.column3, version = version + 1, updated_at = ?, seen_on = ?
			FROM (VALUES `+sb.String()+`) AS v WHERE alerts.id = v.column1`, args...); err != nil {
			return err
		}
	}
	for i := 0; i < len(regraded); i += 200 {
		part := regraded[i:min(i+200, len(regraded))]
		var sb strings.Builder
		args := append(make([]any, 0, 5*len(part)+2), now, day)
		for j, ch := range part {
			if j > 0 {
				sb.WriteString(",")
			}
			sb.WriteString("(CAST(? AS BIGINT), ?, ?, ?, ?)")
			args = append(args, ch.id, ch.level, ch.since, ch.reason, ch.status)
		}
		_, err := t.Exec(ctx, `UPDATE alerts SET level = v.column2, since = v.column3, reason = v.column4, status = v.column5,
			version = version + 1, updated_at = ?, seen_on = ? FROM (VALUES `+sb.String()+`) AS v WHERE alerts.id = v.column1`,
			args...)
		if err != nil {
			return err
		}
	}
	var events []alertEvent
	for _, ch := range changes {
		if ch.event != "" {
			events = append(events, alertEvent{ch.id, ch.event, ch.level, ch.note})
		}
	}
	for i := 0; i < len(closed); i += 500 {
		part := closed[i:min(i+500, len(closed))]
		args := []any{now, day}
		for _, id := range part {
			args = append(args, id)
			events = append(events, alertEvent{id, alert.AlertEventClosed, "", alert.AlertClosedNote})
		}
		if _, err := t.Exec(ctx, `UPDATE alerts SET status = 'closed', version = version + 1, updated_at = ?, closed_on = ?
			WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(part)), ",")+`)`, args...); err != nil {
			return err
		}
	}
	if _, err := t.Exec(ctx, `UPDATE alerts SET seen_on = ? WHERE status <> 'closed' AND seen_on <> ?`, day, day); err != nil {
		return err
	}
	refs, err := orgRefs(ctx, t, fresh)
	if err != nil {
		return err
	}
	// New alerts in multi-row inserts; their ids come back by key.
	var maxID int64
	if err := t.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM alerts`).Scan(&maxID); err != nil {
		return err
	}
	err = store.BulkInsert(ctx, t, `INSERT INTO alerts (rule, party_org_id, subject, path, region_code, owner_org_id, level, since, reason, status,
		opened_on, seen_on, created_at, updated_at, version) VALUES `, `(?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, 1)`, len(fresh), 300,
		func(i int) []any {
			f := fresh[i]
			r := refs[f.PartyOrgID]
			owner := f.PartyOrgID
			if r.parent.Valid {
				owner = r.parent.Int64
			}
			return []any{string(f.Rule), f.PartyOrgID, f.Subject, r.path, r.region, owner, string(f.Level), string(f.Since), f.Reason, day, day, now, now}
		})
	if err != nil {
		return err
	}
	if len(fresh) > 0 {
		if _, err := t.Exec(ctx, `INSERT INTO alert_events (alert_id, at, on_date, username, action, level, note)
			SELECT id, ?, ?, ?, 'raised', level, '' FROM alerts WHERE id > ?`, now, day, c.Actor.Username, maxID); err != nil {
			return err
		}
	}
	err = store.BulkInsert(ctx, t, `INSERT INTO alert_events (alert_id, at, on_date, username, action, level, note) VALUES `, `(?, ?, ?, ?, ?, ?, ?)`,
		len(events), 300, func(i int) []any {
			e := events[i]
			return []any{e.id, now, day, c.Actor.Username, e.action, e.level, e.note}
		})
	if err != nil {
		return err
	}
	sum.Raised, sum.Updated, sum.Closed = len(fresh), len(changes), len(closed)
	return t.QueryRow(ctx, `SELECT COUNT(*) FROM alerts WHERE status IN ('open', 'acknowledged')`).Scan(&sum.OpenTotal)
}

// orgRef is what a new alert copies of its org: the path, the region and
// the superior.
type orgRef struct {
	path, region string
	parent       sql.NullInt64
}

// orgRefs reads the orgs of the new findings (not every Party org).
func orgRefs(ctx context.Context, t *store.Tx, fresh []OrgFinding) (map[int64]orgRef, error) {
	refs := map[int64]orgRef{}
	var ids []int64
	for _, f := range fresh {
		if _, ok := refs[f.PartyOrgID]; !ok {
			refs[f.PartyOrgID] = orgRef{}
			ids = append(ids, f.PartyOrgID)
		}
	}
	if len(ids) == 0 {
		return refs, nil
	}
	for _, chunk := range store.Chunks(ids, 500) {
		cond, args := store.IDList("id", chunk)
		rows, err := t.Query(ctx, `SELECT id, path, region_code, parent_id FROM party_orgs`+cond, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var r orgRef
			if err := rows.Scan(&id, &r.path, &r.region, &r.parent); err != nil {
				rows.Close()
				return nil, err
			}
			refs[id] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return refs, nil
}

type alertEvent struct {
	id            int64
	action, level string
	note          string
}
