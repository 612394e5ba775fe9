package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// Runner runs import jobs in the background of the server, Workers at a
// time. A job's upload and its error copy are kept in Dir/<id>/ (files,
// not database rows: they can be tens of megabytes, and hold personal data
// that is readable only by the service account).
type Runner struct {
	Store  *store.Store
	Dir    string
	Now    func() time.Time
	Log    *slog.Logger
	Limits xlsx.Limits
	// Workers bounds the jobs running at once (default 1): an import is
	// mostly one writer's work, and the web server must stay responsive.
	Workers int
	// Imported, when set, is called after a job imported rows (the alert
	// engine re-evaluates: an import can raise or clear alerts).
	Imported func()

	once sync.Once
	sem  chan struct{}
	wg   sync.WaitGroup
}

const (
	uploadName    = "upload.xlsx"
	errorCopyName = "errors.xlsx"
	// How often a running job's progress is saved for the page to poll.
	progressSaveEvery = 500 * time.Millisecond
)

func (r *Runner) init() {
	r.once.Do(func() {
		n := r.Workers
		if n <= 0 {
			n = 1
		}
		r.sem = make(chan struct{}, n)
		if r.Now == nil {
			r.Now = time.Now
		}
		if r.Log == nil {
			r.Log = slog.Default()
		}
	})
}

// MaxUpload is the largest file a job accepts.
func (r *Runner) MaxUpload() int64 {
	if r.Limits.MaxFileBytes > 0 {
		return r.Limits.MaxFileBytes
	}
	return xlsx.DefaultMaxFileBytes
}

// Recover marks the jobs a previous run of the server left unfinished as
// failed (call it on start, before serving).
func (r *Runner) Recover(ctx context.Context) error {
	r.init()
	n, err := r.Store.FailInterruptedImports(ctx, store.System(r.Now(), "system"))
	if n > 0 {
		r.Log.Warn("import jobs interrupted by a restart marked failed", "count", n)
	}
	r.sweepErrorCopies()
	// Uploads of interrupted jobs (personal data in plain text) and
	// unfinished uploads go too.
	uploads, _ := filepath.Glob(filepath.Join(r.Dir, "*", uploadName))
	tmps, _ := filepath.Glob(filepath.Join(r.Dir, "upload-*.tmp"))
	for _, f := range append(uploads, tmps...) {
		if rerr := os.Remove(f); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			r.Log.Error("import upload removal", "file", f, "err", rerr)
		}
	}
	return err
}

// Submit records a job for the uploaded file at tmpPath (moved into the
// job's directory) and starts it in the background.
func (r *Runner) Submit(c store.Caller, kind, fileName string, skipInvalid bool, tmpPath string) (store.ImportJob, error) {
	r.init()
	if _, _, ok := TemplateOf(kind); !ok {
		return store.ImportJob{}, fmt.Errorf("unknown import kind %q", kind)
	}
	j, err := r.Store.CreateImportJob(context.Background(), c, kind, fileName, skipInvalid)
	if err != nil {
		return j, err
	}
	if err := r.keepUpload(j.ID, tmpPath); err != nil {
		// The job exists: end it rather than leave it queued forever.
		j.Status, j.Message = store.ImportFailed, "无法保存上传的文件，请稍后重试"
		if ferr := r.Store.FinishImportJob(context.Background(), c, j); ferr != nil {
			r.Log.Error("import finish", "job", j.ID, "err", ferr)
		}
		return j, err
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.sem <- struct{}{}
		defer func() { <-r.sem }()
		r.run(c, j)
	}()
	return j, nil
}

// ErrorCopyDays is how long an error copy is kept: long enough to correct
// the rows and import again, not forever (a members file's copy holds ID
// numbers and phones as typed).
const ErrorCopyDays = 30

// sweepErrorCopies deletes error copies older than ErrorCopyDays; it runs at
// start and after every import.
func (r *Runner) sweepErrorCopies() {
	copies, _ := filepath.Glob(filepath.Join(r.Dir, "*", errorCopyName))
	limit := r.Now().AddDate(0, 0, -ErrorCopyDays)
	for _, f := range copies {
		if fi, err := os.Stat(f); err == nil && fi.ModTime().Before(limit) {
			if err := os.Remove(f); err != nil {
				r.Log.Error("import error copy removal", "file", f, "err", err)
			}
		}
	}
}

// keepUpload moves an upload into its job's directory.
func (r *Runner) keepUpload(id int64, tmpPath string) error {
	dir := r.jobDir(id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.Rename(tmpPath, filepath.Join(dir, uploadName))
}

// TempFile creates a file for an upload in progress, on the file system
// where jobs live (so that Submit's rename is cheap).
func (r *Runner) TempFile() (*os.File, error) {
	if err := os.MkdirAll(r.Dir, 0o700); err != nil {
		return nil, err
	}
	return os.CreateTemp(r.Dir, "upload-*.tmp")
}

// Wait waits for the running jobs (tests, shutdown).
func (r *Runner) Wait() { r.wg.Wait() }

func (r *Runner) jobDir(id int64) string { return filepath.Join(r.Dir, strconv.FormatInt(id, 10)) }

// ErrorCopy opens a job's error copy.
func (r *Runner) ErrorCopy(id int64) (*os.File, error) {
	return os.Open(filepath.Join(r.jobDir(id), errorCopyName))
}

// run imports a job's file in the background and keeps its error copy.
func (r *Runner) run(c store.Caller, j store.ImportJob) {
	c.Now = r.Now()
	res, err := RunJob(context.Background(), r.Store, c, j, filepath.Join(r.jobDir(j.ID), uploadName), Options{Limits: r.Limits}, r.Now)
	if err != nil {
		r.Log.Error("import failed", "job", j.ID, "err", err)
	}
	if res != nil && res.Imported > 0 && r.Imported != nil {
		r.Imported()
	}
	if res != nil && res.HasErrorCopy() {
		if err := r.writeErrorCopy(j.ID, res); err != nil {
			r.Log.Error("import error copy", "job", j.ID, "err", err)
		}
	}
	// The upload may hold ID numbers and phones in plain text: it is not
	// kept once read (a re-run is a new upload; the error copy keeps only
	// the bad rows, for their correction).
	if err := os.Remove(filepath.Join(r.jobDir(j.ID), uploadName)); err != nil && !errors.Is(err, os.ErrNotExist) {
		r.Log.Error("import upload removal", "job", j.ID, "err", err)
	}
	r.sweepErrorCopies()
}

// RunJob imports the file at path as the job j (its kind and skip-invalid
// setting) and records the outcome: progress while it runs, then status,
// counts, errors and the audit event. A panic or a database failure fails
// the job (committed batches stay; a re-run completes them) and is
// returned; problems of the file are in the Result.
func RunJob(ctx context.Context, s *store.Store, c store.Caller, j store.ImportJob, path string, opt Options, now func() time.Time) (*Result, error) {
	opt.Kind, opt.SkipInvalid, opt.JobID = j.Kind, j.SkipInvalid, j.ID
	report := opt.Progress
	last := time.Time{}
	opt.Progress = func(p Progress) {
		j.Status, j.Progress = p.Phase, p.Fraction()
		if p.Phase == PhaseValidating {
			j.Total = p.Done
		}
		if t := time.Now(); t.Sub(last) >= progressSaveEvery || p.Done == p.Total {
			last = t
			if err := s.UpdateImportJob(ctx, j, now()); err != nil && ctx.Err() == nil {
				slog.Warn("import progress", "job", j.ID, "err", err)
			}
		}
		if report != nil {
			report(p)
		}
	}
	opt.Progress(Progress{Phase: PhaseValidating})
	res, err := importSafely(ctx, s, c, path, opt)
	j = outcome(j, res, err)
	c.Now = now()
	if ferr := s.FinishImportJob(ctx, c, j); ferr != nil && err == nil {
		err = ferr
	}
	return res, err
}

func importSafely(ctx context.Context, s *store.Store, c store.Caller, path string, opt Options) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return Import(ctx, s, c, path, opt)
}

// outcome copies an import's result into its job.
func outcome(j store.ImportJob, res *Result, err error) store.ImportJob {
	if res != nil {
		j.Status, j.Message = res.Status, res.Message
		j.Total, j.Imported, j.Unchanged, j.Rejected = res.Total, res.Imported, res.Unchanged, res.Rejected
		j.Errors, j.ErrorCount = res.Errors, len(res.Errors)
	}
	if err != nil {
		j.Status = store.ImportFailed
		j.Message = "导入中断：服务器内部错误，已提交的批次已保存；请稍后重新导入该文件（已导入的行不会重复），如仍失败请联系系统管理员"
	}
	if j.Status == store.ImportDone || j.Status == store.ImportRejected {
		j.Progress = 1
	}
	return j
}

func (r *Runner) writeErrorCopy(id int64, res *Result) error {
	f, err := os.OpenFile(filepath.Join(r.jobDir(id), errorCopyName), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if err := res.WriteErrorCopy(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ErrTooLarge is returned by CopyUpload for a file over the limit.
var ErrTooLarge = errors.New("upload too large")

// CopyUpload copies an upload into w, refusing more than limit bytes.
func CopyUpload(w io.Writer, r io.Reader, limit int64) (int64, error) {
	n, err := io.Copy(w, io.LimitReader(r, limit+1))
	if err == nil && n > limit {
		return n, ErrTooLarge
	}
	return n, err
}
