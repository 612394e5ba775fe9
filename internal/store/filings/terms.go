package filings

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain/account"
	"github.com/lianxin/lianxin/internal/domain/filing"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// 换届: terms (party_org_terms), elections and requests to postpone or
// advance an election (term_changes). party_orgs.term_start/term_years/
// term_end always describe the current term (the form, the import and the
// alert rules read them); the rows here are its history.

// Term is one recorded term of office.
type Term struct {
	ID         int64       `json:"id"`
	StartOn    domain.Date `json:"start_on"`
	Years      int         `json:"years"`
	EndOn      domain.Date `json:"end_on"`
	ElectionID *int64      `json:"election_id"`
	EndedOn    domain.Date `json:"ended_on"`
	CreatedAt  time.Time   `json:"created_at"`
}

// Election is a recorded 换届选举.
type Election struct {
	ID                int64                  `json:"id"`
	PartyOrgID        int64                  `json:"party_org_id"`
	HeldOn            domain.Date            `json:"held_on"`
	Method            string                 `json:"method"`
	MethodName        string                 `json:"method_name"`
	ExpectedVoters    int                    `json:"expected_voters"`
	PresentVoters     int                    `json:"present_voters"`
	Committee         []domain.CommitteeSeat `json:"committee"`
	SecretaryMemberID *int64                 `json:"secretary_member_id"`
	Notes             string                 `json:"notes"`
	CreatedByName     string                 `json:"created_by_name"`
	CreatedAt         time.Time              `json:"created_at"`
	// FilingID is the appointment filing the election started (only in the
	// answer to recording it); Notice says why none was started.
	FilingID *int64 `json:"filing_id,omitempty"`
	Notice   string `json:"notice,omitempty"`
}

// TermChange is a request to postpone or advance the 换届.
type TermChange struct {
	ID              int64       `json:"id"`
	PartyOrgID      int64       `json:"party_org_id"`
	PartyOrgName    string      `json:"party_org_name"`
	ParentID        *int64      `json:"parent_id"`
	ParentName      string      `json:"parent_name"`
	TermID          *int64      `json:"term_id"`
	Kind            string      `json:"kind"`
	KindName        string      `json:"kind_name"`
	NewDate         domain.Date `json:"new_date"`
	Reason          string      `json:"reason"`
	OverLimit       bool        `json:"over_limit"`
	Status          string      `json:"status"`
	StatusName      string      `json:"status_name"`
	SubmittedAt     time.Time   `json:"submitted_at"`
	SubmittedByName string      `json:"submitted_by_name"`
	DecidedAt       *time.Time  `json:"decided_at"`
	DecidedByName   string      `json:"decided_by_name"`
	DecisionNote    string      `json:"decision_note"`
	CanDecide       bool        `json:"can_decide"`
	// TermEnd is the end of the term the request concerns (the current
	// term's, as the org records it now).
	TermEnd   domain.Date `json:"term_end"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
	Version   int         `json:"version"`
	path      string
}

// OrgTerms is an org's 换届 page: the current term and the records.
type OrgTerms struct {
	Current   domain.TermStatus `json:"current"`
	Terms     []Term            `json:"terms"`
	Elections []Election        `json:"elections"`
	Changes   []TermChange      `json:"changes"`
}

const changeCols = `r.id, r.party_org_id, p.name, p.parent_id, COALESCE(pp.name, ''), r.term_id, r.kind, r.new_date, r.reason, r.over_limit,
	r.status, r.submitted_at, COALESCE(su.display_name, ''), r.decided_at, COALESCE(du.display_name, ''), r.decision_note,
	COALESCE(p.term_end, ''), r.created_at, r.updated_at, r.version, p.path`

const changeFrom = ` FROM term_changes r JOIN party_orgs p ON p.id = r.party_org_id
	LEFT JOIN party_orgs pp ON pp.id = p.parent_id
	LEFT JOIN users su ON su.id = r.submitted_by LEFT JOIN users du ON du.id = r.decided_by`

func scanChange(r interface{ Scan(...any) error }, sc store.Scope) (TermChange, error) {
	var c TermChange
	var parent, term sql.NullInt64
	var newDate, submitted, termEnd, created, updated string
	var decided sql.NullString
	var over int
	err := r.Scan(&c.ID, &c.PartyOrgID, &c.PartyOrgName, &parent, &c.ParentName, &term, &c.Kind, &newDate, &c.Reason, &over,
		&c.Status, &submitted, &c.SubmittedByName, &decided, &c.DecidedByName, &c.DecisionNote,
		&termEnd, &created, &updated, &c.Version, &c.path)
	if err != nil {
		return c, err
	}
	c.ParentID, c.TermID = int64Ptr(parent), int64Ptr(term)
	c.NewDate, c.TermEnd, c.OverLimit = domain.Date(newDate), domain.Date(termEnd), over == 1
	c.SubmittedAt, c.DecidedAt, c.CreatedAt, c.UpdatedAt = store.ParseTS(submitted), store.ParseTSPtr(decided), store.ParseTS(created), store.ParseTS(updated)
	c.KindName, c.StatusName = domain.TermChangeKinds.Name(c.Kind), filing.RequestStatuses.Name(c.Status)
	c.CanDecide = c.Status == filing.RequestPending && filing.CanDecide(sc.Path, c.path)
	return c, nil
}

// GetTermChange returns a term change whose org lies in the scope.
func (s *Store) GetTermChange(ctx context.Context, sc store.Scope, id int64) (TermChange, error) {
	return s.getChange(ctx, s.db.Pool(), sc, id)
}

func (s *Store) getChange(ctx context.Context, q store.Querier, sc store.Scope, id int64) (TermChange, error) {
	lo, hi := sc.Bounds()
	c, err := scanChange(q.QueryRow(ctx, `SELECT `+changeCols+changeFrom+` WHERE r.id = ? AND p.path >= ? AND p.path < ?`, id, lo, hi), sc)
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.ErrNotFound
	}
	return c, err
}

// ListTermChanges lists the term changes of orgs in the scope.
func (s *Store) ListTermChanges(ctx context.Context, sc store.Scope, f RequestFilter) ([]TermChange, int, error) {
	where, args, joinOrg, err := s.requestWhere(ctx, sc, f, "r")
	if err != nil {
		return nil, 0, err
	}
	from := ` FROM term_changes r`
	if joinOrg {
		from += ` JOIN party_orgs p ON p.id = r.party_org_id`
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+from+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := ` ORDER BY r.id DESC`
	if f.ToApprove || f.WaitingOn > 0 {
		order = ` ORDER BY r.submitted_at, r.id`
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+changeCols+changeFrom+where+order+` LIMIT ? OFFSET ?`, append(args, f.Page.Limit(), f.Page.Offset())...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []TermChange{}
	for rows.Next() {
		c, err := scanChange(rows, sc)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// OrgTerms returns an org's current term (as of today), its recorded terms,
// elections and term changes, newest first.
func (s *Store) OrgTerms(ctx context.Context, sc store.Scope, id int64, today time.Time) (OrgTerms, error) {
	out := OrgTerms{Terms: []Term{}, Elections: []Election{}, Changes: []TermChange{}}
	o, err := s.registry.GetPartyOrg(ctx, sc, id)
	if err != nil {
		return out, err
	}
	out.Current = domain.CurrentTerm(&o.PartyOrg, today)
	rows, err := s.db.QueryRows(ctx, `SELECT id, start_on, years, end_on, election_id, COALESCE(ended_on, ''), created_at
		FROM party_org_terms WHERE party_org_id = ? ORDER BY start_on DESC, id DESC`, id)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var t Term
		var start, end, ended, created string
		var election sql.NullInt64
		if err := rows.Scan(&t.ID, &start, &t.Years, &end, &election, &ended, &created); err != nil {
			rows.Close()
			return out, err
		}
		t.StartOn, t.EndOn, t.EndedOn, t.ElectionID, t.CreatedAt = domain.Date(start), domain.Date(end), domain.Date(ended), int64Ptr(election), store.ParseTS(created)
		out.Terms = append(out.Terms, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	rows, err = s.db.QueryRows(ctx, `SELECT e.id, e.party_org_id, e.held_on, e.method, e.expected_voters, e.present_voters, e.committee,
		e.secretary_member_id, e.notes, COALESCE(u.display_name, ''), e.created_at
		FROM elections e LEFT JOIN users u ON u.id = e.created_by WHERE e.party_org_id = ? ORDER BY e.held_on DESC, e.id DESC`, id)
	if err != nil {
		return out, err
	}
	for rows.Next() {
		var e Election
		var held, committee, created string
		var sec sql.NullInt64
		if err := rows.Scan(&e.ID, &e.PartyOrgID, &held, &e.Method, &e.ExpectedVoters, &e.PresentVoters, &committee,
			&sec, &e.Notes, &e.CreatedByName, &created); err != nil {
			rows.Close()
			return out, err
		}
		e.HeldOn, e.SecretaryMemberID, e.CreatedAt, e.MethodName = domain.Date(held), int64Ptr(sec), store.ParseTS(created), domain.ElectionMethods.Name(e.Method)
		if err := json.Unmarshal([]byte(committee), &e.Committee); err != nil {
			rows.Close()
			return out, err
		}
		out.Elections = append(out.Elections, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	out.Changes, _, err = s.ListTermChanges(ctx, sc, RequestFilter{PartyOrgID: id, Page: store.Page{Size: store.MaxPageSize}})
	return out, err
}

// termOrg reads and locks an org in scope that may get a new term.
func (s *Store) termOrg(ctx context.Context, t *store.Tx, sc store.Scope, id int64) (domain.PartyOrg, error) {
	o, err := s.registry.GetPartyOrgTx(ctx, t, sc, id)
	if err != nil {
		return o, err
	}
	if o.Status != domain.StatusActive {
		return o, domain.FieldError("status", "已撤销的党组织不能登记任期或换届")
	}
	return o, nil
}

// openTerm returns the id of the org's current term row, recording one from
// the org's own term fields when none is (a term entered through the form,
// an import or the generator); 0 when the org has no term at all.
func (s *Store) openTerm(ctx context.Context, t *store.Tx, c store.Caller, o domain.PartyOrg) (int64, error) {
	var id int64
	err := t.QueryRow(ctx, `SELECT id FROM party_org_terms WHERE party_org_id = ? AND ended_on IS NULL ORDER BY start_on DESC, id DESC LIMIT 1`, o.ID).Scan(&id)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	if o.TermStart == "" || o.TermEnd == "" {
		return 0, nil
	}
	err = t.QueryRow(ctx, `INSERT INTO party_org_terms (party_org_id, start_on, years, end_on, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		o.ID, string(o.TermStart), o.TermYears, string(o.TermEnd), store.TS(c.Now)).Scan(&id)
	return id, err
}

// startTerm ends the org's open term rows and makes a new current term:
// the row, the org's term fields (a new term has no postponement), its
// history and audit.
func (s *Store) startTerm(ctx context.Context, t *store.Tx, c store.Caller, before domain.PartyOrg, start domain.Date, years int, end domain.Date,
	electionID *int64, committeeSize *int, historyAction string) (domain.PartyOrg, error) {
	if _, err := s.openTerm(ctx, t, c, before); err != nil {
		return before, err
	}
	if _, err := t.Exec(ctx, `UPDATE party_org_terms SET ended_on = ? WHERE party_org_id = ? AND ended_on IS NULL`, string(start), before.ID); err != nil {
		return before, err
	}
	if _, err := t.Exec(ctx, `INSERT INTO party_org_terms (party_org_id, start_on, years, end_on, election_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		before.ID, string(start), years, string(end), ptrArg(electionID), store.TS(c.Now)); err != nil {
		return before, err
	}
	o := before
	o.TermStart, o.TermYears, o.TermEnd, o.PostponedTo = start, years, end, ""
	if committeeSize != nil {
		o.CommitteeSize = *committeeSize
	}
	o.UpdatedAt, o.Version = c.Now, before.Version+1
	if _, err := t.Exec(ctx, `UPDATE party_orgs SET term_start = ?, term_years = ?, term_end = ?, postponed_to = NULL, committee_size = ?, updated_at = ?, version = ? WHERE id = ?`,
		string(start), years, string(end), o.CommitteeSize, store.TS(c.Now), o.Version, o.ID); err != nil {
		return o, err
	}
	if err := s.db.AddHistory(ctx, t, c, "party_org", o.ID, historyAction, before, o); err != nil {
		return o, err
	}
	return o, s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUpdate, "party_org", store.Itoa64(o.ID), audit.ResultSuccess).WithStates(before, o))
}

// RecordTerm records the org's current term by hand (its start and its
// years or end), ending the previous one.
func (s *Store) RecordTerm(ctx context.Context, c store.Caller, orgID int64, in domain.TermInput) (OrgTerms, error) {
	err := s.db.Write(ctx, func(t *store.Tx) error {
		o, err := s.termOrg(ctx, t, c.Scope, orgID)
		if err != nil {
			return err
		}
		// A term recorded directly (not by an election) is the superior's
		// correction, never the org's own.
		if err := account.CheckOwnTermRecord(o.Path == c.Scope.Path); err != nil {
			return err
		}
		years, end, err := in.Validate(&o, c.Now)
		if err != nil {
			return err
		}
		_, err = s.startTerm(ctx, t, c, o, domain.Date(in.StartOn), years, end, nil, nil, historyTerm)
		return err
	})
	if err != nil {
		return OrgTerms{}, err
	}
	return s.OrgTerms(ctx, c.Scope, orgID, c.Now)
}

// RecordElection records a 换届选举: the election, the new term it starts
// and the committee's size; when it elected a secretary other than the
// current one, a pending appointment filing for the superior to approve.
func (s *Store) RecordElection(ctx context.Context, c store.Caller, orgID int64, in domain.ElectionInput) (Election, error) {
	var e Election
	err := s.db.Write(ctx, func(t *store.Tx) error {
		o, err := s.termOrg(ctx, t, c.Scope, orgID)
		if err != nil {
			return err
		}
		years, end, err := in.Validate(&o, c.Now)
		if err != nil {
			return err
		}
		v := &domain.ValidationError{}
		for i := range in.Committee {
			field := fmt.Sprintf("committee[%d].member_id", i)
			name, err := s.candidate(ctx, t, field, in.Committee[i].MemberID, o.ID)
			var ve *domain.ValidationError
			switch {
			case errors.As(err, &ve):
				v.Add(field, fmt.Sprintf("第%d位委员：%s", i+1, ve.Fields[field]))
			case err != nil:
				return err
			default:
				in.Committee[i].Name = name
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		if in.SecretaryMemberID != nil && len(in.Committee) == 0 {
			if _, err := s.candidate(ctx, t, "secretary_member_id", *in.SecretaryMemberID, o.ID); err != nil {
				return err
			}
		}
		committee := in.Committee
		if committee == nil {
			committee = []domain.CommitteeSeat{}
		}
		cj, err := json.Marshal(committee)
		if err != nil {
			return err
		}
		if err := t.QueryRow(ctx, `INSERT INTO elections (party_org_id, held_on, method, expected_voters, present_voters, committee, secretary_member_id, notes, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			o.ID, in.HeldOn, in.Method, in.ExpectedVoters, in.PresentVoters, string(cj), ptrArg(in.SecretaryMemberID), in.Notes,
			store.NullInt(c.Actor.UserID), store.TS(c.Now)).Scan(&e.ID); err != nil {
			return err
		}
		e = Election{ID: e.ID, PartyOrgID: o.ID, HeldOn: domain.Date(in.HeldOn), Method: in.Method, MethodName: domain.ElectionMethods.Name(in.Method),
			ExpectedVoters: in.ExpectedVoters, PresentVoters: in.PresentVoters, Committee: committee, SecretaryMemberID: in.SecretaryMemberID,
			Notes: in.Notes, CreatedByName: c.Actor.Username, CreatedAt: c.Now}
		size := len(committee)
		if err := s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionCreate, "election", store.Itoa64(e.ID), audit.ResultSuccess).WithStates(nil, e)); err != nil {
			return err
		}
		after, err := s.startTerm(ctx, t, c, o, domain.Date(in.HeldOn), years, end, &e.ID, &size, historyElection)
		if err != nil {
			return err
		}
		if in.SecretaryMemberID == nil || after.SecretaryMemberID != nil && *after.SecretaryMemberID == *in.SecretaryMemberID && after.SecretaryUnfiledSince == "" {
			return nil
		}
		var pending int
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM secretary_filings WHERE party_org_id = ? AND kind = ? AND status = ?`,
			o.ID, filing.FilingAppointment, filing.RequestPending).Scan(&pending); err != nil {
			return err
		}
		if pending > 0 {
			e.Notice = "已有一份待审批的就任备案，未再生成新的备案；请在该备案审批后按需另行备案"
			return nil
		}
		fin := filing.SecretaryFilingInput{PartyOrgID: o.ID, Kind: filing.FilingAppointment, MemberID: in.SecretaryMemberID,
			EffectiveOn: in.HeldOn, Method: "elected", MeetingOn: in.HeldOn, MeetingRecord: in.Notes}
		id, err := s.insertFiling(ctx, t, c, after, &fin)
		if err != nil {
			return err
		}
		e.FilingID = &id
		return nil
	})
	return e, err
}

// CreateTermChange asks the superior Party org to postpone or advance the
// 换届 of the org's current term. A returned request of the same kind is
// replaced (withdrawn) by the new one.
func (s *Store) CreateTermChange(ctx context.Context, c store.Caller, in domain.TermChangeInput) (TermChange, error) {
	var id int64
	err := s.db.Write(ctx, func(t *store.Tx) error {
		o, err := s.filingOrg(ctx, t, c.Scope, in.PartyOrgID)
		if err != nil {
			return err
		}
		over, err := in.Validate(&o, c.Now)
		if err != nil {
			return err
		}
		var pending int
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM term_changes WHERE party_org_id = ? AND status = ?`, o.ID, filing.RequestPending).Scan(&pending); err != nil {
			return err
		}
		if pending > 0 {
			return &domain.ConflictError{Field: "kind", Message: "该党组织已有一份待审批的延期或提前换届申请，请等待上级审批或撤回后再提交"}
		}
		termID, err := s.openTerm(ctx, t, c, o)
		if err != nil {
			return err
		}
		now := store.TS(c.Now)
		if _, err := t.Exec(ctx, `UPDATE term_changes SET status = ?, updated_at = ?, version = version + 1 WHERE party_org_id = ? AND kind = ? AND status = ?`,
			filing.RequestWithdrawn, now, o.ID, in.Kind, filing.RequestReturned); err != nil {
			return err
		}
		if err := t.QueryRow(ctx, `INSERT INTO term_changes (party_org_id, term_id, kind, new_date, reason, over_limit, status, submitted_at, submitted_by, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
			o.ID, store.NullInt(termID), in.Kind, in.NewDate, in.Reason, store.BoolInt(over), filing.RequestPending, now, store.NullInt(c.Actor.UserID), now, now).Scan(&id); err != nil {
			return err
		}
		rec := changeRecord{OrgID: o.ID, Kind: in.Kind, NewDate: in.NewDate, Reason: in.Reason, OverLimit: over, Status: filing.RequestPending}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, actionSubmit, "term_change", store.Itoa64(id), audit.ResultSuccess).WithStates(nil, rec))
	})
	if err != nil {
		return TermChange{}, err
	}
	return s.GetTermChange(ctx, c.Scope, id)
}

// changeRecord is what the audit trail keeps of a term change.
type changeRecord struct {
	OrgID        int64  `json:"party_org_id"`
	Kind         string `json:"kind"`
	NewDate      string `json:"new_date"`
	Reason       string `json:"reason"`
	OverLimit    bool   `json:"over_limit"`
	Status       string `json:"status"`
	DecisionNote string `json:"decision_note,omitempty"`
}

func changeRecordOf(c TermChange) changeRecord {
	return changeRecord{OrgID: c.PartyOrgID, Kind: c.Kind, NewDate: string(c.NewDate), Reason: c.Reason, OverLimit: c.OverLimit, Status: c.Status, DecisionNote: c.DecisionNote}
}

// decideChange runs a step on a term change: the superior rule (for a
// decision), the transition, then fn, then the status and the audit record.
func (s *Store) decideChange(ctx context.Context, c store.Caller, id int64, step filing.RequestAction, action, note string, check func() error,
	fn func(t *store.Tx, ch TermChange, o domain.PartyOrg) error) (TermChange, error) {
	err := s.db.Write(ctx, func(t *store.Tx) error {
		ch, err := s.getChange(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		o, err := s.registry.GetPartyOrgTx(ctx, t, c.Scope, ch.PartyOrgID)
		if err != nil {
			return err
		}
		if step.Decides() {
			if err := mayDecide(c.Scope, ch.path, ch.ParentName, "申请"); err != nil {
				return err
			}
		}
		status, err := filing.TermChanges.Transition(ch.Status, step)
		if err != nil {
			return err
		}
		if err := check(); err != nil {
			return err
		}
		if fn != nil {
			if err := fn(t, ch, o); err != nil {
				return err
			}
		}
		now := store.TS(c.Now)
		if !step.Decides() {
			_, err = t.Exec(ctx, `UPDATE term_changes SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?`, status, now, ch.ID)
		} else {
			_, err = t.Exec(ctx, `UPDATE term_changes SET status = ?, decided_at = ?, decided_by = ?, decision_note = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
				status, now, store.NullInt(c.Actor.UserID), note, now, ch.ID)
		}
		if err != nil {
			return err
		}
		after := changeRecordOf(ch)
		after.Status = status
		if step.Decides() {
			after.DecisionNote = note
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, action, "term_change", store.Itoa64(ch.ID), audit.ResultSuccess).WithStates(changeRecordOf(ch), after))
	})
	if err != nil {
		return TermChange{}, err
	}
	return s.GetTermChange(ctx, c.Scope, id)
}

// ApproveTermChange approves a pending request. A postponement moves the
// org's deadline (party_orgs.postponed_to); an advancement is recorded (the
// election may then be held early).
func (s *Store) ApproveTermChange(ctx context.Context, c store.Caller, id int64, d filing.DecisionInput) (TermChange, error) {
	d.Note = strings.TrimSpace(d.Note)
	return s.decideChange(ctx, c, id, filing.RequestApprove, actionApprove, d.Note, d.ValidateApprove, func(t *store.Tx, ch TermChange, before domain.PartyOrg) error {
		if before.Status != domain.StatusActive {
			return &domain.ConflictError{Field: "party_org_id", Message: "该党组织已撤销，请退回该申请"}
		}
		if ch.TermID != nil {
			var ended sql.NullString
			if err := t.QueryRow(ctx, `SELECT ended_on FROM party_org_terms WHERE id = ?`, *ch.TermID).Scan(&ended); err != nil {
				return err
			}
			if ended.Valid {
				return &domain.ConflictError{Field: "status", Message: "该申请所针对的任期已结束（已换届），请退回该申请"}
			}
		}
		if ch.Kind != domain.TermPostpone {
			return nil
		}
		o := before
		o.PostponedTo, o.UpdatedAt, o.Version = ch.NewDate, c.Now, before.Version+1
		if _, err := t.Exec(ctx, `UPDATE party_orgs SET postponed_to = ?, updated_at = ?, version = ? WHERE id = ?`,
			string(ch.NewDate), store.TS(c.Now), o.Version, o.ID); err != nil {
			return err
		}
		if err := s.db.AddHistory(ctx, t, c, "party_org", o.ID, historyTermChange, before, o); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUpdate, "party_org", store.Itoa64(o.ID), audit.ResultSuccess).WithStates(before, o))
	})
}

// ReturnTermChange sends a pending request back with a reason.
func (s *Store) ReturnTermChange(ctx context.Context, c store.Caller, id int64, d filing.DecisionInput) (TermChange, error) {
	d.Reason = strings.TrimSpace(d.Reason)
	return s.decideChange(ctx, c, id, filing.RequestReturn, actionReturn, d.Reason, d.ValidateReturn, nil)
}

// WithdrawTermChange withdraws a pending or returned request.
func (s *Store) WithdrawTermChange(ctx context.Context, c store.Caller, id int64) (TermChange, error) {
	return s.decideChange(ctx, c, id, filing.RequestWithdraw, actionWithdraw, "", func() error { return nil }, nil)
}
