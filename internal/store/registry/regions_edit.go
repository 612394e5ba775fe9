package registry

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
)

// Streets and communities are written by staff (issue 13): created under a
// district or street of the caller's district, renamed, reordered; the city
// alone hands a street to a functional zone. The code never changes, since
// organizations, Party orgs and zones refer to it. Every write keeps the
// history (object "region", its code as the number) and the audit trail.

const regionEditCols = `code, name, level, COALESCE(parent_code, ''), COALESCE(functional_zone_code, ''), sort, version`

func scanRegionEdit(r interface{ Scan(...any) error }) (domain.Region, error) {
	var x domain.Region
	err := r.Scan(&x.Code, &x.Name, &x.Level, &x.Parent, &x.FunctionalZone, &x.Sort, &x.Version)
	return x, err
}

// GetRegion returns one region (reference data: not scoped).
func (s *Store) GetRegion(ctx context.Context, code string) (domain.Region, error) {
	return getRegion(ctx, s.db.Pool(), code)
}

func getRegion(ctx context.Context, q store.Querier, code string) (domain.Region, error) {
	r, err := scanRegionEdit(q.QueryRow(ctx, `SELECT `+regionEditCols+` FROM regions WHERE code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return r, domain.ErrNotFound
	}
	return r, err
}

// regionObjectID is a region's number in the history (codes are digits).
func regionObjectID(code string) int64 {
	n, _ := strconv.ParseInt(code, 10, 64)
	return n
}

// CreateRegion adds a street or community inside the caller's district.
func (s *Store) CreateRegion(ctx context.Context, c store.Caller, in domain.RegionInput) (domain.Region, error) {
	r := domain.NewRegion(in)
	err := s.db.Write(ctx, func(t *store.Tx) error {
		if err := s.createRegionTx(ctx, t, c, r); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionCreate, "region", r.Code, audit.ResultSuccess).WithStates(nil, r))
	})
	return r, err
}

// createRegionTx validates and inserts a new street or community, with its
// history entry (the caller audits).
func (s *Store) createRegionTx(ctx context.Context, t *store.Tx, c store.Caller, r domain.Region) error {
	if err := r.Validate(); err != nil {
		return err
	}
	var parent *domain.Region
	if p, err := getRegion(ctx, t, r.Parent); err == nil {
		parent = &p
	} else if !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	if err := r.CheckParent(parent); err != nil {
		return err
	}
	if err := s.db.CheckRegionEdit(ctx, t, c.Scope, r.Parent, "", r.FunctionalZone); err != nil {
		return err
	}
	if _, err := getRegion(ctx, t, r.Code); err == nil {
		return &domain.ConflictError{Field: "code", Message: "区划代码「" + r.Code + "」已存在"}
	} else if !errors.Is(err, domain.ErrNotFound) {
		return err
	}
	_, err := t.Exec(ctx, `INSERT INTO regions (code, name, level, parent_code, functional_zone_code, sort, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)`,
		r.Code, r.Name, r.Level, r.Parent, store.NullStr(r.FunctionalZone), r.Sort, store.TS(c.Now))
	if store.IsUniqueViolation(err) {
		return &domain.ConflictError{Field: "code", Message: "区划代码「" + r.Code + "」已存在"}
	}
	if err != nil {
		return err
	}
	return s.db.AddHistory(ctx, t, c, "region", regionObjectID(r.Code), audit.ActionCreate, domain.Region{}, r)
}

// UpdateRegion renames, reorders or (the city) re-assigns a street or
// community of the caller's district.
func (s *Store) UpdateRegion(ctx context.Context, c store.Caller, code string, in domain.RegionInput) (domain.Region, error) {
	var r domain.Region
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, changed, err := s.updateRegionTx(ctx, t, c, code, in)
		r = before
		if err != nil || !changed {
			return err
		}
		r, _ = getRegion(ctx, t, code)
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUpdate, "region", code, audit.ResultSuccess).WithStates(before, r))
	})
	return r, err
}

// updateRegionTx applies in to the region code, with its history entry;
// it returns the region before and whether anything changed.
func (s *Store) updateRegionTx(ctx context.Context, t *store.Tx, c store.Caller, code string, in domain.RegionInput) (domain.Region, bool, error) {
	before, err := getRegion(ctx, t, code)
	if err != nil {
		return before, false, err
	}
	if before.Level != domain.LevelStreet && before.Level != domain.LevelCommunity {
		return before, false, domain.FieldError("code", "市、区(市)县和功能区是基础区划，不能在此修改")
	}
	if in.Version != nil && *in.Version != before.Version {
		return before, false, &domain.ConflictError{Field: "version", Message: "该区划已被他人修改，请刷新后重试"}
	}
	if in.Code != nil && domain.NormalizeRegionCode(*in.Code) != code {
		return before, false, domain.FieldError("code", "区划代码不能修改：两新组织、党组织等按代码引用该区划")
	}
	r := before
	in.Apply(&r)
	if err := r.Validate(); err != nil {
		return before, false, err
	}
	if err := s.db.CheckRegionEdit(ctx, t, c.Scope, code, before.FunctionalZone, r.FunctionalZone); err != nil {
		return before, false, err
	}
	if len(store.Diff(before, r)) == 0 {
		return before, false, nil
	}
	r.Version = before.Version + 1
	if _, err := t.Exec(ctx, `UPDATE regions SET name = ?, functional_zone_code = ?, sort = ?, version = ?, updated_at = ? WHERE code = ?`,
		r.Name, store.NullStr(r.FunctionalZone), r.Sort, r.Version, store.TS(c.Now), code); err != nil {
		return before, false, err
	}
	return before, true, s.db.AddHistory(ctx, t, c, "region", regionObjectID(code), audit.ActionUpdate, before, r)
}

// RegionHistory returns a street's or community's changes, newest first,
// to the staff of its district (the history names who changed it).
func (s *Store) RegionHistory(ctx context.Context, sc store.Scope, code string) ([]store.HistoryEntry, error) {
	if _, err := s.GetRegion(ctx, code); err != nil {
		return nil, err
	}
	rule, err := s.db.RegionRuleFor(ctx, sc)
	if err != nil {
		return nil, err
	}
	if !rule.Allows(code) {
		return nil, domain.ErrNotFound
	}
	return s.db.History(ctx, "region", regionObjectID(code))
}

// AllRegions returns every region by code (an import checks a file's rows
// against them).
func (s *Store) AllRegions(ctx context.Context) (map[string]domain.Region, error) {
	rows, err := s.db.QueryRows(ctx, `SELECT `+regionEditCols+` FROM regions`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]domain.Region{}
	for rows.Next() {
		r, err := scanRegionEdit(rows)
		if err != nil {
			return nil, err
		}
		out[r.Code] = r
	}
	return out, rows.Err()
}

// ImportRegionRow is one valid row of a region import.
type ImportRegionRow struct {
	Row int
	In  domain.RegionInput // Code normalized
}

// ImportRegions writes one batch of streets and communities (parents before
// their communities: the importer orders the file) in one transaction: new
// codes created, existing ones updated when something changed.
func (s *Store) ImportRegions(ctx context.Context, c store.Caller, b store.ImportBatch, rows []ImportRegionRow) (store.BatchResult, error) {
	var res store.BatchResult
	err := s.db.Write(ctx, func(t *store.Tx) error {
		res = store.BatchResult{}
		var hist []store.HistoryRow
		var created, updated []int64
		for _, row := range rows {
			code := domain.NormalizeRegionCode(Deref(row.In.Code))
			_, err := getRegion(ctx, t, code)
			switch {
			case errors.Is(err, domain.ErrNotFound):
				if err := s.createRegionTx(ctx, t, c, domain.NewRegion(row.In)); err != nil {
					if rerr := rejectRow(&res, row.Row, err); rerr != nil {
						return rerr
					}
					continue
				}
				created = append(created, regionObjectID(code))
			case err != nil:
				return err
			default:
				in := row.In
				in.Code = nil
				_, changed, err := s.updateRegionTx(ctx, t, c, code, in)
				if err != nil {
					if rerr := rejectRow(&res, row.Row, err); rerr != nil {
						return rerr
					}
					continue
				}
				if !changed {
					res.Unchanged++
					continue
				}
				updated = append(updated, regionObjectID(code))
			}
		}
		res.Created, res.Updated = len(created), len(updated)
		// The history is written per record by the Tx helpers; FinishBatch
		// adds the batch's audit event.
		return s.db.FinishBatch(ctx, t, c, b, "region", hist, created, updated)
	})
	return res, err
}

// rejectRow turns a row's validation or conflict error into the batch's
// refusal of that row; any other error fails the batch.
func rejectRow(res *store.BatchResult, row int, err error) error {
	var ce *domain.ConflictError
	if errors.As(err, &ce) {
		res.Rejected = append(res.Rejected, store.ImportRowError{Row: row, Field: ce.Field, Message: ce.Message})
		return nil
	}
	return res.Reject(row, err)
}
