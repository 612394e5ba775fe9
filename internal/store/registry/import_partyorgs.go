package registry

import (
	"context"
	"errors"
	"fmt"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
)

// PartyOrgNode is what the Party-org import knows of a node inside the
// scope: enough to resolve a file's references and to tell an unchanged row.
type PartyOrgNode struct {
	ID        int64
	ParentID  int64 // 0 for the root
	Name      string
	ShortName string
	Type      domain.PartyOrgType
	Region    string
	Active    bool
	Path      string
}

// PartyOrgNodes lists the Party orgs inside the scope, in path order
// (parents first).
func (s *Store) PartyOrgNodes(ctx context.Context, sc store.Scope) ([]PartyOrgNode, error) {
	lo, hi := sc.Bounds()
	rows, err := s.db.QueryRows(ctx, `SELECT id, COALESCE(parent_id, 0), name, short_name, type, region_code, status, path FROM party_orgs WHERE path >= ? AND path < ? ORDER BY path`, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PartyOrgNode
	for rows.Next() {
		var n PartyOrgNode
		var status string
		if err := rows.Scan(&n.ID, &n.ParentID, &n.Name, &n.ShortName, &n.Type, &n.Region, &status, &n.Path); err != nil {
			return nil, err
		}
		n.Active = status == domain.StatusActive
		out = append(out, n)
	}
	return out, rows.Err()
}

// ImportPartyOrgRow is one valid row of a Party-org import, its references
// resolved by the importer: the node it updates (ID, 0 for a new one) and
// the parent of a new node, either an existing org (ParentID) or a row of
// the same file written before it (ParentRow).
type ImportPartyOrgRow struct {
	Row       int
	ID        int64
	ParentID  int64
	ParentRow int
	In        domain.PartyOrgInput
}

// ImportPartyOrgRows writes one batch of Party orgs, parents before their
// children (the importer orders the file), in one transaction: new nodes
// created under their parent, existing ones updated when something changed,
// each with its history, and one audit event for the batch. made holds the
// ids of the nodes created by the file's earlier batches, by row; the rows
// this batch creates are added once it commits.
func (s *Store) ImportPartyOrgRows(ctx context.Context, c store.Caller, b store.ImportBatch, rows []ImportPartyOrgRow, made map[int]int64) (store.BatchResult, error) {
	var res store.BatchResult
	var mine map[int]int64
	err := s.db.Write(ctx, func(t *store.Tx) error {
		res, mine = store.BatchResult{}, map[int]int64{}
		var created, updated []int64
		for _, r := range rows {
			if r.ID != 0 {
				_, _, changed, err := s.updatePartyOrgTx(ctx, t, c, r.ID, r.In)
				if err != nil {
					if errors.Is(err, domain.ErrNotFound) {
						err = domain.FieldError("number", "党组织编号不存在或不在您的管理范围内")
					}
					if rerr := rejectRow(&res, r.Row, err); rerr != nil {
						return rerr
					}
					continue
				}
				if changed {
					updated = append(updated, r.ID)
				} else {
					res.Unchanged++
				}
				continue
			}
			parent := r.ParentID
			if r.ParentRow != 0 {
				if parent = made[r.ParentRow]; parent == 0 {
					parent = mine[r.ParentRow]
				}
				if parent == 0 {
					res.Rejected = append(res.Rejected, store.ImportRowError{Row: r.Row, Field: "parent_id", Message: fmt.Sprintf("上级党组织（第 %d 行）未能导入，本行随之未导入", r.ParentRow)})
					continue
				}
			}
			o, err := s.createPartyOrgTx(ctx, t, c, &parent, r.In)
			if err != nil {
				if rerr := rejectRow(&res, r.Row, err); rerr != nil {
					return rerr
				}
				continue
			}
			mine[r.Row] = o.ID
			created = append(created, o.ID)
		}
		res.Created, res.Updated = len(created), len(updated)
		return s.db.FinishBatch(ctx, t, c, b, "party_org", nil, created, updated)
	})
	if err == nil {
		for row, id := range mine {
			made[row] = id
		}
	}
	return res, err
}

// PartyOrgDuplicateNames returns the names that more than one Party org
// bears (any status, the whole tree): an export writes those with their
// number, so that a file names every org unambiguously.
func (s *Store) PartyOrgDuplicateNames(ctx context.Context) (map[string]bool, error) {
	rows, err := s.db.QueryRows(ctx, `SELECT name FROM party_orgs GROUP BY name HAVING COUNT(*) > 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}

// EachPartyOrg streams the active Party orgs inside the scope (and the
// filter) in path order, parents first, for an export.
func (s *Store) EachPartyOrg(ctx context.Context, sc store.Scope, f PartyOrgFilter, fn func(PartyOrgView) error) error {
	f.Status = domain.StatusActive
	f.Sort = "path"
	after := ""
	for {
		page, err := s.partyOrgsAfter(ctx, sc, f, after)
		if err != nil {
			return err
		}
		for _, v := range page {
			if err := fn(v); err != nil {
				return err
			}
		}
		if len(page) < exportChunk {
			return nil
		}
		after = page[len(page)-1].Path
	}
}

// exportChunk is how many Party orgs one read of an export takes.
const exportChunk = 1000

// partyOrgsAfter reads the next chunk of an export by path (keyset).
func (s *Store) partyOrgsAfter(ctx context.Context, sc store.Scope, f PartyOrgFilter, after string) ([]PartyOrgView, error) {
	lo, hi := sc.Bounds()
	cond := ` WHERE p.path >= ? AND p.path < ? AND p.path > ? AND p.status = 'active'`
	args := []any{lo, hi, after}
	if f.Region != "" {
		cond += " AND p.region_code IN (SELECT code FROM regions WHERE code = ? OR parent_code = ? OR functional_zone_code = ? OR parent_code IN (SELECT code FROM regions WHERE parent_code = ?))"
		args = append(args, f.Region, f.Region, f.Region, f.Region)
	}
	if f.Type != "" {
		cond += " AND p.type = ?"
		args = append(args, f.Type)
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+partyOrgViewCols+partyOrgViewFrom+cond+` ORDER BY p.path LIMIT ?`, append(args, exportChunk)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PartyOrgView
	for rows.Next() {
		v, err := scanPartyOrgView(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
