package main

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Issue 12: the audit key goes through keyfile like the other key files.
// A key others may read is refused (whoever holds it can rewrite the audit
// trail unnoticed); a file written before loads as it is.
func TestAuditKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "audit.key")
	key, err := loadOrCreateKey(path)
	if err != nil || len(key) != 32 {
		t.Fatalf("created: %x %v", key, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", fi.Mode(), err)
	}
	data, _ := os.ReadFile(path)
	if string(data) != hex.EncodeToString(key)+"\n" {
		t.Fatalf("file %q", data)
	}
	if again, err := loadOrCreateKey(path); err != nil || !bytes.Equal(again, key) {
		t.Fatalf("read again: %x %v", again, err)
	}
	// As the earlier code wrote it, or by hand without the newline.
	for _, content := range []string{strings.Repeat("5a", 32) + "\n", strings.Repeat("5A", 32)} {
		p := filepath.Join(t.TempDir(), "audit.key")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if k, err := loadOrCreateKey(p); err != nil || hex.EncodeToString(k) != strings.Repeat("5a", 32) {
			t.Errorf("%q: %x %v", content, k, err)
		}
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		if _, err := loadOrCreateKey(path); !errors.Is(err, errAuditKey) || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("mode %04o: %v", mode, err)
		}
	}
	os.Chmod(path, 0o600)
	for name, content := range map[string]string{"empty": "", "short": "abcd\n", "not hex": strings.Repeat("zz", 32)} {
		p := filepath.Join(t.TempDir(), "audit.key")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := loadOrCreateKey(p); !errors.Is(err, errAuditKey) || !strings.Contains(err.Error(), "64 位十六进制") {
			t.Errorf("%s: %v", name, err)
		}
		if b, _ := os.ReadFile(p); string(b) != content {
			t.Errorf("%s: a broken key file was replaced", name)
		}
	}
	if _, err := loadOrCreateKey(dir); !errors.Is(err, errAuditKey) || !strings.Contains(err.Error(), "不是普通文件") {
		t.Errorf("a directory: %v", err)
	}
}

// Instances starting together on a fresh deployment end with one audit key:
// with two, one instance's records would not verify under the other's key.
func TestAuditKeyCreatedOnce(t *testing.T) {
	for range 20 { // a race: run it a few times
		path := filepath.Join(t.TempDir(), "audit.key")
		keys := make([][]byte, 8)
		var wg sync.WaitGroup
		for i := range keys {
			wg.Go(func() {
				k, err := loadOrCreateKey(path)
				if err != nil {
					t.Error(err)
				}
				keys[i] = k
			})
		}
		wg.Wait()
		for i, k := range keys {
			if len(k) != 32 || !bytes.Equal(k, keys[0]) {
				t.Fatalf("instance %d has key %x, instance 0 %x", i, k, keys[0])
			}
		}
		if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
			t.Fatalf("left behind: %v", entries)
		}
	}
}
