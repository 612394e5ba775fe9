package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// rawExec runs SQL on a deployment's database directly, as its owner could.
func rawExec(t *testing.T, dir, dsn string, qs ...string) {
	t.Helper()
	var db *sql.DB
	if dsn != "" {
		var err error
		if db, err = sql.Open("pgx", dsn); err != nil {
			t.Fatal(err)
		}
		defer db.Close()
	} else {
		db = rawDB(t, dir)
	}
	for _, q := range qs {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// cutTrail deletes the records after seq and points the head at the new last
// record: finding 10's attack (the triggers dropped first).
func cutTrail(t *testing.T, dir, dsn string, seq int64) {
	drop := []string{`DROP TRIGGER IF EXISTS audit_events_no_update`, `DROP TRIGGER IF EXISTS audit_events_no_delete`}
	if dsn != "" {
		drop = []string{`DROP TRIGGER IF EXISTS audit_events_no_update ON audit_events`}
	}
	rawExec(t, dir, dsn, append(drop, fmt.Sprintf(`DELETE FROM audit_events WHERE id > %d`, seq),
		fmt.Sprintf(`UPDATE audit_head SET seq = %d, hash = (SELECT hash FROM audit_events WHERE id = %d) WHERE id = 1`, seq, seq))...)
}

// TestAuditVerifyExitsNonZeroAfterTruncation is the contract point of
// finding 10, on every engine.
func TestAuditVerifyExitsNonZeroAfterTruncation(t *testing.T) {
	t.Setenv("LIANXIN_DEMO_PASSWORD", "Demo@2026pass")
	for _, eng := range storetest.Engines() {
		t.Run(eng, func(t *testing.T) {
			dir, dsn := t.TempDir(), ""
			if eng == "postgres" {
				dsn = storetest.NewSchema(t)
			}
			db := []string{"--data", dir, "--db", dsn}
			if code, _, errs := runCmd(t, append([]string{"gen", "--scale", "small", "--seed", "3", "--now", "2026-11-27"}, db...)...); code != 0 {
				t.Fatalf("gen: %s", errs)
			}
			for _, u := range []string{"wangfang", "lihua", "zhaoqiang"} {
				if code, _, errs := runCmd(t, append([]string{"user", "create", "--username", u, "--name", "王芳", "--role", "city_staff", "--password", "Lx#2026secure"}, db...)...); code != 0 {
					t.Fatalf("user create: %s", errs)
				}
			}
			code, out, errs := runCmd(t, append([]string{"audit", "verify"}, db...)...)
			if code != 0 {
				t.Fatalf("untouched: %d %s", code, errs)
			}
			n := mustCount(t, out)
			cutTrail(t, dir, dsn, n-2)
			code, _, errs = runCmd(t, append([]string{"audit", "verify"}, db...)...)
			if code != 3 || !strings.Contains(errs, "末端") {
				t.Fatalf("after truncation: exit %d %s", code, errs)
			}
		})
	}
}

func mustCount(t *testing.T, verifyOut string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscanf(verifyOut, "审计日志完整：已校验 %d 条记录", &n); err != nil || n < 3 {
		t.Fatalf("verify output %q: %v", verifyOut, err)
	}
	return n
}

// TestServeCheckpoints: the server logs signed checkpoints at start and at
// shutdown; `audit verify --checkpoints` accepts that log, refuses a forged
// line, and catches a trail cut back to an older genuine head (which the
// keyed head alone cannot); a server started on a broken trail says so.
func TestServeCheckpoints(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, _, err := openMigrated(ctx, &dbFlags{data: dir})
	if err != nil {
		t.Fatal(err)
	}
	login := func() {
		if err := s.Audit(ctx, audit.New(time.Now(), audit.Actor{Username: "x"}, audit.ActionLogin, "user", "", audit.ResultSuccess)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		login()
	}
	var oldHead [3]string
	if err := rawDB(t, dir).QueryRow(`SELECT seq, hash, mac FROM audit_head`).Scan(&oldHead[0], &oldHead[1], &oldHead[2]); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "serve.log")
	serveLogged := func(during func()) string {
		t.Helper()
		logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		defer logf.Close()
		sctx, cancel := context.WithCancel(ctx)
		ready, done := make(chan string, 1), make(chan error, 1)
		go func() {
			done <- serve(sctx, s, services{dataDir: dir, importMaxMB: 50}, "127.0.0.1:0", edgeOptions{}, logf, func(u string) { ready <- u })
		}()
		<-ready
		during()
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(logPath)
		return string(b)
	}
	logText := serveLogged(func() {
		for i := 0; i < 5; i++ {
			login()
		}
	})
	// The last checkpoint is the head at shutdown: the five logins and
	// whatever the server's daily jobs recorded meanwhile.
	var last int
	if err := rawDB(t, dir).QueryRow(`SELECT seq FROM audit_head`).Scan(&last); err != nil || last < 8 {
		t.Fatalf("head after serve: %d %v", last, err)
	}
	lastSeq := fmt.Sprintf("seq=%d ", last)
	if n := strings.Count(logText, `msg="audit checkpoint" seq=`); n != 2 || !strings.Contains(logText, "seq=3 ") || !strings.Contains(logText, lastSeq) {
		t.Fatalf("want checkpoints at 3 and %d:\n%s", last, logText)
	}
	s.Close()
	verify := func(log string) (int, string, string) {
		return runCmd(t, "audit", "verify", "--data", dir, "--checkpoints", log)
	}
	if code, out, errs := verify(logPath); code != 0 || !strings.Contains(out, "2 个检查点均相符") {
		t.Fatalf("good log: %d %s %s", code, out, errs)
	}
	// A checkpoint line made up without the key.
	forged := filepath.Join(dir, "forged.log")
	line := regexp.MustCompile(`(?m)^.*` + lastSeq + `.*$`).FindString(logText)
	bad := regexp.MustCompile(`mac=[0-9a-f]+`).ReplaceAllString(line, "mac="+strings.Repeat("ab", 32))
	if err := os.WriteFile(forged, []byte(logText+bad+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	where := fmt.Sprintf("日志第 %d 行", strings.Count(logText, "\n")+1)
	if code, _, errs := verify(forged); code != 3 || !strings.Contains(errs, where) || !strings.Contains(errs, "签名不符") || strings.Count(errs, "检查点不符") != 1 {
		t.Fatalf("forged line: %d %s", code, errs)
	}
	// The trail cut back to record 3 and the genuine head of that time
	// put back: the chain and its head verify, the checkpoint does not.
	cutTrail(t, dir, "", 3)
	rawExec(t, dir, "", `UPDATE audit_head SET mac = '`+oldHead[2]+`'`)
	if code, _, errs := runCmd(t, "audit", "verify", "--data", dir); code != 0 {
		t.Fatalf("replayed head should pass the chain check alone: %d %s", code, errs)
	}
	code, _, errs := verify(logPath)
	if code != 3 || !strings.Contains(errs, fmt.Sprintf("记录 %d", last)) || !strings.Contains(errs, "短于检查点") || strings.Contains(errs, "记录 3）") {
		t.Fatalf("truncation below a checkpoint: %d %s", code, errs)
	}
	// Cut further with the head pointed at the new last record: the server
	// starts, says the chain is broken, and signs no checkpoint over it.
	cutTrail(t, dir, "", 2)
	s, _, err = openMigrated(ctx, &dbFlags{data: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	os.Remove(logPath)
	logText = serveLogged(func() {})
	if !strings.Contains(logText, "level=ERROR") || !strings.Contains(logText, "audit chain broken") || strings.Contains(logText, `msg="audit checkpoint"`) {
		t.Fatalf("start on a broken trail:\n%s", logText)
	}
	if code, _, errs := runCmd(t, "audit", "verify", "--data", dir); code != 3 || !strings.Contains(errs, "末端") {
		t.Fatalf("verify after the second cut: %d %s", code, errs)
	}
}
