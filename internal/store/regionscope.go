package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/account"
)

const regionCols = `r.code, r.name, r.level, COALESCE(r.parent_code, ''), COALESCE(r.functional_zone_code, ''), r.sort`

func scanRegion(r interface{ Scan(...any) error }, extra ...any) (domain.Region, error) {
	var x domain.Region
	err := r.Scan(append([]any{&x.Code, &x.Name, &x.Level, &x.Parent, &x.FunctionalZone, &x.Sort}, extra...)...)
	return x, err
}

// regionChain returns a region and its ancestors, nearest first (nil for
// an unknown code). Regions are at most four levels deep.
func regionChain(ctx context.Context, q Querier, code string) ([]domain.Region, error) {
	var chain []domain.Region
	for code != "" && len(chain) < 6 {
		r, err := scanRegion(q.QueryRow(ctx, `SELECT `+regionCols+` FROM regions r WHERE r.code = ?`, code))
		if errors.Is(err, sql.ErrNoRows) {
			break
		}
		if err != nil {
			return nil, err
		}
		chain = append(chain, r)
		code = r.Parent
	}
	return chain, nil
}

// callerDistrict returns the district-level unit of the Party org a scope
// is bound to: the nearest district-level region among the org's and its
// ancestors' regions. ok is false for the city level and the shell.
func callerDistrict(ctx context.Context, q Querier, sc Scope) (domain.Region, bool, error) {
	var ids []any
	var marks []string
	for _, part := range strings.Split(strings.Trim(sc.Path, "/"), "/") {
		if part != "" {
			ids = append(ids, part)
			marks = append(marks, "?")
		}
	}
	if len(ids) == 0 {
		return domain.Region{}, false, nil
	}
	rows, err := q.Query(ctx, `SELECT `+regionCols+` FROM party_orgs p JOIN regions r ON r.code = p.region_code
		WHERE p.id IN (`+strings.Join(marks, ",")+`) ORDER BY p.depth DESC`, ids...)
	if err != nil {
		return domain.Region{}, false, err
	}
	defer rows.Close()
	var chain []domain.Region
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return domain.Region{}, false, err
		}
		chain = append(chain, r)
	}
	if err := rows.Err(); err != nil {
		return domain.Region{}, false, err
	}
	d, ok := account.DistrictOf(chain)
	return d, ok, nil
}

// checkRegion checks a region a caller writes on a record: it exists and
// lies inside the caller's district (account.CheckRegionWithin).
func (s *DB) CheckRegion(ctx context.Context, t *Tx, sc Scope, code string) error {
	chain, err := regionChain(ctx, t, code)
	if err != nil {
		return err
	}
	if len(chain) == 0 {
		return domain.FieldError("region", "所属区域代码不存在："+code)
	}
	if chain[0].Level == domain.LevelCommunity {
		return domain.FieldError("region", domain.CommunityNotRecordRegion)
	}
	d, ok, err := callerDistrict(ctx, t, sc)
	if err != nil {
		return err
	}
	return account.CheckRegionWithin("region", chain, d, ok)
}

// RegionRule tells which regions a caller may write on records, for
// checks of many rows at once (imports).
type RegionRule struct {
	District domain.Region
	Limited  bool // false: city level, any region
	regions  map[string]domain.Region
}

// Allows reports whether code is a region the caller may write.
func (r RegionRule) Allows(code string) bool {
	if !r.Limited {
		return true
	}
	var chain []domain.Region
	for x, ok := r.regions[code]; ok && len(chain) < 6; x, ok = r.regions[x.Parent] {
		chain = append(chain, x)
	}
	return account.RegionWithin(chain, r.District.Code)
}

// RegionRuleFor loads the region rule of a caller's scope.
func (s *DB) RegionRuleFor(ctx context.Context, sc Scope) (RegionRule, error) {
	d, ok, err := callerDistrict(ctx, s.Pool(), sc)
	if err != nil || !ok {
		return RegionRule{}, err
	}
	rows, err := s.QueryRows(ctx, `SELECT `+regionCols+` FROM regions r`)
	if err != nil {
		return RegionRule{}, err
	}
	defer rows.Close()
	rule := RegionRule{District: d, Limited: true, regions: map[string]domain.Region{}}
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return RegionRule{}, err
		}
		rule.regions[r.Code] = r
	}
	return rule, rows.Err()
}

// CheckRegionEdit checks that a caller may create or change a street or
// community: code is the region itself (for a creation, its parent), which
// must lie inside the caller's district (account.CheckRegionEdit).
func (s *DB) CheckRegionEdit(ctx context.Context, t *Tx, sc Scope, code, zoneBefore, zoneAfter string) error {
	chain, err := regionChain(ctx, t, code)
	if err != nil {
		return err
	}
	d, ok, err := callerDistrict(ctx, t, sc)
	if err != nil {
		return err
	}
	return account.CheckRegionEdit(chain, d, ok, zoneBefore, zoneAfter)
}
