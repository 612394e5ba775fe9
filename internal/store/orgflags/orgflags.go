// Package orgflags counts the organizations' Party-building facts and flags
// (domain.OrgMarks: 党建入章, 双向进入交叉任职, 书记由负责人担任, the 群团 built,
// 规上, 上市, 专精特新, 链主 …) by district, street, zone, industry or chain,
// within the caller's scope: one GROUP BY over the organizations, one SUM per
// mark.
package orgflags

import (
	"context"
	"database/sql"
	"sort"
	"strings"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// Store reads the flag counts.
type Store struct {
	db       *store.DB
	registry *registry.Store
}

// New returns the store over db.
func New(db *store.DB, reg *registry.Store) *Store { return &Store{db: db, registry: reg} }

// Dimensions of the counts.
const (
	ByRegion   = "region"
	ByZone     = "zone"
	ByIndustry = "industry"
	ByChain    = "chain"
)

// Filter narrows the counts as the coverage views are narrowed.
type Filter struct {
	Region   string // a district-level unit (rows become its streets) or a street
	ZoneID   *int64
	Industry string
	Chain    string
}

// FlagCountRow counts the organizations of one group: all of them (that still exist,
// domain.CountedOrgStatuses), those with a Party org (组织覆盖), and for each
// mark of domain.OrgMarks those carrying it.
type FlagCountRow struct {
	Key        string         `json:"key"`
	Name       string         `json:"name"`
	Drill      string         `json:"drill"` // "region" when the row breaks down further into its streets
	Total      int            `json:"total"`
	OrgCovered int            `json:"org_covered"`
	Marks      map[string]int `json:"marks"`
}

// FlagCounts is the answer: the groups in their order and the total.
type FlagCounts struct {
	By    string         `json:"by"`
	Total FlagCountRow   `json:"total"`
	Rows  []FlagCountRow `json:"rows"`
}

func (r *FlagCountRow) add(o FlagCountRow) {
	r.Total += o.Total
	r.OrgCovered += o.OrgCovered
	for k, n := range o.Marks {
		r.Marks[k] += n
	}
}

func newRow(key string) FlagCountRow { return FlagCountRow{Key: key, Marks: map[string]int{}} }

// Counts tallies the organizations inside the scope by the dimension by.
func (s *Store) Counts(ctx context.Context, sc store.Scope, by string, f Filter) (FlagCounts, error) {
	key := map[string]string{ByRegion: "o.region_code", ByZone: "o.zone_id", ByIndustry: "o.industry", ByChain: "o.chain"}[by]
	if key == "" {
		return FlagCounts{}, domain.FieldError("by", "参数 by 应为 region、zone、industry 或 chain")
	}
	groups, err := s.tally(ctx, sc, key, f)
	if err != nil {
		return FlagCounts{}, err
	}
	out := FlagCounts{By: by, Total: newRow(""), Rows: []FlagCountRow{}}
	out.Total.Name = "合计"
	for _, g := range groups {
		out.Total.add(g)
	}
	switch by {
	case ByRegion:
		out.Rows, err = s.byRegion(ctx, groups, f.Region)
	case ByZone:
		// Zone names repeat across districts: each is shown with its street.
		out.Rows, err = s.named(ctx, groups, `SELECT CAST(z.id AS TEXT), z.name || '（' || r.name || '）' FROM zones z JOIN regions r ON r.code = z.region_code`, "未入驻园区、楼宇或市场")
	case ByIndustry:
		order := map[string]int{}
		for i, c := range domain.Industries {
			order[c.Code] = i
		}
		for i := range groups {
			groups[i].Name = domain.Industries.Name(groups[i].Key)
		}
		out.Rows = ordered(groups, "未填写", order)
	case ByChain:
		refs, e := s.registry.ChainRefs(ctx)
		if e != nil {
			return out, e
		}
		order, names := map[string]int{}, map[string]string{}
		for i, c := range refs {
			order[c.Code], names[c.Code] = i, c.Name
		}
		for i := range groups {
			groups[i].Name = names[groups[i].Key]
		}
		out.Rows = ordered(groups, "未标注产业链", order)
	}
	return out, err
}

// tally groups the organizations in scope by key, one row per key. SQL
// counts the organizations of each combination of key, coverage state,
// flags and facts (a few thousand at city scale; in the order of the
// key's index of migration 0024, so nothing is sorted); Go
// adds them up per key, the flags split from their ",code," text.
func (s *Store) tally(ctx context.Context, sc store.Scope, key string, f Filter) ([]FlagCountRow, error) {
	group := key + ", o.cov_state, o.flags"
	for _, m := range domain.PartyBuildingFlags {
		group += ", o." + m.Code
	}
	var args []any
	where := []string{"o.status IN (" + store.Placeholders(len(domain.CountedOrgStatuses)) + ")"}
	for _, st := range domain.CountedOrgStatuses {
		args = append(args, st)
	}
	if whole, err := s.db.WholeTree(ctx, sc); err != nil {
		return nil, err
	} else if !whole {
		where = append(where, registry.OrgScopeIDs)
		args = append(args, registry.OrgScopeArgs(sc)...)
	}
	if f.Region != "" {
		where = append(where, "o.region_code IN (SELECT code FROM regions WHERE code = ? OR functional_zone_code = ? OR (parent_code = ? AND functional_zone_code IS NULL))")
		args = append(args, f.Region, f.Region, f.Region)
	}
	if f.ZoneID != nil {
		where = append(where, "o.zone_id = ?")
		args = append(args, *f.ZoneID)
	}
	for _, eq := range []struct{ col, v string }{{"o.industry", f.Industry}, {"o.chain", f.Chain}} {
		if eq.v != "" {
			where = append(where, eq.col+" = ?")
			args = append(args, eq.v)
		}
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+group+`, COUNT(*) FROM organizations o WHERE `+strings.Join(where, " AND ")+` GROUP BY `+group, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byKey := map[string]*FlagCountRow{}
	var keys []string
	facts := make([]int, len(domain.PartyBuildingFlags))
	for rows.Next() {
		var k sql.NullString
		var state, flags string
		var n int
		dst := []any{&k, &state, &flags}
		for i := range facts {
			dst = append(dst, &facts[i])
		}
		if err := rows.Scan(append(dst, &n)...); err != nil {
			return nil, err
		}
		r := byKey[k.String]
		if r == nil {
			nr := newRow(k.String)
			r = &nr
			byKey[k.String] = r
			keys = append(keys, k.String)
		}
		r.Total += n
		if state == string(domain.OrgCovered) {
			r.OrgCovered += n
		}
		for i, m := range domain.PartyBuildingFlags {
			if facts[i] == 1 {
				r.Marks[m.Code] += n
			}
		}
		for _, fl := range strings.Split(strings.Trim(flags, ","), ",") {
			if domain.OrgFlags.Has(fl) {
				r.Marks[fl] += n
			}
		}
	}
	out := make([]FlagCountRow, 0, len(keys))
	for _, k := range keys {
		r := *byKey[k]
		for _, m := range domain.OrgMarks {
			r.Marks[m.Code] += 0 // every mark present, zero or not
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ordered sorts rows by order (unknown keys after, by key), the blank key
// last under the name blank.
func ordered(rows []FlagCountRow, blank string, order map[string]int) []FlagCountRow {
	rank := func(r FlagCountRow) int {
		if r.Key == "" {
			return 1 << 30
		}
		if i, ok := order[r.Key]; ok {
			return i
		}
		return 1 << 29
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rank(rows[i]), rank(rows[j])
		if a != b {
			return a < b
		}
		return rows[i].Key < rows[j].Key
	})
	for i := range rows {
		if rows[i].Key == "" {
			rows[i].Name = blank
		} else if rows[i].Name == "" {
			rows[i].Name = rows[i].Key
		}
	}
	if rows == nil {
		rows = []FlagCountRow{}
	}
	return rows
}

// named names the rows from namesSQL (key, name), largest first.
func (s *Store) named(ctx context.Context, rows []FlagCountRow, namesSQL, blank string) ([]FlagCountRow, error) {
	names := map[string]string{}
	if len(rows) > 0 {
		q, err := s.db.QueryRows(ctx, namesSQL)
		if err != nil {
			return nil, err
		}
		defer q.Close()
		for q.Next() {
			var k, n string
			if err := q.Scan(&k, &n); err != nil {
				return nil, err
			}
			names[k] = n
		}
		if err := q.Err(); err != nil {
			return nil, err
		}
	}
	for i := range rows {
		rows[i].Name = names[rows[i].Key]
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if (a.Key == "") != (b.Key == "") {
			return b.Key == ""
		}
		if a.Total != b.Total {
			return a.Total > b.Total
		}
		return a.Key < b.Key
	})
	for i := range rows {
		if rows[i].Key == "" {
			rows[i].Name = blank
		} else if rows[i].Name == "" {
			rows[i].Name = rows[i].Key
		}
	}
	if rows == nil {
		rows = []FlagCountRow{}
	}
	return rows, nil
}

// byRegion folds region codes into district-level units (a street that a
// functional zone administers into the zone), or, within a unit, into its
// streets; rows follow the official order of the divisions.
func (s *Store) byRegion(ctx context.Context, groups []FlagCountRow, within string) ([]FlagCountRow, error) {
	regions, err := s.registry.ListRegions(ctx, registry.RegionFilter{})
	if err != nil {
		return nil, err
	}
	byCode, order := map[string]domain.Region{}, map[string]int{}
	for i, r := range regions {
		byCode[r.Code], order[r.Code] = r, i
	}
	// unit walks up from a code to the level the rows are made of.
	unit := func(code string) string {
		for i := 0; i < 6; i++ {
			r, ok := byCode[code]
			if !ok {
				return code
			}
			if within != "" {
				if r.Level == domain.LevelStreet || code == within || r.Parent == "" {
					return code
				}
			} else {
				if r.FunctionalZone != "" {
					return r.FunctionalZone
				}
				if r.Level != domain.LevelStreet && r.Level != domain.LevelCommunity {
					return code
				}
			}
			code = r.Parent
		}
		return code
	}
	folded := map[string]*FlagCountRow{}
	var keys []string
	for _, g := range groups {
		u := unit(g.Key)
		if folded[u] == nil {
			r := newRow(u)
			folded[u] = &r
			keys = append(keys, u)
		}
		folded[u].add(g)
	}
	out := make([]FlagCountRow, 0, len(keys))
	for _, k := range keys {
		r := *folded[k]
		r.Name = byCode[k].Name
		if within == "" {
			r.Drill = ByRegion
		} else if k == within {
			r.Name += "（未落到街道）"
		}
		out = append(out, r)
	}
	return ordered(out, "未填写", order), nil
}
