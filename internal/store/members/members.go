package members

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
)

const memberCols = `m.id, m.name, m.gender, m.ethnicity, COALESCE(m.birth_date, ''), m.id_number_enc, m.phone_enc, m.education,
	m.joined_on, COALESCE(m.full_member_on, ''), m.status, m.standing, COALESCE(m.standing_on, ''), m.party_org_id, m.employer_id,
	m.job, m.post, m.key_post, m.mobile, m.mobile_place, m.gig_type, m.created_at, m.updated_at, m.version,
	COALESCE(mp.name, ''), COALESCE(e.name, ''), COALESCE(e.uscc, '')`

// A member is in a scope through the Party org holding the membership; a
// member held by no Party org (not under organizational management) is in
// the scope of their employer's area manager, so that somebody sees them.
const memberFrom = ` FROM members m
	LEFT JOIN party_orgs mp ON mp.id = m.party_org_id
	LEFT JOIN organizations e ON e.id = m.employer_id
	LEFT JOIN party_orgs eam ON eam.id = e.area_manager_id`

// Written as one id set built from two indexed lookups (members_party_org,
// members_employer) rather than as an OR, which both engines would answer
// by scanning every member.
const memberScope = `m.id IN (SELECT mm.id FROM members mm WHERE mm.party_org_id IN (SELECT id FROM party_orgs WHERE path >= ? AND path < ?)
	UNION ALL SELECT mm.id FROM members mm WHERE mm.party_org_id IS NULL AND mm.employer_id IN
	(SELECT o.id FROM organizations o JOIN party_orgs oam ON oam.id = o.area_manager_id WHERE oam.path >= ? AND oam.path < ?))`

// memberScopeRow is memberScope checked row by row, for queries that start
// from a few rows found by another index. It reads only the member's
// party_org_id and employer_id, which the name index carries, so that a
// count by name never visits the member rows themselves.
const memberScopeRow = `(EXISTS (SELECT 1 FROM party_orgs sp WHERE sp.id = m.party_org_id AND sp.path >= ? AND sp.path < ?)
	OR (m.party_org_id IS NULL AND EXISTS (SELECT 1 FROM organizations so JOIN party_orgs sp ON sp.id = so.area_manager_id
		WHERE so.id = m.employer_id AND sp.path >= ? AND sp.path < ?)))`

// memberCountFrom is memberFrom with only the joins f's conditions read:
// the others, left joins on primary keys, never change a count.
func memberCountFrom(f MemberFilter) string {
	if f.PartyOrgID != nil || f.Region != "" {
		return ` FROM members m LEFT JOIN party_orgs mp ON mp.id = m.party_org_id`
	}
	return ` FROM members m`
}

// memberAnywhere is memberScope for a scope holding the whole tree.
const memberAnywhere = `(m.party_org_id IS NOT NULL OR m.employer_id IS NOT NULL)`

// prefixEnd bounds a prefix range: no valid UTF-8 text continuing a prefix
// sorts above the prefix followed by the last code point, byte-wise.
const prefixEnd = "\U0010FFFF"

func (s *Store) scanMember(r interface{ Scan(...any) error }) (record, error) {
	var rec record
	m := &rec.Member
	var birth, full, standingOn, created, updated string
	var idEnc, phoneEnc []byte
	var org, employer sql.NullInt64
	var keyPost, mobile int
	err := r.Scan(&m.ID, &m.Name, &m.Gender, &m.Ethnicity, &birth, &idEnc, &phoneEnc, &m.Education,
		&m.JoinedOn, &full, &m.Status, &m.Standing, &standingOn, &org, &employer,
		&m.Job, &m.Post, &keyPost, &mobile, &m.MobilePlace, &m.GigType, &created, &updated, &m.Version,
		&rec.PartyOrgName, &rec.EmployerName, &rec.EmployerUSCC)
	if err != nil {
		return rec, err
	}
	m.BirthDate, m.FullMemberOn, m.StandingOn = domain.Date(birth), domain.Date(full), domain.Date(standingOn)
	if org.Valid {
		m.PartyOrgID = &org.Int64
	}
	if employer.Valid {
		m.EmployerID = &employer.Int64
	}
	m.KeyPost, m.Mobile = keyPost == 1, mobile == 1
	m.CreatedAt, m.UpdatedAt = store.ParseTS(created), store.ParseTS(updated)
	if m.IDNumber, err = s.db.PII.Decrypt(pii.KindIDNumber, idEnc); err != nil {
		return rec, err
	}
	if m.Phone, err = s.db.PII.Decrypt(pii.KindPhone, phoneEnc); err != nil {
		return rec, err
	}
	return rec, nil
}

// GetMember returns one member inside the scope, as shown.
func (s *Store) GetMember(ctx context.Context, sc store.Scope, id int64) (MemberView, error) {
	r, err := s.memberTx(ctx, s.db.Pool(), sc, id)
	if err != nil {
		return MemberView{}, err
	}
	return shown(r), nil
}

// MemberTx loads one member inside the scope in the caller's transaction,
// for the store's decisions (never to answer: see views.go).
func (s *Store) MemberTx(ctx context.Context, q store.Querier, sc store.Scope, id int64) (domain.Member, error) {
	r, err := s.memberTx(ctx, q, sc, id)
	return r.Member, err
}

func (s *Store) memberTx(ctx context.Context, q store.Querier, sc store.Scope, id int64) (record, error) {
	lo, hi := sc.Bounds()
	r, err := s.scanMember(q.QueryRow(ctx, `SELECT `+memberCols+memberFrom+` WHERE m.id = ? AND `+memberScope, id, lo, hi, lo, hi))
	if errors.Is(err, sql.ErrNoRows) {
		return r, domain.ErrNotFound
	}
	return r, err
}

// MemberFilter selects members.
type MemberFilter struct {
	// Q is the start of a name, the last four characters of an ID number, a
	// whole ID number or a phone number (exact, through the blind indexes).
	Q          string
	PartyOrgID *int64 // held by this Party org or its subtree
	// Region is a district or functional-zone code (its streets included)
	// or a street code, matched on the holding Party org's region.
	Region     string
	EmployerID *int64
	Status     string
	Standing   string
	GigType    string
	store.Page
}

// ListMembers returns a page of members inside the scope, as shown. A
// search by a whole ID number or phone is a lookup of personal data: the
// caller records it first (RecordLookup).
func (s *Store) ListMembers(ctx context.Context, sc store.Scope, f MemberFilter) ([]MemberView, int, error) {
	rs, total, err := s.listMembers(ctx, sc, f, false, 0)
	items := make([]MemberView, len(rs))
	for i, r := range rs {
		items[i] = shown(r)
	}
	return items, total, err
}

// EachMember streams the members inside the scope that match f (ignoring
// its paging) in id order, a batch at a time, as shown: for a masked export.
func (s *Store) EachMember(ctx context.Context, sc store.Scope, f MemberFilter, fn func(MemberView) error) error {
	return eachMember(ctx, s, sc, f, shown, fn)
}

// EachRevealedMember streams them as EachMember does with their personal
// data in plain text, for a plain export that the caller may make (the
// pii_exporter role) and audits.
func (s *Store) EachRevealedMember(ctx context.Context, sc store.Scope, f MemberFilter, fn func(RevealedMember) error) error {
	return eachMember(ctx, s, sc, f, revealed, fn)
}

func eachMember[V any](ctx context.Context, s *Store, sc store.Scope, f MemberFilter, as func(record) V, fn func(V) error) error {
	return store.EachByID(func(after int64) ([]record, error) {
		rs, _, err := s.listMembers(ctx, sc, f, true, after)
		return rs, err
	}, func(r record) int64 { return r.ID }, func(r record) error { return fn(as(r)) })
}

// listMembers lists a page; with keyset it reads the batch after the id
// `after` instead, which stays fast however far an export has got, and
// skips the count.
func (s *Store) listMembers(ctx context.Context, sc store.Scope, f MemberFilter, keyset bool, after int64) ([]record, int, error) {
	lo, hi := sc.Bounds()
	where := []string{memberScope}
	args := []any{lo, hi, lo, hi}
	// A name is a prefix range on the name index: few rows, already in the
	// page's order. Checking the scope row by row is then cheaper than
	// building the scope's whole id set first (for city staff, every member).
	whole, err := s.db.WholeTree(ctx, sc)
	if err != nil {
		return nil, 0, err
	}
	if whole {
		where[0], args = memberAnywhere, nil
	}
	byName := func(cond string, condArgs ...any) {
		if !whole {
			where[0] = memberScopeRow
		}
		where = append(where, cond)
		args = append(args, condArgs...)
	}
	if keyset {
		where = append(where, "m.id > ?")
		args = append(args, after)
	}
	switch q := domain.ParseMemberQuery(f.Q); q.Kind {
	case domain.MemberQueryIDNumber:
		where = append(where, "m.id_number_index = ?")
		args = append(args, s.db.PII.Index(pii.KindIDNumber, q.Value))
	case domain.MemberQueryPhone:
		where = append(where, "m.phone_index = ?")
		args = append(args, s.db.PII.Index(pii.KindPhone, q.Value))
	case domain.MemberQueryLast4:
		name := strings.TrimSpace(f.Q)
		byName("(m.id_number_last4 = ? OR "+s.db.D.Binary("m.name")+" >= ? AND "+s.db.D.Binary("m.name")+" < ?)",
			s.db.PII.IndexSuffix(pii.KindIDNumber, q.Value), name, name+prefixEnd)
	case domain.MemberQueryName:
		byName(s.db.D.Binary("m.name")+" >= ? AND "+s.db.D.Binary("m.name")+" < ?", q.Value, q.Value+prefixEnd)
	}
	if f.PartyOrgID != nil {
		where = append(where, "mp.path >= (SELECT path FROM party_orgs WHERE id = ?) AND mp.path < (SELECT "+store.PathUpper("path")+" FROM party_orgs WHERE id = ?)")
		args = append(args, *f.PartyOrgID, *f.PartyOrgID)
	}
	if f.Region != "" {
		where = append(where, "mp.region_code IN (SELECT code FROM regions WHERE code = ? OR parent_code = ? OR functional_zone_code = ?)")
		args = append(args, f.Region, f.Region, f.Region)
	}
	if f.EmployerID != nil {
		where = append(where, "m.employer_id = ?")
		args = append(args, *f.EmployerID)
	}
	for _, eq := range []struct{ col, v string }{{"m.status", f.Status}, {"m.standing", f.Standing}, {"m.gig_type", f.GigType}} {
		if eq.v != "" {
			where = append(where, eq.col+" = ?")
			args = append(args, eq.v)
		}
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	order, limit, offset := s.db.D.Binary("m.name")+", m.id", f.Limit(), f.Offset()
	if keyset {
		order, limit, offset = "m.id", store.MaxPageSize, 0
	} else if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+memberCountFrom(f)+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+memberCols+memberFrom+cond+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []record{}
	for rows.Next() {
		r, err := s.scanMember(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// memberWriteCols are the columns a save writes, in the order of memberWriteArgs.
const memberWriteCols = `name, gender, ethnicity, birth_date, id_number_enc, id_number_index, id_number_last4,
	phone_enc, phone_index, education, joined_on, full_member_on, status, standing, standing_on, party_org_id, employer_id,
	job, post, key_post, mobile, mobile_place, gig_type, updated_at`

var (
	memberWriteN = store.CountCols(memberWriteCols)
	// A member held by another Party org leaves the old one's 党小组 (the
	// SET's right-hand sides read the row as it was).
	memberUpdate = `UPDATE members SET party_group_id = CASE WHEN party_org_id = ? THEN party_group_id END, ` + store.SetClause(memberWriteCols) + `, version = ? WHERE id = ?`
)

func memberWriteArgs(m domain.Member, sealed SealedMember, now time.Time) []any {
	return []any{m.Name, m.Gender, m.Ethnicity, store.NullStr(string(m.BirthDate)), sealed.IDEnc, sealed.IDIndex, sealed.Last4, sealed.PhoneEnc, sealed.PhoneIndex,
		m.Education, string(m.JoinedOn), store.NullStr(string(m.FullMemberOn)), m.Status, m.Standing, store.NullStr(string(m.StandingOn)),
		m.PartyOrgID, m.EmployerID, m.Job, m.Post, store.BoolInt(m.KeyPost), store.BoolInt(m.Mobile), m.MobilePlace, m.GigType, store.TS(now)}
}

// memberChanged compares two states of a member as the history records them,
// plus the plain personal data that the history only shows masked.
func memberChanged(before, after domain.Member) bool {
	return len(store.Diff(recorded(before), recorded(after))) != 0 || before.IDNumber != after.IDNumber || before.Phone != after.Phone
}

// SaveMember creates (id 0) or edits a member inside the scope. The Party
// org holding the membership and the employer must be inside the scope too.
//
// An ID number new to the member is a lookup of personal data when it is
// found registered already (409, audited as such): the account's lookups
// are limited per minute (429), and the answer says no more than that the
// number is registered, not where.
func (s *Store) SaveMember(ctx context.Context, c store.Caller, id int64, in domain.MemberInput) (domain.Member, error) {
	var m domain.Member
	var refused error // a conflict or a refusal whose audit record commits
	err := s.db.Write(ctx, func(t *store.Tx) error {
		var before *domain.Member
		if id == 0 {
			m = domain.NewMember(in)
		} else {
			b, err := s.MemberTx(ctx, t, c.Scope, id)
			if err != nil {
				return err
			}
			if in.Version != nil && *in.Version != b.Version {
				return &domain.ConflictError{Field: "version", Message: "该党员信息已被他人修改，请刷新后重试"}
			}
			before, m = &b, b
			if err := in.CheckEdit(b); err != nil {
				return err
			}
			in.Apply(&m)
		}
		if err := m.Validate(c.Now); err != nil {
			return err
		}
		if err := s.checkMemberRefs(ctx, t, c.Scope, &m, before); err != nil {
			return err
		}
		// Every save that carries an ID number is an exact lookup, counted
		// and audited whether or not the number is the stored one: else a
		// PATCH answering 429 for a wrong guess and 200 for the right one
		// would confirm a masked number once the limit is used up.
		if before == nil || in.IDNumber != nil {
			var err error
			if refused, err = s.checkDuplicateID(ctx, t, c, m); err != nil || refused != nil {
				return err
			}
		}
		sealed, err := s.Seal(m)
		if err != nil {
			return err
		}
		args := memberWriteArgs(m, sealed, c.Now)
		action := audit.ActionCreate
		if before == nil {
			m.CreatedAt, m.UpdatedAt, m.Version = c.Now, c.Now, 1
			err = t.QueryRow(ctx, `INSERT INTO members (`+memberWriteCols+`, created_at, version) VALUES (`+store.Placeholders(memberWriteN+1)+`, 1) RETURNING id`,
				append(args, store.TS(c.Now))...).Scan(&m.ID)
		} else {
			action = audit.ActionUpdate
			if !memberChanged(*before, m) {
				return nil
			}
			m.UpdatedAt, m.Version = c.Now, before.Version+1
			_, err = t.Exec(ctx, memberUpdate, append(append([]any{m.PartyOrgID}, args...), m.Version, m.ID)...)
		}
		if store.IsUniqueViolation(err) { // registered meanwhile by another transaction
			return &domain.ConflictError{Field: "id_number", Message: domain.DuplicateIDMessage}
		}
		if err != nil {
			return err
		}
		// The history and the trail record the member masked (memberState).
		prev := memberState{}
		var auditBefore any
		if before != nil {
			prev = recorded(*before)
			auditBefore = prev
		}
		after := recorded(m)
		if err := s.db.AddHistory(ctx, t, c, "member", m.ID, action, prev, after); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, action, "member", store.Itoa64(m.ID), audit.ResultSuccess).WithStates(auditBefore, after))
	})
	if err == nil {
		err = refused
	}
	return m, err
}

// checkDuplicateID looks up m's ID number among the other members, as a
// lookup of personal data: refused beyond the account's limit, and audited
// when found. It answers the conflict (or the refusal) for the caller to
// return once this transaction has committed its audit record.
func (s *Store) checkDuplicateID(ctx context.Context, t *store.Tx, c store.Caller, m domain.Member) (error, error) {
	if refused, err := s.lookupGate(ctx, t, c, "登记或修改党员"); err != nil || refused != nil {
		return refused, err
	}
	lo, hi := c.Scope.Bounds()
	var other int64
	var inScope int
	err := t.QueryRow(ctx, `SELECT m.id, CASE WHEN `+memberScope+` THEN 1 ELSE 0 END FROM members m WHERE m.id_number_index = ? AND m.id <> ?`,
		lo, hi, lo, hi, s.db.PII.Index(pii.KindIDNumber, m.IDNumber), m.ID).Scan(&other, &inScope)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if c.Actor.UserID == 0 && !found {
		return nil, nil // the system's own saves are neither limited nor a lookup
	}
	q := domain.MemberQuery{Kind: domain.MemberQueryIDNumber, Value: m.IDNumber}
	reason := "登记或修改党员，核对身份证号"
	if found {
		reason = "登记党员，号码已登记"
	}
	if err := s.db.AppendAudit(ctx, t, lookupEvent(c, q, audit.ResultSuccess, reason)); err != nil {
		return nil, err
	}
	if !found {
		return nil, nil
	}
	msg := domain.DuplicateIDMessage
	if inScope == 1 {
		msg = domain.DuplicateIDInScopeMessage
	}
	return &domain.ConflictError{Field: "id_number", Message: msg}, nil
}

func (s *Store) checkMemberRefs(ctx context.Context, t *store.Tx, sc store.Scope, m *domain.Member, before *domain.Member) error {
	v := &domain.ValidationError{}
	if m.PartyOrgID != nil && (before == nil || before.PartyOrgID == nil || *before.PartyOrgID != *m.PartyOrgID) {
		p, err := s.registry.GetPartyOrgTx(ctx, t, sc, *m.PartyOrgID)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			v.Add("party_org_id", "所选党组织不存在或不在您的管理范围内")
		case err != nil:
			return err
		case p.Status != domain.StatusActive:
			v.Add("party_org_id", "所选党组织已撤销")
		}
	}
	if m.EmployerID != nil && (before == nil || before.EmployerID == nil || *before.EmployerID != *m.EmployerID) {
		if _, err := registry.GetOrganization(ctx, t, sc, *m.EmployerID); errors.Is(err, domain.ErrNotFound) {
			v.Add("employer_id", "所选工作单位不存在或不在您的管理范围内")
		} else if err != nil {
			return err
		}
	}
	if err := v.Merge(domain.CheckPartyOrgOrEmployer(m.PartyOrgID != nil, m.EmployerID != nil)); err != nil {
		return err
	}
	return v.Err()
}

// RevealMember returns a member's ID number and phone in plain text, with
// the birth date and every date, and records who saw them (个人信息保护法:
// every reveal is audited).
func (s *Store) RevealMember(ctx context.Context, c store.Caller, id int64) (RevealedMember, error) {
	var r record
	err := s.db.Write(ctx, func(t *store.Tx) error {
		var err error
		if r, err = s.memberTx(ctx, t, c.Scope, id); err != nil {
			return err
		}
		e := audit.New(c.Now, c.Actor, audit.ActionReveal, "member", store.Itoa64(id), audit.ResultSuccess)
		e.Reason = "查看公民身份号码与手机号码明文"
		return s.db.AppendAudit(ctx, t, e)
	})
	if err != nil {
		return RevealedMember{}, err
	}
	return revealed(r), nil
}

// MemberHistory returns a member's changes (masked), newest first, as
// shown: entries recorded before birth dates were left out of the history
// lose theirs on reading, and dates too early to show are left out.
func (s *Store) MemberHistory(ctx context.Context, sc store.Scope, id int64) ([]store.HistoryEntry, error) {
	if _, err := s.GetMember(ctx, sc, id); err != nil {
		return nil, err
	}
	hs, err := s.db.History(ctx, "member", id)
	for _, h := range hs {
		for field, ch := range h.Changes {
			if hiddenMemberField(field) || withheldChange(field, ch) {
				delete(h.Changes, field)
			}
		}
	}
	return hs, err
}

// hiddenMemberField: personal data a member's history or audit state no
// longer shows (the birth date and anything derived from it).
func hiddenMemberField(field string) bool { return field == "birth_date" || field == "age" }

// withheldChange reports a change of a member's date either side of which is
// too early to show (domain.DateWithheld).
func withheldChange(field string, ch store.Change) bool {
	switch field {
	case "joined_on", "full_member_on", "standing_on":
	default:
		return false
	}
	for _, v := range []any{ch.From, ch.To} { // as decoded from the stored JSON
		if d, ok := v.(string); ok && domain.DateWithheld(domain.Date(d)) {
			return true
		}
	}
	return false
}

// sealedMember is a member's personal data as stored: ciphertexts and
// blind indexes, never the plain values.
type SealedMember struct{ IDEnc, IDIndex, Last4, PhoneEnc, PhoneIndex []byte }

func (s *Store) Seal(m domain.Member) (SealedMember, error) {
	idEnc, err := s.db.PII.Encrypt(pii.KindIDNumber, m.IDNumber)
	if err != nil {
		return SealedMember{}, err
	}
	phoneEnc, err := s.db.PII.Encrypt(pii.KindPhone, m.Phone)
	if err != nil {
		return SealedMember{}, err
	}
	return SealedMember{idEnc, s.db.PII.Index(pii.KindIDNumber, m.IDNumber), s.db.PII.IndexSuffix(pii.KindIDNumber, m.IDNumber[len(m.IDNumber)-4:]),
		phoneEnc, s.db.PII.Index(pii.KindPhone, m.Phone)}, nil
}
