package filings

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/lianxin/lianxin/internal/domain/filing"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// 书记就任/离任备案. A filing is seen and changed by the staff whose scope holds
// its Party org; it is decided (approved or returned) only by the staff of
// a node strictly above the org (filing.CanDecide). On approval the org's
// secretary changes in the same transaction, with its history and audit.

// Audit actions and history actions of filings, elections and terms.
const (
	actionSubmit          = audit.ActionSubmit
	actionApprove         = audit.ActionApprove
	actionReturn          = audit.ActionReturn
	actionWithdraw        = audit.ActionWithdraw
	historySecretaryFiled = "secretary_filing"
	historyElection       = "election"
	historyTerm           = "term"
	historyTermChange     = "term_change"
)

// SecretaryFiling is a filing as the API shows it.
type SecretaryFiling struct {
	ID              int64       `json:"id"`
	PartyOrgID      int64       `json:"party_org_id"`
	PartyOrgName    string      `json:"party_org_name"`
	ParentID        *int64      `json:"parent_id"`
	ParentName      string      `json:"parent_name"`
	Kind            string      `json:"kind"`
	KindName        string      `json:"kind_name"`
	MemberID        *int64      `json:"member_id"`
	PersonName      string      `json:"person_name"`
	EffectiveOn     domain.Date `json:"effective_on"`
	Method          string      `json:"method"`
	MethodName      string      `json:"method_name"`
	MeetingOn       domain.Date `json:"meeting_on"`
	MeetingRecord   string      `json:"meeting_record"`
	Reason          string      `json:"reason"`
	ReasonName      string      `json:"reason_name"`
	ReasonNote      string      `json:"reason_note"`
	Status          string      `json:"status"`
	StatusName      string      `json:"status_name"`
	SubmittedAt     time.Time   `json:"submitted_at"`
	SubmittedBy     *int64      `json:"submitted_by"`
	SubmittedByName string      `json:"submitted_by_name"`
	DecidedAt       *time.Time  `json:"decided_at"`
	DecidedBy       *int64      `json:"decided_by"`
	DecidedByName   string      `json:"decided_by_name"`
	DecisionNote    string      `json:"decision_note"`
	// CanDecide: the caller may approve or return it now.
	CanDecide bool      `json:"can_decide"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
	path      string
}

const filingCols = `f.id, f.party_org_id, p.name, p.parent_id, COALESCE(pp.name, ''), f.kind, f.member_id, f.person_name, f.effective_on,
	f.method, COALESCE(f.meeting_on, ''), f.meeting_record, f.reason, f.reason_note, f.status, f.submitted_at, f.submitted_by,
	COALESCE(su.display_name, ''), f.decided_at, f.decided_by, COALESCE(du.display_name, ''), f.decision_note,
	f.created_at, f.updated_at, f.version, p.path`

const filingFrom = ` FROM secretary_filings f JOIN party_orgs p ON p.id = f.party_org_id
	LEFT JOIN party_orgs pp ON pp.id = p.parent_id
	LEFT JOIN users su ON su.id = f.submitted_by LEFT JOIN users du ON du.id = f.decided_by`

func scanFiling(r interface{ Scan(...any) error }, sc store.Scope) (SecretaryFiling, error) {
	var f SecretaryFiling
	var parent, member, subBy, decBy sql.NullInt64
	var effective, meeting, submitted, created, updated string
	var decided sql.NullString
	err := r.Scan(&f.ID, &f.PartyOrgID, &f.PartyOrgName, &parent, &f.ParentName, &f.Kind, &member, &f.PersonName, &effective,
		&f.Method, &meeting, &f.MeetingRecord, &f.Reason, &f.ReasonNote, &f.Status, &submitted, &subBy,
		&f.SubmittedByName, &decided, &decBy, &f.DecidedByName, &f.DecisionNote, &created, &updated, &f.Version, &f.path)
	if err != nil {
		return f, err
	}
	f.ParentID, f.MemberID, f.SubmittedBy, f.DecidedBy = int64Ptr(parent), int64Ptr(member), int64Ptr(subBy), int64Ptr(decBy)
	f.EffectiveOn, f.MeetingOn = domain.Date(effective), domain.Date(meeting)
	f.SubmittedAt, f.DecidedAt, f.CreatedAt, f.UpdatedAt = store.ParseTS(submitted), store.ParseTSPtr(decided), store.ParseTS(created), store.ParseTS(updated)
	f.KindName, f.MethodName = filing.FilingKinds.Name(f.Kind), filing.SecretaryMethods.Name(f.Method)
	f.ReasonName, f.StatusName = filing.DepartureReasons.Name(f.Reason), filing.RequestStatuses.Name(f.Status)
	f.CanDecide = f.Status == filing.RequestPending && filing.CanDecide(sc.Path, f.path)
	return f, nil
}

func int64Ptr(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	x := v.Int64
	return &x
}

// ptrArg passes an optional id to SQL (NULL for nil).
func ptrArg(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// GetSecretaryFiling returns a filing whose Party org lies in the scope.
func (s *Store) GetSecretaryFiling(ctx context.Context, sc store.Scope, id int64) (SecretaryFiling, error) {
	return s.getFiling(ctx, s.db.Pool(), sc, id)
}

func (s *Store) getFiling(ctx context.Context, q store.Querier, sc store.Scope, id int64) (SecretaryFiling, error) {
	lo, hi := sc.Bounds()
	f, err := scanFiling(q.QueryRow(ctx, `SELECT `+filingCols+filingFrom+` WHERE f.id = ? AND p.path >= ? AND p.path < ?`, id, lo, hi), sc)
	if errors.Is(err, sql.ErrNoRows) {
		return f, domain.ErrNotFound
	}
	return f, err
}

// RequestFilter selects filings or term changes.
type RequestFilter struct {
	PartyOrgID int64
	Status     string
	Kind       string
	// ToApprove: pending requests of orgs strictly below the caller's node,
	// the ones the caller may decide; oldest first.
	ToApprove bool
	// WaitingOn: pending requests of the orgs directly under this Party org,
	// the ones waiting on its staff (待办); oldest first.
	WaitingOn int64
	Page      store.Page
}

// requestWhere is the scope and filter conditions shared by the lists of
// filings and term changes (alias for the request, p for its org), and
// whether they read p. The whole tree's lists need no scope condition:
// their count then reads the requests alone.
func (s *Store) requestWhere(ctx context.Context, sc store.Scope, f RequestFilter, alias string) (string, []any, bool, error) {
	var conds []string
	var args []any
	joinOrg := false
	whole, err := s.db.WholeTree(ctx, sc)
	if err != nil {
		return "", nil, false, err
	}
	if !whole {
		lo, hi := sc.Bounds()
		conds, args, joinOrg = append(conds, "p.path >= ? AND p.path < ?"), append(args, lo, hi), true
	}
	if f.PartyOrgID > 0 {
		conds = append(conds, alias+".party_org_id = ?")
		args = append(args, f.PartyOrgID)
	}
	switch {
	case f.ToApprove:
		conds = append(conds, alias+".status = ? AND "+alias+".party_org_id NOT IN (SELECT id FROM party_orgs WHERE path = ?)")
		args = append(args, filing.RequestPending, sc.Path)
	case f.WaitingOn > 0:
		conds = append(conds, alias+".status = ? AND p.parent_id = ?")
		args, joinOrg = append(args, filing.RequestPending, f.WaitingOn), true
	case f.Status != "":
		conds = append(conds, alias+".status = ?")
		args = append(args, f.Status)
	}
	if f.Kind != "" {
		conds = append(conds, alias+".kind = ?")
		args = append(args, f.Kind)
	}
	return store.WhereClause(conds), args, joinOrg, nil
}

// ListSecretaryFilings lists the filings of orgs in the scope.
func (s *Store) ListSecretaryFilings(ctx context.Context, sc store.Scope, f RequestFilter) ([]SecretaryFiling, int, error) {
	where, args, joinOrg, err := s.requestWhere(ctx, sc, f, "f")
	if err != nil {
		return nil, 0, err
	}
	from := ` FROM secretary_filings f`
	if joinOrg {
		from += ` JOIN party_orgs p ON p.id = f.party_org_id`
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+from+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := ` ORDER BY f.id DESC`
	if f.ToApprove || f.WaitingOn > 0 {
		order = ` ORDER BY f.submitted_at, f.id`
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+filingCols+filingFrom+where+order+` LIMIT ? OFFSET ?`, append(args, f.Page.Limit(), f.Page.Offset())...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []SecretaryFiling{}
	for rows.Next() {
		v, err := scanFiling(rows, sc)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// filingOrg reads and locks the filing's org inside the scope: a reference
// to an org outside the scope is a field error naming it.
func (s *Store) filingOrg(ctx context.Context, t *store.Tx, sc store.Scope, id int64) (domain.PartyOrg, error) {
	if id <= 0 {
		return domain.PartyOrg{}, domain.FieldError("party_org_id", "请选择党组织")
	}
	o, err := s.registry.GetPartyOrgTx(ctx, t, sc, id)
	if errors.Is(err, domain.ErrNotFound) {
		return o, domain.FieldError("party_org_id", "党组织不存在或不在您的管理范围内")
	}
	if err != nil {
		return o, err
	}
	if o.Status != domain.StatusActive {
		return o, domain.FieldError("party_org_id", "该党组织已撤销")
	}
	return o, nil
}

// candidate reads a member and checks that they may hold a post of the org;
// it returns the member's name.
func (s *Store) candidate(ctx context.Context, q store.Querier, field string, memberID, orgID int64) (string, error) {
	var name, status, standing string
	var org sql.NullInt64
	err := q.QueryRow(ctx, `SELECT name, status, standing, party_org_id FROM members WHERE id = ?`, memberID).Scan(&name, &status, &standing, &org)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	if err := filing.CheckSecretaryCandidate(field, err == nil, status, standing, int64Ptr(org), orgID); err != nil {
		return "", err
	}
	return name, nil
}

// checkFiling validates a filing against its org and fills the person.
func (s *Store) checkFiling(ctx context.Context, t *store.Tx, c store.Caller, o domain.PartyOrg, in *filing.SecretaryFilingInput, exceptID int64) (string, error) {
	if err := in.Validate(o.FoundedOn, c.Now); err != nil {
		return "", err
	}
	var person string
	switch in.Kind {
	case filing.FilingAppointment:
		name, err := s.candidate(ctx, t, "member_id", *in.MemberID, o.ID)
		if err != nil {
			return "", err
		}
		if o.SecretaryMemberID != nil && *o.SecretaryMemberID == *in.MemberID && o.SecretaryUnfiledSince == "" {
			return "", domain.FieldError("member_id", "该党员已是本党组织书记")
		}
		person = name
	case filing.FilingDeparture:
		if o.SecretaryName == "" {
			return "", domain.FieldError("kind", "该党组织目前没有书记，无需离任备案")
		}
		if in.MemberID != nil && *in.MemberID > 0 && o.SecretaryMemberID != nil && *in.MemberID != *o.SecretaryMemberID {
			return "", domain.FieldError("member_id", "离任备案只能为现任书记（"+o.SecretaryName+"）办理")
		}
		in.MemberID = o.SecretaryMemberID
		person = o.SecretaryName
		if in.EffectiveOn < string(o.SecretarySince) {
			return "", domain.FieldError("effective_on", "离任日期不能早于其任职日期（"+string(o.SecretarySince)+"）")
		}
	}
	var pending int
	if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM secretary_filings WHERE party_org_id = ? AND kind = ? AND status = ? AND id <> ?`,
		o.ID, in.Kind, filing.RequestPending, exceptID).Scan(&pending); err != nil {
		return "", err
	}
	if pending > 0 {
		return "", &domain.ConflictError{Field: "kind", Message: "该党组织已有一份待审批的" + filing.FilingKinds.Name(in.Kind) + "，请等待上级审批或撤回后再提交"}
	}
	return person, nil
}

// CreateSecretaryFiling files a new secretary or a departure with the
// superior Party org.
func (s *Store) CreateSecretaryFiling(ctx context.Context, c store.Caller, in filing.SecretaryFilingInput) (SecretaryFiling, error) {
	var id int64
	err := s.db.Write(ctx, func(t *store.Tx) error {
		o, err := s.filingOrg(ctx, t, c.Scope, in.PartyOrgID)
		if err != nil {
			return err
		}
		id, err = s.insertFiling(ctx, t, c, o, &in)
		return err
	})
	if err != nil {
		return SecretaryFiling{}, err
	}
	return s.GetSecretaryFiling(ctx, c.Scope, id)
}

func (s *Store) insertFiling(ctx context.Context, t *store.Tx, c store.Caller, o domain.PartyOrg, in *filing.SecretaryFilingInput) (int64, error) {
	person, err := s.checkFiling(ctx, t, c, o, in, 0)
	if err != nil {
		return 0, err
	}
	var id int64
	now := store.TS(c.Now)
	if err := t.QueryRow(ctx, `INSERT INTO secretary_filings (party_org_id, kind, member_id, person_name, effective_on, method, meeting_on, meeting_record,
		reason, reason_note, status, submitted_at, submitted_by, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		o.ID, in.Kind, ptrArg(in.MemberID), person, in.EffectiveOn, in.Method, store.NullStr(in.MeetingOn), in.MeetingRecord,
		in.Reason, in.ReasonNote, filing.RequestPending, now, store.NullInt(c.Actor.UserID), now, now).Scan(&id); err != nil {
		return 0, err
	}
	rec := filingRecord{OrgID: o.ID, Kind: in.Kind, MemberID: in.MemberID, PersonName: person, EffectiveOn: in.EffectiveOn,
		Method: in.Method, MeetingOn: in.MeetingOn, Reason: in.Reason, ReasonNote: in.ReasonNote, Status: filing.RequestPending}
	return id, s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, actionSubmit, "secretary_filing", store.Itoa64(id), audit.ResultSuccess).WithStates(nil, rec))
}

// filingRecord is what the audit trail keeps of a filing.
type filingRecord struct {
	OrgID        int64  `json:"party_org_id"`
	Kind         string `json:"kind"`
	MemberID     *int64 `json:"member_id"`
	PersonName   string `json:"person_name"`
	EffectiveOn  string `json:"effective_on"`
	Method       string `json:"method,omitempty"`
	MeetingOn    string `json:"meeting_on,omitempty"`
	Reason       string `json:"reason,omitempty"`
	ReasonNote   string `json:"reason_note,omitempty"`
	Status       string `json:"status"`
	DecisionNote string `json:"decision_note,omitempty"`
}

func recordOf(f SecretaryFiling) filingRecord {
	return filingRecord{OrgID: f.PartyOrgID, Kind: f.Kind, MemberID: f.MemberID, PersonName: f.PersonName, EffectiveOn: string(f.EffectiveOn),
		Method: f.Method, MeetingOn: string(f.MeetingOn), Reason: f.Reason, ReasonNote: f.ReasonNote, Status: f.Status, DecisionNote: f.DecisionNote}
}

// lockFiling reads a filing in scope inside a write, locking its org row
// (which serializes every decision and edit of the org's filings).
func (s *Store) lockFiling(ctx context.Context, t *store.Tx, sc store.Scope, id int64) (SecretaryFiling, domain.PartyOrg, error) {
	f, err := s.getFiling(ctx, t, sc, id)
	if err != nil {
		return f, domain.PartyOrg{}, err
	}
	o, err := s.registry.GetPartyOrgTx(ctx, t, sc, f.PartyOrgID)
	return f, o, err
}

// ResubmitSecretaryFiling edits a returned (or still pending) filing and
// submits it again; the kind and the org stay.
func (s *Store) ResubmitSecretaryFiling(ctx context.Context, c store.Caller, id int64, in filing.SecretaryFilingInput) (SecretaryFiling, error) {
	err := s.db.Write(ctx, func(t *store.Tx) error {
		f, o, err := s.lockFiling(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if in.Version != nil && *in.Version != f.Version {
			return &domain.ConflictError{Field: "version", Message: "该备案已被他人修改，请刷新后重试"}
		}
		next, err := filing.SecretaryFilings.Transition(f.Status, filing.RequestResubmit)
		if err != nil {
			return err
		}
		if o.Status != domain.StatusActive {
			return domain.FieldError("party_org_id", "该党组织已撤销")
		}
		in.PartyOrgID, in.Kind = f.PartyOrgID, f.Kind
		person, err := s.checkFiling(ctx, t, c, o, &in, f.ID)
		if err != nil {
			return err
		}
		now := store.TS(c.Now)
		if _, err := t.Exec(ctx, `UPDATE secretary_filings SET member_id = ?, person_name = ?, effective_on = ?, method = ?, meeting_on = ?, meeting_record = ?,
			reason = ?, reason_note = ?, status = ?, submitted_at = ?, submitted_by = ?, decided_at = NULL, decided_by = NULL, updated_at = ?, version = version + 1 WHERE id = ?`,
			ptrArg(in.MemberID), person, in.EffectiveOn, in.Method, store.NullStr(in.MeetingOn), in.MeetingRecord,
			in.Reason, in.ReasonNote, next, now, store.NullInt(c.Actor.UserID), now, f.ID); err != nil {
			return err
		}
		after := filingRecord{OrgID: o.ID, Kind: f.Kind, MemberID: in.MemberID, PersonName: person, EffectiveOn: in.EffectiveOn,
			Method: in.Method, MeetingOn: in.MeetingOn, Reason: in.Reason, ReasonNote: in.ReasonNote, Status: next}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, actionSubmit, "secretary_filing", store.Itoa64(f.ID), audit.ResultSuccess).WithStates(recordOf(f), after))
	})
	if err != nil {
		return SecretaryFiling{}, err
	}
	return s.GetSecretaryFiling(ctx, c.Scope, id)
}

// WithdrawSecretaryFiling withdraws a pending or returned filing.
func (s *Store) WithdrawSecretaryFiling(ctx context.Context, c store.Caller, id int64) (SecretaryFiling, error) {
	err := s.db.Write(ctx, func(t *store.Tx) error {
		f, _, err := s.lockFiling(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		next, err := filing.SecretaryFilings.Transition(f.Status, filing.RequestWithdraw)
		if err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `UPDATE secretary_filings SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			next, store.TS(c.Now), f.ID); err != nil {
			return err
		}
		after := recordOf(f)
		after.Status = next
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, actionWithdraw, "secretary_filing", store.Itoa64(f.ID), audit.ResultSuccess).WithStates(recordOf(f), after))
	})
	if err != nil {
		return SecretaryFiling{}, err
	}
	return s.GetSecretaryFiling(ctx, c.Scope, id)
}

// mayDecide refuses a decision by anyone but the superior Party org's staff
// (or staff above it).
func mayDecide(sc store.Scope, orgPath, parentName, what string) error {
	if filing.CanDecide(sc.Path, orgPath) {
		return nil
	}
	if parentName == "" {
		parentName = "上级党组织"
	}
	return &domain.ForbiddenError{Message: "只有上级党组织（" + parentName + "）或更上级可以审批该" + what}
}

// ReturnSecretaryFiling sends a pending filing back to the org with a reason.
func (s *Store) ReturnSecretaryFiling(ctx context.Context, c store.Caller, id int64, d filing.DecisionInput) (SecretaryFiling, error) {
	err := s.db.Write(ctx, func(t *store.Tx) error {
		f, _, err := s.lockFiling(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if err := mayDecide(c.Scope, f.path, f.ParentName, "备案"); err != nil {
			return err
		}
		next, err := filing.SecretaryFilings.Transition(f.Status, filing.RequestReturn)
		if err != nil {
			return err
		}
		if err := d.ValidateReturn(); err != nil {
			return err
		}
		now := store.TS(c.Now)
		if _, err := t.Exec(ctx, `UPDATE secretary_filings SET status = ?, decided_at = ?, decided_by = ?, decision_note = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			next, now, store.NullInt(c.Actor.UserID), d.Reason, now, f.ID); err != nil {
			return err
		}
		after := recordOf(f)
		after.Status, after.DecisionNote = next, d.Reason
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, actionReturn, "secretary_filing", store.Itoa64(f.ID), audit.ResultSuccess).WithStates(recordOf(f), after))
	})
	if err != nil {
		return SecretaryFiling{}, err
	}
	return s.GetSecretaryFiling(ctx, c.Scope, id)
}

// ApproveSecretaryFiling approves a pending filing and changes the org's
// secretary accordingly, with the org's history and both audit records.
func (s *Store) ApproveSecretaryFiling(ctx context.Context, c store.Caller, id int64, d filing.DecisionInput) (SecretaryFiling, error) {
	err := s.db.Write(ctx, func(t *store.Tx) error {
		f, before, err := s.lockFiling(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if err := mayDecide(c.Scope, f.path, f.ParentName, "备案"); err != nil {
			return err
		}
		next, err := filing.SecretaryFilings.Transition(f.Status, filing.RequestApprove)
		if err != nil {
			return err
		}
		if err := d.ValidateApprove(); err != nil {
			return err
		}
		if before.Status != domain.StatusActive {
			return &domain.ConflictError{Field: "party_org_id", Message: "该党组织已撤销，请退回该备案"}
		}
		o := before
		switch f.Kind {
		case filing.FilingAppointment:
			if _, err := s.candidate(ctx, t, "member_id", derefID(f.MemberID), o.ID); err != nil {
				return &domain.ConflictError{Field: "member_id", Message: f.PersonName + "现已不是本党组织的正式党员，请退回该备案"}
			}
			o.SecretaryMemberID, o.SecretaryName, o.SecretarySince = f.MemberID, f.PersonName, f.EffectiveOn
			o.SecretaryVacantSince, o.SecretaryUnfiledSince = "", ""
		case filing.FilingDeparture:
			if o.SecretaryName == "" {
				return &domain.ConflictError{Field: "kind", Message: "该党组织目前已没有书记，请退回该备案"}
			}
			if o.SecretaryName != f.PersonName || f.MemberID != nil && o.SecretaryMemberID != nil && *f.MemberID != *o.SecretaryMemberID {
				return &domain.ConflictError{Field: "member_id", Message: "书记已变更为" + o.SecretaryName + "，请退回该备案"}
			}
			o.SecretaryMemberID, o.SecretaryName, o.SecretarySince = nil, "", ""
			o.SecretaryVacantSince, o.SecretaryUnfiledSince = f.EffectiveOn, ""
		}
		o.UpdatedAt, o.Version = c.Now, before.Version+1
		if _, err := t.Exec(ctx, `UPDATE party_orgs SET secretary_member_id = ?, secretary_name = ?, secretary_since = ?, secretary_vacant_since = ?,
			secretary_unfiled_since = ?, updated_at = ?, version = ? WHERE id = ?`,
			ptrArg(o.SecretaryMemberID), o.SecretaryName, store.NullStr(string(o.SecretarySince)), store.NullStr(string(o.SecretaryVacantSince)),
			store.NullStr(string(o.SecretaryUnfiledSince)), store.TS(c.Now), o.Version, o.ID); err != nil {
			return err
		}
		now := store.TS(c.Now)
		if _, err := t.Exec(ctx, `UPDATE secretary_filings SET status = ?, decided_at = ?, decided_by = ?, decision_note = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			next, now, store.NullInt(c.Actor.UserID), d.Note, now, f.ID); err != nil {
			return err
		}
		if err := s.db.AddHistory(ctx, t, c, "party_org", o.ID, historySecretaryFiled, before, o); err != nil {
			return err
		}
		if err := s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUpdate, "party_org", store.Itoa64(o.ID), audit.ResultSuccess).WithStates(before, o)); err != nil {
			return err
		}
		after := recordOf(f)
		after.Status, after.DecisionNote = next, d.Note
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, actionApprove, "secretary_filing", store.Itoa64(f.ID), audit.ResultSuccess).WithStates(recordOf(f), after))
	})
	if err != nil {
		return SecretaryFiling{}, err
	}
	return s.GetSecretaryFiling(ctx, c.Scope, id)
}

func derefID(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// FilingTodo counts the requests waiting on the staff of a Party org:
// filings and term changes of the orgs directly under it to decide, and
// its own requests returned to resubmit or withdraw.
type FilingTodo struct {
	FilingsToApprove int `json:"filings_to_approve"`
	ChangesToApprove int `json:"changes_to_approve"`
	Returned         int `json:"returned"`
}

// FilingTodo counts what waits on the staff of node: each count reads the
// requests of a few orgs through their org index.
func (s *Store) FilingTodo(ctx context.Context, node int64) (FilingTodo, error) {
	var out FilingTodo
	err := s.db.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM secretary_filings f JOIN party_orgs p ON p.id = f.party_org_id WHERE p.parent_id = ? AND f.status = ?),
		(SELECT COUNT(*) FROM term_changes r JOIN party_orgs p ON p.id = r.party_org_id WHERE p.parent_id = ? AND r.status = ?),
		(SELECT COUNT(*) FROM secretary_filings WHERE party_org_id = ? AND status = ?) + (SELECT COUNT(*) FROM term_changes WHERE party_org_id = ? AND status = ?)`,
		node, filing.RequestPending, node, filing.RequestPending, node, filing.RequestReturned, node, filing.RequestReturned).
		Scan(&out.FilingsToApprove, &out.ChangesToApprove, &out.Returned)
	return out, err
}
