package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// ImportBatch says how a batch is written.
type ImportBatch struct {
	JobID        int64
	AcceptedUSCC map[string]bool
	// BeforeCommit, if set, runs inside the transaction once the rows are
	// written; an error rolls the batch back (tests inject failures here).
	BeforeCommit func() error
}

// ImportRowError is a row refused while writing: its merged record does not
// validate, or its key belongs to a record outside the scope (both were
// checked while validating; this catches what changed since).
type ImportRowError struct {
	Row     int
	Field   string
	Message string
}

// BatchResult counts what a batch did.
type BatchResult struct {
	Created, Updated, Unchanged int
	Rejected                    []ImportRowError
}

func (r *BatchResult) Reject(row int, err error) error {
	var ve *domain.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	for f, m := range ve.Fields {
		r.Rejected = append(r.Rejected, ImportRowError{Row: row, Field: f, Message: m})
	}
	return nil
}

// OutsideScopeMessage is the reason given for a key that belongs to a record
// the caller may not change. It says no more than that: not whose it is.
const OutsideScopeMessage = "已登记在其他党组织的管理范围内，不能在此导入修改"

// ImportKey is what an import needs to know about a natural key: the record
// it belongs to, and whether the caller may change it.
type ImportKey struct {
	ID      int64
	InScope bool
	// Links are the Party orgs the record is linked to now (an
	// organization's managers, a member's Party org): an import file that
	// names one of them ambiguously keeps it.
	Links []int64
	// Region is an organization's region as stored (a region outside the
	// caller's district may stay as it is).
	Region string
}

// collectKeys scans id, key, in-scope flag, two links and a region.
func CollectKeys(ctx context.Context, q Querier, query string, args []any, put func(string, ImportKey)) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k ImportKey
		var key []byte
		var in int
		var l1, l2 sql.NullInt64
		if err := rows.Scan(&k.ID, &key, &in, &l1, &l2, &k.Region); err != nil {
			return err
		}
		k.InScope = in == 1
		for _, l := range []sql.NullInt64{l1, l2} {
			if l.Valid {
				k.Links = append(k.Links, l.Int64)
			}
		}
		put(string(key), k)
	}
	return rows.Err()
}

// keyChunk bounds the values of one IN list (well under both engines'
// parameter limits).
const keyChunk = 500

func Chunked[T any](xs []T, fn func([]T) error, size ...int) error {
	n := keyChunk
	if len(size) > 0 {
		n = size[0]
	}
	for i := 0; i < len(xs); i += n {
		if err := fn(xs[i:min(i+n, len(xs))]); err != nil {
			return err
		}
	}
	return nil
}

func Anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// split plans each row of a batch: skipped (unchanged, or refused into the
// batch's result), or a record to create (isNew) or to update.
func Split[R, C any](rows []R, plan func(R) (C, bool, error), isNew func(C) bool) (creates, updates []C, err error) {
	for _, r := range rows {
		ch, skip, err := plan(r)
		switch {
		case err != nil:
			return nil, nil, err
		case skip:
		case isNew(ch):
			creates = append(creates, ch)
		default:
			updates = append(updates, ch)
		}
	}
	return creates, updates, nil
}

// finishBatch writes a batch's history and its audit event, then runs the
// test hook.
func (s *DB) FinishBatch(ctx context.Context, t *Tx, c Caller, b ImportBatch, objectType string, hist []HistoryRow, created, updated []int64) error {
	if err := s.batchHistory(ctx, t, c, objectType, hist); err != nil {
		return err
	}
	if err := s.auditBatch(ctx, t, c, b.JobID, objectType, created, updated); err != nil {
		return err
	}
	if b.BeforeCommit != nil {
		return b.BeforeCommit()
	}
	return nil
}

// historyRow is one history entry to write.
type HistoryRow struct {
	ID            int64
	Action        string
	Before, After any
}

// loadRegistered finds which of a batch's keys are registered, a chunk of
// keys at a time: the records inside the scope (the query inside and scan,
// which gives each record's key), and the keys of the records outside it
// (every record with the keys, by the query all + "(?, …)" whose rows are
// id, raw key, …; keyOf maps a raw key back, "" for none).
func LoadRegistered[T any](ctx context.Context, t *Tx, keys []any, inside func(part []any) (string, []any),
	scan func(*sql.Rows) (string, T, error), all string, keyOf func([]byte) string) (map[string]T, map[string]bool, error) {
	in := map[string]T{}
	out := map[string]bool{}
	err := Chunked(keys, func(part []any) error {
		q, args := inside(part)
		rows, err := t.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			k, v, err := scan(rows)
			if err != nil {
				return err
			}
			in[k] = v
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return CollectKeys(ctx, t, all+`(`+Placeholders(len(part))+`)`, part, func(raw string, _ ImportKey) {
			if k := keyOf([]byte(raw)); k != "" {
				if _, ok := in[k]; !ok {
					out[k] = true
				}
			}
		})
	})
	return in, out, err
}

// insertRows is how many records one multi-row INSERT carries (31 values
// each: under SQLite's 32,766 and PostgreSQL's 65,535 parameters).
const InsertRows = 200

// insertReturning runs a multi-row INSERT … RETURNING id, key and hands
// each new id with its natural key to put (the engines do not promise the
// order of RETURNING rows, so they are matched by key).
func (s *DB) InsertReturning(ctx context.Context, t *Tx, q string, args []any, put func(int64, []byte)) error {
	rows, err := t.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key []byte
		if err := rows.Scan(&id, &key); err != nil {
			return err
		}
		put(id, key)
	}
	return rows.Err()
}

func RepeatRow(row string, n int) string {
	return strings.TrimSuffix(strings.Repeat(row+", ", n), ", ")
}

// batchHistory records each change with its changed fields, in multi-row
// INSERTs.
func (s *DB) batchHistory(ctx context.Context, t *Tx, c Caller, objectType string, hs []HistoryRow) error {
	return Chunked(hs, func(part []HistoryRow) error {
		args := make([]any, 0, len(part)*7)
		for _, h := range part {
			b, err := json.Marshal(Diff(h.Before, h.After))
			if err != nil {
				return err
			}
			args = append(args, objectType, h.ID, TS(c.Now), NullInt(c.Actor.UserID), c.Actor.Username, h.Action, string(b))
		}
		_, err := t.Exec(ctx, `INSERT INTO history (object_type, object_id, at, user_id, username, action, changes) VALUES `+RepeatRow("(?, ?, ?, ?, ?, ?, ?)", len(part)), args...)
		return err
	}, InsertRows)
}

func (s *DB) auditBatch(ctx context.Context, t *Tx, c Caller, jobID int64, objectType string, created, updated []int64) error {
	if len(created)+len(updated) == 0 {
		return nil
	}
	e := audit.New(c.Now, c.Actor, audit.ActionImport, objectType, "", audit.ResultSuccess)
	e.Reason = fmt.Sprintf("导入任务 %d：新增 %d 条，修改 %d 条（变更前后见各记录的变更历史）", jobID, len(created), len(updated))
	return s.AppendAudit(ctx, t, e.WithStates(nil, map[string]any{"job": jobID, "created": created, "updated": updated}))
}

func CollectIDs(ctx context.Context, t *Tx, q string, args []any, into map[int64]bool) error {
	rows, err := t.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		into[id] = true
	}
	return rows.Err()
}
