package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// Import job states.
const (
	ImportQueued     = "queued"
	ImportValidating = "validating"
	ImportImporting  = "importing"
	ImportDone       = "done"
	ImportFailed     = "failed"
	ImportRejected   = "rejected"
)

// MaxStoredImportErrors caps the cell errors kept with a job: the page shows
// them, and the error copy of the workbook holds every one of them.
const MaxStoredImportErrors = 1000

// ImportError is one bad cell (or, without a column, a bad row) of an import.
type ImportError struct {
	Row    int    `json:"row"`
	Column string `json:"column"` // the column's letter in the uploaded sheet ("C"); "" for the whole row
	Header string `json:"header"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
}

// ImportJob is one upload and its outcome.
type ImportJob struct {
	ID           int64         `json:"id"`
	Kind         string        `json:"kind"`
	FileName     string        `json:"file_name"`
	SkipInvalid  bool          `json:"skip_invalid"`
	Status       string        `json:"status"`
	Total        int           `json:"total"`
	Imported     int           `json:"imported"`
	Unchanged    int           `json:"unchanged"`
	Rejected     int           `json:"rejected"`
	Progress     float64       `json:"progress"`
	Message      string        `json:"message"`
	Errors       []ImportError `json:"errors"`
	ErrorCount   int           `json:"error_count"`
	Username     string        `json:"username"`
	CreatedAt    string        `json:"created_at"`
	FinishedAt   string        `json:"finished_at"`
	HasErrorCopy bool          `json:"has_error_copy"`
}

// Finished reports whether the job has reached an end state.
func (j ImportJob) Finished() bool {
	return j.Status == ImportDone || j.Status == ImportFailed || j.Status == ImportRejected
}

// CreateImportJob records a queued job of the caller, in the caller's scope.
func (s *Store) CreateImportJob(ctx context.Context, c Caller, kind, fileName string, skipInvalid bool) (ImportJob, error) {
	j := ImportJob{Kind: kind, FileName: fileName, SkipInvalid: skipInvalid, Status: ImportQueued, Errors: []ImportError{}, Username: c.Actor.Username, CreatedAt: ts(c.Now)}
	err := s.write(ctx, func(t *tx) error {
		return t.queryRow(ctx, `INSERT INTO import_jobs (kind, file_name, skip_invalid, status, user_id, username, scope_path, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, kind, fileName, boolInt(skipInvalid), ImportQueued, nullInt(c.Actor.UserID),
			c.Actor.Username, c.Scope.Path, j.CreatedAt, j.CreatedAt).Scan(&j.ID)
	})
	return j, err
}

// UpdateImportJob saves a running job's state and counts (not its errors).
func (s *Store) UpdateImportJob(ctx context.Context, j ImportJob, now time.Time) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `UPDATE import_jobs SET status = ?, total = ?, imported = ?, unchanged = ?, rejected = ?, progress = ?, message = ?, updated_at = ? WHERE id = ?`,
			j.Status, j.Total, j.Imported, j.Unchanged, j.Rejected, j.Progress, j.Message, ts(now), j.ID)
		return err
	})
}

// FinishImportJob saves a job's end state with its first errors, and audits
// the import with its counts in the same transaction.
func (s *Store) FinishImportJob(ctx context.Context, c Caller, j ImportJob) error {
	errs := j.Errors
	if len(errs) > MaxStoredImportErrors {
		errs = errs[:MaxStoredImportErrors]
	}
	if errs == nil {
		errs = []ImportError{}
	}
	b, err := json.Marshal(errs)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `UPDATE import_jobs SET status = ?, total = ?, imported = ?, unchanged = ?, rejected = ?, progress = ?, message = ?,
			errors = ?, error_count = ?, updated_at = ?, finished_at = ? WHERE id = ?`,
			j.Status, j.Total, j.Imported, j.Unchanged, j.Rejected, j.Progress, j.Message, string(b), j.ErrorCount, ts(c.Now), ts(c.Now), j.ID); err != nil {
			return err
		}
		result := audit.ResultSuccess
		if j.Status != ImportDone {
			result = audit.ResultFailure
		}
		e := audit.New(c.Now, c.Actor, audit.ActionImport, "import_job", itoa64(j.ID), result)
		e.Reason = fmt.Sprintf("导入%s「%s」：共 %d 行，导入 %d 行，未变化 %d 行，拒绝 %d 行", importKindName(j.Kind), j.FileName, j.Total, j.Imported, j.Unchanged, j.Rejected)
		if j.Message != "" {
			e.Reason += "；" + j.Message
		}
		return s.appendAudit(ctx, t, e)
	})
}

func importKindName(kind string) string {
	if kind == "members" {
		return "党员"
	}
	return "两新组织"
}

const importJobCols = `id, kind, file_name, skip_invalid, status, total, imported, unchanged, rejected, progress, message, errors, error_count,
	username, created_at, COALESCE(finished_at, '')`

func scanImportJob(r interface{ Scan(...any) error }, withErrors bool) (ImportJob, error) {
	var j ImportJob
	var skip int
	var errs, created, finished string
	err := r.Scan(&j.ID, &j.Kind, &j.FileName, &skip, &j.Status, &j.Total, &j.Imported, &j.Unchanged, &j.Rejected, &j.Progress, &j.Message,
		&errs, &j.ErrorCount, &j.Username, &created, &finished)
	if err != nil {
		return j, err
	}
	j.SkipInvalid, j.HasErrorCopy = skip == 1, j.ErrorCount > 0
	j.CreatedAt = parseTS(created).Format("2006-01-02T15:04:05Z")
	if finished != "" {
		j.FinishedAt = parseTS(finished).Format("2006-01-02T15:04:05Z")
	}
	j.Errors = []ImportError{}
	if withErrors {
		if err := json.Unmarshal([]byte(errs), &j.Errors); err != nil {
			return j, err
		}
	}
	return j, nil
}

// GetImportJob returns a job started inside the scope: a district sees the
// jobs of its own staff and of the Party orgs under it, never a city job.
func (s *Store) GetImportJob(ctx context.Context, sc Scope, id int64) (ImportJob, error) {
	lo, hi := sc.bounds()
	j, err := scanImportJob(s.queryRow(ctx, `SELECT `+importJobCols+` FROM import_jobs WHERE id = ? AND scope_path >= ? AND scope_path < ?`, id, lo, hi), true)
	if errors.Is(err, sql.ErrNoRows) {
		return j, domain.ErrNotFound
	}
	return j, err
}

// ListImportJobs returns the newest jobs started inside the scope, without
// their errors.
func (s *Store) ListImportJobs(ctx context.Context, sc Scope, limit int) ([]ImportJob, error) {
	lo, hi := sc.bounds()
	rows, err := s.queryRows(ctx, `SELECT `+importJobCols+` FROM import_jobs WHERE scope_path >= ? AND scope_path < ? ORDER BY id DESC LIMIT ?`, lo, hi, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ImportJob{}
	for rows.Next() {
		j, err := scanImportJob(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// FailInterruptedImports marks the jobs a stopped server left unfinished as
// failed. Their committed batches stay; importing the file again completes
// them without duplicates (imports upsert on natural keys).
func (s *Store) FailInterruptedImports(ctx context.Context, c Caller) (int64, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		r, err := t.exec(ctx, `UPDATE import_jobs SET status = ?, message = ?, updated_at = ?, finished_at = ? WHERE status IN (?, ?, ?)`,
			ImportFailed, "服务重启，导入被中断：已提交的批次已保存，请重新导入该文件以完成（已导入的行不会重复）", ts(c.Now), ts(c.Now),
			ImportQueued, ImportValidating, ImportImporting)
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	return n, err
}
