// Package app is the composition root: it builds the program once — the
// feature stores' services, the HTTP server over them and the background
// jobs, all on one injected clock — for `lianxin serve`, the command-line
// jobs and the API tests alike.
package app

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lianxin/lianxin/internal/api"
	"github.com/lianxin/lianxin/internal/attachment"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/schedule"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// Options are what the program is told about itself: where its files are,
// its bounds, its clock. Zero fields take the defaults.
type Options struct {
	DataDir string
	// Instance names this process among those sharing the database
	// (default: host name and data directory).
	Instance string
	// Attachments and CheckinKey default to <data>/attachments and
	// <data>/checkin.key; several instances must share them.
	Attachments string
	CheckinKey  string
	// ImportMaxMB bounds one uploaded workbook (default 50), ImportQueueMB
	// all unfinished uploads of every instance, ImportsPerAccount the
	// unfinished jobs of one account.
	ImportMaxMB       int
	ImportQueueMB     int
	ImportsPerAccount int
	// LoginRate is the login attempts per client address and minute
	// (0 or less: auth's default, 60).
	LoginRate int
	// NoLoginThrottle leaves the password routes unthrottled: for tests that
	// log in many times from one address, never for a server.
	NoLoginThrottle bool
	// Params are the password hashing parameters (default auth.DefaultParams).
	Params auth.Params
	// Now is the clock of every service and job (default time.Now).
	Now func() time.Time
	// Log receives the services' and jobs' records (default: discarded).
	Log *slog.Logger
}

func (o Options) resolve() (Options, error) {
	if o.ImportMaxMB <= 0 {
		o.ImportMaxMB = 50
	}
	if o.ImportQueueMB <= 0 {
		o.ImportQueueMB = domain.DefaultImportQueueBytes >> 20
	}
	if o.ImportQueueMB < o.ImportMaxMB {
		return o, fmt.Errorf("--import-queue-mb（%d）不能小于单个文件上限 --import-max-mb（%d）", o.ImportQueueMB, o.ImportMaxMB)
	}
	if o.Instance == "" {
		host, _ := os.Hostname()
		dir, err := filepath.Abs(o.DataDir)
		if err != nil {
			return o, err
		}
		o.Instance = host + ":" + dir
	}
	if o.Attachments == "" {
		o.Attachments = filepath.Join(o.DataDir, "attachments")
	}
	if o.CheckinKey == "" {
		o.CheckinKey = filepath.Join(o.DataDir, checkin.KeyFileName)
	}
	if o.Params == (auth.Params{}) {
		o.Params = auth.DefaultParams
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o, nil
}

// App is the program: the stores, the services over them and the jobs.
type App struct {
	Stores      *stores.Set
	Auth        *auth.Service
	Imports     *importer.Runner
	Codes       *checkin.Keyring
	Attachments attachment.Dir
	Options     Options // resolved

	// kick asks for an alert evaluation after an import (coalesced).
	kick  chan struct{}
	audit *auditWatch
	wg    sync.WaitGroup
}

// New builds the services over s. Imports left unfinished by this instance's
// last run are failed (Runner.Recover); nothing runs until Start.
func New(ctx context.Context, s *stores.Set, o Options) (*App, error) {
	o, err := o.resolve()
	if err != nil {
		return nil, err
	}
	codes, err := checkin.LoadOrCreate(o.CheckinKey)
	if err != nil {
		return nil, err
	}
	a := &App{Stores: s, Codes: codes, Attachments: attachment.Dir{Path: o.Attachments}, Options: o, kick: make(chan struct{}, 1)}
	a.Auth = &auth.Service{Store: s, Now: o.Now, Params: o.Params}
	if !o.NoLoginThrottle {
		a.Auth.Throttle = auth.NewThrottle(auth.ThrottleConfig{PerMinute: o.LoginRate})
	}
	a.Imports = &importer.Runner{Store: s, Dir: filepath.Join(o.DataDir, "imports"), Now: o.Now, Log: o.Log,
		Limits: xlsx.Limits{MaxFileBytes: int64(o.ImportMaxMB) << 20}, Instance: o.Instance,
		Quota:    domain.ImportQuota{PerAccount: o.ImportsPerAccount, MaxBytes: int64(o.ImportQueueMB) << 20},
		Imported: a.importFinished}
	if err := a.Imports.Recover(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// importFinished asks for one alert evaluation after an import changed rows;
// requests while one is pending are folded into it.
func (a *App) importFinished() {
	select {
	case a.kick <- struct{}{}:
	default:
	}
}

// Edge is what the server is told about the network in front of it and
// what it serves besides the API.
type Edge struct {
	TrustProxy     bool
	TrustedProxies []netip.Prefix // nil: loopback
	Web            fs.FS          // the built web app; nil serves none
	Version        string
}

// Server is the HTTP API and web app over the app's services.
func (a *App) Server(e Edge) *api.Server {
	return &api.Server{Store: a.Stores, Now: a.Options.Now, Log: a.Options.Log, Version: e.Version, Web: e.Web,
		TrustProxy: e.TrustProxy, TrustedProxies: e.TrustedProxies, Auth: a.Auth, PasswordParams: a.Options.Params,
		Imports: a.Imports, Codes: a.Codes, Attachments: a.Attachments}
}

// Start runs the background work until ctx ends: the import runner, the
// audit chain's watch, the daily jobs (leased once a day across instances)
// and the periodic ones. Stop waits for it.
func (a *App) Start(ctx context.Context) {
	log, now := a.Options.Log, a.Options.Now
	a.audit = &auditWatch{s: a.Stores, log: log, now: now}
	a.audit.start(ctx)
	a.Imports.Start(ctx)
	holder := schedule.Holder(a.Options.Instance)
	for _, d := range DailyJobs(a.Stores, holder, log) {
		a.goRun(func() { d.Loop(ctx, now, log) })
	}
	for _, p := range PeriodicJobs(a.Stores, log) {
		a.goRun(func() { p.Loop(ctx, now) })
	}
	a.goRun(func() { alertsAfterImports(ctx, a.Stores, log, now, a.kick) })
}

func (a *App) goRun(f func()) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		f()
	}()
}

// Stop waits for the jobs started by Start (its context must be done), then
// logs the audit chain's last checkpoint. It does not wait for the import
// queue: a job cut short is failed by the next start (Runner.Recover), and a
// shutdown must not last as long as the queue.
func (a *App) Stop() {
	a.wg.Wait()
	if a.audit != nil {
		a.audit.stop()
	}
}
