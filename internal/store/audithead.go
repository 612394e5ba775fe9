package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
)

// auditHead reads the chain's head and the highest record number in one
// statement, hence one snapshot on both engines: an append moves both in
// its own transaction.
func (s *DB) auditHead(ctx context.Context) (audit.Head, int64, error) {
	var h audit.Head
	var maxID int64
	err := s.QueryRow(ctx, `SELECT seq, hash, mac, (SELECT COALESCE(MAX(id), 0) FROM audit_events) FROM audit_head WHERE id = 1`).
		Scan(&h.Seq, &h.Hash, &h.MAC, &maxID)
	return h, maxID, err
}

func beyondHead(seq, maxID int64) string {
	return fmt.Sprintf("审计链末端为记录 %d，但存在记录 %d：有记录绕过系统写入", seq, maxID)
}

// signAuditHead signs the head as it stands (migration 0015: a deployment
// upgraded from an unsigned head trusts its head at the upgrade).
func signAuditHead(ctx context.Context, s *DB, t *Tx) error {
	var seq int64
	var hash string
	if err := t.QueryRow(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash); err != nil {
		return err
	}
	_, err := t.Exec(ctx, `UPDATE audit_head SET mac = ? WHERE id = 1`, s.chain.SignHead(seq, hash))
	return err
}

// CheckAuditHead checks the chain's end cheaply (a few rows whatever the
// trail's size): the head's MAC, that the newest record is the one the head
// names, and that record's own hash. The full walk is VerifyAudit.
func (s *DB) CheckAuditHead(ctx context.Context) (VerifyResult, audit.Head, error) {
	h, maxID, err := s.auditHead(ctx)
	if err != nil {
		return VerifyResult{}, h, err
	}
	fail := func(id int64, reason string) (VerifyResult, audit.Head, error) {
		return VerifyResult{BrokenID: id, Reason: reason}, h, nil
	}
	if !s.chain.HeadValid(h) {
		v := audit.Verifier{Chain: s.chain}
		return fail(h.Seq, v.Head(h))
	}
	switch {
	case maxID > h.Seq:
		return fail(h.Seq+1, beyondHead(h.Seq, maxID))
	case maxID < h.Seq:
		return fail(h.Seq, fmt.Sprintf("审计链末端不符：应到记录 %d，实际最后一条为 %d（末尾记录可能被删除）", h.Seq, maxID))
	case h.Seq == 0:
		return VerifyResult{OK: true}, h, nil
	}
	e, err := scanAudit(s.QueryRow(ctx, `SELECT `+auditCols+` FROM audit_events WHERE id = ?`, h.Seq))
	if err != nil {
		return VerifyResult{}, h, err
	}
	if e.Hash != h.Hash || !s.chain.Sealed(&e) {
		return fail(h.Seq, fmt.Sprintf("记录 %d 的内容与其哈希或审计链末端不符（记录被改动）", h.Seq))
	}
	return VerifyResult{OK: true, Checked: 1}, h, nil
}

// AuditCheckpoint signs the chain's current end for the server's log, after
// the cheap head check; a broken end gets no checkpoint (the result says why).
func (s *DB) AuditCheckpoint(ctx context.Context, now time.Time) (audit.Checkpoint, VerifyResult, error) {
	res, h, err := s.CheckAuditHead(ctx)
	if err != nil || !res.OK {
		return audit.Checkpoint{}, res, err
	}
	return s.chain.NewCheckpoint(h.Seq, h.Hash, now), res, nil
}

// CheckAuditCheckpoints checks each checkpoint's signature and that the trail
// still holds its record with its hash (the chain links every earlier record
// to it). It returns one sentence per checkpoint that fails.
func (s *DB) CheckAuditCheckpoints(ctx context.Context, cps []audit.Checkpoint) ([]string, error) {
	var out []string
	for _, cp := range cps {
		switch {
		case cp.Bad != "":
			out = append(out, fmt.Sprintf("%s无法识别：%s", cp.Where(), cp.Bad))
			continue
		case !s.chain.CheckpointValid(cp):
			out = append(out, cp.Where()+"的签名不符：检查点被伪造或改动，或所用审计密钥不对")
			continue
		case cp.Seq == 0:
			continue
		}
		var hash string
		err := s.QueryRow(ctx, `SELECT hash FROM audit_events WHERE id = ?`, cp.Seq).Scan(&hash)
		if errors.Is(err, sql.ErrNoRows) {
			var maxID int64
			if err := s.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM audit_events`).Scan(&maxID); err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("%s：审计日志中没有记录 %d（现存最后一条为 %d），审计链短于检查点，记录被删除", cp.Where(), cp.Seq, maxID))
			continue
		}
		if err != nil {
			return nil, err
		}
		if hash != cp.Hash {
			out = append(out, fmt.Sprintf("%s：记录 %d 的哈希与检查点不符，该记录或其之前的记录被改写", cp.Where(), cp.Seq))
		}
	}
	return out, nil
}
