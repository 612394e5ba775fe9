// Package keyfile reads and writes the small secret files beside the data
// (the audit key, the personal-data keys, the check-in signing keys): only
// regular files that nobody but the owner can read are accepted, and a write
// goes through a synced temporary file, so that a crash leaves the old file
// or the new one, never a torn one. A lost or torn key would make encrypted data
// unreadable or printed codes void.
//
// Errors are in Chinese and never quote the file's content (key material);
// callers prefix them with their own sentinel. A missing file is reported
// as os.ErrNotExist, unwrapped, so that callers can create it.
package keyfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// Read returns the content of the key file at path, at most limit bytes.
func Read(path string, limit int64) ([]byte, error) {
	fh, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("读取 %s：%w", path, err)
	}
	defer fh.Close()
	// Check the open file rather than the path, so that a swap between the
	// check and the read cannot slip past.
	fi, err := fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("读取 %s：%w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s 不是普通文件", path)
	}
	// Windows has no Unix permission bits; access there is by ACL.
	if perm := fi.Mode().Perm(); perm&0o077 != 0 && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("%s 的权限为 %04o，同组或其他用户可访问；请执行 chmod 600 %s", path, perm, path)
	}
	data, err := io.ReadAll(io.LimitReader(fh, limit))
	if err != nil {
		return nil, fmt.Errorf("读取 %s：%w", path, err)
	}
	return data, nil
}

// Write stores data at path (mode 0600). With exclusive set it returns
// os.ErrExist instead of replacing an existing file, so that two processes
// starting for the first time at once end up with the same keys.
func Write(path string, data []byte, exclusive bool) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*") // mode 0600
	if err != nil {
		return fmt.Errorf("写入 %s：%w", path, err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name()) // no-op after a rename; cleans up after a link or a failure
	}()
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("写入 %s：%w", path, err)
	}
	if exclusive {
		// link(2) is atomic and fails if the path exists, where rename(2)
		// would replace it.
		err := os.Link(tmp.Name(), path)
		if errors.Is(err, os.ErrExist) {
			return os.ErrExist
		}
		if err != nil {
			// Some file systems (network shares) have no hard links.
			if err := writeExclusive(path, data); err != nil {
				return err
			}
		}
	} else if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("写入 %s：%w", path, err)
	}
	return syncDir(dir)
}

// writeExclusive is the creation without link(2): O_EXCL still prevents
// replacing another process's keys.
func writeExclusive(path string, data []byte) error {
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return os.ErrExist
	}
	if err != nil {
		return fmt.Errorf("创建 %s：%w", path, err)
	}
	_, err = fh.Write(data)
	if err == nil {
		err = fh.Sync()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("创建 %s：%w", path, err)
	}
	return nil
}

// syncDir makes the new directory entry durable.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("同步目录 %s：%w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("同步目录 %s：%w", dir, err)
	}
	return nil
}

// Load reads the file at path (at most limit bytes) and decodes it. Errors
// are wrapped in sentinel (the caller's "bad key file" error); a missing
// file is os.ErrNotExist, unwrapped.
func Load[T any](path string, limit int64, sentinel error, decode func([]byte) (T, error)) (T, error) {
	var zero T
	data, err := Read(path, limit)
	if errors.Is(err, os.ErrNotExist) {
		return zero, err
	}
	if err != nil {
		return zero, fmt.Errorf("%w：%w", sentinel, err)
	}
	v, err := decode(data)
	if err != nil {
		return zero, fmt.Errorf("%w：%s 已损坏：%s", sentinel, path, err)
	}
	return v, nil
}

// Store writes data at path like Write, wrapping errors in sentinel;
// os.ErrExist (an exclusive create that lost the race) passes unwrapped.
func Store(path string, data []byte, exclusive bool, sentinel error) error {
	err := Write(path, data, exclusive)
	if err == nil || errors.Is(err, os.ErrExist) {
		return err
	}
	return fmt.Errorf("%w：%w", sentinel, err)
}

// Create writes a new key file holding fresh (encoded as data) unless
// another process created one first, in which case that one is loaded with
// load: both must end up with the same keys, or what one encrypts or signs
// the other cannot read.
func Create[T any](path string, data []byte, fresh T, sentinel error, load func(string) (T, error)) (T, error) {
	err := Store(path, data, true, sentinel)
	if errors.Is(err, os.ErrExist) {
		return load(path)
	}
	if err != nil {
		var zero T
		return zero, err
	}
	return fresh, nil
}

// LoadOrCreate loads the key file at path with decode or, when there is
// none, creates it with what fresh makes (the value and its encoding),
// exclusively (see Create). Errors are wrapped in sentinel.
func LoadOrCreate[T any](path string, limit int64, sentinel error, decode func([]byte) (T, error), fresh func() (T, []byte, error)) (T, error) {
	load := func(p string) (T, error) { return Load(p, limit, sentinel, decode) }
	v, err := load(path)
	if !errors.Is(err, os.ErrNotExist) {
		return v, err
	}
	v, data, err := fresh()
	if err != nil {
		var zero T
		return zero, fmt.Errorf("%w：%w", sentinel, err)
	}
	return Create(path, data, v, sentinel, load)
}
