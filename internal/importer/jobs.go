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

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// Runner runs import jobs in the background of the server, Workers at a
// time. A job's upload and its error copy are kept in Dir/<id>/ (files,
// not database rows: they can be tens of megabytes, and hold personal data
// that is readable only by the service account).
//
// The queue is bounded (Quota, counted in the database across every
// instance) and served round-robin over districts and accounts
// (domain.ImportTurns), so that one district's many files do not hold back
// another's. A job runs on the instance that received its upload; with
// several instances each runner serves its own uploads, touches its
// unfinished jobs every minute, and fails those an instance left behind.
type Runner struct {
	Store  *stores.Set
	Dir    string
	Now    func() time.Time
	Log    *slog.Logger
	Limits xlsx.Limits
	// Workers bounds the jobs running at once (default 1): an import is
	// mostly one writer's work, and the web server must stay responsive.
	Workers int
	// Instance names this server among the instances sharing the database
	// (stable across restarts: its jobs are failed when it starts again).
	Instance string
	// Quota bounds the queue (zero fields: the domain's defaults).
	Quota domain.ImportQuota
	// Imported, when set, is called after a job imported rows (the alert
	// engine re-evaluates: an import can raise or clear alerts).
	Imported func()

	once    sync.Once
	mu      sync.Mutex
	started bool
	running int
	queue   []queuedJob
	turns   domain.ImportTurns
	wg      sync.WaitGroup
}

// queuedJob is a recorded job waiting for a worker, with who submitted it.
type queuedJob struct {
	job    importjobs.ImportJob
	caller store.Caller
}

const (
	uploadName    = "upload.xlsx"
	errorCopyName = "errors.xlsx"
	// How often a running job's progress is saved for the page to poll.
	progressSaveEvery = 500 * time.Millisecond
	// How often a runner touches its unfinished jobs, and after how long
	// without a touch a job is taken for left behind by a stopped instance.
	touchEvery = time.Minute
	StaleAfter = 10 * time.Minute
)

func (r *Runner) init() {
	r.once.Do(func() {
		if r.Workers <= 0 {
			r.Workers = 1
		}
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

// Recover marks the jobs a previous run of this instance left unfinished
// (and those of stopped instances) as failed, and removes the uploads left
// in Dir (call it on start, before serving and before Start).
func (r *Runner) Recover(ctx context.Context) error {
	r.init()
	now := r.Now()
	n, err := r.Store.ImportJobs.FailInterruptedImports(ctx, store.System(now, "system"), r.Instance, now.Add(-StaleAfter))
	if n > 0 {
		r.Log.Warn("import jobs interrupted by a restart marked failed", "count", n)
	}
	r.sweepErrorCopies()
	// Uploads of interrupted jobs (personal data in plain text) and
	// unfinished uploads go too: Dir is this instance's own.
	uploads, _ := filepath.Glob(filepath.Join(r.Dir, "*", uploadName))
	tmps, _ := filepath.Glob(filepath.Join(r.Dir, "upload-*.tmp"))
	for _, f := range append(uploads, tmps...) {
		if rerr := os.Remove(f); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
			r.Log.Error("import upload removal", "file", f, "err", rerr)
		}
	}
	return err
}

// Start runs the queued jobs, and until ctx ends touches this instance's
// unfinished jobs and fails those that stopped instances left behind.
func (r *Runner) Start(ctx context.Context) {
	r.init()
	r.mu.Lock()
	r.started = true
	r.mu.Unlock()
	r.dispatch()
	go func() {
		t := time.NewTicker(touchEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				r.keepAlive(ctx)
			}
		}
	}()
}

// keepAlive is one tick of Start's loop.
func (r *Runner) keepAlive(ctx context.Context) {
	now := r.Now()
	if err := r.Store.ImportJobs.TouchImportJobs(ctx, r.Instance, now); err != nil && ctx.Err() == nil {
		r.Log.Warn("import jobs touch", "err", err)
	}
	n, err := r.Store.ImportJobs.FailStaleImports(ctx, store.System(now, "system"), now.Add(-StaleAfter))
	if err != nil && ctx.Err() == nil {
		r.Log.Warn("import jobs of stopped instances", "err", err)
	}
	if n > 0 {
		r.Log.Warn("import jobs of a stopped instance marked failed", "count", n)
	}
}

// Admit refuses early, before an upload is read, when the caller's account
// or the upload space is already at its bound (Submit decides for good).
func (r *Runner) Admit(ctx context.Context, c store.Caller) error {
	load, err := r.Store.ImportJobs.ImportLoad(ctx, c.Actor.UserID)
	if err != nil {
		return err
	}
	return r.Quota.Admit(load, 0)
}

// Submit records a job for the uploaded file at tmpPath (moved into the
// job's directory) and queues it; a full queue refuses it with a
// *domain.LimitError.
func (r *Runner) Submit(c store.Caller, kind, fileName string, skipInvalid bool, tmpPath string) (importjobs.ImportJob, error) {
	r.init()
	if _, _, ok := TemplateOf(kind); !ok {
		return importjobs.ImportJob{}, fmt.Errorf("unknown import kind %q", kind)
	}
	fi, err := os.Stat(tmpPath)
	if err != nil {
		return importjobs.ImportJob{}, err
	}
	j, err := r.Store.ImportJobs.CreateImportJob(context.Background(), c, importjobs.NewImportJob{Kind: kind, FileName: fileName, SkipInvalid: skipInvalid,
		Instance: r.Instance, UploadBytes: fi.Size(), Quota: &r.Quota})
	if err != nil {
		return j, err
	}
	if err := r.keepUpload(j.ID, tmpPath); err != nil {
		// The job exists: end it rather than leave it queued forever.
		j.Status, j.Message = importjobs.ImportFailed, "无法保存上传的文件，请稍后重试"
		if ferr := r.Store.ImportJobs.FinishImportJob(context.Background(), c, j); ferr != nil {
			r.Log.Error("import finish", "job", j.ID, "err", ferr)
		}
		return j, err
	}
	r.wg.Add(1)
	r.mu.Lock()
	r.queue = append(r.queue, queuedJob{job: j, caller: c})
	r.mu.Unlock()
	r.dispatch()
	return j, nil
}

// dispatch starts queued jobs while workers are free, each chosen by turn.
func (r *Runner) dispatch() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for r.started && r.running < r.Workers && len(r.queue) > 0 {
		waiting := make([]domain.QueuedImport, len(r.queue))
		for i, q := range r.queue {
			waiting[i] = domain.QueuedImport{District: domain.DistrictPathOf(q.caller.Scope.Path), Account: q.caller.Actor.Username}
		}
		i := r.turns.Next(waiting)
		q := r.queue[i]
		r.queue = append(r.queue[:i:i], r.queue[i+1:]...)
		r.running++
		go func() {
			defer r.wg.Done()
			r.run(q.caller, q.job)
			r.mu.Lock()
			r.running--
			r.mu.Unlock()
			r.dispatch()
		}()
	}
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

// run imports a job's file in the background and keeps its error copy; the
// upload is removed once the job has ended, whatever the outcome.
func (r *Runner) run(c store.Caller, j importjobs.ImportJob) {
	upload := filepath.Join(r.jobDir(j.ID), uploadName)
	// The upload may hold ID numbers and phones in plain text: it is not
	// kept once read (a re-run is a new upload; the error copy keeps only
	// the bad rows, for their correction).
	defer func() {
		if err := os.Remove(upload); err != nil && !errors.Is(err, os.ErrNotExist) {
			r.Log.Error("import upload removal", "job", j.ID, "err", err)
		}
		r.sweepErrorCopies()
	}()
	c.Now = r.Now()
	ok, err := r.Store.ImportJobs.StartImportJob(context.Background(), j.ID, c.Now)
	if err != nil {
		r.Log.Error("import start", "job", j.ID, "err", err)
		j = outcome(j, nil, err)
		if ferr := r.Store.ImportJobs.FinishImportJob(context.Background(), c, j); ferr != nil {
			r.Log.Error("import finish", "job", j.ID, "err", ferr)
		}
		return
	}
	if !ok {
		return // failed meanwhile, taken for left behind by a stopped instance
	}
	res, err := RunJob(context.Background(), r.Store, c, j, upload, Options{Limits: r.Limits}, r.Now)
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
}

// RunJob imports the file at path as the job j (its kind and skip-invalid
// setting) and records the outcome: progress while it runs, then status,
// counts, errors and the audit event. A panic or a database failure fails
// the job (committed batches stay; a re-run completes them) and is
// returned; problems of the file are in the Result.
func RunJob(ctx context.Context, s *stores.Set, c store.Caller, j importjobs.ImportJob, path string, opt Options, now func() time.Time) (*Result, error) {
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
			if err := s.ImportJobs.UpdateImportJob(ctx, j, now()); err != nil && ctx.Err() == nil {
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
	if ferr := s.ImportJobs.FinishImportJob(ctx, c, j); ferr != nil && err == nil {
		err = ferr
	}
	return res, err
}

func importSafely(ctx context.Context, s *stores.Set, c store.Caller, path string, opt Options) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return Import(ctx, s, c, path, opt)
}

// outcome copies an import's result into its job.
func outcome(j importjobs.ImportJob, res *Result, err error) importjobs.ImportJob {
	if res != nil {
		j.Status, j.Message = res.Status, res.Message
		j.Total, j.Imported, j.Unchanged, j.Rejected = res.Total, res.Imported, res.Unchanged, res.Rejected
		j.Errors, j.ErrorCount = res.Errors, len(res.Errors)
	}
	if err != nil {
		j.Status = importjobs.ImportFailed
		j.Message = "导入中断：服务器内部错误，已提交的批次已保存；请稍后重新导入该文件（已导入的行不会重复），如仍失败请联系系统管理员"
	}
	if j.Status == importjobs.ImportDone || j.Status == importjobs.ImportRejected {
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
