package orglife

import (
	"context"
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
// condition: the list walks activities_start. A narrower scope is read
// from the hosts of its Party orgs (activity_hosts_org_start: Party org,
// start, activity — migration 0025), so that a district's count and page
// never visit an activity outside its page. Date ranges are ranges of the
// start time: the city dates from..to are the UTC half-open range of their
// midnights in Shanghai (start_date is the start's date there).

// activitySource is where a list's activities come from: the conditions on
// the activity (a, and its main host p) and, when the hosts drive it, on
// the host rows (h, and their Party org sp).
type activitySource struct {
	hosts               bool // read through activity_hosts
	scoped              bool // the hosts' Party orgs (sp) must lie in the scope
	hostConds, conds    []string
	hostArgs, args      []any
	joinMain            bool // a condition reads the main host p
	startFrom, startTo  string
	activityConditioned bool // a condition beyond the hosts and the dates
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
			return "", &domain.ValidationError{Fields: map[string]string{field: "日期格式应为YYYY-MM-DD"}}
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
	var src activitySource
	var err error
	if src.startFrom, src.startTo, err = startBounds(f.From, f.To); err != nil {
		return src, err
	}
	whole, err := s.db.WholeTree(ctx, sc)
	if err != nil {
		return src, err
	}
	if !whole {
		lo, hi := sc.Bounds()
		src.hosts, src.scoped = true, true
		src.hostConds = append(src.hostConds, `sp.path >= ? AND sp.path < ?`)
		src.hostArgs = append(src.hostArgs, lo, hi)
	}
	if f.PartyOrgID > 0 {
		src.hosts = true
		src.hostConds = append(src.hostConds, `h.party_org_id = ?`)
		src.hostArgs = append(src.hostArgs, f.PartyOrgID)
	}
	cond := func(c string, args ...any) {
		src.conds = append(src.conds, c)
		src.args = append(src.args, args...)
		src.activityConditioned = true
	}
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
		cond(`a.title `+s.db.D.Like()+` ? ESCAPE '\'`, "%"+store.EscapeLike(f.Q)+"%")
	}
	return src, nil
}

// hostsOnly: the hosts alone answer (no condition on the activity itself).
func (src activitySource) hostsOnly() bool { return src.hosts && !src.activityConditioned }

// hostSelect is the host rows of the source between two start times (""
// for an open end), selecting cols.
func (src activitySource) hostSelect(cols, from, to string) (string, []any) {
	q := `SELECT ` + cols + ` FROM activity_hosts h`
	conds := append([]string{}, src.hostConds...)
	args := append([]any{}, src.hostArgs...)
	if src.scoped {
		q += ` JOIN party_orgs sp ON sp.id = h.party_org_id`
	}
	if from != "" {
		conds, args = append(conds, `h.starts_at >= ?`), append(args, from)
	}
	if to != "" {
		conds, args = append(conds, `h.starts_at < ?`), append(args, to)
	}
	return q + store.WhereClause(conds), args
}

// activitySelect is the activities of the source between two start times,
// selecting cols (over a, and p when a condition reads it).
func (src activitySource) activitySelect(cols, from, to string) (string, []any) {
	q := `SELECT ` + cols + ` FROM activities a`
	if src.joinMain {
		q += ` JOIN party_orgs p ON p.id = a.party_org_id`
	}
	conds := append([]string{}, src.conds...)
	args := append([]any{}, src.args...)
	if from != "" {
		conds, args = append(conds, `a.starts_at >= ?`), append(args, from)
	}
	if to != "" {
		conds, args = append(conds, `a.starts_at < ?`), append(args, to)
	}
	if src.hosts {
		hq, ha := src.hostSelect(`h.activity_id`, from, to)
		conds, args = append(conds, `a.id IN (`+hq+`)`), append(args, ha...)
	}
	return q + store.WhereClause(conds), args
}

// ListActivities lists the activities in scope matching f: a page in start
// order (newest first with f.Desc) and the total.
func (s *Store) ListActivities(ctx context.Context, sc store.Scope, f ActivityFilter) ([]ActivityView, int, error) {
	src, err := s.source(ctx, sc, f)
	if err != nil {
		return nil, 0, err
	}
	dir := ""
	if f.Desc {
		dir = " DESC"
	}
	var total int
	var countQ, pageQ string
	var countArgs, pageArgs []any
	if src.hostsOnly() {
		// A joint activity with two hosts in scope is one activity.
		countQ, countArgs = src.hostSelect(`COUNT(DISTINCT h.activity_id)`, src.startFrom, src.startTo)
		pageQ, pageArgs = src.hostSelect(`DISTINCT h.starts_at, h.activity_id`, src.startFrom, src.startTo)
		pageQ += ` ORDER BY h.starts_at` + dir + `, h.activity_id` + dir
	} else {
		countQ, countArgs = src.activitySelect(`COUNT(*)`, src.startFrom, src.startTo)
		pageQ, pageArgs = src.activitySelect(`a.starts_at, a.id`, src.startFrom, src.startTo)
		pageQ += ` ORDER BY a.starts_at` + dir + `, a.id` + dir
	}
	if err := s.db.QueryRow(ctx, countQ, countArgs...).Scan(&total); err != nil {
		return nil, 0, err
	}
	ids, err := s.startIDs(ctx, pageQ+` LIMIT ? OFFSET ?`, append(pageArgs, f.Page.Limit(), f.Page.Offset())...)
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
	rows, err := s.db.QueryRows(ctx, `SELECT `+activityCols+activityFrom+` WHERE a.id IN (`+idList(ids)+`)`)
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

func idList(ids []int64) string {
	b := make([]byte, 0, len(ids)*8)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
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
	Date  domain.Date    `json:"date"`
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
		out[i] = CalendarDay{Date: d, Items: []CalendarItem{}}
		if bounds[i][0], bounds[i][1], err = startBounds(string(d), string(d)); err != nil {
			return nil, err
		}
	}
	var first [][]int64
	if src.hostsOnly() {
		first, err = s.calendarFromHosts(ctx, src, bounds, out, perDay)
	} else {
		first, err = s.calendarFromActivities(ctx, src, bounds, out, perDay)
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

// calendarFromHosts reads the scope's host rows of the whole window once
// (a district: a few thousand) and counts them by day in Go.
func (s *Store) calendarFromHosts(ctx context.Context, src activitySource, bounds [][2]string, out []CalendarDay, perDay int) ([][]int64, error) {
	q, args := src.hostSelect(`DISTINCT h.starts_at, h.activity_id`, bounds[0][0], bounds[len(bounds)-1][1])
	rows, err := s.db.QueryRows(ctx, q+` ORDER BY h.starts_at, h.activity_id`, args...)
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

// calendarFromActivities counts each day with its own range count (one
// statement for all days: the whole city's six weeks are ≈110,000
// activities, counted in the index rather than read), then reads each
// day's first few the same way.
func (s *Store) calendarFromActivities(ctx context.Context, src activitySource, bounds [][2]string, out []CalendarDay, perDay int) ([][]int64, error) {
	var parts []string
	var args []any
	for i, b := range bounds {
		q, a := src.activitySelect(`COUNT(*)`, b[0], b[1])
		parts = append(parts, `SELECT `+strconv.Itoa(i)+` AS d, (`+q+`) AS n`)
		args = append(args, a...)
	}
	rows, err := s.db.QueryRows(ctx, strings.Join(parts, ` UNION ALL `), args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var d, n int
		if err := rows.Scan(&d, &n); err != nil {
			rows.Close()
			return nil, err
		}
		out[d].Total = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	first := make([][]int64, len(out))
	if perDay == 0 {
		return first, nil
	}
	parts, args = nil, nil
	for i, b := range bounds {
		if out[i].Total == 0 {
			continue
		}
		q, a := src.activitySelect(strconv.Itoa(i)+` AS d, a.starts_at, a.id`, b[0], b[1])
		parts = append(parts, `SELECT * FROM (`+q+` ORDER BY a.starts_at, a.id LIMIT `+strconv.Itoa(perDay)+`) d`+strconv.Itoa(i))
		args = append(args, a...)
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
		FROM activities a JOIN party_orgs p ON p.id = a.party_org_id WHERE a.id IN (`+idList(ids)+`)`)
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
