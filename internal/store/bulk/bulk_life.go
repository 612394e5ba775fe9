package bulk

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// A generated year of organizational life (issue 4), in compact form: at
// city scale it is ≈1 M activities and ≈8 M attendances, so an activity
// refers to shared texts and places by index and an attendance is a few
// integers. LoadDataset writes it with loadLife.

// LifeActivity is one generated activity. Its hosting org is PartyOrgID
// (written to activity_hosts too); co-hosts are in Dataset.ActivityCoHosts.
type LifeActivity struct {
	ID, PartyOrgID   int64
	StartsAt, EndsAt int64 // Unix seconds
	MonthlyThemeID   int64 // 0: none
	Type             activity.ActivityType
	Status           activity.ActivityStatus
	Text             int32 // index into Dataset.ActivityTexts
	Place            int32 // index into Dataset.ActivityPlaces
	Capacity         int32
	Open             bool
}

// ActivityText is the text of an activity, shared by many generated ones.
type ActivityText struct {
	Title, Theme, Agenda, Minutes, Resolutions string
	Question, Decision, Outcome                string
	CancelReason                               string
}

// ActivityPlace is where an activity takes place.
type ActivityPlace struct {
	Address             string
	Latitude, Longitude float64
}

// ActivityHost is a co-hosting Party org of an activity.
type ActivityHost struct {
	ActivityID, PartyOrgID int64
}

// LifeAttendance is one generated attendance: ids as int32 and codes as
// indexes keep ≈8 M of them in ≈160 MB.
type LifeAttendance struct {
	ActivityID, MemberID, MemberOrgID int32
	At                                int32 // seconds from the activity's start (negative: before it)
	Kind                              uint8 // index into activity.AttendanceKinds
	Method                            uint8 // 0: none, else 1 + index into activity.CheckinMethods
	Reason                            uint8 // index into Dataset.AttendanceReasons (0: "")
	Recognized                        bool
}

// MemberLink links a member's own account (one of Dataset.Users, role
// member) to the member: users.member_id.
type MemberLink struct {
	Username string
	MemberID int64
}

// loadLife writes the organizational life of a dataset inside LoadDataset's
// transaction: themes, activities with their hosts, attendances, and the
// links of the members' accounts.
func (s *Store) loadLife(ctx context.Context, t *store.Tx, ds Dataset, now string) error {
	for i, a := range ds.Activities {
		if a.ID != int64(i+1) {
			return fmt.Errorf("generated activities must have ids 1, 2, … in order (activity %d at %d)", a.ID, i)
		}
	}
	// The secondary indexes of the big tables are built after their rows
	// (one sort each) rather than updated row by row, which in a
	// transaction of millions of rows rewrites the same pages again and
	// again. The statements are read back from the catalog, so they are
	// exactly the migration's.
	indexes, err := s.lifeIndexes(ctx, t)
	if err != nil {
		return err
	}
	for _, ix := range indexes {
		if _, err := t.Exec(ctx, `DROP INDEX `+ix[0]); err != nil {
			return err
		}
	}
	if !s.db.D.Postgres() {
		// A larger page cache while loading, so that the pages of the
		// unique indexes stay in memory; back to the default afterwards.
		// Helper threads sort for the CREATE INDEX statements.
		for _, p := range []string{`PRAGMA cache_size = -98304`, `PRAGMA threads = 2`} {
			if _, err := t.Exec(ctx, p); err != nil {
				return err
			}
		}
		defer t.Exec(ctx, `PRAGMA threads = 0`)
		defer t.Exec(ctx, `PRAGMA cache_size = -2000`)
	}
	err = store.BulkInsert(ctx, t, `INSERT INTO monthly_themes (id, month, title, description, created_at, updated_at) VALUES `,
		"(?, ?, ?, ?, ?, ?)", len(ds.MonthlyThemes), 200, func(i int) []any {
			m := ds.MonthlyThemes[i]
			return []any{m.ID, m.Month, m.Title, m.Description, now, now}
		})
	if err != nil {
		return err
	}
	nowT := store.ParseTS(now)
	unix := func(sec int64) string { return store.TS(time.Unix(sec, 0)) }
	err = preparedInsert(ctx, t, `INSERT INTO activities (id, party_org_id, type, title, theme, monthly_theme_id, starts_at, ends_at, start_date,
		address, latitude, longitude, open, capacity, agenda, minutes, resolutions, question, decision, outcome, status, cancel_reason,
		created_at, updated_at, version) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", len(ds.Activities), 100, func(dst []any, i int) []any {
			a := &ds.Activities[i]
			tt, pl := &ds.ActivityTexts[a.Text], &ds.ActivityPlaces[a.Place]
			var theme any
			if a.MonthlyThemeID > 0 {
				theme = a.MonthlyThemeID
			}
			start := time.Unix(a.StartsAt, 0)
			// Created a week ahead, updated when held (or cancelled the day before).
			created := min(a.StartsAt-7*86400, nowT.Unix())
			updated := created
			switch a.Status {
			case activity.ActivityHeld:
				updated = max(created, min(a.EndsAt+7200, nowT.Unix()))
			case activity.ActivityCancelled:
				updated = max(created, min(a.StartsAt-86400, nowT.Unix()))
			}
			return append(dst, a.ID, a.PartyOrgID, string(a.Type), tt.Title, tt.Theme, theme, store.TS(start), unix(a.EndsAt), string(domain.DateOf(start)),
				pl.Address, pl.Latitude, pl.Longitude, store.BoolInt(a.Open), a.Capacity, tt.Agenda, tt.Minutes, tt.Resolutions,
				tt.Question, tt.Decision, tt.Outcome, string(a.Status), tt.CancelReason, unix(created), unix(updated))
		})
	if err != nil {
		return err
	}
	hosts := make([]ActivityHost, 0, len(ds.Activities)+len(ds.ActivityCoHosts))
	for _, a := range ds.Activities {
		hosts = append(hosts, ActivityHost{a.ID, a.PartyOrgID})
	}
	hosts = append(hosts, ds.ActivityCoHosts...)
	err = preparedInsert(ctx, t, `INSERT INTO activity_hosts (activity_id, party_org_id) VALUES `, "(?, ?)", len(hosts), 500, func(dst []any, i int) []any {
		return append(dst, hosts[i].ActivityID, hosts[i].PartyOrgID)
	})
	if err != nil {
		return err
	}
	// Codes boxed once: millions of rows at city scale.
	var kinds, methods, reasons []any
	for _, k := range activity.AttendanceKinds {
		kinds = append(kinds, k.Code)
	}
	methods = append(methods, "")
	for _, m := range activity.CheckinMethods {
		methods = append(methods, m.Code)
	}
	for _, r := range ds.AttendanceReasons {
		reasons = append(reasons, r)
	}
	if len(reasons) == 0 {
		reasons = append(reasons, "")
	}
	var buf []byte
	err = preparedInsert(ctx, t, `INSERT INTO attendances (activity_id, member_id, member_org_id, kind, reason, recognized, method, at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?)", len(ds.Attendances), 500, func(dst []any, i int) []any {
			a := &ds.Attendances[i]
			buf = time.Unix(ds.Activities[a.ActivityID-1].StartsAt+int64(a.At), 0).UTC().AppendFormat(buf[:0], audit.TimeLayout)
			return append(dst, int64(a.ActivityID), int64(a.MemberID), int64(a.MemberOrgID), kinds[a.Kind], reasons[a.Reason],
				store.BoolInt(a.Recognized), methods[a.Method], string(buf))
		})
	if err != nil {
		return err
	}
	for _, ix := range indexes {
		if _, err := t.Exec(ctx, ix[1]); err != nil {
			return err
		}
	}
	if _, err := t.Exec(ctx, `DELETE FROM ledger_months`); err != nil {
		return err
	}
	if _, err := t.Exec(ctx, `INSERT INTO ledger_months `+s.db.D.LedgerMonthsFill()); err != nil {
		return err
	}
	for _, g := range ds.PartyGroups {
		if _, err := t.Exec(ctx, `UPDATE party_orgs SET party_groups = ? WHERE id = ?`, g.Groups, g.PartyOrgID); err != nil {
			return err
		}
	}
	for _, l := range ds.MemberLinks {
		if _, err := t.Exec(ctx, `UPDATE users SET member_id = ? WHERE username = ?`, l.MemberID, l.Username); err != nil {
			return err
		}
	}
	if s.db.D.Postgres() {
		for _, tbl := range []string{"monthly_themes", "activities"} {
			if _, err := t.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+tbl+`', 'id'), COALESCE((SELECT MAX(id) FROM `+tbl+`), 0) + 1, false)`); err != nil {
				return err
			}
		}
		// LoadDataset's VACUUM (ANALYZE) after the commit names the
		// registry's tables; these get their statistics here.
		if _, err := t.Exec(ctx, `ANALYZE monthly_themes, activities, activity_hosts, attendances`); err != nil {
			return err
		}
	}
	return nil
}

// lifeIndexes lists the non-unique indexes of the activity tables as
// (name, CREATE statement).
func (s *Store) lifeIndexes(ctx context.Context, t *store.Tx) ([][2]string, error) {
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('activities', 'activity_hosts', 'attendances') ORDER BY name`
	if s.db.D.Postgres() {
		q = `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
			AND tablename IN ('activities', 'activity_hosts', 'attendances') ORDER BY indexname`
	}
	rows, err := t.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var ix [2]string
		if err := rows.Scan(&ix[0], &ix[1]); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(strings.ToUpper(ix[1]), "CREATE UNIQUE") {
			out = append(out, ix)
		}
	}
	return out, rows.Err()
}

// preparedInsert writes n rows with multi-row INSERTs of batch rows: the
// statement is prepared once and executed for every full batch (parsing a
// statement of hundreds of rows costs about as much as running it). The
// arguments of the next batch are built by another goroutine while the
// database runs the current one: on two cores that hides most of the Go
// side's formatting and boxing.
func preparedInsert(ctx context.Context, t *store.Tx, head, row string, n, batch int, args func(dst []any, i int) []any) error {
	build := func(rows int) string {
		var sb strings.Builder
		sb.WriteString(head)
		for j := 0; j < rows; j++ {
			if j > 0 {
				sb.WriteString(",")
			}
			sb.WriteString(row)
		}
		return t.D.Rebind(sb.String())
	}
	if n == 0 {
		return nil
	}
	type chunk struct {
		args []any
		rows int
	}
	// Three argument slices in rotation: one being built, one queued, one
	// being executed.
	free := make(chan []any, 3)
	for k := 0; k < 3; k++ {
		free <- nil
	}
	ready := make(chan chunk, 1)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer close(ready)
		for from := 0; from < n; from += batch {
			var dst []any
			select {
			case dst = <-free:
			case <-stop:
				return
			}
			dst = dst[:0]
			to := min(from+batch, n)
			for i := from; i < to; i++ {
				dst = args(dst, i)
			}
			select {
			case ready <- chunk{dst, to - from}:
			case <-stop:
				return
			}
		}
	}()
	var stmt *sql.Stmt
	for c := range ready {
		var err error
		if c.rows == batch {
			if stmt == nil {
				if stmt, err = t.SQL.PrepareContext(ctx, build(batch)); err != nil {
					return err
				}
				defer stmt.Close()
			}
			_, err = stmt.ExecContext(ctx, c.args...)
		} else {
			_, err = t.SQL.ExecContext(ctx, build(c.rows), c.args...)
		}
		if err != nil {
			return err
		}
		clear(c.args)
		free <- c.args
	}
	return nil
}

// PartyGroups says how many 党小组 a branch has (the ledger owes 党小组会
// only where there are groups).
type PartyGroups struct {
	PartyOrgID int64
	Groups     int
}
