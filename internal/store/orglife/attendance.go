package orglife

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// Attendance at activities: the roster (the hosting orgs' members in good
// standing), check-ins by code, and marks made by hand. Members' names are
// shown; no ID number or phone ever is.

// RosterRow is one member on an activity's roster, or one guest.
type RosterRow struct {
	MemberID     int64      `json:"member_id"`
	Name         string     `json:"name"`
	PartyOrgID   int64      `json:"party_org_id"`
	PartyOrgName string     `json:"party_org_name"`
	MemberStatus string     `json:"member_status"`
	Kind         string     `json:"kind"` // "" when nothing is recorded
	Reason       string     `json:"reason"`
	Method       string     `json:"method"`
	At           *time.Time `json:"at"`
	Recognized   bool       `json:"recognized"`
	AttendanceID int64      `json:"attendance_id"`
}

// ActivityAttendance is an activity's attendance sheet.
type ActivityAttendance struct {
	Stats  activity.AttendanceStats `json:"stats"`
	Quorum *activity.Quorum         `json:"quorum"`
	Roster []RosterRow              `json:"roster"`
	Guests []RosterRow              `json:"guests"`
}

// The roster is the hosting orgs' members in good standing today, plus
// anyone with an attendance at the activity (a member who has since moved
// keeps their record on it). Written as an id set of two indexed lookups.
const rosterQuery = `SELECT m.id, m.name, COALESCE(m.party_org_id, 0), COALESCE(mp.name, ''), m.status,
	COALESCE(t.kind, ''), COALESCE(t.reason, ''), COALESCE(t.method, ''), t.at, COALESCE(t.recognized, 0), COALESCE(t.id, 0)
	FROM members m LEFT JOIN party_orgs mp ON mp.id = m.party_org_id
	LEFT JOIN attendances t ON t.activity_id = ? AND t.member_id = m.id
	WHERE m.id IN (SELECT mm.id FROM members mm WHERE mm.party_org_id IN (SELECT party_org_id FROM activity_hosts WHERE activity_id = ?) AND mm.standing = ?
		UNION SELECT member_id FROM attendances WHERE activity_id = ?)
	ORDER BY m.name, m.id`

// roster reads an activity's roster and guests.
func (s *Store) roster(ctx context.Context, q store.Querier, v *ActivityView) (roster, guests []RosterRow, err error) {
	rows, err := q.Query(ctx, rosterQuery, v.ID, v.ID, domain.StandingRegistered, v.ID)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	roster, guests = []RosterRow{}, []RosterRow{}
	for rows.Next() {
		var r RosterRow
		var at sql.NullString
		var rec int
		if err := rows.Scan(&r.MemberID, &r.Name, &r.PartyOrgID, &r.PartyOrgName, &r.MemberStatus, &r.Kind, &r.Reason, &r.Method, &at, &rec, &r.AttendanceID); err != nil {
			return nil, nil, err
		}
		r.At, r.Recognized = store.ParseTSPtr(at), rec == 1
		if r.Recognized {
			guests = append(guests, r)
		} else {
			roster = append(roster, r)
		}
	}
	return roster, guests, rows.Err()
}

// Attendance returns an activity's attendance sheet.
func (s *Store) Attendance(ctx context.Context, sc store.Scope, id int64) (ActivityAttendance, error) {
	v, err := s.getActivity(ctx, s.db.Pool(), sc, id)
	if err != nil {
		return ActivityAttendance{}, err
	}
	return s.attendanceOf(ctx, s.db.Pool(), &v)
}

func (s *Store) attendanceOf(ctx context.Context, q store.Querier, v *ActivityView) (ActivityAttendance, error) {
	roster, guests, err := s.roster(ctx, q, v)
	if err != nil {
		return ActivityAttendance{}, err
	}
	entries := make([]activity.RosterEntry, len(roster))
	for i, r := range roster {
		entries[i] = activity.RosterEntry{Status: r.MemberStatus, Kind: activity.AttendanceKind(r.Kind)}
	}
	st, qm := attendanceFigures(v.Type, entries, countPresent(guests))
	return ActivityAttendance{Stats: st, Quorum: qm, Roster: roster, Guests: guests}, nil
}

// attendanceRow finds the row of one member at one activity.
func attendanceRow(ctx context.Context, q store.Querier, activityID, memberID int64) (RosterRow, bool, error) {
	var r RosterRow
	var at string
	var rec int
	err := q.QueryRow(ctx, `SELECT t.id, t.kind, t.reason, t.method, t.at, t.recognized, m.id, m.name, COALESCE(m.party_org_id, 0), COALESCE(mp.name, ''), m.status
		FROM attendances t JOIN members m ON m.id = t.member_id LEFT JOIN party_orgs mp ON mp.id = m.party_org_id
		WHERE t.activity_id = ? AND t.member_id = ?`, activityID, memberID).
		Scan(&r.AttendanceID, &r.Kind, &r.Reason, &r.Method, &at, &rec, &r.MemberID, &r.Name, &r.PartyOrgID, &r.PartyOrgName, &r.MemberStatus)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	t := store.ParseTS(at)
	r.At, r.Recognized = &t, rec == 1
	return r, err == nil, err
}

// checkinMember is what a check-in needs to know about the member.
type checkinMember struct {
	ID         int64
	Name       string
	PartyOrgID int64
	Standing   string
}

func getCheckinMember(ctx context.Context, q store.Querier, id int64) (checkinMember, error) {
	var m checkinMember
	var org sql.NullInt64
	err := q.QueryRow(ctx, `SELECT id, name, party_org_id, standing FROM members WHERE id = ?`, id).Scan(&m.ID, &m.Name, &org, &m.Standing)
	if errors.Is(err, sql.ErrNoRows) {
		return m, domain.ErrNotFound
	}
	m.PartyOrgID = org.Int64
	return m, err
}

// checkinActivity is what a check-in needs to know about the activity.
type checkinActivity struct {
	ID                  int64
	Title, Type, Status string
	StartsAt, EndsAt    time.Time
	Open                bool
	Capacity            int
	HostName            string
	Hosts               []int64
	hostPaths           []string
}

func getCheckinActivity(ctx context.Context, q store.Querier, id int64) (checkinActivity, error) {
	var a checkinActivity
	// One row per host: the activity's columns repeat.
	rows, err := q.Query(ctx, `SELECT a.id, a.title, a.type, a.status, a.starts_at, a.ends_at, a.open, a.capacity, p.name, h.party_org_id, hp.path
		FROM activities a JOIN party_orgs p ON p.id = a.party_org_id JOIN activity_hosts h ON h.activity_id = a.id
		JOIN party_orgs hp ON hp.id = h.party_org_id WHERE a.id = ?`, id)
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var starts, ends, path string
		var open int
		var host int64
		if err := rows.Scan(&a.ID, &a.Title, &a.Type, &a.Status, &starts, &ends, &open, &a.Capacity, &a.HostName, &host, &path); err != nil {
			return a, err
		}
		a.StartsAt, a.EndsAt, a.Open = store.ParseTS(starts), store.ParseTS(ends), open == 1
		a.Hosts, a.hostPaths = append(a.Hosts, host), append(a.hostPaths, path)
	}
	if err := rows.Err(); err != nil {
		return a, err
	}
	if a.ID == 0 {
		return a, domain.ErrNotFound
	}
	return a, nil
}

// memberAt reads a member and their row at an activity, if any, in one query.
func memberAt(ctx context.Context, q store.Querier, activityID, memberID int64) (checkinMember, RosterRow, bool, error) {
	var m checkinMember
	var r RosterRow
	var org, tid sql.NullInt64
	var kind, reason, method, at sql.NullString
	var rec sql.NullInt64
	err := q.QueryRow(ctx, `SELECT m.id, m.name, m.party_org_id, m.standing, m.status, t.id, t.kind, t.reason, t.method, t.at, t.recognized
		FROM members m LEFT JOIN attendances t ON t.activity_id = ? AND t.member_id = m.id WHERE m.id = ?`, activityID, memberID).
		Scan(&m.ID, &m.Name, &org, &m.Standing, &r.MemberStatus, &tid, &kind, &reason, &method, &at, &rec)
	if errors.Is(err, sql.ErrNoRows) {
		return m, r, false, domain.ErrNotFound
	}
	if err != nil {
		return m, r, false, err
	}
	m.PartyOrgID = org.Int64
	if !tid.Valid {
		return m, r, false, nil
	}
	r.AttendanceID, r.Kind, r.Reason, r.Method, r.Recognized = tid.Int64, kind.String, reason.String, method.String, rec.Int64 == 1
	r.MemberID, r.Name, r.PartyOrgID, r.At = m.ID, m.Name, m.PartyOrgID, store.ParseTSPtr(at)
	return m, r, true, nil
}

// MyAttendance is a member's attendance as the member's pages show it.
type MyAttendance struct {
	ID            int64     `json:"id"`
	ActivityID    int64     `json:"activity_id"`
	ActivityTitle string    `json:"activity_title"`
	ActivityType  string    `json:"activity_type"`
	TypeName      string    `json:"type_name"`
	HostName      string    `json:"host_name"`
	StartsAt      time.Time `json:"starts_at"`
	Kind          string    `json:"kind"`
	Recognized    bool      `json:"recognized"`
	Method        string    `json:"method"`
	At            time.Time `json:"at"`
	// Repeat: the member had already checked in; this is that attendance.
	Repeat bool `json:"repeat"`
}

// CheckinRequest is one check-in: by the member scanning the activity's
// code (Method activity_code, RecordedBy the member's own account) or by the
// organizer scanning the member's code (member_code, RecordedBy the staff
// account, Scope the staff's scope). The member id always comes from the
// server: the session's account or a verified member code.
type CheckinRequest struct {
	ActivityID int64
	MemberID   int64
	Method     string
	RecordedBy int64
	Now        time.Time
	// Before and After are the check-in window's margins (settings).
	Before, After time.Duration
	// Scope, when set, must contain a host (the organizer's check).
	Scope *store.Scope
}

// Checkin records a member's presence. A repeat answers the attendance
// already recorded. Refusals: the activity cancelled or full (conflict), a
// member of another org at a closed activity (forbidden), outside the
// window (gone). The reads go to the read pool and the write is one
// statement, so that check-ins queue on SQLite's single writer as briefly
// as possible.
func (s *Store) Checkin(ctx context.Context, r CheckinRequest) (MyAttendance, error) {
	a, ok := s.activityCache.Get(r.ActivityID)
	if !ok {
		var err error
		if a, err = getCheckinActivity(ctx, s.db.Hot(), r.ActivityID); err != nil {
			return MyAttendance{}, err
		}
		s.activityCache.Put(r.ActivityID, a)
	}
	if r.Scope != nil && !anyContains(*r.Scope, a.hostPaths) {
		return MyAttendance{}, domain.ErrNotFound
	}
	out := MyAttendance{ActivityID: a.ID, ActivityTitle: a.Title, ActivityType: a.Type, TypeName: activity.ActivityType(a.Type).Name(),
		HostName: a.HostName, StartsAt: a.StartsAt}
	if a.Status == string(activity.ActivityCancelled) {
		return out, &domain.ConflictError{Field: "status", Message: "活动已取消，不能签到"}
	}
	if err := (activity.CheckinWindow{StartsAt: a.StartsAt, EndsAt: a.EndsAt, Before: r.Before, After: r.After}).Check(r.Now); err != nil {
		return out, err
	}
	at := store.TS(r.Now)
	// The usual case in one statement: a member in good standing, of a
	// host or a guest with places left, checking in for the first time.
	args := []any{a.ID, r.Method, at, store.NullInt(r.RecordedBy), a.ID, r.MemberID}
	if a.Open {
		args = append(args, a.ID, a.Capacity)
	}
	id, recognized, err := s.insertCheckin(ctx, a.Open, a.ID, args)
	if err != nil {
		return out, err
	}
	if id > 0 {
		out.ID, out.Kind, out.Recognized, out.Method, out.At = id, string(activity.AttendPresent), recognized, r.Method, store.ParseTS(at)
		return out, nil
	}
	// Nothing inserted: find out why, reading the member and their row.
	m, prev, marked, err := memberAt(ctx, s.w0(), a.ID, r.MemberID)
	if err != nil {
		return out, err
	}
	if marked && prev.Kind == string(activity.AttendPresent) {
		return repeated(out, prev), nil
	}
	if m.Standing != domain.StandingRegistered {
		return out, &domain.ForbiddenError{Message: "该党员当前党籍状态为“" + domain.MemberStandings.Name(m.Standing) + "”，不能签到"}
	}
	target := activity.CheckinTarget{Status: activity.ActivityStatus(a.Status), Hosts: a.Hosts, Open: a.Open, Capacity: a.Capacity}
	if recognized, err = activity.CheckinAllowed(target, m.PartyOrgID); err != nil {
		return out, err
	}
	if !marked {
		return out, &domain.ConflictError{Field: "capacity", Message: "活动名额已满"}
	}
	// A mark made by hand (leave, absent) becomes a presence.
	err = s.db.Write(ctx, func(t *store.Tx) error {
		_, err := t.Exec(ctx, `UPDATE attendances SET kind = 'present', reason = '', method = ?, at = ?, recorded_by = ? WHERE id = ?`,
			r.Method, at, store.NullInt(r.RecordedBy), prev.AttendanceID)
		return err
	})
	if err != nil {
		return out, err
	}
	out.ID, out.Kind, out.Recognized, out.Method, out.At = prev.AttendanceID, string(activity.AttendPresent), recognized, r.Method, store.ParseTS(at)
	return out, nil
}

// The guarded insert of a check-in adds a presence when the member is in
// good standing and of a hosting org, or a guest at an open activity with
// places left, and has no row yet. One statement, so that the capacity
// holds however many check in at once and a concurrent check-in of the
// same member inserts nothing; it runs in groups (groupcommit.go). Whether
// the member's org hosts is one probe of activity_hosts' key (an IN list of
// the hosts would be built afresh at every execution). A closed activity,
// the usual case, has its own statement without the count of guests: on
// SQLite, an INSERT whose SELECT reads attendances first copies its rows
// into a temporary table.
const (
	checkinInsertInto = `INSERT INTO attendances (activity_id, member_id, member_org_id, kind, reason, recognized, method, at, recorded_by)`
	// Parameters: activity, method, at, recorded by, activity, member.
	checkinInsertHost = checkinInsertInto + `
	SELECT ?, m.id, m.party_org_id, 'present', '', 0, ?, ?, ?
	FROM members m JOIN activity_hosts h ON h.activity_id = ? AND h.party_org_id = m.party_org_id
	WHERE m.id = ? AND m.standing = 'registered'
	ON CONFLICT (activity_id, member_id) DO NOTHING`
	// Parameters: activity, method, at, recorded by, activity, member,
	// activity, capacity.
	checkinInsertOpen = checkinInsertInto + `
	SELECT ?, m.id, m.party_org_id, 'present', '', CASE WHEN h.activity_id IS NULL THEN 1 ELSE 0 END, ?, ?, ?
	FROM members m LEFT JOIN activity_hosts h ON h.activity_id = ? AND h.party_org_id = m.party_org_id
	WHERE m.id = ? AND m.standing = 'registered'
		AND (h.activity_id IS NOT NULL
			OR (SELECT COUNT(*) FROM attendances WHERE activity_id = ? AND recognized = 1 AND kind = 'present') < ?)
	ON CONFLICT (activity_id, member_id) DO NOTHING`
	// returning answers the new row (PostgreSQL: one round trip). SQLite
	// gathers a RETURNING clause's rows in a temporary table opened at
	// every execution, so there the row id is the insert's own and only a
	// guest's row is read back (groupcommit.go).
	returning = ` RETURNING id, recognized`
)

// checkinInsert is the statement for an activity open to guests or not.
func checkinInsert(open bool) string {
	if open {
		return checkinInsertOpen
	}
	return checkinInsertHost
}

// repeated answers a repeat with the attendance already recorded.
func repeated(out MyAttendance, prev RosterRow) MyAttendance {
	out.ID, out.Kind, out.Recognized, out.Method, out.At, out.Repeat = prev.AttendanceID, prev.Kind, prev.Recognized, prev.Method, *prev.At, true
	return out
}

// w0 reads through the writer, so that a read right after a write sees it
// whatever the read pool's snapshot (SQLite's readers are separate
// connections).
func (s *Store) w0() store.Querier { return s.db.WritePool() }

func anyContains(sc store.Scope, paths []string) bool {
	for _, p := range paths {
		if sc.Contains(p) {
			return true
		}
	}
	return false
}

// MarkAttendance records a mark made by hand by the staff of a host.
func (s *Store) MarkAttendance(ctx context.Context, c store.Caller, activityID int64, in activity.AttendanceInput, before time.Duration) (RosterRow, error) {
	if err := in.Validate(); err != nil {
		return RosterRow{}, err
	}
	var out RosterRow
	err := s.db.Write(ctx, func(t *store.Tx) error {
		a, err := getCheckinActivity(ctx, t, activityID)
		if err != nil {
			return err
		}
		if !anyContains(c.Scope, a.hostPaths) {
			return domain.ErrNotFound
		}
		if a.Status == string(activity.ActivityCancelled) {
			return &domain.ConflictError{Field: "status", Message: "活动已取消，不能登记出勤"}
		}
		if err := (activity.CheckinWindow{StartsAt: a.StartsAt, EndsAt: a.EndsAt, Before: before}).CheckMark(in.Kind, c.Now); err != nil {
			return err
		}
		prev, exists, err := attendanceRow(ctx, t, activityID, in.MemberID)
		if err != nil {
			return err
		}
		m, err := getCheckinMember(ctx, t, in.MemberID)
		if errors.Is(err, domain.ErrNotFound) {
			return domain.FieldError("member_id", "党员不存在")
		}
		if err != nil {
			return err
		}
		onRoster := m.Standing == domain.StandingRegistered && containsID(a.Hosts, m.PartyOrgID)
		if !exists && !onRoster {
			return domain.FieldError("member_id", "该党员不在本次活动的应到名单中")
		}
		at := store.TS(c.Now)
		if exists {
			_, err = t.Exec(ctx, `UPDATE attendances SET kind = ?, reason = ?, method = ?, at = ?, recorded_by = ? WHERE id = ?`,
				string(in.Kind), in.Reason, activity.CheckinManual, at, store.NullInt(c.Actor.UserID), prev.AttendanceID)
		} else {
			_, err = t.Exec(ctx, `INSERT INTO attendances (activity_id, member_id, member_org_id, kind, reason, recognized, method, at, recorded_by)
				VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)`, activityID, m.ID, store.NullInt(m.PartyOrgID), string(in.Kind), in.Reason, activity.CheckinManual, at, store.NullInt(c.Actor.UserID))
		}
		if err != nil {
			return err
		}
		type mark struct {
			MemberID int64  `json:"member_id"`
			Kind     string `json:"kind"`
			Reason   string `json:"reason"`
		}
		var from any
		if exists {
			from = mark{m.ID, prev.Kind, prev.Reason}
		}
		e := audit.New(c.Now, c.Actor, audit.ActionUpdate, "attendance", strconv.FormatInt(activityID, 10)+":"+strconv.FormatInt(m.ID, 10), audit.ResultSuccess).
			WithStates(from, mark{m.ID, string(in.Kind), in.Reason})
		if err := s.db.AppendAudit(ctx, t, e); err != nil {
			return err
		}
		out, _, err = attendanceRow(ctx, t, activityID, m.ID)
		return err
	})
	return out, err
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id && id > 0 {
			return true
		}
	}
	return false
}
