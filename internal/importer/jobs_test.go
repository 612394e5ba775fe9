package importer

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/store/storetest"
)

// TestRecoverRemovesPersonalDataFiles: at start the uploads of interrupted
// jobs, unfinished uploads and error copies past ErrorCopyDays are deleted;
// a recent error copy stays for its correction.
func TestRecoverRemovesPersonalDataFiles(t *testing.T) {
	s := storetest.Open(t, storetest.Engines()[0])
	dir := t.TempDir()
	r := &Runner{Store: s, Dir: dir, Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	file := func(name string, age time.Duration) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gone := []string{file("1/"+uploadName, time.Hour), file("upload-123.tmp", time.Minute), file("2/"+errorCopyName, (ErrorCopyDays+1)*24*time.Hour)}
	kept := file("3/"+errorCopyName, 24*time.Hour)
	if err := r.Recover(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, p := range gone {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s kept: %v", p, err)
		}
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("a recent error copy was removed: %v", err)
	}
}
