package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func archiveOf(t *testing.T, entries ...*tar.Header) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, h := range entries {
		if h.Typeflag == 0 {
			h.Typeflag = tar.TypeReg
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write(make([]byte, h.Size))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// TestRestoreRefusesForeignEntries: an archive can only put the files of a
// backup in their places — no path of its own, no link — and a refused
// archive leaves nothing behind.
func TestRestoreRefusesForeignEntries(t *testing.T) {
	for name, h := range map[string]*tar.Header{
		"escape":      {Name: "attachments/../../evil", Size: 1, Mode: 0o600},
		"absolute":    {Name: "/tmp/evil", Size: 1, Mode: 0o600},
		"hidden":      {Name: "attachments/.x", Size: 1, Mode: 0o600},
		"unknown":     {Name: "imports/1/upload.xlsx", Size: 1, Mode: 0o600},
		"symlink":     {Name: "attachments/a.png", Linkname: "/etc/passwd", Typeflag: tar.TypeSymlink, Mode: 0o600},
		"no manifest": {Name: "lianxin.db", Size: 10, Mode: 0o600},
	} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			target := Target{DataDir: filepath.Join(root, "data"), AuditKey: filepath.Join(root, "audit.key"), PIIKeys: filepath.Join(root, "pii.keys")}
			_, err := Restore(bytes.NewReader(archiveOf(t, h)), target)
			if err == nil {
				t.Fatal("restored")
			}
			if ents, _ := os.ReadDir(root); len(ents) != 0 {
				t.Errorf("left %v behind (%v)", ents, err)
			}
			if !strings.Contains(err.Error(), "拒绝") && !strings.Contains(err.Error(), "MANIFEST") {
				t.Errorf("message: %v", err)
			}
		})
	}
}
