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
	"net/netip"
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
	importMaxMB int
	edge        edgeFlags
}

// edgeFlags are what the server is told about the network in front of it
// and the flood control of its login.
type edgeFlags struct {
	trustProxy     bool
	trustedProxies string // CIDRs, comma-separated
	loginRate      int    // login attempts per client address and minute
}

// options turns the flags into the server's settings.
func (f edgeFlags) options() (edgeOptions, error) {
	o := edgeOptions{trustProxy: f.trustProxy, loginRate: f.loginRate}
	var err error
	if o.proxies, err = api.ParseTrustedProxies(f.trustedProxies); err != nil {
		return o, fmt.Errorf("--trusted-proxies：%w", err)
	}
	if o.proxies == nil && f.trustedProxies != "" {
		return o, errors.New("--trusted-proxies 不能为空")
	}
	return o, nil
}

type edgeOptions struct {
	trustProxy bool
	proxies    []netip.Prefix // nil: loopback
	loginRate  int            // 0: the default
}

func (f *serveFlags) register(fs *flag.FlagSet) {
	f.dbFlags.register(fs)
	fs.StringVar(&f.addr, "addr", env("LIANXIN_ADDR", "127.0.0.1:8080"), "监听地址；环境变量 LIANXIN_ADDR")
	fs.BoolVar(&f.migrate, "migrate", env("LIANXIN_MIGRATE", "") == "1", "启动前升级数据库结构（SQLite 总是升级）；环境变量 LIANXIN_MIGRATE=1")
	fs.IntVar(&f.importMaxMB, "import-max-mb", envInt("LIANXIN_IMPORT_MAX_MB", 50), "Excel 导入文件大小上限（MB）；环境变量 LIANXIN_IMPORT_MAX_MB")
	fs.BoolVar(&f.edge.trustProxy, "trust-proxy", env("LIANXIN_TRUST_PROXY", "") == "1", "信任反向代理的 X-Forwarded-For/Proto；环境变量 LIANXIN_TRUST_PROXY=1")
	fs.StringVar(&f.edge.trustedProxies, "trusted-proxies", env("LIANXIN_TRUSTED_PROXIES", "127.0.0.0/8,::1/128"),
		"受信任的反向代理地址（CIDR，逗号分隔）：只采信来自这些地址的转发头，客户端地址取 X-Forwarded-For 中最右侧的非代理地址；环境变量 LIANXIN_TRUSTED_PROXIES")
	fs.IntVar(&f.edge.loginRate, "login-rate", envInt("LIANXIN_LOGIN_RATE", 60), "每个客户端地址每分钟的登录与激活尝试次数（可瞬时用满）；环境变量 LIANXIN_LOGIN_RATE")
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
	edge, err := f.edge.options()
	if err != nil {
		return err
	}
	return serve(ctx, s, services{f.data, f.importMaxMB}, f.addr, edge, stderr, nil)
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
func serve(ctx context.Context, s *store.Store, svc services, addr string, edge edgeOptions, logw io.Writer, ready func(url string)) error {
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
		Store: s, Now: time.Now, Log: log, Version: version, Web: web.Dist(), TrustProxy: edge.trustProxy, TrustedProxies: edge.proxies,
		Auth: &auth.Service{Store: s, Now: time.Now, Params: auth.DefaultParams,
			Throttle: auth.NewThrottle(auth.ThrottleConfig{PerMinute: edge.loginRate})},
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

// purgeSessions removes expired and idle sessions every ten minutes, and
// login failure counts untouched for a day and locking nothing.
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
			if _, err := s.PurgeLoginFailures(ctx, now, now.Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
				log.Warn("purge login failures", "err", err)
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
