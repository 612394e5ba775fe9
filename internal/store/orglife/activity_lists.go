package orglife

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"
)

// The activity list and the calendar (issue 13: every list answers in
// p99 ≤ 100 ms at city scale, ≈1,000,000 activities a year).
//
// A caller whose scope is the whole tree (city staff) needs no scope
// condition: the page walks activities_start (or the type's or status's
// index), and the total is a sum of the counts kept per day, type and
// status (activity_counts). A narrower scope is read from the hosts of its
// Party orgs in start order (activity_hosts_org_start: Party org, role,
// start, activity — migration 0025): every activity at its main host when
// that is in the scope, else at its co-hosts in the scope, so that each
// counts once and a district's count and page never visit an activity
// outside its page. Date ranges are ranges of the start time: the city
// dates from..to are the UTC half-open range of their midnights in
// Shanghai (start_date is the start's date there).

// activitySource is where a filter's activities come from.
type activitySource struct {
	// hosts: the rows come from activity_hosts — of one Party org
	// (hostOrg) or of the scope lo..hi — rather than from activities.
	hosts   bool
	hostOrg int64
	lo, hi  string
	// conds and args are the conditions on the activity (a) and its main
	// host (p, joined when joinMain).
	conds    []string
	args     []any
	joinMain bool
	// counted: only type, status and dates narrow the whole tree, which
	// activity_counts answers.
	counted            bool
	typ, status        string
	from, to           string // city dates
	startFrom, startTo string // stored start times, half-open
}

// startBounds is the half-open range of stored start times of the city
// dates from..to; an empty date leaves its end open.
func startBounds(from, to string) (lo, hi string, err error) {
	parse := func(field, v string, days int) (string, error) {
		if v == "" {
			return "", nil
		}
		d, err := time.ParseInLocation(domain.DateLayout, v, domain.Shanghai)
		if err != nil {
			return "", domain.FieldError(field, domain.DateProblem("日期", v))
		}
		return store.TS(d.AddDate(0, 0, days)), nil
	}
	if lo, err = parse("from", from, 0); err != nil {
		return
	}
	hi, err = parse("to", to, 1)
	return
}

// source builds the conditions of f for the scope.
func (s *Store) source(ctx context.Context, sc store.Scope, f ActivityFilter) (activitySource, error) {
	src := activitySource{typ: f.Type, status: f.Status, from: f.From, to: f.To}
	var err error
	if src.startFrom, src.startTo, err = startBounds(f.From, f.To); err != nil {
		return src, err
	}
	whole, err := s.db.WholeTree(ctx, sc)
	if err != nil {
		return src, err
	}
	lo, hi := sc.Bounds()
	cond := func(c string, args ...any) {
		src.conds = append(src.conds, c)
		src.args = append(src.args, args...)
	}
	switch {
	case f.PartyOrgID > 0:
		// Hosted or co-hosted by one org: its host rows, one an activity.
		var path string
		err := s.db.QueryRow(ctx, `SELECT path FROM party_orgs WHERE id = ?`, f.PartyOrgID).Scan(&path)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return src, err
		}
		if whole || sc.Contains(path) {
			src.hosts, src.hostOrg = true, f.PartyOrgID
		} else {
			// An org outside the scope: its activities co-hosted from inside.
			cond(`a.id IN (SELECT activity_id FROM activity_hosts WHERE party_org_id = ?)`, f.PartyOrgID)
			cond(activityScope, lo, hi)
		}
	case !whole:
		src.hosts, src.lo, src.hi = true, lo, hi
	}
	src.counted = !src.hosts && len(src.conds) == 0 && f.Under == 0 && f.Region == "" && f.Open == nil && f.Q == ""
	if f.Under > 0 {
		ulo, uhi, err := s.db.SubtreeBounds(ctx, f.Under)
		if err != nil {
			return src, err
		}
		cond(`p.path >= ? AND p.path < ?`, ulo, uhi)
		src.joinMain = true
	}
	if f.Region != "" {
		cond(`(p.region_code = ? OR p.region_code IN (SELECT code FROM regions WHERE parent_code = ?))`, f.Region, f.Region)
		src.joinMain = true
	}
	if f.Type != "" {
		cond(`a.type = ?`, f.Type)
	}
	if f.Status != "" {
		cond(`a.status = ?`, f.Status)
	}
	if f.Open != nil {
		cond(`a.open = ?`, store.BoolInt(*f.Open))
	}
	if f.Q != "" {
		cond(s.db.D.ContainsFolded("a.title"), store.LikeFolded(f.Q))
	}
	return src, nil
}

// timeConds adds the start time's range on col.
func timeConds(conds []string, args []any, col, from, to string) ([]string, []any) {
	if from != "" {
		conds, args = append(conds, col+` >= ?`), append(args, from)
	}
	if to != "" {
		conds, args = append(conds, col+` < ?`), append(args, to)
	}
	return conds, args
}

// hostRows selects (starts_at, activity_id) of the source's host rows
// between two start times, each activity once: an org's own rows, or the
// scope's main hosts and the co-hosts of activities whose main host lies
// outside it.
func (src activitySource) hostRows(from, to string) (string, []any) {
	if src.hostOrg > 0 {
		conds, args := timeConds([]string{`h.party_org_id = ?`}, []any{src.hostOrg}, "h.starts_at", from, to)
		return `SELECT h.starts_at, h.activity_id FROM activity_hosts h` + store.WhereClause(conds), args
	}
	mainConds, mainArgs := timeConds([]string{`sp.path >= ? AND sp.path < ?`, `h.co_host = 0`}, []any{src.lo, src.hi}, "h.starts_at", from, to)
	coConds, coArgs := timeConds([]string{`sp.path >= ? AND sp.path < ?`, `h.co_host = 1`, `(mp.path < ? OR mp.path >= ?)`},
		[]any{src.lo, src.hi, src.lo, src.hi}, "h.starts_at", from, to)
	return `SELECT h.starts_at, h.activity_id FROM activity_hosts h JOIN party_orgs sp ON sp.id = h.party_org_id` + store.WhereClause(mainConds) +
			` UNION ALL SELECT DISTINCT h.starts_at, h.activity_id FROM activity_hosts h JOIN party_orgs sp ON sp.id = h.party_org_id
			JOIN activities ca ON ca.id = h.activity_id JOIN party_orgs mp ON mp.id = ca.party_org_id` + store.WhereClause(coConds),
		append(mainArgs, coArgs...)
}

// rows selects (starts_at, id) of the source's activities between two
// start times, and says whether they may be read in start order from an
// index (no hosts to merge).
func (src activitySource) rows(from, to string) (string, []any) {
	if src.hosts && len(src.conds) == 0 {
		return src.hostRows(from, to)
	}
	q := ` FROM activities a`
	var conds []string
	var args []any
	if src.hosts {
		hq, ha := src.hostRows(from, to)
		q = ` FROM (` + hq + `) x JOIN activities a ON a.id = x.activity_id`
		args = append(args, ha...)
	}
	if src.joinMain {
		q += ` JOIN party_orgs p ON p.id = a.party_org_id`
	}
	conds, args = timeConds(append(conds, src.conds...), append(args, src.args...), "a.starts_at", from, to)
	return `SELECT a.starts_at, a.id` + q + store.WhereClause(conds), args
}

// keptCount sums the kept counts of the whole tree's dates, type and
// status, by day when byDay.
func (src activitySource) keptCount(byDay bool) (string, []any) {
	var conds []string
	var args []any
	for _, c := range []struct{ cond, v string }{{`start_date >= ?`, src.from}, {`start_date <= ?`, src.to}, {`type = ?`, src.typ}, {`status = ?`, src.status}} {
		if c.v != "" {
			conds, args = append(conds, c.cond), append(args, c.v)
		}
	}
	if byDay {
		return `SELECT start_date, SUM(n) FROM activity_counts` + store.WhereClause(conds) + ` GROUP BY start_date`, args
	}
	return `SELECT COALESCE(SUM(n), 0) FROM activity_counts` + store.WhereClause(conds), args
}

// ListActivities lists the activities in scope matching f: a page in start
// order (newest first with f.Desc) and the total.
func (s *Store) ListActivities(ctx context.Context, sc store.Scope, f ActivityFilter) ([]ActivityView, int, error) {
	src, err := s.source(ctx, sc, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	countQ, countArgs := src.keptCount(false)
	if !src.counted {
		rq, ra := src.rows(src.startFrom, src.startTo)
		countQ, countArgs = `SELECT COUNT(*) FROM (`+rq+`) c`, ra
	}
	if err := s.db.QueryRow(ctx, countQ, countArgs...).Scan(&total); err != nil {
		return nil, 0, err
	}
	dir := ""
	if f.Desc {
		dir = " DESC"
	}
	pageQ, pageArgs := src.rows(src.startFrom, src.startTo)
	ids, err := s.startIDs(ctx, pageQ+` ORDER BY 1`+dir+`, 2`+dir+` LIMIT ? OFFSET ?`, append(pageArgs, f.Page.Limit(), f.Page.Offset())...)
	if err != nil {
		return nil, 0, err
	}
	out, err := s.activitiesByID(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// startIDs reads (starts_at, id) rows: the ids in their order.
func (s *Store) startIDs(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.db.QueryRows(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var at string
		var id int64
		if err := rows.Scan(&at, &id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// activitiesByID reads and decorates the activities of ids, in that order.
func (s *Store) activitiesByID(ctx context.Context, ids []int64) ([]ActivityView, error) {
	out := []ActivityView{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+activityCols+activityFrom+` WHERE a.id IN (`+store.JoinInts(ids)+`)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[int64]ActivityView, len(ids))
	for rows.Next() {
		v, err := scanActivity(rows)
		if err != nil {
			return nil, err
		}
		byID[v.ID] = v
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if v, ok := byID[id]; ok {
			out = append(out, v)
		}
	}
	ptrs := make([]*ActivityView, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, s.decorateActivities(ctx, s.db.Pool(), ptrs)
}

// CalendarItem is an activity as a calendar cell shows it.
type CalendarItem struct {
	ID           int64                 `json:"id"`
	Title        string                `json:"title"`
	Type         activity.ActivityType `json:"type"`
	TypeName     string                `json:"type_name"`
	Status       string                `json:"status"`
	Open         bool                  `json:"open"`
	StartsAt     time.Time             `json:"starts_at"`
	PartyOrgName string                `json:"party_org_name"`
}

// CalendarDay is one day of the calendar: how many activities start on it
// in the caller's scope and filter, and the first of them by start time.
type CalendarDay struct {
	Date string `json:"date"` // YYYY-MM-DD, always set

	Total int            `json:"total"`
	Items []CalendarItem `json:"items"`
}

// ActivityCalendar answers the calendar's visible days f.From..f.To
// (required, at most activity.CalendarMaxDays): every day with its count
// and its first perDay activities, whatever the number in the scope.
func (s *Store) ActivityCalendar(ctx context.Context, sc store.Scope, f ActivityFilter, perDay int) ([]CalendarDay, error) {
	days, err := activity.CalendarDays(f.From, f.To)
	if err != nil {
		return nil, err
	}
	perDay = max(0, min(perDay, activity.CalendarMaxPerDay))
	src, err := s.source(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	out := make([]CalendarDay, len(days))
	bounds := make([][2]string, len(days))
	for i, d := range days {
		out[i] = CalendarDay{Date: string(d), Items: []CalendarItem{}}
		if bounds[i][0], bounds[i][1], err = startBounds(string(d), string(d)); err != nil {
			return nil, err
		}
	}
	var first [][]int64
	if src.hosts {
		first, err = s.calendarFromRows(ctx, src, bounds, out, perDay)
	} else {
		first, err = s.calendarByDay(ctx, src, bounds, out, perDay)
	}
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, f := range first {
		ids = append(ids, f...)
	}
	items, err := s.calendarItems(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i, f := range first {
		for _, id := range f {
			if it, ok := items[id]; ok {
				out[i].Items = append(out[i].Items, it)
			}
		}
	}
	return out, nil
}

// calendarFromRows reads the scope's rows of the whole window once (a
// district's six weeks: a few thousand) and counts them by day in Go.
func (s *Store) calendarFromRows(ctx context.Context, src activitySource, bounds [][2]string, out []CalendarDay, perDay int) ([][]int64, error) {
	q, args := src.rows(bounds[0][0], bounds[len(bounds)-1][1])
	rows, err := s.db.QueryRows(ctx, q+` ORDER BY 1, 2`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	first := make([][]int64, len(out))
	day := 0
	for rows.Next() {
		var at string
		var id int64
		if err := rows.Scan(&at, &id); err != nil {
			return nil, err
		}
		for day < len(bounds)-1 && at >= bounds[day][1] {
			day++
		}
		out[day].Total++
		if len(first[day]) < perDay {
			first[day] = append(first[day], id)
		}
	}
	return first, rows.Err()
}

// calendarByDay answers the whole tree a day at a time: the counts kept
// per day (or, for a filter they do not cover, one range count a day, all
// in one statement), then each day's first few from the start index.
func (s *Store) calendarByDay(ctx context.Context, src activitySource, bounds [][2]string, out []CalendarDay, perDay int) ([][]int64, error) {
	dayOf := make(map[string]int, len(out))
	for i, d := range out {
		dayOf[d.Date] = i
	}
	var q string
	var args []any
	if src.counted {
		src.from, src.to = string(out[0].Date), string(out[len(out)-1].Date)
		q, args = src.keptCount(true)
	} else {
		var parts []string
		for i, b := range bounds {
			rq, ra := src.rows(b[0], b[1])
			parts = append(parts, `SELECT '`+string(out[i].Date)+`', (SELECT COUNT(*) FROM (`+rq+`) c)`)
			args = append(args, ra...)
		}
		q = strings.Join(parts, ` UNION ALL `)
	}
	rows, err := s.db.QueryRows(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var d string
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			rows.Close()
			return nil, err
		}
		if i, ok := dayOf[d]; ok {
			out[i].Total = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	first := make([][]int64, len(out))
	if perDay == 0 {
		return first, nil
	}
	var parts []string
	args = nil
	for i, b := range bounds {
		if out[i].Total == 0 {
			continue
		}
		rq, ra := src.rows(b[0], b[1])
		parts = append(parts, `SELECT `+strconv.Itoa(i)+` AS d, f.* FROM (`+rq+` ORDER BY 1, 2 LIMIT `+strconv.Itoa(perDay)+`) f`)
		args = append(args, ra...)
	}
	if len(parts) == 0 {
		return first, nil
	}
	rows, err = s.db.QueryRows(ctx, strings.Join(parts, ` UNION ALL `), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var d int
		var at string
		var id int64
		if err := rows.Scan(&d, &at, &id); err != nil {
			return nil, err
		}
		first[d] = append(first[d], id)
	}
	return first, rows.Err()
}

// calendarItems reads what a calendar cell shows of the activities of ids.
func (s *Store) calendarItems(ctx context.Context, ids []int64) (map[int64]CalendarItem, error) {
	out := make(map[int64]CalendarItem, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.QueryRows(ctx, `SELECT a.id, a.title, a.type, a.status, a.open, a.starts_at, p.name
		FROM activities a JOIN party_orgs p ON p.id = a.party_org_id WHERE a.id IN (`+store.JoinInts(ids)+`)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var it CalendarItem
		var open int
		var at string
		if err := rows.Scan(&it.ID, &it.Title, &it.Type, &it.Status, &open, &at, &it.PartyOrgName); err != nil {
			return nil, err
		}
		it.Open, it.StartsAt, it.TypeName = open == 1, store.ParseTS(at), it.Type.Name()
		out[it.ID] = it
	}
	return out, rows.Err()
}
