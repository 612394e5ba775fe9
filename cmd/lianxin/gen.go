package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/bulk"
	"github.com/lianxin/lianxin/internal/store/stores"
)

type genFlags struct {
	dbFlags
	scale string
	seed  uint64
}

func (f *genFlags) register(fs *flag.FlagSet, defScale string) {
	f.dbFlags.register(fs)
	f.registerNow(fs)
	fs.StringVar(&f.scale, "scale", defScale, "数据规模：small、district、city")
	fs.Uint64Var(&f.seed, "seed", 1, "随机种子：相同种子生成相同数据")
}

func cmdGen(ctx context.Context, args []string, stdout io.Writer) error {
	var f genFlags
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	f.register(fs, "small")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, now, err := openMigrated(ctx, &f.dbFlags)
	if err != nil {
		return err
	}
	defer s.Close()
	password, generated, err := demoPassword()
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := generate(ctx, s, f.scale, f.seed, now)
	if err != nil {
		return err
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(stdout, "已生成 %d 个党组织、%d 个两新组织、%d 名党员、%d 个园区/楼宇/市场、%d 个账号、%d 项组织生活（%d 条考勤记录）（规模 %s，种子 %d），用时 %s，内存峰值（堆）约 %d MiB\n",
		res.PartyOrgs, res.Organizations, res.Members, res.Zones, res.Users, res.Activities, res.Attendances,
		f.scale, f.seed, time.Since(start).Round(time.Millisecond), ms.HeapSys>>20)
	printAccounts(stdout, res.Accounts, password, generated)
	return nil
}

// openMigrated opens and migrates the database and returns the command's clock.
func openMigrated(ctx context.Context, f *dbFlags) (*stores.Set, time.Time, error) {
	clock, err := f.clock()
	if err != nil {
		return nil, time.Time{}, err
	}
	s, err := f.open(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	if _, err := migrateAndSeed(ctx, s, clock()); err != nil {
		s.Close()
		return nil, time.Time{}, err
	}
	return s, clock(), nil
}

// generate streams a dataset into the database as it is made (the city is
// never held whole); the accounts get the password from demoPassword
// (LIANXIN_DEMO_PASSWORD or a generated one).
func generate(ctx context.Context, s *stores.Set, scaleName string, seed uint64, now time.Time) (gen.Summary, error) {
	scale, err := gen.ParseScale(scaleName)
	if err != nil {
		return gen.Summary{}, err
	}
	password, _, err := demoPassword()
	if err != nil {
		return gen.Summary{}, err
	}
	hash, err := auth.HashPassword(password, auth.DefaultParams)
	if err != nil {
		return gen.Summary{}, err
	}
	today, _ := domain.ParseDate(string(domain.DateOf(now)))
	note := fmt.Sprintf("lianxin gen --scale %s --seed %d", scale, seed)
	if os.Getenv("GOMEMLIMIT") == "" {
		// The registry is ≈430 MB live at city scale while it is drawn and
		// handed on; with no limit the collector lets garbage grow as large
		// again. A soft limit keeps the whole under 1 GB (the year after it
		// is a few parts at a time); the demo serves with the default.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(genMemoryLimit))
	}
	var res gen.Summary
	err = s.Bulk.Load(ctx, store.System(now, "gen"), note, func(w *bulk.Writer) error {
		var err error
		res, err = gen.Stream(gen.Options{Scale: scale, Seed: seed, Today: today, PasswordHash: hash}, w)
		return err
	})
	if err != nil {
		return res, err
	}
	// The demo's burndown: the past half year recomputed from the generated
	// links' and assignments' dates (see BackfillCoverageSnapshots).
	_, err = s.Coverage.BackfillCoverageSnapshots(ctx, now, 180)
	return res, err
}

// genMemoryLimit is the Go runtime's soft memory limit while generating.
const genMemoryLimit = 768 << 20

var cachedPassword string

// demoPassword returns LIANXIN_DEMO_PASSWORD, or a random strong password
// generated once per process (generated reports which).
func demoPassword() (pw string, generated bool, err error) {
	if v := os.Getenv("LIANXIN_DEMO_PASSWORD"); v != "" {
		if err := domain.DefaultSecuritySettings.CheckPassword("LIANXIN_DEMO_PASSWORD", v, ""); err != nil {
			return "", false, fmt.Errorf("环境变量 LIANXIN_DEMO_PASSWORD 不符合密码策略：%v", err)
		}
		return v, false, nil
	}
	if cachedPassword == "" {
		const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
		var b strings.Builder
		for i := 0; i < 12; i++ {
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
			if err != nil {
				return "", false, err
			}
			b.WriteByte(alphabet[n.Int64()])
			if i == 3 || i == 7 {
				b.WriteByte('-')
			}
		}
		cachedPassword = b.String() + "@9a"
	}
	return cachedPassword, true, nil
}

// roleColumn is the widest a role cell grows before its roles wrap.
const roleColumn = 24

func printAccounts(w io.Writer, accounts []gen.Account, password string, generated bool) {
	fmt.Fprintln(w, "\n账号（演示/合成数据）：")
	rows := [][]string{{"用户名", "角色", "数据范围"}}
	for _, a := range accounts {
		if strings.Contains(a.Username, ".") && a.Username != "jinjiang.pii" || a.Role == domain.RoleDistrictStaff.Name() && a.Username != "jinjiang" && a.Username != "qingyang" {
			continue
		}
		scope := a.Scope
		if a.Phone != "" {
			scope += "（" + a.DisplayName + "，也可用手机号 " + a.Phone + " 登录）"
		}
		rows = append(rows, []string{a.Username, wrapList(a.Role, "、", roleColumn), scope})
	}
	writeTable(w, "  ", rows)
	fmt.Fprintf(w, "  （另有各区(市)县两新工委账号如 wuhou、gaoxin、tianfu，及各区的行业党委、基层党组织账号如 wuhou.committee、wuhou.branch；共 %d 个账号）\n", len(accounts))
	if generated {
		fmt.Fprintf(w, "\n所有账号的密码（随机生成，只显示这一次）：%s\n可设置环境变量 LIANXIN_DEMO_PASSWORD 指定密码。\n", password)
	} else {
		fmt.Fprintln(w, "\n所有账号的密码：环境变量 LIANXIN_DEMO_PASSWORD 的值。")
	}
	fmt.Fprintln(w, "双因素认证：演示数据不要求任何角色启用动态口令，以上账号只凭密码即可登录（可在“安全设置”中开启；正式部署默认要求三员和个人信息明文角色启用）。")
}

// printDemoStarted is the demo's greeting once it serves: where the staff
// app and the members' phone pages are, what data, the accounts.
func printDemoStarted(w io.Writer, url, data string, res gen.Summary, scale string, seed uint64, took time.Duration, password string, generated bool) {
	fmt.Fprintf(w, "\nlianxin 演示已启动：%s\n", url)
	fmt.Fprintf(w, "党员手机端：%s/m（用手机打开，或把浏览器窗口调窄；党员账号 member、member2）\n", url)
	fmt.Fprintf(w, "数据：%s（%d 个党组织、%d 个两新组织、%d 名党员，规模 %s，种子 %d，生成用时 %s）\n",
		data, res.PartyOrgs, res.Organizations, res.Members, scale, seed, took.Round(time.Second))
	printAccounts(w, res.Accounts, password, generated)
	fmt.Fprintln(w, "\n提示：第一次 go run 要先编译，需要几分钟；以后几秒即可启动。也可先 go build -o lianxin ./cmd/lianxin，再运行 ./lianxin demo。")
	fmt.Fprintln(w, "\n按 Ctrl+C 停止。")
}

type demoFlags struct {
	genFlags
	addr string
}

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f demoFlags
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	// 锦江区 at full size, the other units small: a realistic district to work in.
	f.register(fs, "district")
	fs.StringVar(&f.addr, "addr", env("LIANXIN_ADDR", "127.0.0.1:8080"), "监听地址")
	fs.Lookup("data").DefValue = "./lianxin-demo"
	if err := fs.Parse(args); err != nil {
		return err
	}
	dataSet := false
	fs.Visit(func(fl *flag.Flag) { dataSet = dataSet || fl.Name == "data" })
	if !dataSet && os.Getenv("LIANXIN_DATA") == "" {
		f.data = "./lianxin-demo"
	}
	if f.db == "" {
		if err := freshDemoDir(f.data); err != nil {
			return err
		}
	}
	s, now, err := openMigrated(ctx, &f.dbFlags)
	if err != nil {
		return err
	}
	defer s.Close()
	password, generated, err := demoPassword()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "正在生成演示数据（规模 %s）……\n", f.scale)
	start := time.Now()
	res, err := generate(ctx, s, f.scale, f.seed, now)
	if err != nil {
		return err
	}
	took := time.Since(start)
	return serve(ctx, s, services{dataDir: f.data, importMaxMB: envInt("LIANXIN_IMPORT_MAX_MB", 50)}, f.addr, edgeOptions{loginRate: envInt("LIANXIN_LOGIN_RATE", 0)}, stderr, func(url string) {
		printDemoStarted(stdout, url, fmt.Sprint(s), res, f.scale, f.seed, took, password, generated)
	})
}

const demoMarker = ".lianxin-demo"

// freshDemoDir empties a previous demo's directory (recognized by its
// marker file) so that every demo starts from the same data; it refuses to
// touch a directory that holds anything else.
func freshDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err == nil && len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return fmt.Errorf("目录 %s 不是空目录，也不是以前的演示目录：为免误删数据，请用 --data 指定新目录", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("lianxin demo data; deleted and regenerated by `lianxin demo`\n"), 0o600)
}
