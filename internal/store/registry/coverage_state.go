package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// The materialized coverage (migration 0006): every organization carries
// its state, how it is covered, since when, whether the campaign targets it
// and the day that was computed. The city-wide figures are then one scan of
// one table. The columns are kept true by recomputing, in the same
// transaction, the organizations whose inputs a write touched; a change of
// the campaign target recomputes all, and so does the daily job (states move
// with dates: an assignment ends, a planned one starts). The full
// recomputation also rebuilds the counts kept by the writers
// (coverage_counts.go).

const coverageKey = "coverage"

// CoverageSettings returns the campaign settings (defaults until set).
func (s *Store) CoverageSettings(ctx context.Context) (domain.CoverageSettings, error) {
	return CoverageSettingsTx(ctx, s.db.Pool())
}

func CoverageSettingsTx(ctx context.Context, q store.Querier) (domain.CoverageSettings, error) {
	out := domain.DefaultCoverageSettings()
	if err := store.GetSetting(ctx, q, coverageKey, &out); err != nil {
		return out, err
	}
	if out.AcceptedUSCC == nil {
		out.AcceptedUSCC = []string{}
	}
	return out, nil
}

// SetCoverageSettings stores validated settings, audits the change and, when
// the target changed, recomputes every organization in the same
// transaction, so that no figure is ever computed against the old target.
func (s *Store) SetCoverageSettings(ctx context.Context, c store.Caller, next domain.CoverageSettings) (domain.CoverageSettings, error) {
	if err := next.Validate(); err != nil {
		return next, err
	}
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, err := CoverageSettingsTx(ctx, t)
		if err != nil {
			return err
		}
		if err := store.PutSetting(ctx, t, coverageKey, next, c.Now); err != nil {
			return err
		}
		if !sameTarget(before.Target, next.Target) {
			if err := s.RefreshCoverageTx(ctx, t, c.Now, nil); err != nil {
				return err
			}
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionSettingsChange, "settings", coverageKey, audit.ResultSuccess).WithStates(before, next))
	})
	return next, err
}

func sameTarget(a, b domain.CoverageTarget) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// RefreshCoverage recomputes the materialized coverage of the given
// organizations (nil or empty: all) as of now, in one transaction. Writers
// outside the store's own methods (the Excel importer) call it after they
// write organizations.
func (s *Store) RefreshCoverage(ctx context.Context, now time.Time, orgIDs []int64) error {
	return s.db.Write(ctx, func(t *store.Tx) error {
		if len(orgIDs) == 0 {
			return s.RefreshCoverageTx(ctx, t, now, nil)
		}
		return s.RefreshCoverageTx(ctx, t, now, orgIDs)
	})
}

// CoverageStale reports whether some organization's coverage was last
// computed before today (or never): the server then refreshes on start.
func (s *Store) CoverageStale(ctx context.Context, now time.Time) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM organizations WHERE cov_on IS NULL OR cov_on < ? LIMIT 1) x`, store.DayOf(now)).Scan(&n)
	return n > 0, err
}

// covOrg is what coverage needs of an organization, with its stored state.
type covOrg struct {
	org    domain.Organization
	stored [4]string // state, by, since, in_scope ("0"/"1")
	on     string
}

// refreshCoverage recomputes the organizations ids (nil: all) inside t and
// writes the rows whose state changed; with ids nil it also stamps every row
// with today, which is how CoverageStale knows the daily refresh ran.
func (s *Store) RefreshCoverageTx(ctx context.Context, t *store.Tx, now time.Time, ids []int64) error {
	settings, err := CoverageSettingsTx(ctx, t)
	if err != nil {
		return err
	}
	day := store.DayOf(now)
	if ids == nil {
		if err := recounting(ctx, t, true); err != nil {
			return err
		}
	}
	for _, chunk := range store.Chunks(ids, 500) {
		orgs, inputs, err := loadCoverageFacts(ctx, t, chunk)
		if err != nil {
			return err
		}
		var changed [][6]any
		for _, o := range orgs {
			in := inputs[o.org.ID]
			in.RegisteredOn = o.org.RegisteredOn
			r := domain.Coverage(in, now)
			scope := "0"
			if settings.Target.InScope(o.org) {
				scope = "1"
			}
			next := [4]string{string(r.State), r.By, string(r.Since), scope}
			// A partial refresh stamps its rows; the full one stamps all below.
			if next != o.stored || ids != nil && o.on != day {
				changed = append(changed, [6]any{o.org.ID, next[0], next[1], store.NullStr(next[2]), scope == "1", day})
			}
		}
		if err := writeCoverage(ctx, t, changed); err != nil {
			return err
		}
	}
	if ids == nil {
		if _, err := t.Exec(ctx, `UPDATE organizations SET cov_on = ? WHERE cov_on IS NULL OR cov_on <> ?`, day, day); err != nil {
			return err
		}
		if err := RebuildCountsTx(ctx, t); err != nil {
			return err
		}
		return recounting(ctx, t, false)
	}
	return nil
}

// RefreshLoadedTx computes the coverage of the organizations ids just
// loaded, slice of them at a time (the whole city's facts at once took
// 300 MB), then rebuilds the kept counts once; meanwhile PostgreSQL's
// trigger records no change per updated row.
func (s *Store) RefreshLoadedTx(ctx context.Context, t *store.Tx, now time.Time, ids []int64, slice int) error {
	if err := recounting(ctx, t, true); err != nil {
		return err
	}
	for from := 0; from < len(ids); from += slice {
		if err := s.RefreshCoverageTx(ctx, t, now, ids[from:min(from+slice, len(ids))]); err != nil {
			return err
		}
	}
	if err := RebuildCountsTx(ctx, t); err != nil {
		return err
	}
	return recounting(ctx, t, false)
}

// loadCoverageFacts reads the organizations ids (nil: all) with their stored
// coverage, and the links and assignments coverage is computed from.
func loadCoverageFacts(ctx context.Context, q store.Querier, ids []int64) ([]covOrg, map[int64]domain.CoverageInput, error) {
	if ids != nil && len(ids) == 0 {
		return nil, nil, nil
	}
	where, args := store.IDList("id", ids)
	rows, err := q.Query(ctx, `SELECT id, status, kind, employees, flags, COALESCE(registered_on, ''),
		cov_state, cov_by, COALESCE(cov_since, ''), cov_in_scope, COALESCE(cov_on, '') FROM organizations`+where, args...)
	if err != nil {
		return nil, nil, err
	}
	var orgs []covOrg
	for rows.Next() {
		var o covOrg
		var emp sql.NullInt64
		var flags, reg string
		var inScope int
		if err := rows.Scan(&o.org.ID, &o.org.Status, &o.org.Kind, &emp, &flags, &reg, &o.stored[0], &o.stored[1], &o.stored[2], &inScope, &o.on); err != nil {
			rows.Close()
			return nil, nil, err
		}
		if emp.Valid {
			n := int(emp.Int64)
			o.org.Employees = &n
		}
		o.org.Flags, o.org.RegisteredOn = splitFlags(flags), domain.Date(reg)
		o.stored[3] = "0"
		if inScope == 1 {
			o.stored[3] = "1"
		}
		orgs = append(orgs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	links, err := LoadLinks(ctx, q, ids)
	if err != nil {
		return nil, nil, err
	}
	assignments, err := LoadAssignments(ctx, q, ids)
	if err != nil {
		return nil, nil, err
	}
	return orgs, domain.GroupCoverageInputs(links, assignments), nil
}

// loadLinks reads the covering links of the organizations ids (nil: all). A
// Party org covering more than one organization is 联合组建 (joint).
func LoadLinks(ctx context.Context, q store.Querier, ids []int64) ([]domain.CoverageLink, error) {
	where, args := store.IDList("c.organization_id", ids)
	rows, err := q.Query(ctx, `SELECT c.organization_id, p.id, p.type, p.status, COALESCE(c.since, p.founded_on, ''), COALESCE(p.dissolved_on, ''),
		(SELECT COUNT(*) FROM party_org_covers c2 WHERE c2.party_org_id = p.id)
		FROM party_org_covers c JOIN party_orgs p ON p.id = c.party_org_id`+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.CoverageLink
	for rows.Next() {
		var l domain.CoverageLink
		var units int
		if err := rows.Scan(&l.OrganizationID, &l.PartyOrgID, &l.Type, &l.Status, &l.Since, &l.DissolvedOn, &units); err != nil {
			return nil, err
		}
		l.Joint = units > 1
		out = append(out, l)
	}
	return out, rows.Err()
}

// loadAssignments reads the assignments of the organizations ids (nil: all).
func LoadAssignments(ctx context.Context, q store.Querier, ids []int64) ([]domain.CoverageAssignment, error) {
	where, args := store.IDList("organization_id", ids)
	rows, err := q.Query(ctx, `SELECT id, organization_id, person, role, from_on, COALESCE(to_on, '') FROM coverage_assignments`+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.CoverageAssignment
	for rows.Next() {
		var a domain.CoverageAssignment
		if err := rows.Scan(&a.ID, &a.OrganizationID, &a.Person, &a.Role, &a.From, &a.To); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// writeCoverage updates the rows (id, state, by, since, in_scope, day) with
// one statement per 300 rows: a VALUES list joined to organizations works on
// both engines (SQLite ≥ 3.33 has UPDATE … FROM).
func writeCoverage(ctx context.Context, t *store.Tx, rows [][6]any) error {
	for len(rows) > 0 {
		n := min(300, len(rows))
		var sb strings.Builder
		args := make([]any, 0, n*6)
		sb.WriteString(`WITH v (id, st, way, since, ins, day) AS (VALUES `)
		for i, r := range rows[:n] {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(CAST(? AS BIGINT), ?, ?, CAST(? AS TEXT), CAST(? AS INTEGER), ?)")
			in := 0
			if r[4].(bool) {
				in = 1
			}
			args = append(args, r[0], r[1], r[2], r[3], in, r[5])
		}
		sb.WriteString(`) UPDATE organizations SET cov_state = v.st, cov_by = v.way, cov_since = v.since, cov_in_scope = v.ins, cov_on = v.day
			FROM v WHERE organizations.id = v.id`)
		if _, err := t.Exec(ctx, sb.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// refreshCoveredBy recomputes the organizations a Party org covers (after
// its status, type or founding date changed).
func (s *Store) RefreshCoveredBy(ctx context.Context, t *store.Tx, now time.Time, partyOrgIDs ...int64) error {
	var ids []int64
	if len(partyOrgIDs) == 0 {
		return nil
	}
	for _, chunk := range store.Chunks(partyOrgIDs, 500) {
		cond, args := store.IDList("party_org_id", chunk)
		rows, err := t.Query(ctx, `SELECT DISTINCT organization_id FROM party_org_covers`+cond, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return s.RefreshCoverageTx(ctx, t, now, ids)
}

// acceptedUSCC is the settings' exception list for the USCC check.
func acceptedUSCC(ctx context.Context, q store.Querier) (map[string]bool, error) {
	st, err := CoverageSettingsTx(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.AcceptedSet(), nil
}
