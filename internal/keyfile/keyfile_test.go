package keyfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWriteThenRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.key")
	if _, err := Read(path, 100); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	if err := Write(path, []byte("one"), true); err != nil {
		t.Fatal(err)
	}
	// An exclusive create never replaces: the second process reads the first's keys.
	if err := Write(path, []byte("two"), true); !errors.Is(err, os.ErrExist) {
		t.Fatalf("second exclusive write: %v", err)
	}
	if b, err := Read(path, 100); err != nil || string(b) != "one" {
		t.Fatalf("read %q %v", b, err)
	}
	if err := Write(path, []byte("three"), false); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	if b, _ := Read(path, 3); string(b) != "thr" {
		t.Fatalf("limit not applied: %q", b)
	}
	// No temporary files are left beside it.
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
}

func TestReadRefusesUnsafeFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits")
	}
	dir := t.TempDir()
	open := filepath.Join(dir, "open.key")
	if err := os.WriteFile(open, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(open, 10); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("world-readable file: %v", err)
	}
	if _, err := Read(dir, 10); err == nil || !strings.Contains(err.Error(), "不是普通文件") {
		t.Fatalf("directory: %v", err)
	}
}
