package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// instance is a `lianxin serve` process of the test.
type instance struct {
	name string
	url  string
	cmd  *exec.Cmd
	mu   sync.Mutex
	log  bytes.Buffer
}

func (in *instance) logs() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.log.String()
}

var servingURL = regexp.MustCompile(`msg="lianxin serving" url=(http://\S+)`)

// startInstance starts `serve`; ready waits until it listens.
func startInstance(t *testing.T, bin, name string, env []string, args ...string) (in *instance, ready func()) {
	t.Helper()
	in = &instance{name: name, cmd: exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)}
	in.cmd.Env = env
	stderr, err := in.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			in.mu.Lock()
			in.log.WriteString(sc.Text() + "\n")
			in.mu.Unlock()
			if m := servingURL.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		close(urls)
	}()
	t.Cleanup(func() {
		in.cmd.Process.Signal(syscall.SIGTERM)
		in.cmd.Wait()
	})
	return in, func() {
		t.Helper()
		select {
		case u, ok := <-urls:
			if !ok {
				t.Fatalf("%s exited:\n%s", name, in.logs())
			}
			in.url = u
		case <-time.After(20 * time.Second):
			t.Fatalf("%s did not start:\n%s", name, in.logs())
		}
	}
}

// call sends a JSON request with the session cookie (none when empty) and
// returns the status, the body and the session cookie set, if any.
func (in *instance) call(t *testing.T, method, path, cookie string, body any) (int, string, string) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, in.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if cookie != "" {
		req.Header.Set("Cookie", cookieName+"="+cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	set := ""
	for _, c := range resp.Cookies() {
		if c.Name == cookieName {
			set = c.Value
		}
	}
	return resp.StatusCode, string(b), set
}

const cookieName = "lianxin_session"

func (in *instance) login(t *testing.T, username, password string) string {
	t.Helper()
	st, body, cookie := in.call(t, "POST", "/api/v1/session", "", map[string]string{"username": username, "password": password})
	if st != 200 || cookie == "" {
		t.Fatalf("login %s on %s: %d %s", username, in.name, st, body)
	}
	return cookie
}

// eventually polls until the status of GET path with cookie is want; the
// other instance's cached view of a session lasts at most a second.
func (in *instance) eventually(t *testing.T, path, cookie string, want int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, body, _ := in.call(t, "GET", path, cookie, nil)
		if st == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s on %s: %d %s, want %d", path, in.name, st, body, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestTwoInstancesShareOnePostgres builds the binary and runs two `serve`
// processes on one PostgreSQL database with the same key files and
// attachments directory and nothing else shared: a session opened on one
// is accepted by the other, a logout or a disabled account on one is
// honoured by the other, a lockout counted on one holds on the other, and
// the daily coverage snapshot and alert run, due at the start of both,
// ran exactly once.
func TestTwoInstancesShareOnePostgres(t *testing.T) {
	if os.Getenv("LIANXIN_TEST_POSTGRES") == "" {
		t.Skip("LIANXIN_TEST_POSTGRES not set")
	}
	dsn := storetest.NewSchema(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "lianxin")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	const password = "Two-Instances-9a"
	env := append(os.Environ(), "LIANXIN_DEMO_PASSWORD="+password, "LIANXIN_DB="+dsn,
		"LIANXIN_AUDIT_KEY_FILE="+filepath.Join(dir, "keys", "audit.key"),
		"LIANXIN_PII_KEY_FILE="+filepath.Join(dir, "keys", "pii.keys"),
		"LIANXIN_CHECKIN_KEY_FILE="+filepath.Join(dir, "keys", "checkin.key"),
		"LIANXIN_ATTACHMENTS_DIR="+filepath.Join(dir, "shared", "attachments"))
	for _, d := range []string{"keys", "shared"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("lianxin %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// The data are generated as of yesterday: today has neither a coverage
	// snapshot nor an alert run, so both instances find both jobs due.
	today := domain.DateOf(time.Now())
	yesterday := domain.DateOf(time.Now().AddDate(0, 0, -1))
	run("migrate", "--data", filepath.Join(dir, "a"))
	run("gen", "--scale", "small", "--now", string(yesterday), "--data", filepath.Join(dir, "a"))

	// Both start at once, each with its own data directory.
	a, readyA := startInstance(t, bin, "a", env, "--data", filepath.Join(dir, "a"), "--instance", "web-a")
	b, readyB := startInstance(t, bin, "b", env, "--data", filepath.Join(dir, "b"), "--instance", "web-b")
	readyA()
	readyB()

	// Sessions: opened on a, used on b; ended on a, refused by b.
	s1 := a.login(t, "jinjiang", password)
	if st, body, _ := b.call(t, "GET", "/api/v1/me", s1, nil); st != 200 || !strings.Contains(body, `"username":"jinjiang"`) {
		t.Fatalf("a's session on b: %d %s", st, body)
	}
	if st, body, _ := a.call(t, "DELETE", "/api/v1/session", s1, nil); st >= 300 {
		t.Fatalf("logout on a: %d %s", st, body)
	}
	b.eventually(t, "/api/v1/me", s1, 401)

	// A disabled account: disabled by the administrator on b, its session
	// on a ends and it cannot log in on a again.
	s2 := a.login(t, "qingyang", password)
	var me struct {
		ID int64 `json:"id"`
	}
	_, body, _ := a.call(t, "GET", "/api/v1/me", s2, nil)
	if err := json.Unmarshal([]byte(body), &me); err != nil || me.ID == 0 {
		t.Fatalf("me: %s %v", body, err)
	}
	admin := b.login(t, "admin", password)
	if st, body, _ := b.call(t, "PATCH", fmt.Sprintf("/api/v1/users/%d", me.ID), admin, map[string]any{"disabled": true}); st != 200 {
		t.Fatalf("disable on b: %d %s", st, body)
	}
	a.eventually(t, "/api/v1/me", s2, 401)
	if st, body, _ := a.call(t, "POST", "/api/v1/session", "", map[string]string{"username": "qingyang", "password": password}); st == 200 {
		t.Fatalf("a disabled account logged in on a: %s", body)
	}

	// A lockout counted on a holds on b, for the right password too.
	locked := false
	for i := 0; i < 10 && !locked; i++ {
		st, _, _ := a.call(t, "POST", "/api/v1/session", "", map[string]string{"username": "wuhou", "password": "wrong-Password-1"})
		locked = st == 423
	}
	if !locked {
		t.Fatal("no lockout on a after ten wrong passwords")
	}
	if st, body, _ := b.call(t, "POST", "/api/v1/session", "", map[string]string{"username": "wuhou", "password": password}); st != 423 {
		t.Fatalf("locked account on b: %d %s", st, body)
	}

	// The daily jobs: once each for today, by one of the two.
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var done int
		if err := db.QueryRow(`SELECT COUNT(*) FROM daily_leases WHERE done_day = $1`, string(today)).Scan(&done); err != nil {
			t.Fatal(err)
		}
		if done == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("daily jobs not done for %s (%d of 2)\na:\n%s\nb:\n%s", today, done, a.logs(), b.logs())
		}
		time.Sleep(200 * time.Millisecond)
	}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT COUNT(*) FROM alert_runs WHERE as_of = $1`, string(today)); n != 1 {
		t.Errorf("%d alert runs for %s, want 1", n, today)
	}
	if n := count(`SELECT COUNT(*) FROM audit_events WHERE object_type = 'coverage_snapshot' AND object_id = $1`, string(today)); n != 1 {
		t.Errorf("%d coverage snapshots taken for %s, want 1", n, today)
	}
	rows, err := db.Query(`SELECT name, done_by, runs FROM daily_leases ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, by string
		var runs int
		if err := rows.Scan(&name, &by, &runs); err != nil {
			t.Fatal(err)
		}
		if runs != 1 || !strings.HasPrefix(by, "web-a#") && !strings.HasPrefix(by, "web-b#") {
			t.Errorf("lease %s: done by %q, %d runs", name, by, runs)
		}
	}
}
