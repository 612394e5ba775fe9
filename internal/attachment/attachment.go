// Package attachment keeps the photos and documents of activities under the
// data directory: it checks a file's size and type (by its bytes, not only
// its name), writes it under a random name with mode 0600, and opens it
// again. The database keeps the metadata (orglife.Attachment).
package attachment

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// MaxBytes bounds one file.
const MaxBytes = 10 << 20

// kinds are the accepted files: extension → the type its bytes must sniff
// as, and the type served back. DOCX and XLSX are ZIP containers.
var kinds = map[string]struct{ sniff, serve string }{
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
	".png":  {"image/png", "image/png"},
	".pdf":  {"application/pdf", "application/pdf"},
	".docx": {"application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xlsx": {"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}

// Errors a caller maps to a 400 or a 413.
var (
	ErrTooLarge = fmt.Errorf("附件不能超过 %d MB", MaxBytes>>20)
	ErrType     = errors.New("附件只能是 JPG、PNG 图片或 PDF、DOCX、XLSX 文档")
	ErrMismatch = errors.New("附件内容与扩展名不符（例如改了扩展名的文件），已拒绝")
	ErrEmpty    = errors.New("附件是空文件")
)

// Dir stores files in one directory.
type Dir struct{ Path string }

// Saved describes a stored file.
type Saved struct {
	FileName    string // as uploaded, cleaned
	StoredName  string
	ContentType string
	Size        int64
	SHA256      string
}

// Save checks and writes a file. Nothing is left behind on failure.
func (d Dir) Save(r io.Reader, name string) (Saved, error) {
	name = cleanName(name)
	k, ok := kinds[strings.ToLower(filepath.Ext(name))]
	if !ok {
		return Saved{}, ErrType
	}
	if err := os.MkdirAll(d.Path, 0o700); err != nil {
		return Saved{}, err
	}
	rnd := make([]byte, 16)
	if _, err := rand.Read(rnd); err != nil {
		return Saved{}, err
	}
	stored := hex.EncodeToString(rnd) + strings.ToLower(filepath.Ext(name))
	path := filepath.Join(d.Path, stored)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Saved{}, err
	}
	ok = false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(path)
		}
	}()
	var head bytes.Buffer
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h, &limitBuf{&head, 512}), io.LimitReader(r, MaxBytes+1))
	switch {
	case err != nil:
		return Saved{}, err
	case n > MaxBytes:
		return Saved{}, ErrTooLarge
	case n == 0:
		return Saved{}, ErrEmpty
	}
	if got := http.DetectContentType(head.Bytes()); !strings.HasPrefix(got, k.sniff) {
		return Saved{}, ErrMismatch
	}
	if err := f.Sync(); err != nil {
		return Saved{}, err
	}
	if err := f.Close(); err != nil {
		return Saved{}, err
	}
	ok = true
	return Saved{FileName: name, StoredName: stored, ContentType: k.serve, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// Open opens a stored file.
func (d Dir) Open(stored string) (*os.File, error) {
	if stored == "" || stored != filepath.Base(stored) || strings.HasPrefix(stored, ".") {
		return nil, os.ErrNotExist
	}
	return os.Open(filepath.Join(d.Path, stored))
}

// Remove deletes a stored file; a missing one is no error.
func (d Dir) Remove(stored string) error {
	f, err := d.Open(stored)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	f.Close()
	if err := os.Remove(filepath.Join(d.Path, stored)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// cleanName keeps the base name of an upload, without control characters,
// at most 100 characters.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 100 {
		ext := filepath.Ext(name)
		name = string(r[:100-len([]rune(ext))]) + ext
	}
	return name
}

// limitBuf keeps the first n bytes written.
type limitBuf struct {
	b *bytes.Buffer
	n int
}

func (l *limitBuf) Write(p []byte) (int, error) {
	if room := l.n - l.b.Len(); room > 0 {
		l.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
