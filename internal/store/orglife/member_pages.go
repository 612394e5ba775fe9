package orglife

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/domain"
)

// What a member's own pages read. Every method takes the member id from the
// session's account, never from the request.

// MemberSelf is a member's own summary: their Party org and its secretary.
type MemberSelf struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	PartyOrgID    int64  `json:"party_org_id"`
	PartyOrgName  string `json:"party_org_name"`
	PartyOrgType  string `json:"party_org_type"`
	SecretaryName string `json:"secretary_name"`
	ParentName    string `json:"parent_name"`
	RegionName    string `json:"region_name"`
	MemberStatus  string `json:"member_status"`
}

// MemberSelf reads the member's summary.
func (s *Store) MemberSelf(ctx context.Context, memberID int64) (MemberSelf, error) {
	var m MemberSelf
	err := s.db.QueryRow(ctx, `SELECT m.id, m.name, COALESCE(p.id, 0), COALESCE(p.name, ''), COALESCE(p.type, ''), COALESCE(p.secretary_name, ''),
		COALESCE(pp.name, ''), COALESCE(r.name, ''), m.status
		FROM members m LEFT JOIN party_orgs p ON p.id = m.party_org_id LEFT JOIN party_orgs pp ON pp.id = p.parent_id
		LEFT JOIN regions r ON r.code = p.region_code WHERE m.id = ?`, memberID).
		Scan(&m.ID, &m.Name, &m.PartyOrgID, &m.PartyOrgName, &m.PartyOrgType, &m.SecretaryName, &m.ParentName, &m.RegionName, &m.MemberStatus)
	if errors.Is(err, sql.ErrNoRows) {
		return m, domain.ErrNotFound
	}
	return m, err
}

// MyAttendanceYear is a member's record of a year.
type MyAttendanceYear struct {
	Year int `json:"year"`
	// Own: present at activities of their own org; Recognized: present at
	// other orgs' open activities (活动互认), which count for their own org.
	Own        int            `json:"own"`
	Recognized int            `json:"recognized"`
	Leave      int            `json:"leave"`
	Absent     int            `json:"absent"`
	Items      []MyAttendance `json:"items"`
}

// MemberAttendance reads a member's attendances of a year, newest first.
func (s *Store) MemberAttendance(ctx context.Context, memberID int64, year int) (MyAttendanceYear, error) {
	out := MyAttendanceYear{Year: year, Items: []MyAttendance{}}
	rows, err := s.db.QueryRows(ctx, `SELECT t.id, a.id, a.title, a.type, p.name, a.starts_at, t.kind, t.recognized, t.method, t.at
		FROM attendances t JOIN activities a ON a.id = t.activity_id JOIN party_orgs p ON p.id = a.party_org_id
		WHERE t.member_id = ? AND a.start_date >= ? AND a.start_date <= ? ORDER BY a.starts_at DESC`,
		memberID, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var a MyAttendance
		var starts, at string
		var rec int
		if err := rows.Scan(&a.ID, &a.ActivityID, &a.ActivityTitle, &a.ActivityType, &a.HostName, &starts, &a.Kind, &rec, &a.Method, &at); err != nil {
			return out, err
		}
		a.StartsAt, a.At, a.Recognized = store.ParseTS(starts), store.ParseTS(at), rec == 1
		a.TypeName = activity.ActivityType(a.ActivityType).Name()
		switch {
		case a.Kind == string(activity.AttendPresent) && a.Recognized:
			out.Recognized++
		case a.Kind == string(activity.AttendPresent):
			out.Own++
		case a.Kind == string(activity.AttendLeave):
			out.Leave++
		default:
			out.Absent++
		}
		out.Items = append(out.Items, a)
	}
	return out, rows.Err()
}

// ActivityBrief is an activity as a member's list shows it.
type ActivityBrief struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Type       string    `json:"type"`
	TypeName   string    `json:"type_name"`
	HostName   string    `json:"host_name"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Address    string    `json:"address"`
	Latitude   *float64  `json:"latitude"`
	Longitude  *float64  `json:"longitude"`
	Status     string    `json:"status"`
	Open       bool      `json:"open"`
	Capacity   int       `json:"capacity"`
	Guests     int       `json:"guests"`
	Theme      string    `json:"theme"`
	DistanceKm *float64  `json:"distance_km,omitempty"`
	// MyKind is the member's own attendance ("" when none).
	MyKind string `json:"my_kind"`
}

const briefCols = `a.id, a.title, a.type, p.name, a.starts_at, a.ends_at, a.address, a.latitude, a.longitude, a.status, a.open, a.capacity,
	(SELECT COUNT(*) FROM attendances g WHERE g.activity_id = a.id AND g.recognized = 1 AND g.kind = 'present'),
	COALESCE(mt.title, a.theme), COALESCE((SELECT t.kind FROM attendances t WHERE t.activity_id = a.id AND t.member_id = ?), '')`

const briefFrom = ` FROM activities a JOIN party_orgs p ON p.id = a.party_org_id LEFT JOIN monthly_themes mt ON mt.id = a.monthly_theme_id`

func scanBriefs(rows *sql.Rows) ([]ActivityBrief, error) {
	defer rows.Close()
	out := []ActivityBrief{}
	for rows.Next() {
		var b ActivityBrief
		var starts, ends string
		var lat, lng sql.NullFloat64
		var open int
		if err := rows.Scan(&b.ID, &b.Title, &b.Type, &b.HostName, &starts, &ends, &b.Address, &lat, &lng, &b.Status, &open, &b.Capacity,
			&b.Guests, &b.Theme, &b.MyKind); err != nil {
			return nil, err
		}
		b.StartsAt, b.EndsAt, b.Open = store.ParseTS(starts), store.ParseTS(ends), open == 1
		b.TypeName = activity.ActivityType(b.Type).Name()
		if lat.Valid && lng.Valid {
			b.Latitude, b.Longitude = &lat.Float64, &lng.Float64
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// MemberActivities lists the activities of the member's own org: those not
// yet ended (soonest first), then the last ones held.
func (s *Store) MemberActivities(ctx context.Context, memberID int64, now time.Time) ([]ActivityBrief, error) {
	var org sql.NullInt64
	if err := s.db.QueryRow(ctx, `SELECT party_org_id FROM members WHERE id = ?`, memberID).Scan(&org); err != nil {
		return nil, err
	}
	if !org.Valid {
		return []ActivityBrief{}, nil
	}
	in := ` AND a.id IN (SELECT activity_id FROM activity_hosts WHERE party_org_id = ?)`
	rows, err := s.db.QueryRows(ctx, `SELECT `+briefCols+briefFrom+` WHERE a.ends_at >= ? AND a.status <> 'cancelled'`+in+` ORDER BY a.starts_at LIMIT 20`,
		memberID, store.TS(now), org.Int64)
	if err != nil {
		return nil, err
	}
	upcoming, err := scanBriefs(rows)
	if err != nil {
		return nil, err
	}
	rows, err = s.db.QueryRows(ctx, `SELECT `+briefCols+briefFrom+` WHERE a.ends_at < ? AND a.status = 'held'`+in+` ORDER BY a.starts_at DESC LIMIT 10`,
		memberID, store.TS(now), org.Int64)
	if err != nil {
		return nil, err
	}
	past, err := scanBriefs(rows)
	return append(upcoming, past...), err
}

// MaxNearbyKm bounds the radius of 附近活动.
const MaxNearbyKm = 50

// NearbyActivities lists open activities not yet ended within km of p,
// nearest first (at most 50).
func (s *Store) NearbyActivities(ctx context.Context, memberID int64, p domain.LatLng, km float64, now time.Time) ([]ActivityBrief, error) {
	minLat, maxLat, minLng, maxLng := domain.BoundingBox(p, km)
	rows, err := s.db.QueryRows(ctx, `SELECT `+briefCols+briefFrom+` WHERE a.open = 1 AND a.ends_at >= ? AND a.status <> 'cancelled'
		AND a.latitude >= ? AND a.latitude <= ? AND a.longitude >= ? AND a.longitude <= ? ORDER BY a.starts_at LIMIT 2000`,
		memberID, store.TS(now), minLat, maxLat, minLng, maxLng)
	if err != nil {
		return nil, err
	}
	all, err := scanBriefs(rows)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, b := range all {
		d := domain.DistanceKm(p, domain.LatLng{Lat: *b.Latitude, Lng: *b.Longitude})
		if d <= km {
			d = float64(int(d*10+0.5)) / 10
			b.DistanceKm = &d
			out = append(out, b)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return *out[i].DistanceKm < *out[j].DistanceKm })
	if len(out) > 50 {
		out = out[:50]
	}
	return out, nil
}
