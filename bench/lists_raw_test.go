package bench

import (
	"fmt"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
)

// BenchmarkListsRaw is the baseline of the lists issue 13 changed: the
// statements that answer each of them (the count and the page's ids, then
// the page's rows), run raw in the same run as BenchmarkListsSurvey, so
// that the store's figure stands beside what the engine needs for the same
// answer.
func BenchmarkListsRaw(b *testing.B) {
	for _, eng := range engines() {
		for _, rc := range rawCases {
			for _, who := range []string{"city", "jinjiang"} {
				b.Run(fmt.Sprintf("%s/%s/%s", eng, rc.name, who), func(b *testing.B) {
					c := load(b, eng)
					withAlerts(b, c)
					sc := c.scopeOf(who)
					node := c.node(b, sc)
					var total int
					timed(b, func(int) error {
						n, err := rc.run(c, sc, node, who == "city")
						total = n
						return err
					})
					b.ReportMetric(float64(total), "total")
				})
			}
		}
	}
}

// node is the id of the scope's Party org.
func (c *city) node(b *testing.B, sc store.Scope) int64 {
	var id int64
	if err := c.raw.QueryRow(c.bind(`SELECT id FROM party_orgs WHERE path = ?`), sc.Path).Scan(&id); err != nil {
		b.Fatal(err)
	}
	return id
}

// count1 runs a counting statement; ids reads a page's ids (the last
// column); readAll reads every row and column.
func (c *city) count1(q string, args ...any) (int, error) {
	var n int
	err := c.raw.QueryRow(c.bind(q), args...).Scan(&n)
	return n, err
}

func (c *city) ids(q string, args ...any) ([]any, error) {
	rows, err := c.raw.Query(c.bind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []any
	cols, _ := rows.Columns()
	for rows.Next() {
		dst := make([]any, len(cols))
		for i := range dst {
			dst[i] = new(any)
		}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		out = append(out, *(dst[len(dst)-1].(*any)))
	}
	return out, rows.Err()
}

func (c *city) readAll(q string, args ...any) error {
	rows, err := c.raw.Query(c.bind(q), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	dst := make([]any, len(cols))
	for i := range dst {
		dst[i] = new(any)
	}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return err
		}
	}
	return rows.Err()
}

func placeholders(ids []any) string {
	s := ""
	for i := range ids {
		if i > 0 {
			s += ", "
		}
		s += "?"
	}
	return s
}

type rawCase struct {
	name string
	run  func(c *city, sc store.Scope, node int64, whole bool) (int, error)
}

// startRange is the stored start times of the benchmark's month.
func startRange() (string, string) {
	from, _ := time.ParseInLocation(domain.DateLayout, monthFrom, domain.Shanghai)
	to, _ := time.ParseInLocation(domain.DateLayout, monthTo, domain.Shanghai)
	return store.TS(from), store.TS(to.AddDate(0, 0, 1))
}

// hostRows is the scope's activities by their hosts (activity_lists.go).
const hostRows = `SELECT h.starts_at, h.activity_id FROM activity_hosts h JOIN party_orgs sp ON sp.id = h.party_org_id
	WHERE sp.path >= ? AND sp.path < ? AND h.co_host = 0 AND h.starts_at >= ? AND h.starts_at < ?
	UNION ALL SELECT DISTINCT h.starts_at, h.activity_id FROM activity_hosts h JOIN party_orgs sp ON sp.id = h.party_org_id
	JOIN activities ca ON ca.id = h.activity_id JOIN party_orgs mp ON mp.id = ca.party_org_id
	WHERE sp.path >= ? AND sp.path < ? AND h.co_host = 1 AND (mp.path < ? OR mp.path >= ?) AND h.starts_at >= ? AND h.starts_at < ?`

// activityPage reads a page of activities with their main host's name.
func (c *city) activityPage(ids []any) error {
	if len(ids) == 0 {
		return nil
	}
	return c.readAll(`SELECT a.id, a.title, a.type, a.status, a.starts_at, a.ends_at, a.address, p.name FROM activities a
		JOIN party_orgs p ON p.id = a.party_org_id WHERE a.id IN (`+placeholders(ids)+`)`, ids...)
}

func activitiesRaw(month bool) func(c *city, sc store.Scope, node int64, whole bool) (int, error) {
	return func(c *city, sc store.Scope, node int64, whole bool) (int, error) {
		from, to := "0000", "9999"
		dayFrom, dayTo := "0000", "9999"
		if month {
			from, to = startRange()
			dayFrom, dayTo = monthFrom, monthTo
		}
		var n int
		var ids []any
		var err error
		if whole {
			if n, err = c.count1(`SELECT COALESCE(SUM(n), 0) FROM activity_counts WHERE start_date >= ? AND start_date <= ?`, dayFrom, dayTo); err != nil {
				return 0, err
			}
			ids, err = c.ids(`SELECT a.starts_at, a.id FROM activities a WHERE a.starts_at >= ? AND a.starts_at < ? ORDER BY 1 DESC, 2 DESC LIMIT 20`, from, to)
		} else {
			lo, hi := sc.Bounds()
			args := []any{lo, hi, from, to, lo, hi, lo, hi, from, to}
			if n, err = c.count1(`SELECT COUNT(*) FROM (`+hostRows+`) x`, args...); err != nil {
				return 0, err
			}
			ids, err = c.ids(hostRows+` ORDER BY 1 DESC, 2 DESC LIMIT 20`, args...)
		}
		if err != nil {
			return 0, err
		}
		return n, c.activityPage(ids)
	}
}

// orgPage reads a page of organizations with the names the list shows.
func (c *city) orgPage(ids []any) error {
	if len(ids) == 0 {
		return nil
	}
	return c.readAll(`SELECT o.id, o.uscc, o.name, o.status, o.region_code, am.name, COALESCE(im.name, ''), COALESCE(r.name, ''), COALESCE(z.name, '')
		FROM organizations o JOIN party_orgs am ON am.id = o.area_manager_id LEFT JOIN party_orgs im ON im.id = o.industry_manager_id
		LEFT JOIN regions r ON r.code = o.region_code LEFT JOIN zones z ON z.id = o.zone_id WHERE o.id IN (`+placeholders(ids)+`)`, ids...)
}

func orgSearchRaw(gram, like string, verify bool) func(c *city, sc store.Scope, node int64, whole bool) (int, error) {
	return func(c *city, sc store.Scope, node int64, whole bool) (int, error) {
		contains := "LIKE ? ESCAPE '\\'"
		col := func(x string) string { return x }
		if c.postgres {
			col = func(x string) string { return `lower(` + x + ` COLLATE "C")` }
		}
		var n int
		var ids []any
		var err error
		if whole {
			q, args := ` FROM organization_name_grams g WHERE g.gram = ?`, []any{gram}
			if verify {
				q, args = q+` AND `+col("g.name")+` `+contains, append(args, like)
			}
			if n, err = c.count1(`SELECT COUNT(*)`+q, args...); err != nil {
				return 0, err
			}
			ids, err = c.ids(`SELECT g.name, g.organization_id`+q+` ORDER BY g.name, g.organization_id LIMIT 20`, args...)
		} else {
			lo, hi := sc.Bounds()
			q := ` FROM organizations o WHERE o.id IN (SELECT id FROM organizations WHERE area_manager_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?)
				UNION SELECT id FROM organizations WHERE industry_manager_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?)) AND ` + col("o.name") + ` ` + contains
			args := []any{lo, hi, lo, hi, like}
			if n, err = c.count1(`SELECT COUNT(*)`+q, args...); err != nil {
				return 0, err
			}
			ids, err = c.ids(`SELECT o.name, o.id`+q+` ORDER BY o.name, o.id LIMIT 20`, args...)
		}
		if err != nil {
			return 0, err
		}
		return n, c.orgPage(ids)
	}
}

var rawCases = []rawCase{
	{"activities", activitiesRaw(false)},
	{"activities-month", activitiesRaw(true)},
	{"organizations-q", orgSearchRaw("成都", "%成都%", false)},
	{"organizations-q3", orgSearchRaw("科技", "%科技有限%", true)},
	{"todo-counts", func(c *city, sc store.Scope, node int64, whole bool) (int, error) {
		lo, hi := sc.Bounds()
		n, err := c.count1(`SELECT COUNT(*) FROM alerts a WHERE a.path >= ? AND a.path < ? AND a.status IN ('open', 'acknowledged') AND a.rule NOT IN ('filing_pending')
			AND (a.assignee_id = ? OR (a.assignee_id IS NULL AND (a.owner_org_id = ? OR a.party_org_id = ?)))`, lo, hi, 1, node, node)
		if err != nil {
			return 0, err
		}
		var f, t, r int
		err = c.raw.QueryRow(c.bind(`SELECT
			(SELECT COUNT(*) FROM secretary_filings f JOIN party_orgs p ON p.id = f.party_org_id WHERE p.parent_id = ? AND f.status = 'pending'),
			(SELECT COUNT(*) FROM term_changes r JOIN party_orgs p ON p.id = r.party_org_id WHERE p.parent_id = ? AND r.status = 'pending'),
			(SELECT COUNT(*) FROM secretary_filings WHERE party_org_id = ? AND status = 'returned') + (SELECT COUNT(*) FROM term_changes WHERE party_org_id = ? AND status = 'returned')`),
			node, node, node, node).Scan(&f, &t, &r)
		return n + f + t + r, err
	}},
}
