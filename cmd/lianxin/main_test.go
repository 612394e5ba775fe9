package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/totp"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func rawDB(t *testing.T, dir string) *sql.DB {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "lianxin.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestGenThenAuditVerifyDetectsTampering(t *testing.T) {
	t.Setenv("LIANXIN_DEMO_PASSWORD", "Demo@2026pass")
	dir := t.TempDir()
	code, out, errs := runCmd(t, "gen", "--data", dir, "--scale", "small", "--seed", "3", "--now", "2026-11-27")
	if code != 0 || !strings.Contains(out, "jinjiang") {
		t.Fatalf("gen: %d %s %s", code, out, errs)
	}
	// gen refuses a database that already has data.
	if code, _, errs := runCmd(t, "gen", "--data", dir); code == 0 || !strings.Contains(errs, "已有党组织数据") {
		t.Fatalf("second gen: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "user", "create", "--data", dir, "--username", "wang", "--name", "王芳", "--role", "city_staff", "--password", "Lx#2026secure"); code != 0 {
		t.Fatalf("user create: %s", errs)
	}
	if code, out, errs := runCmd(t, "audit", "verify", "--data", dir); code != 0 || !strings.Contains(out, "完整") {
		t.Fatalf("verify intact: %d %s %s", code, out, errs)
	}
	db := rawDB(t, dir)
	for _, q := range []string{`DROP TRIGGER audit_events_no_update`, `UPDATE audit_events SET username = 'someone' WHERE id = 2`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errs = runCmd(t, "audit", "verify", "--data", dir)
	if code != 3 || !strings.Contains(errs, "编号 2") {
		t.Fatalf("verify tampered: %d %s", code, errs)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "migrate", "--data", dir); code != 0 {
		t.Fatal(errs)
	}
	if _, err := rawDB(t, dir).Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', '')`); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"migrate", "--data", dir}, {"serve", "--data", dir, "--addr", "127.0.0.1:0"}, {"audit", "verify", "--data", dir}} {
		code, _, errs := runCmd(t, args...)
		if code == 0 || !strings.Contains(errs, "高于本程序所知的版本") {
			t.Errorf("%v: %d %s", args, code, errs)
		}
	}
}

func TestUserCommandsOnEmptyDatabase(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd(t, "user", "create", "--data", dir, "--username", "admin", "--name", "管理员", "--role", "sysadmin", "--password", "Lx#2026secure")
	if code != 0 || !strings.Contains(out, "已创建账号 admin") {
		t.Fatalf("%d %s %s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "user", "create", "--data", dir, "--username", "x", "--name", "", "--role", "boss", "--password", "weak"); code == 0 ||
		!strings.Contains(errs, "username") || !strings.Contains(errs, "roles") || !strings.Contains(errs, "password") {
		t.Fatalf("bad input accepted: %s", errs)
	}
	if code, out, _ := runCmd(t, "user", "unlock", "--data", dir, "--username", "admin"); code != 0 || !strings.Contains(out, "已解锁") {
		t.Fatal(out)
	}
	if code, _, errs := runCmd(t, "user", "reset-password", "--data", dir, "--username", "nobody", "--password", "Admin@2026pass"); code == 0 || !strings.Contains(errs, "不存在") {
		t.Fatal(errs)
	}
	if code, out, _ := runCmd(t, "version"); code != 0 || !strings.HasPrefix(out, "lianxin ") {
		t.Fatal(out)
	}
	if code, _, _ := runCmd(t, "frobnicate"); code != 2 {
		t.Fatalf("unknown command exit %d", code)
	}
}

// TestShellRecoversAdminAccounts: a 三员 account is recovered only from the
// shell, and each recovery is in the audit trail naming the shell and the
// operating-system user; the shell too refuses the latest passwords.
func TestShellRecoversAdminAccounts(t *testing.T) {
	osUser := os.Getenv("USER")
	if u, err := user.Current(); err == nil {
		osUser = u.Username
	}
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "user", "create", "--data", dir, "--username", "auditor", "--name", "审计员", "--role", "auditor", "--password", "Lx#2026secure"); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := runCmd(t, "user", "reset-password", "--data", dir, "--username", "auditor", "--password", "Lx#2026secure"); code == 0 || !strings.Contains(errs, "最近5次") {
		t.Fatalf("the current password was accepted again: %d %s", code, errs)
	}
	if code, out, errs := runCmd(t, "user", "reset-password", "--data", dir, "--username", "auditor", "--password", "Rx#2027secure"); code != 0 || !strings.Contains(out, "已重置") {
		t.Fatalf("reset: %d %s %s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "user", "unlock", "--data", dir, "--username", "auditor"); code != 0 {
		t.Fatal(errs)
	}
	rows, err := rawDB(t, dir).Query(`SELECT a.action, a.username, a.roles, a.user_agent, a.result FROM audit_events a
		JOIN users u ON a.object_type = 'user' AND a.object_id = CAST(u.id AS TEXT) WHERE u.username = 'auditor' ORDER BY a.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var action, username, roles, agent, result string
		if err := rows.Scan(&action, &username, &roles, &agent, &result); err != nil {
			t.Fatal(err)
		}
		got = append(got, action)
		if username != "cli" || roles != "system" || result != "success" || !strings.HasPrefix(agent, "命令行 lianxin user ") || !strings.Contains(agent, "操作系统用户 "+osUser) {
			t.Errorf("%s recorded as %s/%s/%s/%q", action, username, roles, result, agent)
		}
	}
	if strings.Join(got, ",") != "create,reset_password,unlock" {
		t.Errorf("the shell's changes to the account recorded as %v", got)
	}
}

// TestServeShutsDownGracefully starts the real server on a free port,
// answers /healthz and a web-app route, and returns cleanly when its context
// ends (as on SIGINT/SIGTERM).
func TestServeShutsDownGracefully(t *testing.T) {
	dir := t.TempDir()
	s, _, err := openMigrated(context.Background(), &dbFlags{data: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, s, services{dataDir: dir, importMaxMB: 50}, "127.0.0.1:0", edgeOptions{}, io.Discard, func(u string) { urls <- u })
	}()
	url := <-urls
	for _, path := range []string{"/healthz", "/party-orgs"} {
		resp, err := http.Get(url + path)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET %s: %v %v", path, resp, err)
		}
		resp.Body.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

func TestTemplateAndExportCommands(t *testing.T) {
	t.Setenv("LIANXIN_DEMO_PASSWORD", "Demo@2026pass")
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "gen", "--data", dir, "--scale", "small"); code != 0 {
		t.Fatal(errs)
	}
	for _, args := range [][]string{
		{"template", "organizations", "-o", filepath.Join(dir, "t.xlsx")},
		{"export", "members", "--data", dir, "-o", filepath.Join(dir, "m.xlsx")},
		{"export", "organizations", "--data", dir, "--region", "510104", "-o", filepath.Join(dir, "o.xlsx")},
	} {
		if code, out, errs := runCmd(t, args...); code != 0 || !strings.Contains(out, "xlsx") {
			t.Errorf("%v: %d %s %s", args, code, out, errs)
		}
	}
	if code, _, _ := runCmd(t, "export", "nothing", "-o", "x"); code != 2 {
		t.Errorf("unknown export kind: exit %d", code)
	}
	if code, _, errs := runCmd(t, "export", "members", "--data", dir); code != 2 || !strings.Contains(errs, "-o") {
		t.Errorf("export without -o: %d %s", code, errs)
	}
}

// TestResetTOTPFromShell: the shell resets any account's second factor,
// a 三员 account's included, audited; gen and demo say the demo needs none.
func TestResetTOTPFromShell(t *testing.T) {
	t.Setenv("LIANXIN_DEMO_PASSWORD", "Demo@2026pass")
	dir := t.TempDir()
	code, out, errs := runCmd(t, "gen", "--data", dir, "--scale", "small", "--now", "2026-11-27")
	if code != 0 || !strings.Contains(out, "不要求任何角色启用动态口令") {
		t.Fatalf("gen: %d %s %s", code, out, errs)
	}
	ctx := context.Background()
	s, now, err := openMigrated(ctx, &dbFlags{data: dir})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.Accounts.UserByUsername(ctx, "auditor")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Accounts.BeginTOTP(ctx, u.ID, totp.NewSecret(), now); err != nil {
		t.Fatal(err)
	}
	if err := s.Accounts.EnableTOTP(ctx, store.System(now, "test"), u.ID, 1, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if code, out, errs := runCmd(t, "user", "reset-totp", "auditor", "--data", dir); code != 0 || !strings.Contains(out, "已重置账号 auditor 的双因素认证") {
		t.Fatalf("reset-totp: %d %s %s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "user", "reset-totp", "--data", dir, "--username", "auditor"); code == 0 || !strings.Contains(errs, "尚未启用") {
		t.Fatalf("second reset: %d %s", code, errs)
	}
	s, _, err = openMigrated(ctx, &dbFlags{data: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Accounts.TOTP(ctx, u.ID); !errors.Is(err, domain.ErrNotFound) {
		t.Errorf("the factor is still there: %v", err)
	}
	ev, _, err := s.ListAudit(ctx, store.AuditFilter{Action: audit.ActionTOTPReset, Page: store.Page{Size: 10}})
	if err != nil || len(ev) != 1 || ev[0].Username != "cli" || ev[0].ObjectID != fmt.Sprint(u.ID) {
		t.Errorf("reset audit: %+v %v", ev, err)
	}
}

// TestNewDeploymentRequiresSecondFactor: a database made by migrate and
// user create (no demo data) requires a second factor of the 三员.
func TestNewDeploymentRequiresSecondFactor(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "user", "create", "--data", dir, "--username", "admin", "--name", "管理员", "--role", "sysadmin", "--password", "Lx#2026secure"); code != 0 {
		t.Fatal(errs)
	}
	s, _, err := openMigrated(context.Background(), &dbFlags{data: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sf, err := s.Accounts.SecondFactorSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []domain.Role{domain.RoleSysAdmin, domain.RoleSecAdmin, domain.RoleAuditor, domain.RolePIIViewer, domain.RolePIIExporter} {
		if !sf.Requires([]domain.Role{r}) {
			t.Errorf("a new deployment does not require a second factor of %s", r)
		}
	}
}
