package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
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
		done <- serve(ctx, s, services{dir, 50}, "127.0.0.1:0", edgeOptions{}, io.Discard, func(u string) { urls <- u })
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
