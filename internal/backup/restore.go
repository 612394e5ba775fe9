package backup

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lianxin/lianxin/internal/keyfile"
)

// Target is where a restore puts a deployment.
type Target struct {
	DataDir    string // receives lianxin.db and attachments/
	AuditKey   string // paths of the key files
	PIIKeys    string
	CheckinKey string
}

// ExistsError refuses a restore over an existing deployment.
type ExistsError struct {
	Path string
	Key  bool // a key file, else the data directory
}

func (e *ExistsError) Error() string {
	if e.Key {
		return fmt.Sprintf("密钥文件 %s 已存在：拒绝覆盖已有部署的密钥，请移走它或用 --audit-key-file、--pii-key-file 指定新位置", e.Path)
	}
	return fmt.Sprintf("数据目录 %s 不是空目录：拒绝覆盖已有部署，请恢复到新的空目录", e.Path)
}

// staged is an extracted entry.
type staged struct{ path, sum string }

// Restore extracts the archive r into t, which must be a new deployment: a
// missing or empty data directory and no file at the key paths. Every file
// is checked against the manifest before any is put in place; on failure
// nothing it wrote is left behind.
func Restore(r io.Reader, t Target) (m Manifest, err error) {
	keys := map[string]string{EntryAuditKey: t.AuditKey, EntryPIIKeys: t.PIIKeys, EntryCheckinKey: t.CheckinKey}
	if err := checkFresh(t, keys); err != nil {
		return m, err
	}
	_, statErr := os.Stat(t.DataDir)
	createdDir := errors.Is(statErr, os.ErrNotExist)
	if err := os.MkdirAll(t.DataDir, 0o700); err != nil {
		return m, err
	}
	var placedKeys []string
	defer func() {
		if err == nil {
			return
		}
		for _, p := range placedKeys {
			os.Remove(p)
		}
		if createdDir {
			os.RemoveAll(t.DataDir)
			return
		}
		ents, _ := os.ReadDir(t.DataDir) // it was empty
		for _, e := range ents {
			os.RemoveAll(filepath.Join(t.DataDir, e.Name()))
		}
	}()
	stage, err := os.MkdirTemp(t.DataDir, ".restore-")
	if err != nil {
		return m, err
	}
	defer os.RemoveAll(stage)
	files, atts, mp, err := extract(r, stage)
	if err != nil {
		return m, err
	}
	if mp == nil {
		return m, errors.New("不是 lianxin 备份文件：缺少 MANIFEST.json")
	}
	m = *mp
	if m.Format != Format {
		return m, fmt.Errorf("备份格式 %q 不是本程序所知的 %s", m.Format, Format)
	}
	for _, need := range []string{EntryDatabase, EntryAuditKey, EntryPIIKeys} {
		if _, ok := m.Files[need]; !ok {
			return m, fmt.Errorf("备份文件不完整：清单中没有 %s", need)
		}
	}
	for _, name := range sortedKeys(m.Files) {
		f, ok := files[name]
		if !ok || f.sum != m.Files[name] {
			return m, fmt.Errorf("备份文件损坏：%s 缺失或与清单不符", name)
		}
	}
	for name := range files {
		if _, ok := m.Files[name]; !ok {
			return m, fmt.Errorf("备份文件损坏：%s 不在清单中", name)
		}
	}
	attPaths := map[string]string{}
	for _, name := range sortedKeys(m.Attachments) {
		for _, c := range atts[name] {
			if c.sum == m.Attachments[name] {
				attPaths[name] = c.path
			}
		}
		if attPaths[name] == "" {
			return m, fmt.Errorf("备份文件损坏：附件 %s 缺失或与清单不符", name)
		}
	}

	// Everything checks: put it in place.
	if err := os.Rename(files[EntryDatabase].path, filepath.Join(t.DataDir, "lianxin.db")); err != nil {
		return m, err
	}
	if len(attPaths) > 0 {
		dir := filepath.Join(t.DataDir, "attachments")
		if err := os.Mkdir(dir, 0o700); err != nil {
			return m, err
		}
		for name, p := range attPaths {
			if err := os.Rename(p, filepath.Join(dir, name)); err != nil {
				return m, err
			}
		}
	}
	for _, entry := range []string{EntryAuditKey, EntryPIIKeys, EntryCheckinKey} {
		f, ok := files[entry]
		if !ok {
			continue
		}
		b, err := os.ReadFile(f.path)
		if err != nil {
			return m, err
		}
		if err := keyfile.Write(keys[entry], b, true); err != nil {
			if errors.Is(err, os.ErrExist) {
				return m, &ExistsError{Path: keys[entry], Key: true}
			}
			return m, err
		}
		placedKeys = append(placedKeys, keys[entry])
	}
	return m, nil
}

// checkFresh refuses an existing deployment: a data directory with
// anything in it, or a key file already at its path.
func checkFresh(t Target, keys map[string]string) error {
	ents, err := os.ReadDir(t.DataDir)
	switch {
	case err == nil && len(ents) > 0:
		return &ExistsError{Path: t.DataDir}
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("数据目录 %s：%w", t.DataDir, err)
	}
	for _, p := range keys {
		if _, err := os.Lstat(p); err == nil {
			return &ExistsError{Path: p, Key: true}
		}
	}
	return nil
}

// extract writes the archive's entries into stage, refusing anything but
// the entries a backup holds (no links, no paths of its own choosing).
func extract(r io.Reader, stage string) (map[string]staged, map[string][]staged, *Manifest, error) {
	corrupt := func(err error) error { return fmt.Errorf("备份文件损坏或不是 lianxin 备份：%w", err) }
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, nil, nil, corrupt(err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	files := map[string]staged{}
	atts := map[string][]staged{}
	var m *Manifest
	for n := 0; ; n++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, atts, m, nil
		}
		if err != nil {
			return nil, nil, nil, corrupt(err)
		}
		if h.Typeflag != tar.TypeReg {
			return nil, nil, nil, fmt.Errorf("备份文件中的 %q 不是普通文件，拒绝恢复", h.Name)
		}
		switch name := h.Name; {
		case name == EntryManifest:
			if m != nil {
				return nil, nil, nil, fmt.Errorf("备份文件中有重复的 %s", name)
			}
			m = new(Manifest)
			if err := json.NewDecoder(io.LimitReader(tr, 256<<20)).Decode(m); err != nil {
				return nil, nil, nil, corrupt(err)
			}
		case name == EntryDatabase || name == EntryAuditKey || name == EntryPIIKeys || name == EntryCheckinKey:
			if _, dup := files[name]; dup {
				return nil, nil, nil, fmt.Errorf("备份文件中有重复的 %s", name)
			}
			f, err := stageEntry(tr, filepath.Join(stage, fmt.Sprintf("f%d", n)))
			if err != nil {
				return nil, nil, nil, err
			}
			files[name] = f
		case strings.HasPrefix(name, attachmentDir) && safeName(strings.TrimPrefix(name, attachmentDir)):
			f, err := stageEntry(tr, filepath.Join(stage, fmt.Sprintf("f%d", n)))
			if err != nil {
				return nil, nil, nil, err
			}
			base := strings.TrimPrefix(name, attachmentDir)
			atts[base] = append(atts[base], f)
		default:
			return nil, nil, nil, fmt.Errorf("备份文件中有不认识的条目 %q，拒绝恢复", name)
		}
	}
}

func stageEntry(r io.Reader, path string) (staged, error) {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return staged{}, err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(fh, h), r)
	if err == nil {
		err = fh.Sync()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return staged{}, fmt.Errorf("备份文件损坏或磁盘写入失败：%w", err)
	}
	return staged{path: path, sum: hex.EncodeToString(h.Sum(nil))}, nil
}
