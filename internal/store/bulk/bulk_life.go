package bulk

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

// A generated year of organizational life (issue 4), in compact form: at
// city scale it is ≈1 M activities and ≈6 M attendances, so an activity
// refers to shared texts and places by index and an attendance is a few
// integers. The generator hands it to the Writer in parts of a few hundred
// thousand attendances, so that neither holds the year.

// Life is a part of a generated year of organizational life. Parts follow
// each other: activity ids run on (1, 2, … over all parts); the shared
// tables grow (a part brings the texts, places and reasons first used in
// it, and an index into them counts those of the parts before); a part's
// attendances and co-hosts are of its own activities.
type Life struct {
	Activities        []LifeActivity // ids assigned by the generator, in id order
	ActivityTexts     []ActivityText
	ActivityPlaces    []ActivityPlace
	ActivityCoHosts   []ActivityHost
	Attendances       []LifeAttendance
	AttendanceReasons []string      // LifeAttendance.Reason indexes these; the first of all is ""
	PartyGroups       []PartyGroups // the 党小组 of branches that have them
}

// LifeActivity is one generated activity. Its hosting org is PartyOrgID
// (written to activity_hosts too); co-hosts are in Life.ActivityCoHosts.
type LifeActivity struct {
	ID, PartyOrgID   int64
	StartsAt, EndsAt int64 // Unix seconds
	MonthlyThemeID   int64 // 0: none
	Type             activity.ActivityType
	Status           activity.ActivityStatus
	Text             int32 // index into the texts of all parts so far
	Place            int32 // index into the places of all parts so far
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
// indexes keep a part of 200,000 of them in 4 MB.
type LifeAttendance struct {
	ActivityID, MemberID, MemberOrgID int32
	At                                int32 // seconds from the activity's start (negative: before it)
	Kind                              uint8 // index into activity.AttendanceKinds
	Method                            uint8 // 0: none, else 1 + index into activity.CheckinMethods
	Reason                            uint8 // index into the reasons of all parts so far (0: "")
	Recognized                        bool
}

// MemberLink links a member's own account (one of Base.Users, role
// member) to the member: users.member_id.
type MemberLink struct {
	Username string
	MemberID int64
}

// PartyGroups says how many 党小组 a branch has (the ledger owes 党小组会
// only where there are groups).
type PartyGroups struct {
	PartyOrgID int64
	Groups     int
}

// groupNames name a branch's generated 党小组 in order.
var groupNames = []string{"第一党小组", "第二党小组", "第三党小组", "第四党小组", "第五党小组"}

// partyGroups writes the generated branches' 党小组 (issue 13: as staff
// would enter them), shares each branch's members in good standing among
// its groups, makes each group's first member its leader, and keeps the
// branch's count that the ledger reads.
func (w *Writer) partyGroups() error {
	ctx, t := w.ctx, w.t
	for _, g := range w.life.groups {
		ids := make([]any, 0, g.Groups)
		for i := 0; i < g.Groups && i < len(groupNames); i++ {
			var id int64
			if err := t.QueryRow(ctx, `INSERT INTO party_groups (party_org_id, name, status, created_at, updated_at, version) VALUES (?, ?, 'active', ?, ?, 1) RETURNING id`,
				g.PartyOrgID, groupNames[i], w.now, w.now).Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			continue
		}
		// Members by id in turn: group k takes the ids ≡ k (mod n).
		cases := ""
		for k := range ids {
			cases += fmt.Sprintf(" WHEN %d THEN CAST(? AS BIGINT)", k)
		}
		if _, err := t.Exec(ctx, `UPDATE members SET party_group_id = CASE (id % `+strconv.Itoa(len(ids))+`)`+cases+` END WHERE party_org_id = ? AND standing = ?`,
			append(ids, g.PartyOrgID, domain.StandingRegistered)...); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `UPDATE party_groups SET leader_member_id = (SELECT MIN(m.id) FROM members m WHERE m.party_group_id = party_groups.id) WHERE party_org_id = ?`, g.PartyOrgID); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `UPDATE party_orgs SET party_groups = ? WHERE id = ?`, len(ids), g.PartyOrgID); err != nil {
			return err
		}
	}
	return nil
}

// lifeState is what the Writer keeps between the parts of the year.
type lifeState struct {
	started bool
	pragmas bool        // SQLite's loading pragmas are set
	indexes [][2]string // the secondary indexes dropped while loading
	next    int64       // the next activity's id
	texts   []ActivityText
	places  []ActivityPlace
	reasons []any
	groups  []PartyGroups
}

// startLife makes ready for the activities: the secondary indexes of the
// big tables are built after their rows (one sort each) rather than
// updated row by row, which in a transaction of millions of rows rewrites
// the same pages again and again. The statements are read back from the
// catalog, so they are exactly the migration's.
func (w *Writer) startLife() error {
	ls := &w.life
	ls.started, ls.next = true, 1
	indexes, err := w.s.lifeIndexes(w.ctx, w.t)
	if err != nil {
		return err
	}
	for _, ix := range indexes {
		if _, err := w.t.Exec(w.ctx, `DROP INDEX `+ix[0]); err != nil {
			return err
		}
		ls.indexes = append(ls.indexes, ix)
	}
	if !w.s.db.D.Postgres() {
		// A larger page cache while loading, so that the pages of the
		// unique indexes stay in memory; back to the default afterwards
		// (restorePragmas). Helper threads sort for the CREATE INDEX
		// statements.
		ls.pragmas = true
		for _, p := range []string{`PRAGMA cache_size = -98304`, `PRAGMA threads = 2`} {
			if _, err := w.t.Exec(w.ctx, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *Writer) restorePragmas() {
	if w.life.pragmas {
		w.t.Exec(w.ctx, `PRAGMA threads = 0`)
		w.t.Exec(w.ctx, `PRAGMA cache_size = -2000`)
	}
}

// Life writes a part of the year of organizational life: its activities
// with their hosts, and their attendances.
func (w *Writer) Life(p Life) error {
	if !w.base {
		return errors.New("bulk: the year of organizational life before its base")
	}
	ls := &w.life
	if !ls.started {
		if err := w.startLife(); err != nil {
			return err
		}
	}
	first := ls.next
	for i, a := range p.Activities {
		if a.ID != first+int64(i) {
			return fmt.Errorf("generated activities must have ids 1, 2, … in order (activity %d at %d)", a.ID, first+int64(i))
		}
	}
	ls.next += int64(len(p.Activities))
	ls.texts = append(ls.texts, p.ActivityTexts...)
	ls.places = append(ls.places, p.ActivityPlaces...)
	for _, r := range p.AttendanceReasons {
		ls.reasons = append(ls.reasons, r)
	}
	if len(ls.reasons) == 0 && len(p.Attendances) > 0 {
		ls.reasons = append(ls.reasons, "")
	}
	ls.groups = append(ls.groups, p.PartyGroups...)
	if err := w.checkLife(p, first); err != nil {
		return err
	}
	ctx, t := w.ctx, w.t
	nowT := w.c.Now
	unix := func(sec int64) string { return store.TS(time.Unix(sec, 0)) }
	err := preparedInsert(ctx, t, `INSERT INTO activities (id, party_org_id, type, title, theme, monthly_theme_id, starts_at, ends_at, start_date,
		address, latitude, longitude, open, capacity, agenda, minutes, resolutions, question, decision, outcome, status, cancel_reason,
		created_at, updated_at, version) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", len(p.Activities), 100, func(dst []any, i int) []any {
			a := &p.Activities[i]
			tt, pl := &ls.texts[a.Text], &ls.places[a.Place]
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
	hosts := make([]ActivityHost, 0, len(p.Activities)+len(p.ActivityCoHosts))
	for _, a := range p.Activities {
		hosts = append(hosts, ActivityHost{a.ID, a.PartyOrgID})
	}
	hosts = append(hosts, p.ActivityCoHosts...)
	// The hosts carry their activity's start and role (migration 0025):
	// given here, the trigger that would copy them has nothing to do.
	err = preparedInsert(ctx, t, `INSERT INTO activity_hosts (activity_id, party_org_id, starts_at, co_host) VALUES `, "(?, ?, ?, ?)", len(hosts), 500, func(dst []any, i int) []any {
		return append(dst, hosts[i].ActivityID, hosts[i].PartyOrgID, unix(p.Activities[hosts[i].ActivityID-first].StartsAt), store.BoolInt(i >= len(p.Activities)))
	})
	if err != nil {
		return err
	}
	var buf []byte
	return preparedInsert(ctx, t, `INSERT INTO attendances (activity_id, member_id, member_org_id, kind, reason, recognized, method, at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?)", len(p.Attendances), 500, func(dst []any, i int) []any {
			a := &p.Attendances[i]
			buf = time.Unix(p.Activities[int64(a.ActivityID)-first].StartsAt+int64(a.At), 0).UTC().AppendFormat(buf[:0], audit.TimeLayout)
			return append(dst, int64(a.ActivityID), int64(a.MemberID), int64(a.MemberOrgID), attendanceKinds[a.Kind], ls.reasons[a.Reason],
				store.BoolInt(a.Recognized), checkinMethods[a.Method], string(buf))
		})
}

// Codes boxed once: millions of rows at city scale.
var attendanceKinds, checkinMethods = func() (kinds, methods []any) {
	for _, k := range activity.AttendanceKinds {
		kinds = append(kinds, k.Code)
	}
	methods = append(methods, "")
	for _, m := range activity.CheckinMethods {
		methods = append(methods, m.Code)
	}
	return kinds, methods
}()

// checkLife: a part's indexes point into what has been written, its
// attendances and co-hosts at its own activities.
func (w *Writer) checkLife(p Life, first int64) error {
	ls := &w.life
	for _, a := range p.Activities {
		if a.Text < 0 || int(a.Text) >= len(ls.texts) || a.Place < 0 || int(a.Place) >= len(ls.places) {
			return fmt.Errorf("generated activity %d: text %d or place %d not given", a.ID, a.Text, a.Place)
		}
	}
	for _, h := range p.ActivityCoHosts {
		if h.ActivityID < first || h.ActivityID >= ls.next {
			return fmt.Errorf("generated co-host of activity %d outside its part (%d–%d)", h.ActivityID, first, ls.next-1)
		}
	}
	for _, a := range p.Attendances {
		if id := int64(a.ActivityID); id < first || id >= ls.next {
			return fmt.Errorf("generated attendance at activity %d outside its part (%d–%d)", id, first, ls.next-1)
		}
		if int(a.Kind) >= len(attendanceKinds) || int(a.Method) >= len(checkinMethods) || int(a.Reason) >= len(ls.reasons) {
			return fmt.Errorf("generated attendance at activity %d: unknown code", a.ActivityID)
		}
	}
	return nil
}

// finishLife ends the year: the indexes rebuilt, the ledger's monthly
// counts, the 党小组, the sequences and the statistics.
func (w *Writer) finishLife() error {
	ctx, t, s := w.ctx, w.t, w.s
	for _, ix := range w.life.indexes {
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
	if err := w.partyGroups(); err != nil {
		return err
	}
	if s.db.D.Postgres() {
		for _, tbl := range []string{"monthly_themes", "activities"} {
			if err := setSerial(ctx, t, tbl); err != nil {
				return err
			}
		}
		// Load's VACUUM (ANALYZE) after the commit names the registry's
		// tables; these get their statistics here.
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
