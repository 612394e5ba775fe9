package bulk

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/domain"
)

// Generated secretary filings, terms, elections and term changes (issue 5),
// written with the base of a dataset by loadAlertFacts. Ids are assigned by the
// generator (1, 2, … per table) so that terms can name their election and
// term changes their term.

// FilingRow is one 书记就任/离任备案.
type FilingRow struct {
	ID, PartyOrgID int64
	Kind           string // appointment | departure
	MemberID       int64  // 0: none (a departure of a secretary known by name only)
	PersonName     string
	EffectiveOn    domain.Date
	Method         string // appointment: elected | appointed
	MeetingOn      domain.Date
	MeetingRecord  string
	Reason         string // departure: term_end, transferred, …
	ReasonNote     string
	Status         string // pending | approved | returned | withdrawn
	SubmittedAt    time.Time
	DecidedAt      time.Time // zero while pending
	DecisionNote   string
}

// ElectedSeat is one member of an elected committee (elections.committee).
type ElectedSeat struct {
	MemberID int64  `json:"member_id"`
	Name     string `json:"name"`
	Post     string `json:"post"`
}

// ElectionRow is one 换届选举.
type ElectionRow struct {
	ID, PartyOrgID                int64
	HeldOn                        domain.Date
	Method                        string
	ExpectedVoters, PresentVoters int
	Committee                     []ElectedSeat
	SecretaryMemberID             int64 // 0: none
	Notes                         string
}

// TermRow is one term of a Party org; the current one has no EndedOn.
type TermRow struct {
	ID, PartyOrgID int64
	StartOn        domain.Date
	Years          int
	EndOn          domain.Date
	ElectionID     int64 // 0: none
	EndedOn        domain.Date
}

// TermChangeRow is a request to postpone or advance a term's election.
type TermChangeRow struct {
	ID, PartyOrgID, TermID int64
	Kind                   string // postpone | advance
	NewDate                domain.Date
	Reason                 string
	OverLimit              bool
	Status                 string
	SubmittedAt, DecidedAt time.Time // DecidedAt zero while pending
	DecisionNote           string
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.TS(t)
}

// recordedOn is when a generated record of a past day was made: that day
// at 10:00 in the city, never after now.
func recordedOn(d domain.Date, now time.Time) string {
	t, ok := domain.ParseDate(string(d))
	if !ok {
		return store.TS(now)
	}
	at := time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, domain.Shanghai)
	if at.After(now) {
		at = now
	}
	return store.TS(at)
}

// loadAlertFacts writes the generated filings, elections, terms and term
// changes inside Load's transaction, after the members: a Party
// org's secretary_member_id names a member, so it is set here rather than
// with the org.
func (s *Store) loadAlertFacts(ctx context.Context, t *store.Tx, ds Base, nowT time.Time) error {
	err := store.BulkInsert(ctx, t, `INSERT INTO secretary_filings (id, party_org_id, kind, member_id, person_name, effective_on, method, meeting_on,
		meeting_record, reason, reason_note, status, submitted_at, decided_at, decision_note, created_at, updated_at, version) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", len(ds.SecretaryFilings), 400, func(i int) []any {
			f := &ds.SecretaryFilings[i]
			updated := f.SubmittedAt
			if !f.DecidedAt.IsZero() {
				updated = f.DecidedAt
			}
			return []any{f.ID, f.PartyOrgID, f.Kind, store.NullID(f.MemberID), f.PersonName, string(f.EffectiveOn), f.Method, store.NullStr(string(f.MeetingOn)),
				f.MeetingRecord, f.Reason, f.ReasonNote, f.Status, store.TS(f.SubmittedAt), nullTime(f.DecidedAt), f.DecisionNote, store.TS(f.SubmittedAt), store.TS(updated)}
		})
	if err != nil {
		return err
	}
	err = store.BulkInsert(ctx, t, `INSERT INTO elections (id, party_org_id, held_on, method, expected_voters, present_voters, committee,
		secretary_member_id, notes, created_at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", len(ds.Elections), 500, func(i int) []any {
			e := &ds.Elections[i]
			seats := e.Committee
			if seats == nil {
				seats = []ElectedSeat{}
			}
			committee, _ := json.Marshal(seats)
			return []any{e.ID, e.PartyOrgID, string(e.HeldOn), e.Method, e.ExpectedVoters, e.PresentVoters, string(committee),
				store.NullID(e.SecretaryMemberID), e.Notes, recordedOn(e.HeldOn, nowT)}
		})
	if err != nil {
		return err
	}
	err = store.BulkInsert(ctx, t, `INSERT INTO party_org_terms (id, party_org_id, start_on, years, end_on, election_id, ended_on, created_at) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?)", len(ds.Terms), 800, func(i int) []any {
			r := &ds.Terms[i]
			return []any{r.ID, r.PartyOrgID, string(r.StartOn), r.Years, string(r.EndOn), store.NullID(r.ElectionID), store.NullStr(string(r.EndedOn)), recordedOn(r.StartOn, nowT)}
		})
	if err != nil {
		return err
	}
	err = store.BulkInsert(ctx, t, `INSERT INTO term_changes (id, party_org_id, term_id, kind, new_date, reason, over_limit, status, submitted_at,
		decided_at, decision_note, created_at, updated_at, version) VALUES `,
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", len(ds.TermChanges), 500, func(i int) []any {
			c := &ds.TermChanges[i]
			updated := c.SubmittedAt
			if !c.DecidedAt.IsZero() {
				updated = c.DecidedAt
			}
			return []any{c.ID, c.PartyOrgID, store.NullID(c.TermID), c.Kind, string(c.NewDate), c.Reason, store.BoolInt(c.OverLimit), c.Status,
				store.TS(c.SubmittedAt), nullTime(c.DecidedAt), c.DecisionNote, store.TS(c.SubmittedAt), store.TS(updated)}
		})
	if err != nil {
		return err
	}
	// The secretaries who are members, a CASE per batch of orgs.
	var orgs []domain.PartyOrg
	for _, o := range ds.PartyOrgs {
		if o.SecretaryMemberID != nil {
			orgs = append(orgs, o)
		}
	}
	for i := 0; i < len(orgs); i += 500 {
		batch := orgs[i:min(i+500, len(orgs))]
		var sb strings.Builder
		args := make([]any, 0, 3*len(batch))
		sb.WriteString(`UPDATE party_orgs SET secretary_member_id = CASE id`)
		for _, o := range batch {
			sb.WriteString(` WHEN ? THEN CAST(? AS BIGINT)`)
			args = append(args, o.ID, *o.SecretaryMemberID)
		}
		sb.WriteString(` END WHERE id IN (`)
		for k, o := range batch {
			if k > 0 {
				sb.WriteString(",")
			}
			sb.WriteString(strconv.FormatInt(o.ID, 10))
		}
		sb.WriteString(")")
		if _, err := t.Exec(ctx, sb.String(), args...); err != nil {
			return err
		}
	}
	if s.db.D.Postgres() {
		for _, tbl := range []string{"secretary_filings", "elections", "party_org_terms", "term_changes"} {
			if err := setSerial(ctx, t, tbl); err != nil {
				return err
			}
		}
		if _, err := t.Exec(ctx, `ANALYZE secretary_filings, elections, party_org_terms, term_changes`); err != nil {
			return err
		}
	}
	return nil
}
