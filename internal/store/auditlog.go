package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
)

// appendAudit adds e to the trail inside t, chained to the current head.
// It runs in the same transaction as the change it records, so a change is
// never without its record, nor a record without its change. The head's MAC
// moves with it (two HMACs per append, no extra round trip).
func (s *DB) AppendAudit(ctx context.Context, t *Tx, e audit.Event) error {
	var seq int64
	var prev, mac string
	if err := t.QueryRow(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash, mac`).Scan(&seq, &prev, &mac); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	e.ID = seq
	s.chain.Seal(&e, prev)
	if _, err := t.Exec(ctx, `INSERT INTO audit_events (id, at, user_id, username, roles, ip, user_agent, action, object_type, object_id, result, reason, before_json, after_json, request_id, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.At, NullInt(e.UserID), e.Username, e.Roles, e.IP, e.UserAgent, e.Action, e.ObjectType, e.ObjectID, e.Result, e.Reason, e.Before, e.After, e.RequestID, e.PrevHash, e.Hash); err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	// A head found without its genuine MAC stays unsigned: signing it now
	// would make a truncation done behind the server's back look genuine
	// from the next write on. Writes go on; verification keeps failing.
	next := ""
	if s.chain.HeadValid(audit.Head{Seq: seq - 1, Hash: prev, MAC: mac}) {
		next = s.chain.SignHead(seq, e.Hash)
	}
	if _, err := t.Exec(ctx, `UPDATE audit_head SET hash = ?, mac = ? WHERE id = 1`, e.Hash, next); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	return nil
}

// Audit records an event on its own (logins, denials, logouts).
func (s *DB) Audit(ctx context.Context, e audit.Event) error {
	return s.Write(ctx, func(t *Tx) error { return s.AppendAudit(ctx, t, e) })
}

func NullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// AuditFilter selects events for the auditor's page.
type AuditFilter struct {
	Username   string
	Action     string
	ObjectType string
	ObjectID   string
	Result     string
	From, To   time.Time // zero: open
	Page
}

// ListAudit returns events newest first, their states as the auditor reads
// them: personal data masked (redactState), however old the record. The
// trail is not scoped by the Party-org tree: reading it is the 审计管理员's
// separate duty. VerifyAudit reads the stored bytes.
func (s *DB) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Event, int, error) {
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.Username != "" {
		add("username = ?", f.Username)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if f.Result != "" {
		add("result = ?", f.Result)
	}
	if !f.From.IsZero() {
		add("at >= ?", TS(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", TS(f.To))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.QueryRow(ctx, `SELECT COUNT(*) FROM audit_events`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.QueryRows(ctx, `SELECT `+auditCols+` FROM audit_events`+cond+` ORDER BY id DESC LIMIT ? OFFSET ?`,
		append(args, f.Limit(), f.Offset())...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []audit.Event
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		e.Before, e.After = redactState(e.ObjectType, e.Before), redactState(e.ObjectType, e.After)
		out = append(out, e)
	}
	return out, total, rows.Err()
}

const auditCols = `id, at, COALESCE(user_id, 0), username, roles, ip, user_agent, action, object_type, object_id, result, reason, before_json, after_json, request_id, prev_hash, hash`

func scanAudit(r interface{ Scan(...any) error }) (audit.Event, error) {
	var e audit.Event
	err := r.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.Roles, &e.IP, &e.UserAgent, &e.Action, &e.ObjectType, &e.ObjectID, &e.Result, &e.Reason, &e.Before, &e.After, &e.RequestID, &e.PrevHash, &e.Hash)
	return e, err
}

// VerifyResult is the outcome of walking the audit chain.
type VerifyResult struct {
	OK       bool   `json:"ok"`
	Checked  int64  `json:"checked"`
	BrokenID int64  `json:"broken_id,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// VerifyAudit walks the whole chain in order, in batches, up to the head
// read at the start (later appends are not this walk's business), and
// reports the first record that does not fit, then checks the head.
func (s *DB) VerifyAudit(ctx context.Context) (VerifyResult, error) {
	h, maxID, err := s.auditHead(ctx)
	if err != nil {
		return VerifyResult{}, err
	}
	v := audit.Verifier{Chain: s.chain}
	last := int64(0)
	for last < h.Seq {
		rows, err := s.QueryRows(ctx, `SELECT `+auditCols+` FROM audit_events WHERE id > ? AND id <= ? ORDER BY id LIMIT 5000`, last, h.Seq)
		if err != nil {
			return VerifyResult{}, err
		}
		n := 0
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				rows.Close()
				return VerifyResult{}, err
			}
			n++
			last = e.ID
			if msg := v.Check(&e); msg != "" {
				rows.Close()
				return VerifyResult{Checked: v.Checked, BrokenID: e.ID, Reason: msg}, nil
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return VerifyResult{}, err
		}
		if n == 0 {
			break
		}
	}
	if msg := v.Head(h); msg != "" {
		return VerifyResult{Checked: v.Checked, BrokenID: h.Seq, Reason: msg}, nil
	}
	if maxID > h.Seq {
		return VerifyResult{Checked: v.Checked, BrokenID: h.Seq + 1, Reason: beyondHead(h.Seq, maxID)}, nil
	}
	return VerifyResult{OK: true, Checked: v.Checked}, nil
}

// CountAudit counts events since a time, in total and failures (for the home page).
func (s *DB) CountAudit(ctx context.Context, since time.Time) (total, failures int, err error) {
	err = s.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN result = 'failure' THEN 1 ELSE 0 END), 0) FROM audit_events WHERE at >= ?`, TS(since)).Scan(&total, &failures)
	return
}

func Itoa64(v int64) string { return strconv.FormatInt(v, 10) }
