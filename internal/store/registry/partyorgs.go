package registry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lianxin/lianxin/internal/domain/account"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// PartyOrgView is a Party org with the names the pages show beside it.
type PartyOrgView struct {
	domain.PartyOrg
	TypeName   string `json:"type_name"`
	ParentName string `json:"parent_name"`
	RegionName string `json:"region_name"`
	ChildCount int    `json:"child_count"`
	TermState  string `json:"term_state"`
}

const partyOrgCols = `p.id, p.parent_id, p.path, p.depth, p.name, p.short_name, p.type, p.region_code,
	COALESCE(p.founded_on, ''), p.secretary_name, COALESCE(p.term_start, ''), p.term_years, COALESCE(p.term_end, ''),
	p.status, COALESCE(p.dissolved_on, ''), p.dissolve_reason, p.created_at, p.updated_at, p.version,
	p.secretary_member_id, COALESCE(p.secretary_since, ''), COALESCE(p.secretary_vacant_since, ''), COALESCE(p.secretary_unfiled_since, ''),
	p.committee_size, COALESCE(p.postponed_to, '')`

const partyOrgViewCols = partyOrgCols + `, COALESCE(pp.name, ''), COALESCE(r.name, ''),
	(SELECT COUNT(*) FROM party_orgs c WHERE c.parent_id = p.id AND c.status = 'active')`

const partyOrgViewFrom = ` FROM party_orgs p
	LEFT JOIN party_orgs pp ON pp.id = p.parent_id
	LEFT JOIN regions r ON r.code = p.region_code`

func scanPartyOrg(r interface{ Scan(...any) error }, extra ...any) (domain.PartyOrg, error) {
	var o domain.PartyOrg
	var parent, secretary sql.NullInt64
	var founded, termStart, termEnd, dissolved, created, updated string
	var secSince, vacant, unfiled, postponed string
	dest := append([]any{&o.ID, &parent, &o.Path, &o.Depth, &o.Name, &o.ShortName, &o.Type, &o.Region,
		&founded, &o.SecretaryName, &termStart, &o.TermYears, &termEnd,
		&o.Status, &dissolved, &o.DissolveReason, &created, &updated, &o.Version,
		&secretary, &secSince, &vacant, &unfiled, &o.CommitteeSize, &postponed}, extra...)
	if err := r.Scan(dest...); err != nil {
		return o, err
	}
	if parent.Valid {
		o.ParentID = &parent.Int64
	}
	if secretary.Valid {
		o.SecretaryMemberID = &secretary.Int64
	}
	o.SecretarySince, o.SecretaryVacantSince, o.SecretaryUnfiledSince = domain.Date(secSince), domain.Date(vacant), domain.Date(unfiled)
	o.PostponedTo = domain.Date(postponed)
	o.FoundedOn, o.TermStart, o.TermEnd, o.DissolvedOn = domain.Date(founded), domain.Date(termStart), domain.Date(termEnd), domain.Date(dissolved)
	o.CreatedAt, o.UpdatedAt = store.ParseTS(created), store.ParseTS(updated)
	return o, nil
}

func scanPartyOrgView(r interface{ Scan(...any) error }) (PartyOrgView, error) {
	var v PartyOrgView
	o, err := scanPartyOrg(r, &v.ParentName, &v.RegionName, &v.ChildCount)
	v.PartyOrg = o
	v.TypeName = o.Type.Name()
	return v, err
}

// GetPartyOrg returns one Party org inside the scope, or domain.ErrNotFound.
func (s *Store) GetPartyOrg(ctx context.Context, sc store.Scope, id int64) (PartyOrgView, error) {
	lo, hi := sc.Bounds()
	v, err := scanPartyOrgView(s.db.QueryRow(ctx, `SELECT `+partyOrgViewCols+partyOrgViewFrom+` WHERE p.id = ? AND p.path >= ? AND p.path < ?`, id, lo, hi))
	if errors.Is(err, sql.ErrNoRows) {
		return v, domain.ErrNotFound
	}
	return v, err
}

// PartyOrgFilter selects Party orgs for a list.
type PartyOrgFilter struct {
	ParentID *int64
	Under    *int64 // the whole subtree of this node
	Q        string
	Type     string
	Region   string
	Status   string // active (default), dissolved, all
	// TermBefore keeps the orgs whose 换届 deadline (the term's end, or an
	// approved postponement) falls on or before this date.
	TermBefore string
	Sort       string
	store.Page
}

// PartyOrgSorts whitelists the sort keys of the list.
var PartyOrgSorts = map[string]string{
	"path": "p.path", "name": "p.name", "founded_on": "p.founded_on", "term_end": "p.term_end", "id": "p.id",
}

// ListPartyOrgs returns a page of Party orgs inside the scope and the total.
func (s *Store) ListPartyOrgs(ctx context.Context, sc store.Scope, f PartyOrgFilter) ([]PartyOrgView, int, error) {
	lo, hi := sc.Bounds()
	where := []string{"p.path >= ? AND p.path < ?"}
	args := []any{lo, hi}
	if f.Under != nil {
		where = append(where, "p.path >= (SELECT u.path FROM party_orgs u WHERE u.id = ?) AND p.path < (SELECT "+store.PathUpper("u.path")+" FROM party_orgs u WHERE u.id = ?)")
		args = append(args, *f.Under, *f.Under)
	}
	if f.ParentID != nil {
		where = append(where, "p.parent_id = ?")
		args = append(args, *f.ParentID)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		where = append(where, "("+s.db.D.ContainsFolded("p.name")+" OR "+s.db.D.ContainsFolded("p.short_name")+")")
		pat := store.LikeFolded(q)
		args = append(args, pat, pat)
	}
	if f.Type != "" {
		where = append(where, "p.type = ?")
		args = append(args, f.Type)
	}
	if f.Region != "" {
		where = append(where, "p.region_code IN (SELECT code FROM regions WHERE code = ? OR parent_code = ? OR functional_zone_code = ?)")
		args = append(args, f.Region, f.Region, f.Region)
	}
	switch f.Status {
	case "", domain.StatusActive:
		where = append(where, "p.status = 'active'")
	case domain.StatusDissolved:
		where = append(where, "p.status = 'dissolved'")
	}
	if f.TermBefore != "" {
		where = append(where, "p.term_end IS NOT NULL AND COALESCE(p.postponed_to, p.term_end) <= ?")
		args = append(args, f.TermBefore)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	// A node's children come in the order they were made (锦江区's work
	// committee first, as the city lists its districts); by path, "/1/150/"
	// would come before "/1/2/".
	byDefault := "p.path"
	if f.ParentID != nil {
		byDefault = "p.id"
	}
	order := store.OrderBy(f.Sort, PartyOrgSorts, byDefault)
	// One round trip: the total and the page's ids, then only those rows
	// are decorated, so that the parent name and child count are computed
	// for one page, not for every row that OFFSET skips.
	qargs := append(append(append([]any{}, args...), args...), f.Limit(), f.Offset())
	rows, err := s.db.QueryRows(ctx, `WITH t AS (SELECT COUNT(*) AS n FROM party_orgs p`+cond+`),
		pg AS (SELECT p.id FROM party_orgs p`+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?)
		SELECT `+partyOrgViewCols+`, t.n FROM pg
		JOIN party_orgs p ON p.id = pg.id
		CROSS JOIN t
		LEFT JOIN party_orgs pp ON pp.id = p.parent_id
		LEFT JOIN regions r ON r.code = p.region_code ORDER BY `+order, qargs...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []PartyOrgView{}
	total := 0
	for rows.Next() {
		var v PartyOrgView
		o, err := scanPartyOrg(rows, &v.ParentName, &v.RegionName, &v.ChildCount, &total)
		if err != nil {
			return nil, 0, err
		}
		v.PartyOrg, v.TypeName = o, o.Type.Name()
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(out) == 0 && f.Offset() > 0 {
		// A page past the end carries no total: count separately.
		if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM party_orgs p`+cond, args...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// PartyOrgAncestors returns the chain from the scope's root down to id.
func (s *Store) PartyOrgAncestors(ctx context.Context, sc store.Scope, id int64) ([]PartyOrgView, error) {
	o, err := s.GetPartyOrg(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	var ids []any
	var marks []string
	for _, part := range strings.Split(strings.Trim(o.Path, "/"), "/") {
		ids = append(ids, part)
		marks = append(marks, "?")
	}
	lo, hi := sc.Bounds()
	rows, err := s.db.QueryRows(ctx, `SELECT `+partyOrgViewCols+partyOrgViewFrom+` WHERE p.id IN (`+strings.Join(marks, ",")+`) AND p.path >= ? AND p.path < ? ORDER BY p.depth`, append(ids, lo, hi)...)
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

// getPartyOrgTx reads and locks a node inside a write transaction, so that
// a concurrent move cannot change its path before this transaction uses it.
func (s *Store) GetPartyOrgTx(ctx context.Context, t *store.Tx, sc store.Scope, id int64) (domain.PartyOrg, error) {
	lo, hi := sc.Bounds()
	o, err := scanPartyOrg(t.QueryRow(ctx, `SELECT `+partyOrgCols+` FROM party_orgs p WHERE p.id = ? AND p.path >= ? AND p.path < ?`+s.db.D.ForUpdate(), id, lo, hi))
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.ErrNotFound
	}
	return o, err
}

// CreatePartyOrg adds a node under parentID (which must be inside the
// caller's scope). A root (nil parent) can only be made with ScopeAll.
func (s *Store) CreatePartyOrg(ctx context.Context, c store.Caller, parentID *int64, in domain.PartyOrgInput) (domain.PartyOrg, error) {
	var o domain.PartyOrg
	err := s.db.Write(ctx, func(t *store.Tx) error {
		var err error
		if o, err = s.createPartyOrgTx(ctx, t, c, parentID, in); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionCreate, "party_org", store.Itoa64(o.ID), audit.ResultSuccess).WithStates(nil, o))
	})
	return o, err
}

// createPartyOrgTx validates and inserts a node with its history entry
// (the caller audits: one record, or an import's batch).
func (s *Store) createPartyOrgTx(ctx context.Context, t *store.Tx, c store.Caller, parentID *int64, in domain.PartyOrgInput) (domain.PartyOrg, error) {
	o := domain.NewPartyOrg(in)
	var parent *domain.PartyOrg
	if parentID != nil {
		p, err := s.GetPartyOrgTx(ctx, t, c.Scope, *parentID)
		if errors.Is(err, domain.ErrNotFound) {
			return o, domain.FieldError("parent_id", "上级党组织不存在或不在您的管理范围内")
		}
		if err != nil {
			return o, err
		}
		parent = &p
	} else if c.Scope != store.ScopeAll {
		return o, domain.FieldError("parent_id", "请选择上级党组织")
	}
	if err := o.Validate(c.Now); err != nil {
		return o, err
	}
	if err := o.ValidatePlacement(parent); err != nil {
		return o, err
	}
	if err := s.db.CheckRegion(ctx, t, c.Scope, o.Region); err != nil {
		return o, err
	}
	o.CreatedAt, o.UpdatedAt, o.Version = c.Now, c.Now, 1
	o.ParentID = parentID
	// A new org without a secretary has had the post vacant since it
	// was founded (the secretary_vacant rule counts from then).
	if o.SecretaryName == "" {
		o.SecretaryVacantSince = o.FoundedOn
		if o.SecretaryVacantSince == "" {
			o.SecretaryVacantSince = domain.DateOf(c.Now)
		}
	}
	if parent != nil {
		// Checked before the insert: on PostgreSQL a failed statement
		// would end an import's whole batch.
		var n int
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM party_orgs WHERE parent_id = ? AND name = ? AND status = 'active'`, parent.ID, o.Name).Scan(&n); err != nil {
			return o, err
		}
		if n > 0 {
			return o, &domain.ConflictError{Field: "name", Message: "同一上级下已有同名党组织：" + o.Name}
		}
	}
	// The path needs the id: insert with a placeholder path, then set it.
	tmp := "/tmp-" + strconv.FormatInt(c.Now.UnixNano(), 36) + "-" + strconv.Itoa(s.tmpSeq()) + "/"
	err := t.QueryRow(ctx, `INSERT INTO party_orgs (parent_id, path, depth, name, short_name, type, region_code, founded_on, secretary_name, term_start, term_years, term_end, status, created_at, updated_at, version, secretary_vacant_since)
		VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, 1, ?) RETURNING id`,
		parentID, tmp, o.Name, o.ShortName, o.Type, o.Region, store.NullStr(string(o.FoundedOn)), o.SecretaryName,
		store.NullStr(string(o.TermStart)), o.TermYears, store.NullStr(string(o.TermEnd)), store.TS(c.Now), store.TS(c.Now), store.NullStr(string(o.SecretaryVacantSince))).Scan(&o.ID)
	if store.IsUniqueViolation(err) {
		return o, &domain.ConflictError{Field: "name", Message: "同一上级下已有同名党组织：" + o.Name}
	}
	if err != nil {
		return o, err
	}
	if parent != nil {
		o.Path, o.Depth = parent.Path+strconv.FormatInt(o.ID, 10)+"/", parent.Depth+1
	} else {
		o.Path, o.Depth = "/"+strconv.FormatInt(o.ID, 10)+"/", 0
	}
	if _, err := t.Exec(ctx, `UPDATE party_orgs SET path = ?, depth = ? WHERE id = ?`, o.Path, o.Depth, o.ID); err != nil {
		return o, err
	}
	return o, s.db.AddHistory(ctx, t, c, "party_org", o.ID, audit.ActionCreate, domain.PartyOrg{}, o)
}

// UpdatePartyOrg changes the editable fields of a node inside the scope.
func (s *Store) UpdatePartyOrg(ctx context.Context, c store.Caller, id int64, in domain.PartyOrgInput) (domain.PartyOrg, error) {
	var o domain.PartyOrg
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, after, changed, err := s.updatePartyOrgTx(ctx, t, c, id, in)
		o = after
		if err != nil || !changed {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUpdate, "party_org", store.Itoa64(o.ID), audit.ResultSuccess).WithStates(before, o))
	})
	return o, err
}

// updatePartyOrgTx applies in to a node inside the scope with its history
// entry (the caller audits); it returns the node before and after and
// whether anything changed.
func (s *Store) updatePartyOrgTx(ctx context.Context, t *store.Tx, c store.Caller, id int64, in domain.PartyOrgInput) (before, o domain.PartyOrg, changed bool, err error) {
	before, err = s.GetPartyOrgTx(ctx, t, c.Scope, id)
	if err != nil {
		return before, before, false, err
	}
	if in.Version != nil && *in.Version != before.Version {
		return before, before, false, &domain.ConflictError{Field: "version", Message: "该党组织已被他人修改，请刷新后重试"}
	}
	if before.Status != domain.StatusActive {
		return before, before, false, domain.FieldError("status", "已撤销的党组织不能修改")
	}
	o = before
	in.Apply(&o)
	// An org's own staff change neither its term nor its type.
	if err := account.CheckOwnOrgChange(before.Path == c.Scope.Path, before, o); err != nil {
		return before, before, false, err
	}
	if err := o.Validate(c.Now); err != nil {
		return before, before, false, err
	}
	if o.TermStart == before.TermStart && o.TermYears == before.TermYears {
		// Keep an end recorded by hand or by an election (it may differ
		// from start + years by days).
		o.TermEnd = before.TermEnd
	} else if o.TermStart != before.TermStart {
		// Another term: the old term's postponement no longer applies.
		o.PostponedTo = ""
	}
	if o.SecretaryName != before.SecretaryName {
		// Changed through the form, not by an approved filing: the
		// filing_missing rule reads secretary_unfiled_since.
		today := domain.DateOf(c.Now)
		o.SecretaryMemberID, o.SecretarySince, o.SecretaryUnfiledSince = nil, "", today
		if o.SecretaryName == "" {
			o.SecretaryVacantSince = today
		} else {
			o.SecretaryVacantSince = ""
		}
	}
	if o.Type != before.Type {
		if err := s.checkTypeFits(ctx, t, &o); err != nil {
			return before, before, false, err
		}
	}
	if o.Region != before.Region {
		if err := s.db.CheckRegion(ctx, t, c.Scope, o.Region); err != nil {
			return before, before, false, err
		}
	}
	changes := store.Diff(before, o)
	if len(changes) == 0 {
		return before, before, false, nil
	}
	if o.Name != before.Name && o.ParentID != nil {
		var n int
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM party_orgs WHERE parent_id = ? AND name = ? AND status = 'active' AND id <> ?`, *o.ParentID, o.Name, o.ID).Scan(&n); err != nil {
			return before, before, false, err
		}
		if n > 0 {
			return before, before, false, &domain.ConflictError{Field: "name", Message: "同一上级下已有同名党组织：" + o.Name}
		}
	}
	o.UpdatedAt, o.Version = c.Now, before.Version+1
	_, err = t.Exec(ctx, `UPDATE party_orgs SET name = ?, short_name = ?, type = ?, region_code = ?, founded_on = ?, secretary_name = ?,
		term_start = ?, term_years = ?, term_end = ?, updated_at = ?, version = ?,
		secretary_member_id = ?, secretary_since = ?, secretary_vacant_since = ?, secretary_unfiled_since = ?, postponed_to = ? WHERE id = ?`,
		o.Name, o.ShortName, o.Type, o.Region, store.NullStr(string(o.FoundedOn)), o.SecretaryName,
		store.NullStr(string(o.TermStart)), o.TermYears, store.NullStr(string(o.TermEnd)), store.TS(c.Now), o.Version,
		o.SecretaryMemberID, store.NullStr(string(o.SecretarySince)), store.NullStr(string(o.SecretaryVacantSince)), store.NullStr(string(o.SecretaryUnfiledSince)),
		store.NullStr(string(o.PostponedTo)), o.ID)
	if store.IsUniqueViolation(err) {
		return before, before, false, &domain.ConflictError{Field: "name", Message: "同一上级下已有同名党组织：" + o.Name}
	}
	if err != nil {
		return before, before, false, err
	}
	if err := s.db.AddHistory(ctx, t, c, "party_org", o.ID, audit.ActionUpdate, before, o); err != nil {
		return before, before, false, err
	}
	// The type decides whether it org-covers (grassroots or not); the
	// founding date is a link's start when the link has none.
	if o.Type != before.Type || o.FoundedOn != before.FoundedOn {
		if err := s.RefreshCoveredBy(ctx, t, c.Now, o.ID); err != nil {
			return before, before, false, err
		}
	}
	return before, o, true, nil
}

// checkTypeFits checks a changed type against the parent and the children.
func (s *Store) checkTypeFits(ctx context.Context, t *store.Tx, o *domain.PartyOrg) error {
	if o.ParentID != nil {
		p, err := s.GetPartyOrgTx(ctx, t, store.ScopeAll, *o.ParentID)
		if err != nil {
			return err
		}
		if err := o.ValidatePlacement(&p); err != nil {
			return err
		}
	} else if o.Type != domain.WorkCommittee {
		return domain.FieldError("type", "根节点只能是两新工委")
	}
	rows, err := t.Query(ctx, `SELECT DISTINCT type FROM party_orgs WHERE parent_id = ? AND status = 'active'`, o.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ct domain.PartyOrgType
		if err := rows.Scan(&ct); err != nil {
			return err
		}
		if !ct.CanHaveParent(o.Type) {
			return domain.FieldError("type", "其下级有"+ct.Name()+"，不能改为"+o.Type.Name())
		}
	}
	return rows.Err()
}

// MovePartyOrg puts a node and its subtree under another parent. Both must be
// inside the caller's scope; a node never goes under itself or a descendant,
// and the caller cannot move the root of their own scope.
func (s *Store) MovePartyOrg(ctx context.Context, c store.Caller, id, newParentID int64) (domain.PartyOrg, error) {
	var o domain.PartyOrg
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, err := s.GetPartyOrgTx(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		moved := before
		moved.ParentID = &newParentID
		if err := account.CheckOwnOrgChange(before.Path == c.Scope.Path, before, moved); err != nil {
			return err
		}
		if before.ParentID == nil {
			return domain.FieldError("parent_id", "不能移动根党组织")
		}
		if before.Status != domain.StatusActive {
			return domain.FieldError("status", "已撤销的党组织不能移动")
		}
		parent, err := s.GetPartyOrgTx(ctx, t, c.Scope, newParentID)
		if errors.Is(err, domain.ErrNotFound) {
			return domain.FieldError("parent_id", "新的上级党组织不存在或不在您的管理范围内")
		}
		if err != nil {
			return err
		}
		if parent.ID == before.ID || domain.IsDescendantPath(parent.Path, before.Path) {
			return domain.FieldError("parent_id", "不能移动到自身或其下级党组织之下")
		}
		if before.ParentID != nil && *before.ParentID == parent.ID {
			return domain.FieldError("parent_id", "已在该上级党组织之下")
		}
		o = before
		if err := o.ValidatePlacement(&parent); err != nil {
			return err
		}
		newPath := parent.Path + strconv.FormatInt(o.ID, 10) + "/"
		shift := parent.Depth + 1 - before.Depth
		lo, hi := store.Scope{Path: before.Path}.Bounds()
		// Rewrite the whole subtree's paths in one statement.
		if _, err := t.Exec(ctx, `UPDATE party_orgs SET path = ? || substr(path, ?), depth = depth + ? WHERE path >= ? AND path < ?`,
			newPath, len(before.Path)+1, shift, lo, hi); err != nil {
			return err
		}
		o.ParentID, o.Path, o.Depth, o.UpdatedAt, o.Version = &parent.ID, newPath, parent.Depth+1, c.Now, before.Version+1
		_, err = t.Exec(ctx, `UPDATE party_orgs SET parent_id = ?, updated_at = ?, version = ? WHERE id = ?`, parent.ID, store.TS(c.Now), o.Version, o.ID)
		if store.IsUniqueViolation(err) {
			return &domain.ConflictError{Field: "parent_id", Message: "新的上级下已有同名党组织：" + o.Name}
		}
		if err != nil {
			return err
		}
		if err := s.db.AddHistory(ctx, t, c, "party_org", o.ID, audit.ActionMove, before, o); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionMove, "party_org", store.Itoa64(o.ID), audit.ResultSuccess).WithStates(before, o))
	})
	return o, err
}

// DissolvePartyOrg marks a node dissolved (撤销). Its record and history stay.
func (s *Store) DissolvePartyOrg(ctx context.Context, c store.Caller, id int64, in domain.DissolveInput) (domain.PartyOrg, error) {
	var o domain.PartyOrg
	in.DissolvedOn = strings.TrimSpace(in.DissolvedOn) // validated trimmed, so stored trimmed
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, err := s.GetPartyOrgTx(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if before.Path == c.Scope.Path || before.ParentID == nil {
			return domain.FieldError("status", "不能撤销您管理范围的根党组织")
		}
		if err := in.Validate(&before, c.Now); err != nil {
			return err
		}
		var children, users int
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM party_orgs WHERE parent_id = ? AND status = 'active'`, id).Scan(&children); err != nil {
			return err
		}
		if children > 0 {
			return domain.FieldError("status", fmt.Sprintf("该党组织还有 %d 个未撤销的下级党组织，请先撤销或移走下级", children))
		}
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE party_org_id = ? AND disabled = 0`, id).Scan(&users); err != nil {
			return err
		}
		if users > 0 {
			return domain.FieldError("status", fmt.Sprintf("还有 %d 个账号绑定在该党组织，请先调整这些账号的管理范围", users))
		}
		o = before
		o.Status, o.DissolvedOn, o.DissolveReason = domain.StatusDissolved, domain.Date(in.DissolvedOn), in.Reason
		o.UpdatedAt, o.Version = c.Now, before.Version+1
		if _, err := t.Exec(ctx, `UPDATE party_orgs SET status = 'dissolved', dissolved_on = ?, dissolve_reason = ?, updated_at = ?, version = ? WHERE id = ?`,
			in.DissolvedOn, in.Reason, store.TS(c.Now), o.Version, id); err != nil {
			return err
		}
		if err := s.db.AddHistory(ctx, t, c, "party_org", o.ID, audit.ActionDissolve, before, o); err != nil {
			return err
		}
		if err := s.RefreshCoveredBy(ctx, t, c.Now, o.ID); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionDissolve, "party_org", store.Itoa64(o.ID), audit.ResultSuccess).WithStates(before, o))
	})
	return o, err
}

// PartyOrgHistory returns a node's changes, newest first.
func (s *Store) PartyOrgHistory(ctx context.Context, sc store.Scope, id int64) ([]store.HistoryEntry, error) {
	if _, err := s.GetPartyOrg(ctx, sc, id); err != nil {
		return nil, err
	}
	return s.db.History(ctx, "party_org", id)
}

// PartyOrgCounts are the figures of the home page for a scope.
type PartyOrgCounts struct {
	Active    int            `json:"active"`
	Dissolved int            `json:"dissolved"`
	ByType    map[string]int `json:"by_type"`
}

// CountPartyOrgs counts the Party orgs in a scope by status and type.
func (s *Store) CountPartyOrgs(ctx context.Context, sc store.Scope) (PartyOrgCounts, error) {
	lo, hi := sc.Bounds()
	out := PartyOrgCounts{ByType: map[string]int{}}
	rows, err := s.db.QueryRows(ctx, `SELECT type, status, COUNT(*) FROM party_orgs WHERE path >= ? AND path < ? GROUP BY type, status`, lo, hi)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var typ, status string
		var n int
		if err := rows.Scan(&typ, &status, &n); err != nil {
			return out, err
		}
		if status == domain.StatusActive {
			out.Active += n
			out.ByType[typ] += n
		} else {
			out.Dissolved += n
		}
	}
	return out, rows.Err()
}

// termDeadline is the SQL of domain.TermDeadline: the term's end, or an
// approved postponement's date when later.
const termDeadline = `(CASE WHEN postponed_to > term_end THEN postponed_to ELSE term_end END)`

// CountTerms counts active orgs whose term is overdue or ends within the
// reminder window (an approved postponement counting), as of today.
func (s *Store) CountTerms(ctx context.Context, sc store.Scope, today, soon string) (overdue, dueSoon int, err error) {
	lo, hi := sc.Bounds()
	err = s.db.QueryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN `+termDeadline+` < ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN `+termDeadline+` >= ? AND `+termDeadline+` <= ? THEN 1 ELSE 0 END), 0)
		FROM party_orgs WHERE path >= ? AND path < ? AND status = 'active' AND term_end IS NOT NULL`,
		today, today, soon, lo, hi).Scan(&overdue, &dueSoon)
	return
}
