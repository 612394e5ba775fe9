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
	"strconv"
	"syscall"
	"time"

	"github.com/lianxin/lianxin/internal/api"
	"github.com/lianxin/lianxin/internal/app"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/web"
)

type serveFlags struct {
	dbFlags
	addr    string
	migrate bool
	svc     services
	edge    edgeFlags
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
	fs.IntVar(&f.svc.importMaxMB, "import-max-mb", envInt("LIANXIN_IMPORT_MAX_MB", 50), "Excel 导入文件大小上限（MB）；环境变量 LIANXIN_IMPORT_MAX_MB")
	f.svc.register(fs)
	fs.BoolVar(&f.edge.trustProxy, "trust-proxy", env("LIANXIN_TRUST_PROXY", "") == "1", "信任反向代理的 X-Forwarded-For/Proto；环境变量 LIANXIN_TRUST_PROXY=1")
	fs.StringVar(&f.edge.trustedProxies, "trusted-proxies", env("LIANXIN_TRUSTED_PROXIES", "127.0.0.0/8,::1/128"),
		"受信任的反向代理地址（CIDR，逗号分隔）：只采信来自这些地址的转发头，客户端地址取 X-Forwarded-For 中最右侧的非代理地址；环境变量 LIANXIN_TRUSTED_PROXIES")
	fs.IntVar(&f.edge.loginRate, "login-rate", envInt("LIANXIN_LOGIN_RATE", 60), "每个客户端地址每分钟的登录与激活尝试次数（可瞬时用满）；环境变量 LIANXIN_LOGIN_RATE")
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
	edge, err := f.edge.options()
	if err != nil {
		return err
	}
	f.svc.dataDir = f.data
	return serve(ctx, s, f.svc, f.addr, edge, stderr, nil)
}

// services are what the server keeps on disk: the Excel import jobs
// (<data>/imports, always this instance's own), the check-in signing keys
// and activities' attachments (under the data directory unless placed
// elsewhere: several instances share them). Zero fields take the defaults.
type services struct {
	dataDir           string
	importMaxMB       int
	importQueueMB     int
	importsPerAccount int
	instance          string // default: host name and data directory
	attachments       string // default <data>/attachments
	checkinKey        string // default <data>/checkin.key
}

// register adds the flags of what several instances share or tell apart.
func (v *services) register(fs *flag.FlagSet) {
	fs.IntVar(&v.importQueueMB, "import-queue-mb", envInt("LIANXIN_IMPORT_QUEUE_MB", domain.DefaultImportQueueBytes>>20),
		"排队与进行中的导入文件合计上限（MB，所有实例合计）；环境变量 LIANXIN_IMPORT_QUEUE_MB")
	fs.IntVar(&v.importsPerAccount, "imports-per-account", envInt("LIANXIN_IMPORTS_PER_ACCOUNT", domain.DefaultImportsPerAccount),
		"每个账号同时排队或进行中的导入数上限；环境变量 LIANXIN_IMPORTS_PER_ACCOUNT")
	fs.StringVar(&v.instance, "instance", env("LIANXIN_INSTANCE", ""), "本实例的名称（多实例部署中各不相同、重启后不变；默认为主机名与数据目录）；环境变量 LIANXIN_INSTANCE")
	fs.StringVar(&v.attachments, "attachments-dir", env("LIANXIN_ATTACHMENTS_DIR", ""), "活动附件目录（默认 <数据目录>/attachments；多实例部署须共用）；环境变量 LIANXIN_ATTACHMENTS_DIR")
	fs.StringVar(&v.checkinKey, "checkin-key-file", env("LIANXIN_CHECKIN_KEY_FILE", ""), "签到码签名密钥文件（默认 <数据目录>/checkin.key；多实例部署须共用）；环境变量 LIANXIN_CHECKIN_KEY_FILE")
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(env(name, "")); err == nil && n > 0 {
		return n
	}
	return def
}

// serve runs the HTTP server until SIGINT/SIGTERM, then shuts down
// gracefully. ready, if set, is called with the listening URL.
func serve(ctx context.Context, s *stores.Set, svc services, addr string, edge edgeOptions, logw io.Writer, ready func(url string)) error {
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelInfo}))
	a, err := app.New(ctx, s, app.Options{DataDir: svc.dataDir, Instance: svc.instance, Attachments: svc.attachments, CheckinKey: svc.checkinKey,
		ImportMaxMB: svc.importMaxMB, ImportQueueMB: svc.importQueueMB, ImportsPerAccount: svc.importsPerAccount,
		LoginRate: edge.loginRate, Now: time.Now, Log: log})
	if err != nil {
		return err
	}
	srv := a.Server(app.Edge{TrustProxy: edge.trustProxy, TrustedProxies: edge.proxies, Web: web.Dist(), Version: version})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("监听 %s: %w", addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	a.Start(ctx)
	url := "http://" + ln.Addr().String()
	log.Info("lianxin serving", "url", url, "db", s.String(), "version", version, "instance", a.Options.Instance)
	if ready != nil {
		ready(url)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		stop()
		a.Stop()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err = hs.Shutdown(sctx)
	// After the last request: its audit records are in the checkpoint.
	a.Stop()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
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
