package members

import (
	"context"
	"database/sql"

	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
)

// ImportMemberRow is one valid row of a member import, its ID number
// normalized.
type ImportMemberRow struct {
	Row int
	In  domain.MemberInput
}

// MemberKeys looks up ID numbers (normalized) for an import, through their
// blind index.
func (s *Store) MemberKeys(ctx context.Context, sc store.Scope, idNumbers []string) (map[string]store.ImportKey, error) {
	byIndex := make(map[string]string, len(idNumbers))
	idx := make([]string, len(idNumbers))
	for i, n := range idNumbers {
		idx[i] = string(s.db.PII.Index(pii.KindIDNumber, n))
		byIndex[idx[i]] = n
	}
	out := map[string]store.ImportKey{}
	lo, hi := sc.Bounds()
	err := store.Chunked(idx, func(part []string) error {
		args := []any{lo, hi, lo, hi}
		for _, p := range part {
			args = append(args, []byte(p))
		}
		return store.CollectKeys(ctx, s.db.Pool(), `SELECT m.id, m.id_number_index, CASE WHEN `+memberScope+` THEN 1 ELSE 0 END, m.party_org_id, m.party_org_id, '' FROM members m WHERE m.id_number_index IN (`+store.Placeholders(len(part))+`)`,
			args, func(k string, v store.ImportKey) { out[byIndex[k]] = v })
	})
	return out, err
}

// memberChange is a member to write and its state before (nil: new).
type memberChange struct {
	row    int
	before *domain.Member
	after  domain.Member
	sealed SealedMember
}

func memberHistory(cs []memberChange) ([]store.HistoryRow, []int64) {
	out := make([]store.HistoryRow, len(cs))
	ids := make([]int64, len(cs))
	for i, c := range cs {
		out[i] = store.HistoryRow{ID: c.after.ID, Action: audit.ActionCreate, Before: memberState{}, After: recorded(c.after)}
		if c.before != nil {
			out[i].Action, out[i].Before = audit.ActionUpdate, recorded(*c.before)
		}
		ids[i] = c.after.ID
	}
	return out, ids
}

// ImportMembers writes one batch of members in one transaction, as
// ImportOrganizations does organizations; the key is the ID number's blind
// index, and an ID number held by a member outside the scope is refused,
// never overwritten.
func (s *Store) ImportMembers(ctx context.Context, c store.Caller, b store.ImportBatch, rows []ImportMemberRow) (store.BatchResult, error) {
	var res store.BatchResult
	err := s.db.Write(ctx, func(t *store.Tx) error {
		res = store.BatchResult{}
		existing, outside, err := s.existingMembers(ctx, t, c.Scope, rows)
		if err != nil {
			return err
		}
		refs, err := memberRefsIn(ctx, t, c.Scope, rows)
		if err != nil {
			return err
		}
		creates, updates, err := store.Split(rows, func(r ImportMemberRow) (memberChange, bool, error) {
			ch, skip, err := planMember(c, r, existing, outside, refs, &res)
			if err == nil && !skip {
				ch.sealed, err = s.Seal(ch.after)
			}
			return ch, skip, err
		}, func(ch memberChange) bool { return ch.before == nil })
		if err != nil {
			return err
		}
		if err := s.insertMembers(ctx, t, c, creates); err != nil {
			return err
		}
		for i := range updates {
			m := &updates[i].after
			m.UpdatedAt, m.Version = c.Now, updates[i].before.Version+1
			if _, err := t.Exec(ctx, memberUpdate, append(append([]any{m.PartyOrgID}, memberWriteArgs(*m, updates[i].sealed, c.Now)...), m.Version, m.ID)...); err != nil {
				return err
			}
		}
		res.Created, res.Updated = len(creates), len(updates)
		hc, created := memberHistory(creates)
		hu, updated := memberHistory(updates)
		return s.db.FinishBatch(ctx, t, c, b, "member", append(hc, hu...), created, updated)
	})
	return res, err
}

// memberRefs are the Party orgs and employers of a batch that the caller
// may link members to.
type memberRefs struct{ partyOrgs, employers map[int64]bool }

func memberRefsIn(ctx context.Context, t *store.Tx, sc store.Scope, rows []ImportMemberRow) (memberRefs, error) {
	var orgIDs, empIDs []int64
	for _, r := range rows {
		if p := r.In.PartyOrgID; p != nil && *p > 0 {
			orgIDs = append(orgIDs, *p)
		}
		if p := r.In.EmployerID; p != nil && *p > 0 {
			empIDs = append(empIDs, *p)
		}
	}
	var refs memberRefs
	var err error
	if refs.partyOrgs, err = registry.ActivePartyOrgsIn(ctx, t, sc, orgIDs); err != nil {
		return refs, err
	}
	refs.employers = map[int64]bool{}
	err = store.Chunked(empIDs, func(part []int64) error {
		return store.CollectIDs(ctx, t, `SELECT o.id FROM organizations o WHERE o.id IN (`+store.Placeholders(len(part))+`) AND `+registry.OrgScope,
			append(store.Anys(part), registry.OrgScopeArgs(sc)...), refs.employers)
	})
	return refs, err
}

// linkAllowed: a link that did not change needs no check (a record may keep
// a link the caller could not make); a new one must be in refs.
func linkAllowed(id *int64, old *int64, refs map[int64]bool) bool {
	return id == nil || refs[*id] || (old != nil && *old == *id)
}

func planMember(c store.Caller, r ImportMemberRow, existing map[string]domain.Member, outside map[string]bool, refs memberRefs, res *store.BatchResult) (memberChange, bool, error) {
	idn := registry.Deref(r.In.IDNumber)
	if outside[idn] {
		res.Rejected = append(res.Rejected, store.ImportRowError{Row: r.Row, Field: "id_number", Message: domain.DuplicateIDMessage})
		return memberChange{}, true, nil
	}
	var m domain.Member
	var before *domain.Member
	var oldOrg, oldEmp *int64
	if old, ok := existing[idn]; ok {
		m, before = old, &old
		oldOrg, oldEmp = old.PartyOrgID, old.EmployerID
		r.In.Apply(&m)
	} else {
		m = domain.NewMember(r.In)
	}
	if err := m.Validate(c.Now); err != nil {
		return memberChange{}, true, res.Reject(r.Row, err)
	}
	switch {
	case !linkAllowed(m.PartyOrgID, oldOrg, refs.partyOrgs):
		return memberChange{}, true, res.Reject(r.Row, domain.FieldError("party_org_id", "所选党组织不存在、已撤销或不在您的管理范围内"))
	case !linkAllowed(m.EmployerID, oldEmp, refs.employers):
		return memberChange{}, true, res.Reject(r.Row, domain.FieldError("employer_id", "所选工作单位不存在或不在您的管理范围内"))
	}
	if err := domain.CheckPartyOrgOrEmployer(m.PartyOrgID != nil, m.EmployerID != nil); err != nil {
		return memberChange{}, true, res.Reject(r.Row, err)
	}
	if before != nil && !memberChanged(*before, m) {
		res.Unchanged++
		return memberChange{}, true, nil
	}
	return memberChange{row: r.Row, before: before, after: m}, false, nil
}

// existingMembers loads the batch's ID numbers that are registered: the
// members inside the scope (decrypted, keyed by ID number), and the ID
// numbers of those outside it.
func (s *Store) existingMembers(ctx context.Context, t *store.Tx, sc store.Scope, rows []ImportMemberRow) (map[string]domain.Member, map[string]bool, error) {
	byIndex := map[string]string{}
	idx := make([]any, len(rows))
	for i, r := range rows {
		index := s.db.PII.Index(pii.KindIDNumber, registry.Deref(r.In.IDNumber))
		idx[i], byIndex[string(index)] = index, registry.Deref(r.In.IDNumber)
	}
	lo, hi := sc.Bounds()
	return store.LoadRegistered(ctx, t, idx, func(part []any) (string, []any) {
		return `SELECT ` + memberCols + memberFrom + ` WHERE m.id_number_index IN (` + store.Placeholders(len(part)) + `) AND ` + memberScope, append(append([]any{}, part...), lo, hi, lo, hi)
	}, func(r *sql.Rows) (string, domain.Member, error) {
		rec, err := s.scanMember(r)
		return rec.IDNumber, rec.Member, err
	}, `SELECT m.id, m.id_number_index, 0, NULL, NULL, '' FROM members m WHERE m.id_number_index IN `, func(k []byte) string { return byIndex[string(k)] })
}

func (s *Store) insertMembers(ctx context.Context, t *store.Tx, c store.Caller, cs []memberChange) error {
	byIndex := map[string]*memberChange{}
	for i := range cs {
		m := &cs[i].after
		m.CreatedAt, m.UpdatedAt, m.Version = c.Now, c.Now, 1
		byIndex[string(cs[i].sealed.IDIndex)] = &cs[i]
	}
	row := "(" + store.Placeholders(memberWriteN+1) + ", 1)"
	return store.Chunked(cs, func(part []memberChange) error {
		args := make([]any, 0, len(part)*(memberWriteN+1))
		for _, ch := range part {
			args = append(append(args, memberWriteArgs(ch.after, ch.sealed, c.Now)...), store.TS(c.Now))
		}
		return s.db.InsertReturning(ctx, t, `INSERT INTO members (`+memberWriteCols+`, created_at, version) VALUES `+store.RepeatRow(row, len(part))+` RETURNING id, id_number_index`,
			args, func(id int64, key []byte) { byIndex[string(key)].after.ID = id })
	}, store.InsertRows)
}
