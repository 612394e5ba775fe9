package coverage

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"

	"github.com/lianxin/lianxin/internal/domain"
)

// The 动态清零 views over the materialized coverage: the headline figures,
// the breakdowns, the uncovered list. All are scoped like the organization
// list: an organization counts for a caller when either of its managers
// lies in the caller's subtree.

// CoverageFilter narrows the coverage views.
type CoverageFilter struct {
	Region   string // a district-level unit (with its streets) or a street
	ZoneID   *int64
	Industry string
	Chain    string
}

// where adds the filter's conditions on organizations o.
func (f CoverageFilter) where(where []string, args []any) ([]string, []any) {
	if f.Region != "" {
		where = append(where, "o.region_code IN (SELECT code FROM regions WHERE code = ? OR functional_zone_code = ? OR (parent_code = ? AND functional_zone_code IS NULL))")
		args = append(args, f.Region, f.Region, f.Region)
	}
	if f.ZoneID != nil {
		where = append(where, "o.zone_id = ?")
		args = append(args, *f.ZoneID)
	}
	if f.Industry != "" {
		where = append(where, "o.industry = ?")
		args = append(args, f.Industry)
	}
	if f.Chain != "" {
		where = append(where, "o.chain = ?")
		args = append(args, f.Chain)
	}
	return where, args
}

func (f CoverageFilter) empty() bool {
	return f.Region == "" && f.ZoneID == nil && f.Industry == "" && f.Chain == ""
}

// orgConditions is the scope and the filter as a WHERE clause on o.
func (s *Store) orgConditions(ctx context.Context, sc store.Scope, f CoverageFilter) (string, []any, error) {
	whole, err := s.db.WholeTree(ctx, sc)
	if err != nil {
		return "", nil, err
	}
	var where []string
	var args []any
	if !whole {
		where, args = []string{registry.OrgScopeIDs}, registry.OrgScopeArgs(sc)
	}
	where, args = f.where(where, args)
	return store.WhereClause(where), args, nil
}

// tallyBy counts organizations by key (an SQL expression over o; "" for
// one row under the key "") and state, totals and in-scope side by side.
func (s *Store) tallyBy(ctx context.Context, sc store.Scope, f CoverageFilter, key string) (map[string]*domain.CoverageTally, error) {
	cond, args, err := s.orgConditions(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	group := "o.cov_in_scope, o.cov_state" // the order of the covering indexes
	if key != "" {
		group = key + ", " + group
	} else {
		key = "''" // PostgreSQL refuses a constant in GROUP BY
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+key+`, o.cov_in_scope, o.cov_state, COUNT(*) FROM organizations o`+cond+` GROUP BY `+group, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*domain.CoverageTally{}
	for rows.Next() {
		var k sql.NullString
		var state string
		var inScope, n int
		if err := rows.Scan(&k, &inScope, &state, &n); err != nil {
			return nil, err
		}
		t := out[k.String]
		if t == nil {
			t = &domain.CoverageTally{}
			out[k.String] = t
		}
		addCount(&t.CoverageCounts, domain.CoverageState(state), n)
		if inScope == 1 {
			addCount(&t.InScope, domain.CoverageState(state), n)
		}
	}
	return out, rows.Err()
}

// addCount adds n organizations of state s (CoverageCounts.Add, n at once).
func addCount(c *domain.CoverageCounts, s domain.CoverageState, n int) {
	var one domain.CoverageCounts
	one.Add(s)
	c.Total += n
	c.OrgCovered += one.OrgCovered * n
	c.WorkCovered += one.WorkCovered * n
	c.Uncovered += one.Uncovered * n
}

// CoverageRule explains, in the figures' own words, how they are counted.
const CoverageRule = "组织覆盖、工作覆盖、未覆盖只统计纳入目标范围的两新组织；党员为在册党员（正式和预备）。" +
	"未纳入组织管理的党员：组织关系无所在党组织（或所在党组织不存在）的，和所在党组织已撤销的；" +
	"组织关系中转超期暂无法统计（系统尚未记录中转起始日期），口袋党员不在系统中、无法统计。" +
	"按区域、园区、行业或产业链筛选时，党员按其工作单位统计。"

// CoverageSummary is GET /api/v1/coverage: the contract's seven figures
// first, then additions that keep the shape.
type CoverageSummary struct {
	Organizations            int            `json:"organizations"`
	InScope                  int            `json:"in_scope"`
	OrgCovered               int            `json:"org_covered"`
	WorkCovered              int            `json:"work_covered"`
	Uncovered                int            `json:"uncovered"`
	Members                  int            `json:"members"`
	MembersUnmanaged         int            `json:"members_unmanaged"`
	MembersUnmanagedByReason map[string]int `json:"members_unmanaged_by_reason"`
	AsOf                     domain.Date    `json:"as_of"`
	Rule                     string         `json:"rule"`
}

// CoverageSummary computes the headline figures for the caller's scope:
// for the whole tree unfiltered, from the counts kept by the writers
// (coverage_counted.go); otherwise the organization and member figures are
// independent indexed scans, run side by side on the read pool.
func (s *Store) CoverageSummary(ctx context.Context, c store.Caller, f CoverageFilter) (CoverageSummary, error) {
	out := CoverageSummary{AsOf: domain.Date(store.DayOf(c.Now)), Rule: CoverageRule}
	if f.empty() {
		if whole, err := s.db.WholeTree(ctx, c.Scope); err != nil || whole {
			if err == nil {
				err = s.countedSummary(ctx, &out)
			}
			return out, err
		}
	}
	return out, s.scannedSummary(ctx, c.Scope, f, &out)
}

// scannedSummary fills the figures from the tables themselves.
func (s *Store) scannedSummary(ctx context.Context, sc store.Scope, f CoverageFilter, out *CoverageSummary) error {
	var tallies map[string]*domain.CoverageTally
	var orgErr, memberErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tallies, orgErr = s.tallyBy(ctx, sc, f, "")
	}()
	out.Members, out.MembersUnmanagedByReason, memberErr = s.memberManagement(ctx, sc, f)
	wg.Wait()
	if err := errors.Join(orgErr, memberErr); err != nil {
		return err
	}
	var t domain.CoverageTally
	for _, x := range tallies {
		t.Merge(*x)
	}
	out.Organizations, out.InScope = t.Total, t.InScope.Total
	out.OrgCovered, out.WorkCovered, out.Uncovered = t.InScope.OrgCovered, t.InScope.WorkCovered, t.InScope.Uncovered
	for _, n := range out.MembersUnmanagedByReason {
		out.MembersUnmanaged += n
	}
	return nil
}

// memberManagement counts the members in good standing in the scope and
// those not under organizational management, by reason (UnmanagedReason's
// rules; transit is not recorded yet, so it counts none). A member is in the
// scope through the Party org holding the membership or, held by none,
// through the employer's 属地 manager (memberScope). Each figure is a count
// over the members_standing index: no join over every member.
func (s *Store) memberManagement(ctx context.Context, sc store.Scope, f CoverageFilter) (int, map[string]int, error) {
	whole, err := s.db.WholeTree(ctx, sc)
	if err != nil {
		return 0, nil, err
	}
	lo, hi := sc.Bounds()
	held, employerScope := "", ""
	var heldArgs, employerArgs []any
	if !whole {
		held, heldArgs = " AND path >= ? AND path < ?", []any{lo, hi}
		employerScope = " AND m.employer_id IN (SELECT o.id FROM organizations o JOIN party_orgs oam ON oam.id = o.area_manager_id WHERE oam.path >= ? AND oam.path < ?)"
		employerArgs = []any{lo, hi}
	}
	filter, filterArgs := "", []any(nil)
	if !f.empty() {
		ow, oa := f.where(nil, nil)
		filter, filterArgs = " AND m.employer_id IN (SELECT o.id FROM organizations o WHERE "+strings.Join(ow, " AND ")+")", oa
	}
	count := func(cond string, args ...any) (int, error) {
		var n int
		all := append(append([]any{domain.StandingRegistered}, args...), filterArgs...)
		err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM members m WHERE m.standing = ?`+cond+filter, all...).Scan(&n)
		return n, err
	}
	var total, heldIn, none, dissolved int
	heldCond := " AND m.party_org_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?)"
	if whole {
		heldCond = " AND m.party_org_id IS NOT NULL" // one index range; the foreign key guarantees the Party org
	}
	if heldIn, err = count(heldCond, heldArgs...); err != nil {
		return 0, nil, err
	}
	if none, err = count(" AND m.party_org_id IS NULL"+employerScope, employerArgs...); err != nil {
		return 0, nil, err
	}
	if dissolved, err = count(" AND m.party_org_id IN (SELECT id FROM party_orgs WHERE status <> 'active'"+held+")", heldArgs...); err != nil {
		return 0, nil, err
	}
	total = heldIn + none
	return total, map[string]int{domain.UnmanagedNoPartyOrg: none, domain.UnmanagedDissolvedPartyOrg: dissolved, domain.UnmanagedTransitTooLong: 0}, nil
}

// BreakdownRow is one row of a coverage table.
type BreakdownRow struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	domain.CoverageTally
	// Drill names the next level's `by` and the filter to pass (region or
	// zone_id), "" at the last level.
	Drill string `json:"drill"`
}

// Breakdown dimensions.
const (
	ByRegion   = "region"
	ByZone     = "zone"
	ByIndustry = "industry"
	ByChain    = "chain"
)

// CoverageBreakdown tallies the caller's organizations by district-level
// unit (or, with f.Region set, by its streets; by zones when it has none),
// zone, industry or chain, largest in-scope figure first.
func (s *Store) CoverageBreakdown(ctx context.Context, sc store.Scope, by string, f CoverageFilter) ([]BreakdownRow, error) {
	switch by {
	case ByRegion:
		return s.breakdownByRegion(ctx, sc, f)
	case ByZone:
		rows, err := s.breakdown(ctx, sc, f, "o.zone_id", `SELECT CAST(id AS TEXT), name FROM zones`, "未入驻园区、楼宇或市场")
		for i := range rows {
			if rows[i].Key != "" {
				rows[i].Drill = "organizations"
			}
		}
		return rows, err
	case ByIndustry:
		return s.codeBreakdown(ctx, sc, f, "o.industry", domain.Industries)
	case ByChain:
		return s.breakdown(ctx, sc, f, "o.chain", `SELECT code, name FROM industry_chains`, "未标注产业链")
	}
	return nil, domain.FieldError("by", "参数 by 应为 region、zone、industry 或 chain")
}

func (s *Store) codeBreakdown(ctx context.Context, sc store.Scope, f CoverageFilter, col string, list domain.CodeList) ([]BreakdownRow, error) {
	rows, err := s.breakdown(ctx, sc, f, col, "", "未填写")
	for i := range rows {
		if n := list.Name(rows[i].Key); n != "" {
			rows[i].Name = n
		}
	}
	return rows, err
}

// breakdown groups by col and names each key from namesSQL (key, name) or,
// without it, by the key itself; the empty key is called blank.
func (s *Store) breakdown(ctx context.Context, sc store.Scope, f CoverageFilter, col, namesSQL, blank string) ([]BreakdownRow, error) {
	tallies, err := s.tallyBy(ctx, sc, f, col)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	if namesSQL != "" && len(tallies) > 0 {
		if names, err = s.nameMap(ctx, namesSQL); err != nil {
			return nil, err
		}
	}
	out := make([]BreakdownRow, 0, len(tallies))
	for k, t := range tallies {
		name := names[k]
		if name == "" {
			name = k
		}
		if k == "" {
			name = blank
		}
		out = append(out, BreakdownRow{Key: k, Name: name, CoverageTally: *t})
	}
	sortRows(out)
	return out, nil
}

func (s *Store) nameMap(ctx context.Context, q string) (map[string]string, error) {
	rows, err := s.db.QueryRows(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, n string
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// sortRows orders rows by in-scope total, largest first, then by key; the
// blank key last.
func sortRows(rows []BreakdownRow) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if (a.Key == "") != (b.Key == "") {
			return b.Key == ""
		}
		if a.InScope.Total != b.InScope.Total {
			return a.InScope.Total > b.InScope.Total
		}
		return a.Key < b.Key
	})
}

// breakdownByRegion groups by region code in SQL, then folds streets into
// their district-level unit (a street a functional zone administers goes to
// the zone). With f.Region set, rows are its streets, or its zones when its
// organizations carry no street.
func (s *Store) breakdownByRegion(ctx context.Context, sc store.Scope, f CoverageFilter) ([]BreakdownRow, error) {
	tallies, err := s.tallyBy(ctx, sc, f, "o.region_code")
	if err != nil {
		return nil, err
	}
	regions, err := s.registry.ListRegions(ctx, registry.RegionFilter{})
	if err != nil {
		return nil, err
	}
	byCode := map[string]domain.Region{}
	for _, r := range regions {
		byCode[r.Code] = r
	}
	unit := func(code string) string {
		r := byCode[code]
		if f.Region != "" {
			return code
		}
		if r.Level == domain.LevelStreet || r.Level == domain.LevelCommunity {
			if r.FunctionalZone != "" {
				return r.FunctionalZone
			}
			return r.Parent
		}
		return code
	}
	folded := map[string]*domain.CoverageTally{}
	for code, t := range tallies {
		u := unit(code)
		if folded[u] == nil {
			folded[u] = &domain.CoverageTally{}
		}
		folded[u].Merge(*t)
	}
	if f.Region != "" && len(folded) == 1 && folded[f.Region] != nil {
		return s.CoverageBreakdown(ctx, sc, ByZone, f)
	}
	out := make([]BreakdownRow, 0, len(folded))
	for code, t := range folded {
		row := BreakdownRow{Key: code, Name: byCode[code].Name, CoverageTally: *t, Drill: ByRegion}
		if f.Region != "" {
			row.Drill = ByZone
			if code == f.Region {
				row.Name += "（未落到街道）"
			}
		}
		if row.Name == "" {
			row.Name = code
		}
		out = append(out, row)
	}
	sortRows(out)
	return out, nil
}

// UncoveredFilter selects the uncovered list.
type UncoveredFilter struct {
	CoverageFilter
	Q string
	store.Page
}

// UncoveredOrganization is one row of the uncovered list.
type UncoveredOrganization struct {
	ID                  int64       `json:"id"`
	Name                string      `json:"name"`
	USCC                string      `json:"uscc"`
	Status              string      `json:"status"`
	Employees           *int        `json:"employees"`
	Region              string      `json:"region"`
	RegionName          string      `json:"region_name"`
	ZoneID              *int64      `json:"zone_id"`
	ZoneName            string      `json:"zone_name"`
	Industry            string      `json:"industry"`
	IndustryName        string      `json:"industry_name"`
	Chain               string      `json:"chain"`
	AreaManagerID       int64       `json:"area_manager_id"`
	AreaManagerName     string      `json:"area_manager_name"`
	IndustryManagerID   *int64      `json:"industry_manager_id"`
	IndustryManagerName string      `json:"industry_manager_name"`
	Since               domain.Date `json:"since"`
	DaysUncovered       int         `json:"days_uncovered"`
}

// ListUncovered pages through the in-scope uncovered organizations of the
// caller, longest uncovered first.
func (s *Store) ListUncovered(ctx context.Context, c store.Caller, f UncoveredFilter) ([]UncoveredOrganization, int, error) {
	return s.listUncovered(ctx, c, f, f.Limit(), f.Offset(), true)
}

// EachUncovered streams the whole filtered list (exports), a page at a time.
func (s *Store) EachUncovered(ctx context.Context, c store.Caller, f UncoveredFilter, fn func(UncoveredOrganization) error) error {
	for offset := 0; ; offset += store.MaxPageSize {
		items, _, err := s.listUncovered(ctx, c, f, store.MaxPageSize, offset, false)
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := fn(it); err != nil {
				return err
			}
		}
		if len(items) < store.MaxPageSize {
			return nil
		}
	}
}

func (s *Store) listUncovered(ctx context.Context, c store.Caller, f UncoveredFilter, limit, offset int, count bool) ([]UncoveredOrganization, int, error) {
	cond, args, err := s.orgConditions(ctx, c.Scope, f.CoverageFilter)
	if err != nil {
		return nil, 0, err
	}
	if cond == "" {
		cond = " WHERE "
	} else {
		cond += " AND "
	}
	cond += "o.cov_in_scope = 1 AND o.cov_state = 'uncovered'"
	if q := strings.TrimSpace(f.Q); q != "" {
		cond += " AND (o.name " + s.db.D.Like() + " ? ESCAPE '\\' OR o.uscc = ?)"
		args = append(args, "%"+store.EscapeLike(q)+"%", domain.NormalizeCode(q))
	}
	total := 0
	if count {
		if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM organizations o`+cond, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	rows, err := s.db.QueryRows(ctx, `SELECT o.id, o.name, o.uscc, o.status, o.employees, o.region_code, COALESCE(r.name, ''), o.zone_id, COALESCE(z.name, ''),
		o.industry, COALESCE(ic.name, o.chain), o.area_manager_id, am.name, o.industry_manager_id, COALESCE(im.name, ''), COALESCE(o.cov_since, '')`+registry.OrgFrom+cond+
		` ORDER BY o.cov_since, o.id LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []UncoveredOrganization{}
	for rows.Next() {
		var u UncoveredOrganization
		var emp sql.NullInt64
		if err := rows.Scan(&u.ID, &u.Name, &u.USCC, &u.Status, &emp, &u.Region, &u.RegionName, &u.ZoneID, &u.ZoneName,
			&u.Industry, &u.Chain, &u.AreaManagerID, &u.AreaManagerName, &u.IndustryManagerID, &u.IndustryManagerName, &u.Since); err != nil {
			return nil, 0, err
		}
		if emp.Valid {
			n := int(emp.Int64)
			u.Employees = &n
		}
		u.IndustryName = domain.Industries.Name(u.Industry)
		u.DaysUncovered = domain.DaysUncovered(u.Since, c.Now)
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// daysAgo is the day n days before now's day (Asia/Shanghai).
func daysAgo(now time.Time, n int) string {
	return now.In(domain.Shanghai).AddDate(0, 0, -n).Format(domain.DateLayout)
}
