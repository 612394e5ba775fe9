package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/chain"
	"github.com/lianxin/lianxin/internal/store"
)

// The key industry chains (重点产业链): reference data kept here beside the
// regions and zones, since an organization's save checks the chain it names.
// The chain itself (name, order, its 行业党委) is city-wide and read by every
// staff member; what a chain holds (its organizations, its 链主企业) is
// counted and listed within the caller's scope.

// IndustryChainView is a chain with its 行业党委's name and, within the
// caller's scope, its organizations and 链主企业.
type IndustryChainView struct {
	chain.IndustryChain
	PartyOrgName string `json:"party_org_name"`
	// Organizations on the chain that still exist (domain.CountedOrgStatuses),
	// and of them those with a Party org of their own or a joint one.
	Organizations int           `json:"organizations"`
	OrgCovered    int           `json:"org_covered"`
	Masters       []ChainMaster `json:"masters"`
}

// ChainMaster is one 链主企业 of a chain.
type ChainMaster struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Status     string `json:"status"`
	RegionName string `json:"region_name"`
}

const chainCols = `c.id, c.code, c.name, c.sort, c.party_org_id, c.retired, c.version, COALESCE(p.name, '')`

func scanChain(r interface{ Scan(...any) error }) (IndustryChainView, error) {
	var v IndustryChainView
	var po sql.NullInt64
	var retired int
	err := r.Scan(&v.ID, &v.Code, &v.Name, &v.Sort, &po, &retired, &v.Version, &v.PartyOrgName)
	if po.Valid {
		v.PartyOrgID = &po.Int64
	}
	v.Retired = retired == 1
	v.Masters = []ChainMaster{}
	return v, err
}

// ListChains returns every chain in its order (retired ones too, last
// within their order when asked for), each with its figures in the scope.
func (s *Store) ListChains(ctx context.Context, sc store.Scope, withRetired bool) ([]IndustryChainView, error) {
	cond := ` WHERE c.retired = 0`
	if withRetired {
		cond = ``
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+chainCols+` FROM industry_chains c LEFT JOIN party_orgs p ON p.id = c.party_org_id`+cond+` ORDER BY c.retired, c.sort, c.id`)
	if err != nil {
		return nil, err
	}
	out := []IndustryChainView{}
	for rows.Next() {
		v, err := scanChain(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, s.chainFigures(ctx, sc, out, "")
}

// GetChain returns one chain with its figures in the scope.
func (s *Store) GetChain(ctx context.Context, sc store.Scope, id int64) (IndustryChainView, error) {
	v, err := scanChain(s.db.QueryRow(ctx, `SELECT `+chainCols+` FROM industry_chains c LEFT JOIN party_orgs p ON p.id = c.party_org_id WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, domain.ErrNotFound
	}
	if err != nil {
		return v, err
	}
	one := []IndustryChainView{v}
	err = s.chainFigures(ctx, sc, one, v.Code)
	return one[0], err
}

// chainFigures fills the chains' counts and 链主企业 from the organizations
// inside the scope (all chains, or only code): two reads over the chain
// index, whatever the number of chains.
func (s *Store) chainFigures(ctx context.Context, sc store.Scope, chains []IndustryChainView, code string) error {
	on, onArgs := "o.chain > ''", []any{} // a range of the chain index, as <> is not
	if code != "" {
		on, onArgs = "o.chain = ?", []any{code}
	}
	var scope []string
	var scopeArgs []any
	if whole, err := s.db.WholeTree(ctx, sc); err != nil {
		return err
	} else if !whole {
		scope, scopeArgs = []string{OrgScopeIDs}, OrgScopeArgs(sc)
	}
	byCode := map[string]*IndustryChainView{}
	for i := range chains {
		byCode[chains[i].Code] = &chains[i]
	}
	counted := "o.status IN (" + store.Placeholders(len(domain.CountedOrgStatuses)) + ")"
	args := append(append(append([]any{string(domain.OrgCovered)}, onArgs...), scopeArgs...), anySlice(domain.CountedOrgStatuses)...)
	rows, err := s.db.QueryRows(ctx, `SELECT o.chain, COUNT(*), SUM(CASE WHEN o.cov_state = ? THEN 1 ELSE 0 END) FROM organizations o
		WHERE `+strings.Join(append(append([]string{on}, scope...), counted), " AND ")+` GROUP BY o.chain`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k string
		var n, covered int
		if err := rows.Scan(&k, &n, &covered); err != nil {
			rows.Close()
			return err
		}
		if c := byCode[k]; c != nil {
			c.Organizations, c.OrgCovered = n, covered
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// The 链主 are found in the chain index (migration 0024), then read.
	masters := `o.id IN (SELECT id FROM organizations o WHERE ` + on + ` AND o.flags LIKE ?)`
	args = append(append(append([]any{}, onArgs...), "%,"+chain.Master+",%"), scopeArgs...)
	rows, err = s.db.QueryRows(ctx, `SELECT o.chain, o.id, o.name, o.status, COALESCE(r.name, '') FROM organizations o LEFT JOIN regions r ON r.code = o.region_code
		WHERE `+strings.Join(append([]string{masters}, scope...), " AND ")+` ORDER BY o.chain, o.name, o.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var m ChainMaster
		if err := rows.Scan(&k, &m.ID, &m.Name, &m.Status, &m.RegionName); err != nil {
			return err
		}
		if c := byCode[k]; c != nil {
			c.Masters = append(c.Masters, m)
		}
	}
	return rows.Err()
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// ChainRefs returns every chain (retired ones too) without figures: what
// an import resolves names against and an export names codes with.
func (s *Store) ChainRefs(ctx context.Context) ([]chain.IndustryChain, error) {
	rows, err := s.db.QueryRows(ctx, `SELECT id, code, name, sort, party_org_id, retired, version FROM industry_chains ORDER BY retired, sort, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []chain.IndustryChain
	for rows.Next() {
		var c chain.IndustryChain
		var po sql.NullInt64
		var retired int
		if err := rows.Scan(&c.ID, &c.Code, &c.Name, &c.Sort, &po, &retired, &c.Version); err != nil {
			return nil, err
		}
		if po.Valid {
			c.PartyOrgID = &po.Int64
		}
		c.Retired = retired == 1
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveChain creates (id 0) or edits a chain. Its 行业党委 must lie in the
// caller's scope; a new chain gets a code of its own (chain_N).
func (s *Store) SaveChain(ctx context.Context, c store.Caller, id int64, in chain.ChainInput) (chain.IndustryChain, error) {
	var ch chain.IndustryChain
	err := s.db.Write(ctx, func(t *store.Tx) error {
		var before *chain.IndustryChain
		if id != 0 {
			v, err := scanChain(t.QueryRow(ctx, `SELECT `+chainCols+` FROM industry_chains c LEFT JOIN party_orgs p ON p.id = c.party_org_id WHERE c.id = ?`, id))
			if errors.Is(err, sql.ErrNoRows) {
				return domain.ErrNotFound
			}
			if err != nil {
				return err
			}
			if in.Version != nil && *in.Version != v.Version {
				return &domain.ConflictError{Field: "version", Message: "该产业链已被他人修改，请刷新后重试"}
			}
			b := v.IndustryChain
			before, ch = &b, b
		}
		in.Apply(&ch)
		if err := ch.Validate(); err != nil {
			return err
		}
		if ch.PartyOrgID != nil && (before == nil || before.PartyOrgID == nil || *before.PartyOrgID != *ch.PartyOrgID) {
			p, err := s.GetPartyOrgTx(ctx, t, c.Scope, *ch.PartyOrgID)
			if errors.Is(err, domain.ErrNotFound) {
				return domain.FieldError("party_org_id", "所选党组织不存在或不在您的管理范围内")
			}
			if err != nil {
				return err
			}
			if err := chain.CheckPartyOrg(p.Type, p.Status); err != nil {
				return err
			}
		}
		var err error
		action := audit.ActionCreate
		if before == nil {
			if ch.Code, err = newChainCode(ctx, t); err != nil {
				return err
			}
			ch.Version = 1
			err = t.QueryRow(ctx, `INSERT INTO industry_chains (code, name, sort, party_org_id, retired, version) VALUES (?, ?, ?, ?, ?, 1) RETURNING id`,
				ch.Code, ch.Name, ch.Sort, ch.PartyOrgID, store.BoolInt(ch.Retired)).Scan(&ch.ID)
		} else {
			action = audit.ActionUpdate
			if *before == ch {
				return nil
			}
			ch.Version = before.Version + 1
			_, err = t.Exec(ctx, `UPDATE industry_chains SET name = ?, sort = ?, party_org_id = ?, retired = ?, version = ? WHERE id = ?`,
				ch.Name, ch.Sort, ch.PartyOrgID, store.BoolInt(ch.Retired), ch.Version, ch.ID)
		}
		if store.IsUniqueViolation(err) {
			return &domain.ConflictError{Field: "name", Message: "已有同名的产业链：" + ch.Name}
		}
		if err != nil {
			return err
		}
		var b any
		if before != nil {
			b = *before
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, action, "industry_chain", store.Itoa64(ch.ID), audit.ResultSuccess).WithStates(b, ch))
	})
	return ch, err
}

// newChainCode is the first free code chain_N, N after the chains counted.
func newChainCode(ctx context.Context, t *store.Tx) (string, error) {
	var n int
	if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM industry_chains`).Scan(&n); err != nil {
		return "", err
	}
	for ; ; n++ {
		code := fmt.Sprintf("chain_%d", n+1)
		var taken int
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM industry_chains WHERE code = ?`, code).Scan(&taken); err != nil {
			return "", err
		}
		if taken == 0 {
			return code, nil
		}
	}
}

// SetChainMaster makes the organization orgID (inside the caller's scope)
// a 链主企业 of the chain chainID, moving it onto the chain, or, with
// chainID nil, ends its being the 链主 of the chain it is on. The
// organization's edit is saved, recorded and audited as any other
// (SaveOrganization); a retired chain takes no new 链主. It answers the
// chain concerned.
func (s *Store) SetChainMaster(ctx context.Context, c store.Caller, orgID int64, chainID *int64) (IndustryChainView, error) {
	o, err := s.GetOrganization(ctx, c.Scope, orgID)
	if err != nil {
		return IndustryChainView{}, err
	}
	var ch IndustryChainView
	if chainID != nil {
		if ch, err = s.GetChain(ctx, c.Scope, *chainID); errors.Is(err, domain.ErrNotFound) {
			return ch, domain.FieldError("chain_id", "所选重点产业链不存在")
		}
		if err == nil && ch.Retired {
			err = domain.FieldError("chain_id", "该产业链已停用，不能再添加链主企业")
		}
	} else {
		var id int64
		err = s.db.QueryRow(ctx, `SELECT id FROM industry_chains WHERE code = ?`, o.Chain).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ch, domain.FieldError("organization_id", "该组织不是链主企业")
		}
		if err == nil {
			ch, err = s.GetChain(ctx, c.Scope, id)
		}
	}
	if err != nil {
		return ch, err
	}
	in, err := chain.MasterChange(o.Organization, ch.Code, chainID != nil)
	if err != nil {
		return ch, err
	}
	if in.Chain != nil || in.Flags != nil {
		v := o.Version
		in.Version = &v
		if _, err := s.SaveOrganization(ctx, c, orgID, in, nil); err != nil {
			return ch, err
		}
	}
	return s.GetChain(ctx, c.Scope, ch.ID)
}

// checkChain refuses a chain code that names no chain, or a retired one.
func checkChain(ctx context.Context, t *store.Tx, v *domain.ValidationError, code string) error {
	var retired int
	err := t.QueryRow(ctx, `SELECT retired FROM industry_chains WHERE code = ?`, code).Scan(&retired)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		v.Add("chain", "所选重点产业链不存在："+code)
	case err != nil:
		return err
	case retired == 1:
		v.Add("chain", "所选重点产业链已停用")
	}
	return nil
}
