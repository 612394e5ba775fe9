package coverage

import (
	"context"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// Daily snapshots of the coverage tallies, the burndown of 动态清零. One row
// a day per snapshot node: the city's root Party org and each of its
// children (the district-level 两新工委), each counting the organizations in
// its own scope exactly as GET /coverage does for a user bound there. A
// caller sees the trend of the snapshot nodes inside their scope; a caller
// bound below district level has no snapshot node and sees no trend.

// snapshotNode is a Party org whose scope is snapshotted.
type snapshotNode struct {
	ID     int64
	Name   string
	Path   string
	Region string
}

func snapshotNodes(ctx context.Context, q store.Querier) ([]snapshotNode, error) {
	rows, err := q.Query(ctx, `SELECT id, name, path, region_code FROM party_orgs WHERE status = 'active'
		AND (parent_id IS NULL OR parent_id IN (SELECT id FROM party_orgs WHERE parent_id IS NULL)) ORDER BY path`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []snapshotNode
	for rows.Next() {
		var n snapshotNode
		if err := rows.Scan(&n.ID, &n.Name, &n.Path, &n.Region); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// WriteCoverageSnapshot records today's tallies of every snapshot node,
// replacing any taken earlier the same day (so it can run more than once a
// day), and returns how many rows it wrote. The caller refreshes the
// materialized coverage first when it may be stale.
func (s *Store) WriteCoverageSnapshot(ctx context.Context, c store.Caller) (int, error) {
	nodes, err := snapshotNodes(ctx, s.db.Pool())
	if err != nil {
		return 0, err
	}
	tallies := make([]domain.CoverageTally, len(nodes))
	for i, n := range nodes {
		m, err := s.tallyBy(ctx, store.Scope{Path: n.Path}, CoverageFilter{}, "")
		if err != nil {
			return 0, err
		}
		for _, t := range m {
			tallies[i].Merge(*t)
		}
	}
	day := store.DayOf(c.Now)
	err = s.db.Write(ctx, func(t *store.Tx) error {
		if _, err := t.Exec(ctx, `DELETE FROM coverage_snapshots WHERE day = ?`, day); err != nil {
			return err
		}
		if err := insertSnapshots(ctx, t, nodes, []string{day}, [][]domain.CoverageTally{tallies}, nil, c.Now); err != nil {
			return err
		}
		e := audit.New(c.Now, c.Actor, audit.ActionCreate, "coverage_snapshot", day, audit.ResultSuccess)
		e.Reason = "两个覆盖每日快照"
		return s.db.AppendAudit(ctx, t, e)
	})
	return len(nodes), err
}

// HasCoverageSnapshot reports whether the day's snapshot was recorded.
func (s *Store) HasCoverageSnapshot(ctx context.Context, day domain.Date) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM coverage_snapshots WHERE day = ? LIMIT 1) x`, string(day)).Scan(&n)
	return n > 0, err
}

// insertSnapshots writes tallies[day][node], skipping the (node, day) pairs
// in skip.
func insertSnapshots(ctx context.Context, t *store.Tx, nodes []snapshotNode, days []string, tallies [][]domain.CoverageTally, skip map[[2]any]bool, now time.Time) error {
	type row struct {
		node snapshotNode
		day  string
		t    domain.CoverageTally
	}
	var rows []row
	for d, day := range days {
		for i, n := range nodes {
			if !skip[[2]any{n.ID, day}] {
				rows = append(rows, row{n, day, tallies[d][i]})
			}
		}
	}
	return store.BulkInsert(ctx, t, `INSERT INTO coverage_snapshots (day, party_org_id, region_code, total, org_covered, work_covered, uncovered,
		in_total, in_org_covered, in_work_covered, in_uncovered, created_at) VALUES `, "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(rows), 400,
		func(i int) []any {
			r := rows[i]
			return []any{r.day, r.node.ID, r.node.Region, r.t.Total, r.t.OrgCovered, r.t.WorkCovered, r.t.Uncovered,
				r.t.InScope.Total, r.t.InScope.OrgCovered, r.t.InScope.WorkCovered, r.t.InScope.Uncovered, store.TS(now)}
		})
}

// TrendPoint is one day of the burndown.
type TrendPoint struct {
	Day domain.Date `json:"day"`
	domain.CoverageTally
}

// CoverageTrend is GET /api/v1/coverage/trend.
type CoverageTrend struct {
	PartyOrgID   int64        `json:"party_org_id"`
	PartyOrgName string       `json:"party_org_name"`
	Region       string       `json:"region"`
	Points       []TrendPoint `json:"points"`
	Note         string       `json:"note"`
}

// MaxTrendDays bounds the trend's window.
const MaxTrendDays = 730

// CoverageTrend returns the daily snapshots of the last days days for the
// snapshot node of region (a district-level unit) or, without one, for the
// widest snapshot node inside the caller's scope.
func (s *Store) CoverageTrend(ctx context.Context, c store.Caller, region string, days int) (CoverageTrend, error) {
	out := CoverageTrend{Points: []TrendPoint{}}
	nodes, err := snapshotNodes(ctx, s.db.Pool())
	if err != nil {
		return out, err
	}
	var pick *snapshotNode
	for i, n := range nodes {
		if !c.Scope.Contains(n.Path) || region != "" && n.Region != region {
			continue
		}
		if pick == nil || len(n.Path) < len(pick.Path) {
			pick = &nodes[i]
		}
	}
	if pick == nil {
		out.Note = "您的数据范围内没有按日快照的单位（快照按全市和各区（市）县记录）"
		return out, nil
	}
	out.PartyOrgID, out.PartyOrgName, out.Region = pick.ID, pick.Name, pick.Region
	rows, err := s.db.QueryRows(ctx, `SELECT day, total, org_covered, work_covered, uncovered, in_total, in_org_covered, in_work_covered, in_uncovered
		FROM coverage_snapshots WHERE party_org_id = ? AND day > ? ORDER BY day`, pick.ID, daysAgo(c.Now, days))
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var p TrendPoint
		if err := rows.Scan(&p.Day, &p.Total, &p.OrgCovered, &p.WorkCovered, &p.Uncovered,
			&p.InScope.Total, &p.InScope.OrgCovered, &p.InScope.WorkCovered, &p.InScope.Uncovered); err != nil {
			return out, err
		}
		out.Points = append(out.Points, p)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	// Today's point is live, not the snapshot taken at midnight: staff who
	// import or link organizations watch the line move the same day.
	m, err := s.tallyBy(ctx, store.Scope{Path: pick.Path}, CoverageFilter{}, "")
	if err != nil {
		return out, err
	}
	today := TrendPoint{Day: domain.Date(store.DayOf(c.Now))}
	if t := m[""]; t != nil {
		today.CoverageTally = *t
	}
	if n := len(out.Points); n > 0 && out.Points[n-1].Day == today.Day {
		out.Points[n-1] = today
	} else {
		out.Points = append(out.Points, today)
	}
	return out, nil
}

// BackfillCoverageSnapshots writes snapshots for the days of the last days
// days that have none, recomputing each day's states from the records as
// they stand now: the covering links' and assignments' dates and the Party
// orgs' dissolution dates give every past day's state exactly, and an
// organization counts from its registration date. What the records do not
// keep is not reconstructed: organizations are taken with today's in-scope
// flag and managers, and links or assignments deleted since are not seen.
// The generator's demo history is made this way (see gen's campaign dates).
func (s *Store) BackfillCoverageSnapshots(ctx context.Context, now time.Time, days int) (int, error) {
	q := s.db.Pool()
	nodes, err := snapshotNodes(ctx, q)
	if err != nil || len(nodes) == 0 {
		return 0, err
	}
	orgs, err := backfillOrgs(ctx, q, nodes)
	if err != nil {
		return 0, err
	}
	links, err := registry.LoadLinks(ctx, q, nil)
	if err != nil {
		return 0, err
	}
	assignments, err := registry.LoadAssignments(ctx, q, nil)
	if err != nil {
		return 0, err
	}
	inputs := domain.GroupCoverageInputs(links, assignments)
	dayList := make([]string, days)
	times := make([]time.Time, days)
	for i := range dayList {
		times[i] = now.AddDate(0, 0, i-days+1)
		dayList[i] = store.DayOf(times[i])
	}
	tallies := make([][]domain.CoverageTally, days)
	for i := range tallies {
		tallies[i] = make([]domain.CoverageTally, len(nodes))
	}
	for _, o := range orgs {
		in := inputs[o.id]
		in.RegisteredOn = domain.Date(o.registered)
		starts, ends := boundaries(in)
		var st domain.CoverageState
		for d := range dayList {
			if o.registered > dayList[d] {
				continue
			}
			// The state changes only on a start or the day after an end.
			if st == "" || starts[dayList[d]] || d > 0 && ends[dayList[d-1]] {
				st = domain.Coverage(in, times[d]).State
			}
			for _, n := range o.nodes {
				tallies[d][n].Add(st, o.inScope)
			}
		}
	}
	skip, err := existingSnapshots(ctx, q, dayList[0])
	if err != nil {
		return 0, err
	}
	err = s.db.Write(ctx, func(t *store.Tx) error {
		return insertSnapshots(ctx, t, nodes, dayList, tallies, skip, now)
	})
	return days*len(nodes) - len(skip), err
}

type backfillOrg struct {
	id         int64
	registered string
	inScope    bool
	nodes      []int // indexes of the snapshot nodes that see it
}

func backfillOrgs(ctx context.Context, q store.Querier, nodes []snapshotNode) ([]backfillOrg, error) {
	rows, err := q.Query(ctx, `SELECT o.id, COALESCE(o.registered_on, ''), o.cov_in_scope, am.path, COALESCE(im.path, '')
		FROM organizations o JOIN party_orgs am ON am.id = o.area_manager_id LEFT JOIN party_orgs im ON im.id = o.industry_manager_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []backfillOrg
	for rows.Next() {
		var o backfillOrg
		var in int
		var area, industry string
		if err := rows.Scan(&o.id, &o.registered, &in, &area, &industry); err != nil {
			return nil, err
		}
		o.inScope = in == 1
		for i, n := range nodes {
			if strings.HasPrefix(area, n.Path) || industry != "" && strings.HasPrefix(industry, n.Path) {
				o.nodes = append(o.nodes, i)
			}
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// boundaries are the days on which in's state may change: the starts
// (a link or an assignment beginning, a Party org dissolved) and the ends
// (an assignment's last day; the change is the day after).
func boundaries(in domain.CoverageInput) (starts, ends map[string]bool) {
	starts, ends = map[string]bool{}, map[string]bool{}
	for _, c := range in.Covering {
		starts[string(c.Since)], starts[string(c.DissolvedOn)] = true, true
	}
	for _, a := range in.Assignments {
		starts[string(a.From)], ends[string(a.To)] = true, true
	}
	return starts, ends
}

func existingSnapshots(ctx context.Context, q store.Querier, from string) (map[[2]any]bool, error) {
	rows, err := q.Query(ctx, `SELECT party_org_id, day FROM coverage_snapshots WHERE day >= ?`, from)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]any]bool{}
	for rows.Next() {
		var id int64
		var day string
		if err := rows.Scan(&id, &day); err != nil {
			return nil, err
		}
		out[[2]any{id, day}] = true
	}
	return out, rows.Err()
}
