// Package keyring is the key rotation that the personal-data keys
// (internal/pii) and the check-in signing keys (internal/checkin) share:
// numbered 256-bit keys in a key file (internal/keyfile), one of them
// active. A rotation adds a key and makes it active; older keys are kept (all
// of them, or the newest few) so that what they encrypted or signed can
// still be read. The key set is swapped whole, so that the hot path reads it
// without a lock.
//
// The owner keeps its file format (Spec.Decode, Spec.Encode: how the file
// names its keys and what else it holds) and says what it derives from a key
// (an AEAD, HMAC keys). Messages never quote key material.
package keyring

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lianxin/lianxin/internal/keyfile"
)

// KeyLen is the length of every key.
const KeyLen = 32

// FileVersion is the version both key files are written in.
const FileVersion = 1

// Header opens every key file: its format version and the active key. An
// owner's file struct embeds it, so that these come first.
type Header struct {
	Version  int    `json:"version"`
	ActiveID uint32 `json:"active_key_id"`
}

// Entry is one key as a key file writes it.
type Entry struct {
	ID      uint32 `json:"id"`
	Created string `json:"created"`
	Key     string `json:"key"` // hex
}

// File is a key file's content as the ring reads and writes it. X is what
// else the owner keeps in the file (pii's index key), which a rotation never
// changes.
type File[X any] struct {
	Header
	Keys  []Entry
	Extra X
}

// Spec describes one kind of key file.
type Spec[K, X any] struct {
	Err   error  // wraps every problem with the file (the owner's sentinel)
	Noun  string // what the keys are, in messages: 加密密钥
	Limit int64  // the file's size bound
	// Keep is how many keys a rotation keeps, the new one included; 0 keeps
	// them all.
	Keep int
	// Decode parses the owner's file (DecodeJSON does the strict part) and
	// Encode gives what is marshalled back; the ring checks the keys.
	Decode func([]byte) (File[X], error)
	Encode func(File[X]) any
	// Derive makes what the owner uses from a key's bytes.
	Derive func(raw []byte) (K, error)
	// NewExtra makes the extra content of a new file; SameExtra tells
	// whether a file read again still holds the one in memory; ExtraNoun
	// names it in messages. Left out when there is none.
	NewExtra  func() X
	SameExtra func(a, b X) bool
	ExtraNoun string
}

// Key is one key and what the owner derived from it.
type Key[K any] struct {
	ID      uint32
	Created string // RFC 3339, UTC; informative
	Derived K
	raw     []byte
}

// String and GoString keep key material out of logs and %v output.
func (k Key[K]) String() string { return fmt.Sprintf("key{id: %d, [REDACTED]}", k.ID) }

// GoString implements fmt.GoStringer; see String.
func (k Key[K]) GoString() string { return k.String() }

// Set is the keys at one moment.
type Set[K, X any] struct {
	Active *Key[K]
	Extra  X
	keys   map[uint32]*Key[K]
}

// String and GoString keep key material (the extra content too) out of
// logs and %v output.
func (s Set[K, X]) String() string {
	return fmt.Sprintf("keys{active_key_id: %d, keys: %d, [REDACTED]}", s.Active.ID, s.Len())
}

// GoString implements fmt.GoStringer; see String.
func (s Set[K, X]) GoString() string { return s.String() }

// Lookup returns the key of the given id, nil when the set does not hold it.
func (s *Set[K, X]) Lookup(id uint32) *Key[K] { return s.keys[id] }

// Len is the number of keys held.
func (s *Set[K, X]) Len() int { return len(s.keys) }

// Ring is a key file and its keys in memory. It is safe for concurrent use.
type Ring[K, X any] struct {
	path  string
	spec  *Spec[K, X]
	write sync.Mutex // serialises Rotate and Reload within the process
	cur   atomic.Pointer[Set[K, X]]
}

// Open reads the key file at path, creating it (mode 0600) with one key when
// it does not exist; when another process creates it at the same time, both
// end up with its keys.
func Open[K, X any](path string, spec *Spec[K, X]) (*Ring[K, X], error) {
	r := &Ring[K, X]{path: path, spec: spec}
	s, err := keyfile.LoadOrCreate(path, spec.Limit, spec.Err, r.decode, func() (*Set[K, X], []byte, error) {
		var extra X
		if spec.NewExtra != nil {
			extra = spec.NewExtra()
		}
		k, err := r.newKey(1, time.Now())
		if err != nil {
			return nil, nil, err
		}
		s := &Set[K, X]{Active: k, Extra: extra, keys: map[uint32]*Key[K]{1: k}}
		data, err := r.encode(s)
		return s, data, err
	})
	if err != nil {
		return nil, err
	}
	r.cur.Store(s)
	return r, nil
}

// Current is the key set in use; callers keep it for one operation, so that
// a concurrent rotation does not mix two sets.
func (r *Ring[K, X]) Current() *Set[K, X] { return r.cur.Load() }

// Path is the key file's path.
func (r *Ring[K, X]) Path() string { return r.path }

// String and GoString keep key material out of logs and %v output.
func (r *Ring[K, X]) String() string {
	s := r.Current()
	return fmt.Sprintf("keyring{path: %q, active_key_id: %d, keys: %d, [REDACTED]}", r.path, s.Active.ID, s.Len())
}

// GoString implements fmt.GoStringer; see String.
func (r *Ring[K, X]) GoString() string { return r.String() }

// Rotate adds a new key, makes it active and saves the file atomically,
// keeping the older keys as Spec.Keep says. A lock file (<path>.lock) keeps
// two processes from rotating at once, and the file is read again first, so
// that a rotation made elsewhere is built on, never undone.
func (r *Ring[K, X]) Rotate(now time.Time) error {
	r.write.Lock()
	defer r.write.Unlock()
	unlock, err := r.lock()
	if err != nil {
		return err
	}
	defer unlock()

	cur, err := r.merged()
	if err != nil {
		return err
	}
	var next uint32
	for id := range cur.keys {
		next = max(next, id)
	}
	next++
	k, err := r.newKey(next, now)
	if err != nil {
		return fmt.Errorf("%w：%w", r.spec.Err, err)
	}
	ns := &Set[K, X]{Active: k, Extra: cur.Extra, keys: map[uint32]*Key[K]{next: k}}
	kept := cur.sorted()
	if r.spec.Keep > 0 && len(kept) >= r.spec.Keep {
		kept = kept[len(kept)-(r.spec.Keep-1):]
	}
	for _, old := range kept {
		ns.keys[old.ID] = old
	}
	data, err := r.encode(ns)
	if err != nil {
		return fmt.Errorf("%w：%w", r.spec.Err, err)
	}
	if err := keyfile.Store(r.path, data, false, r.spec.Err); err != nil {
		return err
	}
	r.cur.Store(ns)
	return nil
}

// Reload reads the file again, picking up a rotation made by another
// process. A file that is not this ring's continuation is refused (merged).
func (r *Ring[K, X]) Reload() error {
	r.write.Lock()
	defer r.write.Unlock()
	s, err := r.merged()
	if err != nil {
		return err
	}
	r.cur.Store(s)
	return nil
}

// merged reads the file and checks that it continues the keys in memory:
// the same extra content, every key held still there unchanged (or, when
// only the newest are kept, retired by a later rotation), no older active
// key. Anything else is a replaced file, whose use would make what was
// encrypted or signed unreadable.
func (r *Ring[K, X]) merged() (*Set[K, X], error) {
	disk, err := keyfile.Load(r.path, r.spec.Limit, r.spec.Err, r.decode)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w：%s 不存在", r.spec.Err, r.path)
	}
	if err != nil {
		return nil, err
	}
	mem := r.Current()
	replaced := func(what string) error {
		return fmt.Errorf("%w：%s %s（文件被替换？），拒绝使用", r.spec.Err, r.path, what)
	}
	if r.spec.SameExtra != nil && !r.spec.SameExtra(disk.Extra, mem.Extra) {
		return nil, replaced("的" + r.spec.ExtraNoun + "与运行中的不同")
	}
	if disk.Active.ID < mem.Active.ID {
		return nil, replaced(fmt.Sprintf("的当前密钥 %d 早于运行中的 %d", disk.Active.ID, mem.Active.ID))
	}
	oldest := disk.sorted()[0].ID
	for _, k := range mem.sorted() {
		dk := disk.keys[k.ID]
		retired := dk == nil && r.spec.Keep > 0 && k.ID < oldest
		if !retired && (dk == nil || !hmac.Equal(dk.raw, k.raw)) {
			return nil, replaced(fmt.Sprintf("缺少或改动了密钥 %d", k.ID))
		}
	}
	return disk, nil
}

// lock takes <path>.lock exclusively. A crash leaves it behind; the message
// says how to recover, since guessing whether its holder is alive is worse
// than asking.
func (r *Ring[K, X]) lock() (func(), error) {
	lp := r.path + ".lock"
	fh, err := os.OpenFile(lp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%w：另一个密钥轮换正在进行（或上次中断）；确认没有其他轮换后删除 %s 再试", r.spec.Err, lp)
	}
	if err != nil {
		return nil, fmt.Errorf("%w：创建锁文件 %s：%w", r.spec.Err, lp, err)
	}
	fmt.Fprintf(fh, "%d\n", os.Getpid())
	fh.Close()
	return func() { os.Remove(lp) }, nil
}

func (r *Ring[K, X]) newKey(id uint32, now time.Time) (*Key[K], error) {
	raw := make([]byte, KeyLen)
	rand.Read(raw) // never fails (crypto/rand since Go 1.24)
	return r.makeKey(id, now.UTC().Format(time.RFC3339), raw)
}

func (r *Ring[K, X]) makeKey(id uint32, created string, raw []byte) (*Key[K], error) {
	d, err := r.spec.Derive(raw)
	if err != nil {
		return nil, err
	}
	return &Key[K]{ID: id, Created: created, Derived: d, raw: raw}, nil
}

// decode parses a file through the owner's Decode and checks its keys.
func (r *Ring[K, X]) decode(data []byte) (*Set[K, X], error) {
	f, err := r.spec.Decode(data)
	if err != nil {
		return nil, err
	}
	if f.Version != FileVersion {
		return nil, fmt.Errorf("不支持的版本 %d（应为 %d）", f.Version, FileVersion)
	}
	switch n := len(f.Keys); {
	case n == 0:
		return nil, errors.New("没有" + r.spec.Noun)
	case r.spec.Keep > 0 && n > r.spec.Keep:
		return nil, fmt.Errorf("最多保留 %d 个%s，实有 %d 个", r.spec.Keep, r.spec.Noun, n)
	}
	s := &Set[K, X]{Extra: f.Extra, keys: make(map[uint32]*Key[K], len(f.Keys))}
	for _, e := range f.Keys {
		if e.ID == 0 {
			return nil, errors.New("密钥编号不能为 0")
		}
		if _, dup := s.keys[e.ID]; dup {
			return nil, fmt.Errorf("密钥编号 %d 重复", e.ID)
		}
		raw, err := hex.DecodeString(e.Key)
		if err != nil || len(raw) != KeyLen {
			return nil, fmt.Errorf("密钥 %d 应为 %d 位十六进制", e.ID, 2*KeyLen)
		}
		k, err := r.makeKey(e.ID, e.Created, raw)
		if err != nil {
			return nil, fmt.Errorf("密钥 %d 无效", e.ID)
		}
		s.keys[e.ID] = k
	}
	if s.Active = s.keys[f.ActiveID]; s.Active == nil {
		return nil, fmt.Errorf("当前密钥 %d 不在密钥列表中", f.ActiveID)
	}
	return s, nil
}

// encode writes s through the owner's Encode, the keys in id order.
func (r *Ring[K, X]) encode(s *Set[K, X]) ([]byte, error) {
	f := File[X]{Header: Header{Version: FileVersion, ActiveID: s.Active.ID}, Extra: s.Extra}
	for _, k := range s.sorted() {
		f.Keys = append(f.Keys, Entry{ID: k.ID, Created: k.Created, Key: hex.EncodeToString(k.raw)})
	}
	b, err := json.MarshalIndent(r.spec.Encode(f), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func (s *Set[K, X]) sorted() []*Key[K] {
	out := make([]*Key[K], 0, len(s.keys))
	for _, k := range s.keys {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// DecodeJSON decodes a key file strictly (no unknown field) into v. Its messages never quote the content: a decoder's
// error can echo input bytes, that is key material.
func DecodeJSON(data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return errors.New("文件为空")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("JSON 格式错误（第 %d 字节附近）", se.Offset)
		}
		return errors.New("JSON 结构不符")
	}
	return nil
}
