// Package backup writes and restores one archive holding a SQLite
// deployment: a consistent copy of the database, the key files it cannot be
// read without, and the activities' attachments. The archive is a gzipped
// tar with a manifest (the SHA-256 of every file) as its last entry; restore
// extracts into a staging directory, checks every file against the manifest
// and only then puts them in place.
//
// Import uploads and error copies are not included: they are temporary (the
// server drops interrupted uploads on start, error copies after some days).
package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/keyfile"
	"github.com/lianxin/lianxin/internal/store"
)

// Format names the archive layout.
const Format = "lianxin-backup/1"

// Entries of the archive.
const (
	EntryManifest   = "MANIFEST.json"
	EntryDatabase   = "lianxin.db"
	EntryAuditKey   = "keys/audit.key"
	EntryPIIKeys    = "keys/pii.keys"
	EntryCheckinKey = "keys/checkin.key"
	attachmentDir   = "attachments/"
)

// keyLimit bounds a key file read.
const keyLimit = 1 << 20

// Manifest describes an archive.
type Manifest struct {
	Format        string `json:"format"`
	Version       string `json:"version"`
	CreatedAt     string `json:"created_at"`
	SchemaVersion int    `json:"schema_version"`
	AuditSeq      int64  `json:"audit_seq"`
	AuditHash     string `json:"audit_hash"`
	// Files are the database and the key files: entry → SHA-256.
	Files map[string]string `json:"files"`
	// Attachments are the stored files the database refers to: stored
	// name → SHA-256 as the database records it.
	Attachments map[string]string `json:"attachments"`
	// Missing are attachments the database refers to that could not be
	// copied (deleted while the backup ran, or already gone).
	Missing []string `json:"missing_attachments,omitempty"`
}

// Source is a SQLite deployment to back up.
type Source struct {
	DB             store.Config // DSN and DataDir; no keys needed
	AttachmentsDir string
	AuditKey       string // paths of the key files
	PIIKeys        string
	CheckinKey     string // optional: absent until the server first ran
	TempDir        string // for the database copy (same disk as the archive)
	Version        string
	Now            time.Time
}

// Create writes the archive of src to w. The attachments are copied twice
// over: every file present before the database copy is taken, then those
// the copy refers to that were not yet (or not completely) copied. A file
// is written before its row commits and removed after its row is deleted,
// so a file the copy refers to existed throughout the database copy, and
// only one deleted in the moment between the copy and its own second pass
// can be missing (Manifest.Missing).
func Create(ctx context.Context, w io.Writer, src Source) (Manifest, error) {
	m := Manifest{Format: Format, Version: src.Version, CreatedAt: src.Now.UTC().Format(time.RFC3339),
		Files: map[string]string{}, Attachments: map[string]string{}}
	for _, p := range []string{src.AuditKey, src.PIIKeys} {
		if _, err := os.Stat(p); err != nil {
			return m, fmt.Errorf("找不到密钥文件 %s：没有它备份无法使用", p)
		}
	}
	aw := newWriter(w, src.Now)
	copied := map[string]string{}
	names, err := storedFiles(src.AttachmentsDir)
	if err != nil {
		return m, err
	}
	for _, name := range names {
		sum, err := aw.addFile(attachmentDir+name, filepath.Join(src.AttachmentsDir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue // removed since listed: its row is gone too
		}
		if err != nil {
			return m, err
		}
		copied[name] = sum
	}
	dbCopy := filepath.Join(src.TempDir, "lianxin.db")
	snap, err := store.BackupSQLite(ctx, src.DB, dbCopy)
	if err != nil {
		return m, err
	}
	m.SchemaVersion, m.AuditSeq, m.AuditHash = snap.SchemaVersion, snap.Head.Seq, snap.Head.Hash
	for _, a := range snap.Attachments {
		if copied[a.StoredName] != a.SHA256 && safeName(a.StoredName) {
			sum, err := aw.addFile(attachmentDir+a.StoredName, filepath.Join(src.AttachmentsDir, a.StoredName))
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				return m, err
			}
			copied[a.StoredName] = sum
		}
		if copied[a.StoredName] == a.SHA256 {
			m.Attachments[a.StoredName] = a.SHA256
		} else {
			m.Missing = append(m.Missing, a.StoredName)
		}
	}
	if m.Files[EntryDatabase], err = aw.addFile(EntryDatabase, dbCopy); err != nil {
		return m, err
	}
	// The keys are read after the database copy: keys are only ever added
	// (rotation keeps the old ones), so they can read every row of it.
	keys := [][2]string{{EntryAuditKey, src.AuditKey}, {EntryPIIKeys, src.PIIKeys}, {EntryCheckinKey, src.CheckinKey}}
	for _, k := range keys {
		if k[1] == "" {
			continue
		}
		b, err := keyfile.Read(k[1], keyLimit)
		if errors.Is(err, os.ErrNotExist) && k[0] == EntryCheckinKey {
			continue
		}
		if errors.Is(err, os.ErrNotExist) {
			return m, fmt.Errorf("找不到密钥文件 %s", k[1])
		}
		if err != nil {
			return m, err
		}
		if m.Files[k[0]], err = aw.add(k[0], int64(len(b)), bytes.NewReader(b)); err != nil {
			return m, err
		}
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	if _, err := aw.add(EntryManifest, int64(len(mb)), bytes.NewReader(mb)); err != nil {
		return m, err
	}
	return m, aw.close()
}

// storedFiles lists the regular files of an attachments directory.
func storedFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() && safeName(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// safeName accepts the names attachment.Dir gives files: a plain base name.
func safeName(name string) bool {
	return name != "" && name == filepath.Base(name) && !strings.HasPrefix(name, ".") && !strings.ContainsAny(name, `/\`)
}

type writer struct {
	gz  *gzip.Writer
	tw  *tar.Writer
	now time.Time
}

func newWriter(w io.Writer, now time.Time) *writer {
	gz, _ := gzip.NewWriterLevel(w, gzip.BestSpeed) // the level is valid
	return &writer{gz: gz, tw: tar.NewWriter(gz), now: now}
}

// addFile adds the file at path under name and returns the SHA-256 of the
// bytes written. A file that grows while read is cut at its size when
// opened, one that shrinks is padded: either way its sum will not match
// the database's, and the entry is not used.
func (w *writer) addFile(name, path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s 不是普通文件", path)
	}
	return w.add(name, fi.Size(), fh)
}

func (w *writer) add(name string, size int64, r io.Reader) (string, error) {
	if err := w.tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: w.now, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return "", err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w.tw, h), io.LimitReader(r, size))
	if err != nil {
		return "", err
	}
	if n < size {
		if _, err := io.MultiWriter(w.tw, h).Write(make([]byte, size-n)); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (w *writer) close() error {
	if err := w.tw.Close(); err != nil {
		return err
	}
	return w.gz.Close()
}

// sortedKeys returns m's keys in order (stable messages).
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
