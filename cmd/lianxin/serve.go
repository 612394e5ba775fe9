package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/lianxin/lianxin/internal/api"
	"github.com/lianxin/lianxin/internal/attachment"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/xlsx"
	"github.com/lianxin/lianxin/web"
)

type serveFlags struct {
	dbFlags
	addr        string
	migrate     bool
	trustProxy  bool
	importMaxMB int
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	f.dbFlags.register(fs)
	fs.StringVar(&f.addr, "addr", env("LIANXIN_ADDR", "127.0.0.1:8080"), "监听地址；环境变量 LIANXIN_ADDR")
	fs.BoolVar(&f.migrate, "migrate", env("LIANXIN_MIGRATE", "") == "1", "启动前升级数据库结构（SQLite 总是升级）；环境变量 LIANXIN_MIGRATE=1")
	fs.IntVar(&f.importMaxMB, "import-max-mb", envInt("LIANXIN_IMPORT_MAX_MB", 50), "Excel 导入文件大小上限（MB）；环境变量 LIANXIN_IMPORT_MAX_MB")
	fs.BoolVar(&f.trustProxy, "trust-proxy", env("LIANXIN_TRUST_PROXY", "") == "1", "信任反向代理的 X-Forwarded-For/Proto；环境变量 LIANXIN_TRUST_PROXY=1")
	fs.IntVar(&f.lookupLimit, "lookup-limit", envInt("LIANXIN_LOOKUP_LIMIT", domain.LookupsPerMinute),
		"每个账号每分钟按完整身份证号或手机号查询党员的次数上限；环境变量 LIANXIN_LOOKUP_LIMIT")
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f serveFlags
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	f.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if s.Engine() == "sqlite" || f.migrate {
		if _, err := migrateAndSeed(ctx, s, time.Now()); err != nil {
			return err
		}
	}
	if err := s.CheckSchema(ctx); err != nil {
		return err
	}
	return serve(ctx, s, services{f.data, f.importMaxMB}, f.addr, f.trustProxy, stderr, nil)
}

// services are what the server keeps under the data directory: the Excel
// import jobs (<data>/imports), the check-in signing keys (<data>/checkin.key)
// and activities' attachments (<data>/attachments).
type services struct {
	dataDir     string
	importMaxMB int
}

func (v services) imports(s *store.Store) *importer.Runner {
	return &importer.Runner{Store: s, Dir: filepath.Join(v.dataDir, "imports"), Limits: xlsx.Limits{MaxFileBytes: int64(v.importMaxMB) << 20}}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(env(name, "")); err == nil && n > 0 {
		return n
	}
	return def
}

// serve runs the HTTP server until SIGINT/SIGTERM, then shuts down
// gracefully. ready, if set, is called with the listening URL.
func serve(ctx context.Context, s *store.Store, svc services, addr string, trustProxy bool, logw io.Writer, ready func(url string)) error {
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelInfo}))
	imports := svc.imports(s)
	imports.Now, imports.Log = time.Now, log
	// An import re-evaluates the alerts (coalesced: one pending run at most).
	kick := make(chan struct{}, 1)
	imports.Imported = func() {
		select {
		case kick <- struct{}{}:
		default:
		}
	}
	codes, err := checkin.LoadOrCreate(filepath.Join(svc.dataDir, checkin.KeyFileName))
	if err != nil {
		return err
	}
	if err := imports.Recover(ctx); err != nil {
		return err
	}
	srv := &api.Server{
		Store: s, Now: time.Now, Log: log, Version: version, Web: web.Dist(), TrustProxy: trustProxy,
		Auth:           &auth.Service{Store: s, Now: time.Now, Params: auth.DefaultParams},
		PasswordParams: auth.DefaultParams, Imports: imports,
		Codes: codes, Attachments: attachment.Dir{Path: filepath.Join(svc.dataDir, "attachments")},
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("监听 %s: %w", addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go purgeSessions(ctx, s, log)
	go coverageJob(ctx, s, log, time.Now)
	go alertJob(ctx, s, log, time.Now, kick)
	url := "http://" + ln.Addr().String()
	log.Info("lianxin serving", "url", url, "db", s.String(), "version", version)
	if ready != nil {
		ready(url)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// coverageJob keeps the materialized coverage true as dates pass: on start
// when it was computed before today, then just after every midnight
// (Asia/Shanghai), it recomputes every organization and records the day's
// snapshot. With several instances each runs it; the day's snapshot is
// replaced, so the result is the same.
func coverageJob(ctx context.Context, s *store.Store, log *slog.Logger, now func() time.Time) {
	run := func() {
		if _, err := dailyCoverage(ctx, s, store.System(now(), "coverage-job")); err != nil && ctx.Err() == nil {
			log.Warn("daily coverage", "err", err)
		}
	}
	if stale, err := s.CoverageStale(ctx, now()); err != nil {
		log.Warn("coverage staleness", "err", err)
	} else if stale {
		run()
	}
	for {
		t := now().In(domain.Shanghai)
		next := time.Date(t.Year(), t.Month(), t.Day()+1, 0, 5, 0, 0, domain.Shanghai)
		select {
		case <-ctx.Done():
			return
		case <-time.After(next.Sub(t)):
			run()
		}
	}
}

// purgeSessions removes expired and idle sessions every ten minutes.
func purgeSessions(ctx context.Context, s *store.Store, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			st, err := s.SecuritySettings(ctx)
			if err != nil {
				continue
			}
			now := time.Now()
			if _, err := s.PurgeSessions(ctx, now, now.Add(-time.Duration(st.IdleTimeoutMinutes)*time.Minute)); err != nil && ctx.Err() == nil {
				log.Warn("purge sessions", "err", err)
			}
		}
	}
}

func cmdMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	var f dbFlags
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	f.register(fs)
	f.registerNow(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	now, err := f.clock()
	if err != nil {
		return err
	}
	s, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := migrateAndSeed(ctx, s, now())
	if err != nil {
		return err
	}
	v, _ := s.SchemaVersion(ctx)
	fmt.Fprintf(stdout, "已应用 %d 个迁移，数据库结构版本 %d（%s）\n", n, v, s)
	return nil
}
