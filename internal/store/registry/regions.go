package registry

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// EnsureBaseRegions inserts the city, its districts and functional zones if
// they are missing (every database starts with them).
func (s *Store) EnsureBaseRegions(ctx context.Context) error {
	return s.UpsertRegions(ctx, domain.BaseRegions())
}

// UpsertRegions inserts regions that do not exist yet; parents first.
func (s *Store) UpsertRegions(ctx context.Context, rs []domain.Region) error {
	return s.db.Write(ctx, func(t *store.Tx) error {
		for _, r := range rs {
			if _, err := t.Exec(ctx, `INSERT INTO regions (code, name, level, parent_code, functional_zone_code, sort) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (code) DO NOTHING`, r.Code, r.Name, r.Level, store.NullStr(r.Parent), store.NullStr(r.FunctionalZone), r.Sort); err != nil {
				return err
			}
		}
		return nil
	})
}

// RegionFilter selects regions.
type RegionFilter struct {
	ParentCode string // children of this region, including streets a functional zone administers
	Level      string
	Q          string
}

// ListRegions returns regions (reference data, not scoped: division names are public).
func (s *Store) ListRegions(ctx context.Context, f RegionFilter) ([]domain.Region, error) {
	var where []string
	var args []any
	if f.ParentCode != "" {
		where = append(where, "(parent_code = ? OR functional_zone_code = ?)")
		args = append(args, f.ParentCode, f.ParentCode)
	}
	if f.Level != "" {
		where = append(where, "level = ?")
		args = append(args, f.Level)
	}
	if f.Q != "" {
		where = append(where, "name "+s.db.D.Like()+" ? ESCAPE '\\'")
		args = append(args, "%"+store.EscapeLike(f.Q)+"%")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+regionEditCols+` FROM regions`+cond+` ORDER BY sort, code LIMIT 2000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Region{}
	for rows.Next() {
		r, err := scanRegionEdit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ZoneView is a zone with its managing org's name.
type ZoneView struct {
	domain.Zone
	KindName     string `json:"kind_name"`
	RegionName   string `json:"region_name"`
	PartyOrgName string `json:"party_org_name"`
}

// ListZones returns the zones managed by Party orgs inside the scope.
func (s *Store) ListZones(ctx context.Context, sc store.Scope, q string, pg store.Page) ([]ZoneView, int, error) {
	lo, hi := sc.Bounds()
	cond := ` FROM zones z JOIN party_orgs p ON p.id = z.party_org_id JOIN regions r ON r.code = z.region_code WHERE p.path >= ? AND p.path < ?`
	args := []any{lo, hi}
	if q = strings.TrimSpace(q); q != "" {
		cond += " AND z.name " + s.db.D.Like() + " ? ESCAPE '\\'"
		args = append(args, "%"+store.EscapeLike(q)+"%")
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryRows(ctx, `SELECT z.id, z.name, z.kind, z.region_code, z.party_org_id, z.address, z.version, r.name, p.name`+cond+` ORDER BY z.region_code, z.name LIMIT ? OFFSET ?`,
		append(args, pg.Limit(), pg.Offset())...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []ZoneView{}
	for rows.Next() {
		var z ZoneView
		if err := rows.Scan(&z.ID, &z.Name, &z.Kind, &z.Region, &z.PartyOrgID, &z.Address, &z.Version, &z.RegionName, &z.PartyOrgName); err != nil {
			return nil, 0, err
		}
		z.KindName = domain.ZoneKindName(z.Kind)
		out = append(out, z)
	}
	return out, total, rows.Err()
}

// GetZone returns one zone inside the scope.
func (s *Store) GetZone(ctx context.Context, sc store.Scope, id int64) (domain.Zone, error) {
	return getZone(ctx, s.db.Pool(), sc, id)
}

func getZone(ctx context.Context, q store.Querier, sc store.Scope, id int64) (domain.Zone, error) {
	lo, hi := sc.Bounds()
	var z domain.Zone
	err := q.QueryRow(ctx, `SELECT z.id, z.name, z.kind, z.region_code, z.party_org_id, z.address, z.version FROM zones z JOIN party_orgs p ON p.id = z.party_org_id
		WHERE z.id = ? AND p.path >= ? AND p.path < ?`, id, lo, hi).Scan(&z.ID, &z.Name, &z.Kind, &z.Region, &z.PartyOrgID, &z.Address, &z.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return z, domain.ErrNotFound
	}
	return z, err
}

// ZoneInput is the editable part of a zone.
type ZoneInput struct {
	Name       *string `json:"name"`
	Kind       *string `json:"kind"`
	Region     *string `json:"region"`
	PartyOrgID *int64  `json:"party_org_id"`
	Address    *string `json:"address"`
	Version    *int    `json:"version"`
}

func (in ZoneInput) apply(z *domain.Zone) error {
	if in.Name != nil {
		z.Name = strings.TrimSpace(*in.Name)
	}
	if in.Kind != nil {
		z.Kind = *in.Kind
	}
	if in.Region != nil {
		z.Region = *in.Region
	}
	if in.PartyOrgID != nil {
		z.PartyOrgID = *in.PartyOrgID
	}
	if in.Address != nil {
		z.Address = strings.TrimSpace(*in.Address)
	}
	v := &domain.ValidationError{}
	if z.Name == "" || len([]rune(z.Name)) > 100 {
		v.Add("name", "请填写名称（不超过100个字）")
	}
	if domain.ZoneKindName(z.Kind) == "" {
		v.Add("kind", "请选择有效的类别")
	}
	if z.Region == "" {
		v.Add("region", "请选择所属区域")
	}
	if z.PartyOrgID == 0 {
		v.Add("party_org_id", "请选择管理党组织")
	}
	if len([]rune(z.Address)) > 200 {
		v.Add("address", "地址不能超过200个字")
	}
	return v.Err()
}

// SaveZone creates (id 0) or edits a zone; its managing org must be in scope.
func (s *Store) SaveZone(ctx context.Context, c store.Caller, id int64, in ZoneInput) (domain.Zone, error) {
	var z domain.Zone
	err := s.db.Write(ctx, func(t *store.Tx) error {
		var before *domain.Zone
		if id != 0 {
			b, err := getZone(ctx, t, c.Scope, id)
			if err != nil {
				return err
			}
			if in.Version != nil && *in.Version != b.Version {
				return &domain.ConflictError{Field: "version", Message: "该记录已被他人修改，请刷新后重试"}
			}
			before, z = &b, b
		}
		if err := in.apply(&z); err != nil {
			return err
		}
		if _, err := s.GetPartyOrgTx(ctx, t, c.Scope, z.PartyOrgID); err != nil {
			if errors.Is(err, domain.ErrNotFound) {
				return domain.FieldError("party_org_id", "管理党组织不存在或不在您的管理范围内")
			}
			return err
		}
		if err := s.db.CheckRegion(ctx, t, c.Scope, z.Region); err != nil {
			return err
		}
		var err error
		if before == nil {
			z.Version = 1
			err = t.QueryRow(ctx, `INSERT INTO zones (name, kind, region_code, party_org_id, address, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				z.Name, z.Kind, z.Region, z.PartyOrgID, z.Address, store.TS(c.Now), store.TS(c.Now)).Scan(&z.ID)
		} else {
			z.Version++
			_, err = t.Exec(ctx, `UPDATE zones SET name = ?, kind = ?, region_code = ?, party_org_id = ?, address = ?, updated_at = ?, version = ? WHERE id = ?`,
				z.Name, z.Kind, z.Region, z.PartyOrgID, z.Address, store.TS(c.Now), z.Version, z.ID)
		}
		if store.IsUniqueViolation(err) {
			return &domain.ConflictError{Field: "name", Message: "该区域已有同名的" + domain.ZoneKindName(z.Kind) + "：" + z.Name}
		}
		if err != nil {
			return err
		}
		action := audit.ActionCreate
		var b any
		if before != nil {
			action, b = audit.ActionUpdate, *before
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, action, "zone", store.Itoa64(z.ID), audit.ResultSuccess).WithStates(b, z))
	})
	return z, err
}
