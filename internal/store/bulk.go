package store

import (
	"context"
	"errors"
	"strings"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// ErrNotEmpty is returned when bulk-loading into a database that has data.
var ErrNotEmpty = errors.New("数据库中已有党组织数据：生成数据只能写入空数据库（请使用新的数据目录或空的 PostgreSQL 库）")

// CountAllPartyOrgs counts every node, whatever its status.
func (s *Store) CountAllPartyOrgs(ctx context.Context) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM party_orgs`).Scan(&n)
	return n, err
}

// Dataset is what the generator writes in one go.
type Dataset struct {
	Regions   []domain.Region
	PartyOrgs []domain.PartyOrg // ids and paths assigned by the generator, parents first
	Zones     []domain.Zone
	Users     []NewUser
}

// LoadDataset writes a generated dataset into an empty database in one
// transaction, with multi-row inserts, and records one audit event for it.
func (s *Store) LoadDataset(ctx context.Context, c Caller, ds Dataset, note string) error {
	if n, err := s.CountAllPartyOrgs(ctx); err != nil {
		return err
	} else if n > 0 {
		return ErrNotEmpty
	}
	if err := s.UpsertRegions(ctx, ds.Regions); err != nil {
		return err
	}
	err := s.write(ctx, func(t *tx) error {
		now := ts(c.Now)
		const batch = 500
		for i := 0; i < len(ds.PartyOrgs); i += batch {
			end := min(i+batch, len(ds.PartyOrgs))
			var sb strings.Builder
			sb.WriteString(`INSERT INTO party_orgs (id, parent_id, path, depth, name, short_name, type, region_code, founded_on, secretary_name, term_start, term_years, term_end, status, created_at, updated_at, version) VALUES `)
			args := make([]any, 0, (end-i)*16)
			for j, o := range ds.PartyOrgs[i:end] {
				if j > 0 {
					sb.WriteString(",")
				}
				sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, 1)")
				var parent any
				if o.ParentID != nil {
					parent = *o.ParentID
				}
				args = append(args, o.ID, parent, o.Path, o.Depth, o.Name, o.ShortName, string(o.Type), o.Region, nullStr(string(o.FoundedOn)),
					o.SecretaryName, nullStr(string(o.TermStart)), o.TermYears, nullStr(string(o.TermEnd)), now, now)
			}
			if _, err := t.exec(ctx, sb.String(), args...); err != nil {
				return err
			}
		}
		if s.d.Postgres() {
			for _, tbl := range []string{"party_orgs", "zones", "users"} {
				if _, err := t.exec(ctx, `SELECT setval(pg_get_serial_sequence('`+tbl+`', 'id'), COALESCE((SELECT MAX(id) FROM `+tbl+`), 0) + 1, false)`); err != nil {
					return err
				}
			}
		}
		for _, z := range ds.Zones {
			if _, err := t.exec(ctx, `INSERT INTO zones (name, kind, region_code, party_org_id, address, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				z.Name, z.Kind, z.Region, z.PartyOrgID, z.Address, now, now); err != nil {
				return err
			}
		}
		for _, u := range ds.Users {
			var id int64
			if err := t.queryRow(ctx, `INSERT INTO users (username, display_name, party_org_id, password_hash, password_changed_at, must_change_password, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Username, u.DisplayName, u.PartyOrgID, u.PasswordHash, now, boolInt(u.MustChange), now, now).Scan(&id); err != nil {
				return err
			}
			if err := s.setRoles(ctx, t, id, u.Roles); err != nil {
				return err
			}
		}
		e := audit.New(c.Now, c.Actor, audit.ActionCreate, "dataset", "", audit.ResultSuccess)
		e.Reason = note
		return s.appendAudit(ctx, t, e)
	})
	if err != nil {
		return err
	}
	// Fresh statistics, so that the planner knows the new table sizes
	// (PostgreSQL's autovacuum would get there only later).
	_, err = s.w.ExecContext(ctx, "ANALYZE")
	return err
}
