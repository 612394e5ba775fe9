package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/attachment"
	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/orglife"
)

// write is one write the load made, and whether it had returned before the
// backup began.
type write struct {
	kind    string // "org", "attachment", "deleted"
	id      int64
	before  bool
	storedA string
}

// TestBackupUnderWriteLoad: `lianxin backup` copies a SQLite deployment
// while writers commit through the store (organizations, attachments added
// and deleted); the archive restores into a new directory with every write
// that returned before the backup began, no write half there (a row without
// its audit record or its file, or the reverse), and a whole audit chain.
func TestBackupUnderWriteLoad(t *testing.T) {
	t.Setenv("LIANXIN_DEMO_PASSWORD", "Demo@2026pass")
	ctx := context.Background()
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "gen", "--data", dir, "--scale", "small", "--seed", "5"); code != 0 {
		t.Fatal(errs)
	}
	s, now, err := openMigrated(ctx, &dbFlags{data: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var activities []int64
	rows, err := rawDB(t, dir).Query(`SELECT id FROM activities ORDER BY id LIMIT 40`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		activities = append(activities, id)
	}
	rows.Close()
	if len(activities) < 8 {
		t.Fatalf("%d activities", len(activities))
	}
	c := store.System(now, "backup-test")
	root, err := rootOrg(ctx, s, c)
	if err != nil {
		t.Fatal(err)
	}
	files := attachment.Dir{Path: filepath.Join(dir, "attachments")}
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("照片"), 2000)...)

	var started, stop atomic.Bool
	var mu sync.Mutex
	var writes []write
	record := func(w write) {
		w.before = !started.Load()
		mu.Lock()
		writes = append(writes, w)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				name := fmt.Sprintf("中共备份测试支部%d-%d", g, i)
				typ, region := "branch", "510104"
				o, err := s.Registry.CreatePartyOrg(ctx, c, &root, domain.PartyOrgInput{Name: &name, Type: &typ, Region: &region})
				if err != nil {
					errc <- err
					return
				}
				record(write{kind: "org", id: o.ID})
				act := activities[(g*10+i)%len(activities)]
				saved, err := files.Save(bytes.NewReader(append(png, fmt.Sprint(g, i)...)), "照片.png")
				if err != nil {
					errc <- err
					return
				}
				a, err := s.Life.AddAttachment(ctx, c, orglife.Attachment{ActivityID: act, FileName: saved.FileName, ContentType: saved.ContentType,
					Size: saved.Size, SHA256: saved.SHA256, StoredName: saved.StoredName})
				if err != nil {
					files.Remove(saved.StoredName)
					if strings.Contains(err.Error(), "最多") {
						continue // the activity is full
					}
					errc <- err
					return
				}
				if i%3 == 2 { // some are deleted again: row first, then file
					if _, err := s.Life.DeleteAttachment(ctx, c, act, a.ID); err != nil {
						errc <- err
						return
					}
					if err := files.Remove(a.StoredName); err != nil {
						errc <- err
						return
					}
					record(write{kind: "deleted", id: a.ID, storedA: a.StoredName})
					continue
				}
				record(write{kind: "attachment", id: a.ID, storedA: a.StoredName})
			}
		}(g)
	}
	// Writes are under way before the backup starts: wait for ten of them
	// rather than a fixed time, which a loaded machine does not honour.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(writes)
		mu.Unlock()
		if n >= 10 || time.Now().After(deadline) {
			break
		}
	}
	archive := filepath.Join(t.TempDir(), "lianxin.backup")
	started.Store(true)
	code, out, errs := runCmd(t, "backup", "--data", dir, "-o", archive)
	time.Sleep(100 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Fatal(err)
	}
	if code != 0 || !strings.Contains(errs, "密钥") || !strings.Contains(out, "已备份") {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	if fi, err := os.Stat(archive); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("archive mode: %v %v", fi.Mode(), err)
	}
	var before, during int
	for _, w := range writes {
		if w.before {
			before++
		} else {
			during++
		}
	}
	if before < 10 || during < 3 {
		t.Fatalf("the load did not overlap the backup: %d writes before, %d during", before, during)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	code, out, errs = runCmd(t, "restore", archive, "--data", restored)
	if code != 0 || !strings.Contains(out, "审计日志完整") {
		t.Fatalf("restore: %d %s %s", code, out, errs)
	}
	r, _, err := openMigrated(ctx, &dbFlags{data: restored})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if res, err := r.VerifyAudit(ctx); err != nil || !res.OK {
		t.Fatalf("restored chain: %+v %v", res, err)
	}
	db := rawDB(t, restored)
	ids := func(q string) map[string]bool {
		out := map[string]bool{}
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			rows.Scan(&v)
			out[v] = true
		}
		return out
	}
	orgs := ids(`SELECT id FROM party_orgs WHERE name LIKE '中共备份测试支部%'`)
	orgEvents := ids(`SELECT object_id FROM audit_events WHERE object_type = 'party_org' AND action = 'create'`)
	atts := ids(`SELECT stored_name FROM activity_attachments`)
	attIDs := ids(`SELECT id FROM activity_attachments`)
	attEvents := ids(`SELECT object_id FROM audit_events WHERE object_type = 'attachment' AND action = 'create'`)
	attDeleted := ids(`SELECT object_id FROM audit_events WHERE object_type = 'attachment' AND action = 'delete'`)
	for _, w := range writes {
		id := strconv.FormatInt(w.id, 10)
		switch {
		case w.kind == "org" && w.before && !orgs[id]:
			t.Errorf("org %d, created before the backup, is missing", w.id)
		case w.kind == "attachment" && w.before && !atts[w.storedA]:
			t.Errorf("attachment %d, added before the backup, is missing", w.id)
		case w.kind == "deleted" && w.before && (atts[w.storedA] || !attDeleted[id]):
			t.Errorf("attachment %d, deleted before the backup, is back", w.id)
		}
	}
	for id := range orgs {
		if !orgEvents[id] {
			t.Errorf("org %s without its audit record", id)
		}
	}
	for id := range attIDs {
		if !attEvents[id] {
			t.Errorf("attachment %s without its audit record", id)
		}
	}
	rows, err = db.Query(`SELECT stored_name, sha256 FROM activity_attachments`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name, sum string
		rows.Scan(&name, &sum)
		b, err := os.ReadFile(filepath.Join(restored, "attachments", name))
		if h := sha256.Sum256(b); err != nil || hex.EncodeToString(h[:]) != sum {
			t.Errorf("attachment %s: file %v, content differs", name, err)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no attachment restored")
	}
	for _, k := range []string{"audit.key", "pii.keys", "lianxin.db", "attachments"} {
		if _, err := os.Stat(filepath.Join(restored, k)); err != nil {
			t.Errorf("restored %s: %v", k, err)
		}
	}
	t.Logf("%d writes before the backup, %d during; %d attachments restored", before, during, n)
}

// TestRestoreRefusesAnExistingDeployment: a non-empty data directory or a
// key file already in place stops the restore, and nothing is written.
func TestRestoreRefusesAnExistingDeployment(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "migrate", "--data", dir); code != 0 {
		t.Fatal(errs)
	}
	archive := filepath.Join(t.TempDir(), "b")
	if code, _, errs := runCmd(t, "backup", "--data", dir, "-o", archive); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := runCmd(t, "backup", "--data", dir, "-o", archive); code == 0 || !strings.Contains(errs, "已存在") {
		t.Errorf("backup over an existing file: %d %s", code, errs)
	}
	before, _ := os.ReadDir(dir)
	if code, _, errs := runCmd(t, "restore", archive, "--data", dir); code == 0 || !strings.Contains(errs, "不是空目录") {
		t.Errorf("restore over a deployment: %d %s", code, errs)
	}
	if after, _ := os.ReadDir(dir); len(after) != len(before) {
		t.Errorf("the refused restore changed the directory: %d → %d entries", len(before), len(after))
	}
	fresh := filepath.Join(t.TempDir(), "new")
	key := filepath.Join(dir, "audit.key")
	if code, _, errs := runCmd(t, "restore", archive, "--data", fresh, "--audit-key-file", key); code == 0 || !strings.Contains(errs, "密钥文件") {
		t.Errorf("restore over a key file: %d %s", code, errs)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("the refused restore left %s: %v", fresh, err)
	}
	// A corrupted archive restores nothing.
	b, _ := os.ReadFile(archive)
	b[len(b)/2] ^= 0xff
	bad := filepath.Join(t.TempDir(), "bad")
	os.WriteFile(bad, b, 0o600)
	if code, _, errs := runCmd(t, "restore", bad, "--data", fresh); code == 0 || !strings.Contains(errs, "损坏") {
		t.Errorf("corrupted archive: %d %s", code, errs)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("the failed restore left %s: %v", fresh, err)
	}
	// A PostgreSQL deployment is told what to run instead.
	if code, _, errs := runCmd(t, "backup", "--db", "postgres://u@127.0.0.1:1/x", "-o", filepath.Join(t.TempDir(), "pg")); code == 0 || !strings.Contains(errs, "pg_dump") || !strings.Contains(errs, "pii.keys") {
		t.Errorf("postgres: %d %s", code, errs)
	}
}

// TestRestoreVerifiesTheAuditChain: an archive of a trail cut short
// restores with a non-zero exit naming the break.
func TestRestoreVerifiesTheAuditChain(t *testing.T) {
	dir := t.TempDir()
	for _, u := range []string{"wangfang", "lihua", "zhaoqiang"} {
		if code, _, errs := runCmd(t, "user", "create", "--data", dir, "--username", u, "--name", "王芳", "--role", "city_staff", "--password", "Lx#2026secure"); code != 0 {
			t.Fatal(errs)
		}
	}
	cutTrail(t, dir, "", 2)
	archive := filepath.Join(t.TempDir(), "b")
	if code, _, errs := runCmd(t, "backup", "--data", dir, "-o", archive); code != 0 {
		t.Fatal(errs)
	}
	code, _, errs := runCmd(t, "restore", archive, "--data", filepath.Join(t.TempDir(), "r"))
	if code != 3 || !strings.Contains(errs, "审计日志校验失败") {
		t.Fatalf("%d %s", code, errs)
	}
}

// Review of issue 11: the check-in key and the attachments kept outside the
// data directory (--checkin-key-file, --attachments-dir, as serve is told)
// are backed up from there, not silently left out.
func TestBackupTakesKeysWhereConfigured(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	if code, _, errs := runCmd(t, "migrate", "--data", dir); code != 0 {
		t.Fatal(errs)
	}
	keyPath := filepath.Join(elsewhere, "checkin.key")
	if _, err := checkin.LoadOrCreate(keyPath); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "b")
	if code, out, errs := runCmd(t, "backup", "--data", dir, "--checkin-key-file", keyPath, "--attachments-dir", filepath.Join(elsewhere, "att"), "-o", archive); code != 0 || !strings.Contains(out, "3 个密钥文件") {
		t.Fatalf("backup: %d %s %s", code, out, errs)
	}
	fresh := filepath.Join(t.TempDir(), "new")
	if code, _, errs := runCmd(t, "restore", archive, "--data", fresh); code != 0 {
		t.Fatalf("restore: %d %s", code, errs)
	}
	want, _ := os.ReadFile(keyPath)
	if got, err := os.ReadFile(filepath.Join(fresh, checkin.KeyFileName)); err != nil || string(got) != string(want) {
		t.Errorf("the restored check-in key differs: %v", err)
	}
}
