package members

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
)

// Exact lookups of personal data (issue 11): a search by a whole ID number
// or phone, or a registration that finds its ID number registered, confirms
// a guess. Each is audited with the value masked, and an account may make
// LookupLimit of them a minute. The count is read from the audit trail
// itself inside the write transaction that appends the lookup, under a lock
// on the account, so the limit holds across instances on one database.

// lookupLockKey is the high half of the PostgreSQL advisory lock that
// serializes one account's lookups (the low half is the account's id).
const lookupLockKey int64 = 0x6c6b << 32 // "lk"

// RecordLookup audits an exact lookup of personal data by c (what says where
// it was made, e.g. 党员列表) and refuses it, with a 429, beyond the
// account's limit. The system (command-line jobs) is not limited.
func (s *Store) RecordLookup(ctx context.Context, c store.Caller, q domain.MemberQuery, what string) error {
	var refused error
	err := s.db.Write(ctx, func(t *store.Tx) error {
		var err error
		if refused, err = s.lookupGate(ctx, t, c, what); err != nil || refused != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, lookupEvent(c, q, audit.ResultSuccess, what))
	})
	if err != nil {
		return err
	}
	return refused
}

// lookupGate takes the account's lookup lock and counts its lookups of the
// last minute. Beyond the limit it answers the refusal, having audited the
// first refusal of the window (so that a flood of refused lookups is seen,
// and does not write a record each); the caller commits and then returns it.
func (s *Store) lookupGate(ctx context.Context, t *store.Tx, c store.Caller, what string) (error, error) {
	if c.Actor.UserID == 0 {
		return nil, nil
	}
	if s.db.D.Postgres() { // SQLite: the one writer serializes every write
		if _, err := t.Exec(ctx, `SELECT pg_advisory_xact_lock(?)`, lookupLockKey|c.Actor.UserID&0xffffffff); err != nil {
			return nil, err
		}
	}
	since := c.Now.Add(-domain.LookupWindow).UTC().Format(audit.TimeLayout)
	var n, failed int
	var oldest sql.NullString
	// The literal action matches the partial index audit_events_lookups.
	if err := t.QueryRow(ctx, `SELECT COALESCE(SUM(CASE WHEN result = 'success' THEN 1 ELSE 0 END), 0), COUNT(*),
		MIN(CASE WHEN result = 'success' THEN at END) FROM audit_events WHERE action = 'pii_lookup' AND user_id = ? AND at > ?`,
		c.Actor.UserID, since).Scan(&n, &failed, &oldest); err != nil {
		return nil, err
	}
	failed -= n
	first := c.Now
	if oldest.Valid {
		first = store.ParseTS(oldest.String)
	}
	refused := domain.CheckLookupLimit(n, first, c.Now, s.db.LookupLimit)
	if refused == nil || failed > 0 {
		return refused, nil
	}
	e := audit.New(c.Now, c.Actor, audit.ActionPIILookup, "member", "", audit.ResultFailure)
	e.Reason = what + "：按完整身份证号或手机号查询超过每分钟上限，已拒绝（本分钟内不再逐次记录）"
	return refused, s.db.AppendAudit(ctx, t, e)
}

// lookupEvent is the audit record of one lookup, the value masked.
func lookupEvent(c store.Caller, q domain.MemberQuery, result, what string) audit.Event {
	e := audit.New(c.Now, c.Actor, audit.ActionPIILookup, "member", "", result)
	switch q.Kind {
	case domain.MemberQueryPhone:
		e.Reason = what + "：按手机号码查询 " + pii.MaskPhone(q.Value)
	default:
		e.Reason = what + "：按公民身份号码查询 " + pii.MaskIDNumber(q.Value)
	}
	return e
}

// RecordImportLookups audits, in one record, the ID numbers an import found
// registered outside the caller's scope (its error list says so row by row):
// lookups of personal data too. Masked; the first 20 listed.
func (s *Store) RecordImportLookups(ctx context.Context, c store.Caller, idNumbers []string) error {
	if len(idNumbers) == 0 {
		return nil
	}
	masked := make([]string, 0, min(20, len(idNumbers)))
	for _, n := range idNumbers[:cap(masked)] {
		masked = append(masked, pii.MaskIDNumber(n))
	}
	more := ""
	if len(idNumbers) > len(masked) {
		more = "等"
	}
	e := audit.New(c.Now, c.Actor, audit.ActionPIILookup, "member", "", audit.ResultSuccess)
	e.Reason = fmt.Sprintf("导入党员：%d 个公民身份号码已在其他党组织登记（%s%s）", len(idNumbers), strings.Join(masked, "、"), more)
	return s.db.Audit(ctx, e)
}
