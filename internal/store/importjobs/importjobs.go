package importjobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/lianxin/lianxin/internal/store"

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
	// Instance is the server instance holding the upload and the error
	// copy ("" for lianxin import); UploadBytes the upload's size.
	Instance    string `json:"-"`
	UploadBytes int64  `json:"-"`
}

// Finished reports whether the job has reached an end state.
func (j ImportJob) Finished() bool {
	return j.Status == ImportDone || j.Status == ImportFailed || j.Status == ImportRejected
}

// NewImportJob is an upload to record as a queued job.
type NewImportJob struct {
	Kind, FileName string
	SkipInvalid    bool
	Instance       string // the instance that keeps the upload and runs the job
	UploadBytes    int64
	// Quota, when set, bounds the queue: the job is refused with a
	// *domain.LimitError when the caller's account or the uploads of all
	// instances are at their bound.
	Quota *domain.ImportQuota
}

// unfinished lists the states of a job that holds a place in the queue.
const unfinished = `status IN ('queued', 'validating', 'importing')`

// importQueueLock serializes the queue's admissions on PostgreSQL, so that
// two instances cannot both admit the last place (SQLite has one writer).
const importQueueLock = 0x6c78_696d_7071 // "lximpq"

// CreateImportJob records a queued job of the caller, in the caller's scope,
// within in.Quota when set.
func (s *Store) CreateImportJob(ctx context.Context, c store.Caller, in NewImportJob) (ImportJob, error) {
	j := ImportJob{Kind: in.Kind, FileName: in.FileName, SkipInvalid: in.SkipInvalid, Status: ImportQueued, Errors: []ImportError{},
		Username: c.Actor.Username, CreatedAt: store.TS(c.Now), Instance: in.Instance, UploadBytes: in.UploadBytes}
	err := s.db.Write(ctx, func(t *store.Tx) error {
		if in.Quota != nil {
			if err := t.AdvisoryLock(ctx, importQueueLock); err != nil {
				return err
			}
			load, err := importLoad(ctx, t, c.Actor.UserID)
			if err != nil {
				return err
			}
			if err := in.Quota.Admit(load, in.UploadBytes); err != nil {
				return err
			}
		}
		return t.QueryRow(ctx, `INSERT INTO import_jobs (kind, file_name, skip_invalid, status, user_id, username, scope_path, created_at, updated_at, instance, upload_bytes)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Kind, in.FileName, store.BoolInt(in.SkipInvalid), ImportQueued, store.NullInt(c.Actor.UserID),
			c.Actor.Username, c.Scope.Path, j.CreatedAt, j.CreatedAt, in.Instance, in.UploadBytes).Scan(&j.ID)
	})
	return j, err
}

// ImportLoad is what the import queue holds now, across instances: the
// account's unfinished jobs and the bytes of every unfinished upload.
func (s *Store) ImportLoad(ctx context.Context, userID int64) (domain.ImportLoad, error) {
	return importLoad(ctx, s.db.Pool(), userID)
}

func importLoad(ctx context.Context, q store.Querier, userID int64) (domain.ImportLoad, error) {
	var l domain.ImportLoad
	err := q.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM import_jobs WHERE user_id = ? AND `+unfinished+`),
		(SELECT COALESCE(SUM(upload_bytes), 0) FROM import_jobs WHERE `+unfinished+`)`, userID).Scan(&l.Account, &l.Bytes)
	return l, err
}

// StartImportJob moves a queued job to validating; false when it is no
// longer queued (failed meanwhile as left behind by a stopped instance).
func (s *Store) StartImportJob(ctx context.Context, id int64, now time.Time) (bool, error) {
	var n int64
	err := s.db.Write(ctx, func(t *store.Tx) error {
		r, err := t.Exec(ctx, `UPDATE import_jobs SET status = ?, updated_at = ? WHERE id = ? AND status = ?`, ImportValidating, store.TS(now), id, ImportQueued)
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	return n == 1, err
}

// TouchImportJobs records that the instance still holds its unfinished
// jobs (their updated_at), so that no other instance takes them for left
// behind.
func (s *Store) TouchImportJobs(ctx context.Context, instance string, now time.Time) error {
	return s.db.Write(ctx, func(t *store.Tx) error {
		_, err := t.Exec(ctx, `UPDATE import_jobs SET updated_at = ? WHERE instance = ? AND `+unfinished, store.TS(now), instance)
		return err
	})
}

// UpdateImportJob saves a running job's state and counts (not its errors).
func (s *Store) UpdateImportJob(ctx context.Context, j ImportJob, now time.Time) error {
	return s.db.Write(ctx, func(t *store.Tx) error {
		_, err := t.Exec(ctx, `UPDATE import_jobs SET status = ?, total = ?, imported = ?, unchanged = ?, rejected = ?, progress = ?, message = ?, updated_at = ? WHERE id = ?`,
			j.Status, j.Total, j.Imported, j.Unchanged, j.Rejected, j.Progress, j.Message, store.TS(now), j.ID)
		return err
	})
}

// FinishImportJob saves a job's end state with its first errors, and audits
// the import with its counts in the same transaction.
func (s *Store) FinishImportJob(ctx context.Context, c store.Caller, j ImportJob) error {
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
	return s.db.Write(ctx, func(t *store.Tx) error {
		if _, err := t.Exec(ctx, `UPDATE import_jobs SET status = ?, total = ?, imported = ?, unchanged = ?, rejected = ?, progress = ?, message = ?,
			errors = ?, error_count = ?, updated_at = ?, finished_at = ? WHERE id = ?`,
			j.Status, j.Total, j.Imported, j.Unchanged, j.Rejected, j.Progress, j.Message, string(b), j.ErrorCount, store.TS(c.Now), store.TS(c.Now), j.ID); err != nil {
			return err
		}
		result := audit.ResultSuccess
		if j.Status != ImportDone {
			result = audit.ResultFailure
		}
		e := audit.New(c.Now, c.Actor, audit.ActionImport, "import_job", store.Itoa64(j.ID), result)
		e.Reason = fmt.Sprintf("导入%s「%s」：共 %d 行，导入 %d 行，未变化 %d 行，拒绝 %d 行", importKindName(j.Kind), j.FileName, j.Total, j.Imported, j.Unchanged, j.Rejected)
		if j.Message != "" {
			e.Reason += "；" + j.Message
		}
		return s.db.AppendAudit(ctx, t, e)
	})
}

func importKindName(kind string) string {
	if kind == "members" {
		return "党员"
	}
	return "两新组织"
}

const importJobCols = `id, kind, file_name, skip_invalid, status, total, imported, unchanged, rejected, progress, message, errors, error_count,
	username, created_at, COALESCE(finished_at, ''), instance, upload_bytes`

func scanImportJob(r interface{ Scan(...any) error }, withErrors bool) (ImportJob, error) {
	var j ImportJob
	var skip int
	var errs, created, finished string
	err := r.Scan(&j.ID, &j.Kind, &j.FileName, &skip, &j.Status, &j.Total, &j.Imported, &j.Unchanged, &j.Rejected, &j.Progress, &j.Message,
		&errs, &j.ErrorCount, &j.Username, &created, &finished, &j.Instance, &j.UploadBytes)
	if err != nil {
		return j, err
	}
	j.SkipInvalid, j.HasErrorCopy = skip == 1, j.ErrorCount > 0
	j.CreatedAt = store.ParseTS(created).Format("2006-01-02T15:04:05Z")
	if finished != "" {
		j.FinishedAt = store.ParseTS(finished).Format("2006-01-02T15:04:05Z")
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
func (s *Store) GetImportJob(ctx context.Context, sc store.Scope, id int64) (ImportJob, error) {
	lo, hi := sc.Bounds()
	j, err := scanImportJob(s.db.QueryRow(ctx, `SELECT `+importJobCols+` FROM import_jobs WHERE id = ? AND scope_path >= ? AND scope_path < ?`, id, lo, hi), true)
	if errors.Is(err, sql.ErrNoRows) {
		return j, domain.ErrNotFound
	}
	return j, err
}

// ListImportJobs returns the newest jobs started inside the scope, without
// their errors.
func (s *Store) ListImportJobs(ctx context.Context, sc store.Scope, limit int) ([]ImportJob, error) {
	lo, hi := sc.Bounds()
	rows, err := s.db.QueryRows(ctx, `SELECT `+importJobCols+` FROM import_jobs WHERE scope_path >= ? AND scope_path < ? ORDER BY id DESC LIMIT ?`, lo, hi, limit)
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

// FailInterruptedImports marks failed, on an instance's start, the jobs no
// server will finish: the instance's own from before the restart, those of
// no instance, and those their instance stopped touching before
// staleBefore. Their committed batches stay; importing the file again
// completes them without duplicates (imports upsert on natural keys).
func (s *Store) FailInterruptedImports(ctx context.Context, c store.Caller, instance string, staleBefore time.Time) (int64, error) {
	return s.failImports(ctx, c, "服务重启，导入被中断：已提交的批次已保存，请重新导入该文件以完成（已导入的行不会重复）",
		`(instance = ? OR instance = '' OR updated_at < ?)`, instance, store.TS(staleBefore))
}

// FailStaleImports marks failed the unfinished jobs whose instance stopped
// touching them before staleBefore (it stopped): they would otherwise hold
// their account's places in the queue for ever.
func (s *Store) FailStaleImports(ctx context.Context, c store.Caller, staleBefore time.Time) (int64, error) {
	return s.failImports(ctx, c, "执行导入的服务实例已停止，导入被中断：已提交的批次已保存，请重新导入该文件以完成（已导入的行不会重复）",
		`updated_at < ?`, store.TS(staleBefore))
}

func (s *Store) failImports(ctx context.Context, c store.Caller, msg, cond string, args ...any) (int64, error) {
	var n int64
	err := s.db.Write(ctx, func(t *store.Tx) error {
		r, err := t.Exec(ctx, `UPDATE import_jobs SET status = ?, message = ?, updated_at = ?, finished_at = ? WHERE `+unfinished+` AND `+cond,
			append([]any{ImportFailed, msg, store.TS(c.Now), store.TS(c.Now)}, args...)...)
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	return n, err
}
