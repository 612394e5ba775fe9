// Package pii protects personal data (身份证号, 手机号 …): field encryption
// with AES-256-GCM under rotatable keys, HMAC blind indexes for exact lookup
// and de-duplication, and masking for display. It does no database or HTTP
// work; its only I/O is the key file.
package pii

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lianxin/lianxin/internal/keyfile"
)

// fileVersion is the key file's format version.
const fileVersion = 1

// keyFile is the on-disk JSON form. Keys are hex, as in the audit key file.
type keyFile struct {
	Version  int          `json:"version"`
	ActiveID uint32       `json:"active_key_id"`
	Keys     []keyFileKey `json:"encryption_keys"`
	IndexKey string       `json:"index_key"`
}

type keyFileKey struct {
	ID      uint32 `json:"id"`
	Created string `json:"created"`
	Key     string `json:"key"`
}

// Keyring holds the encryption keys (one active, the rest kept for
// decryption) and the blind-index key. It is safe for concurrent use; Rotate
// and Reload swap the whole key set atomically so the hot path takes no lock.
type Keyring struct {
	path  string
	write sync.Mutex // serialises Rotate and Reload within the process
	st    atomic.Pointer[keySet]

	// HMAC states are costly to set up (two key blocks hashed); pooling them
	// matters for imports of hundreds of thousands of members. The index key
	// never changes over a Keyring's life (Reload refuses it), so the pools
	// stay valid.
	fullPool, suffixPool sync.Pool
}

type keySet struct {
	activeID uint32
	keys     map[uint32]*encKey
	indexKey []byte
}

type encKey struct {
	id      uint32
	created string
	raw     []byte
	aead    cipher.AEAD
}

// ErrKeyFile marks every problem with the key file, so callers can tell a
// configuration error from a data error.
var ErrKeyFile = errors.New("密钥文件错误")

// LoadOrCreate opens the key file at path, creating it (mode 0600) with one
// encryption key and an index key if it does not exist. A file that group or
// others can access is refused: these keys protect every ID number.
func LoadOrCreate(path string) (*Keyring, error) {
	ks, err := readKeyFile(path)
	if errors.Is(err, os.ErrNotExist) {
		ks, err = createKeyFile(path)
	}
	if err != nil {
		return nil, err
	}
	k := &Keyring{path: path, fullPool: newMACPool(ks.indexKey), suffixPool: newMACPool(deriveSuffixKey(ks.indexKey))}
	k.st.Store(ks)
	return k, nil
}

// String and GoString keep key material out of logs and %v/%#v output.
func (k *Keyring) String() string {
	if k == nil {
		return "pii.Keyring(nil)"
	}
	st := k.st.Load()
	return fmt.Sprintf("pii.Keyring{path: %q, active_key_id: %d, keys: %d, [REDACTED]}", k.path, st.activeID, len(st.keys))
}

// GoString implements fmt.GoStringer; see String.
func (k *Keyring) GoString() string { return k.String() }

// ActiveKeyID is the id of the key new ciphertexts are made with.
func (k *Keyring) ActiveKeyID() uint32 { return k.st.Load().activeID }

// Rotate adds a new encryption key, makes it active and saves the file
// atomically. Old keys stay so existing ciphertexts still decrypt; a
// re-encryption job (NeedsRotation) moves data to the new key. The index key
// is not rotated: that would invalidate every stored blind index.
//
// A lock file (<path>.lock) keeps two processes from rotating at once, and the
// file is re-read first so keys added by another process are never dropped.
func (k *Keyring) Rotate() error {
	k.write.Lock()
	defer k.write.Unlock()
	unlock, err := lockFile(k.path)
	if err != nil {
		return err
	}
	defer unlock()

	cur, err := k.merged()
	if err != nil {
		return err
	}
	var next uint32
	for id := range cur.keys {
		next = max(next, id)
	}
	next++
	nk, err := newEncKey(next, time.Now())
	if err != nil {
		return err
	}
	ns := &keySet{activeID: next, keys: make(map[uint32]*encKey, len(cur.keys)+1), indexKey: cur.indexKey}
	for id, ek := range cur.keys {
		ns.keys[id] = ek
	}
	ns.keys[next] = nk
	data, err := encodeKeySet(ns)
	if err != nil {
		return err
	}
	if err := keyfile.Store(k.path, data, false, ErrKeyFile); err != nil {
		return err
	}
	k.st.Store(ns)
	return nil
}

// Reload re-reads the key file, picking up a rotation made by another process
// (a CLI job or another app instance). It never forgets a key it holds: a file
// that lacks one, or has a different index key, is refused.
func (k *Keyring) Reload() error {
	k.write.Lock()
	defer k.write.Unlock()
	ns, err := k.merged()
	if err != nil {
		return err
	}
	k.st.Store(ns)
	return nil
}

// merged reads the file and checks it extends the keys held in memory.
func (k *Keyring) merged() (*keySet, error) {
	disk, err := readKeyFile(k.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w：%s 不存在", ErrKeyFile, k.path)
	}
	if err != nil {
		return nil, err
	}
	mem := k.st.Load()
	if !hmac.Equal(disk.indexKey, mem.indexKey) {
		return nil, fmt.Errorf("%w：%s 的索引密钥与运行中的不同（文件被替换？），拒绝使用", ErrKeyFile, k.path)
	}
	for id, ek := range mem.keys {
		dk, ok := disk.keys[id]
		if !ok || !hmac.Equal(dk.raw, ek.raw) {
			return nil, fmt.Errorf("%w：%s 缺少或改动了密钥 %d（文件被替换？），拒绝使用", ErrKeyFile, k.path, id)
		}
	}
	return disk, nil
}

func newEncKey(id uint32, now time.Time) (*encKey, error) {
	raw := make([]byte, 32)
	rand.Read(raw) // never fails (crypto/rand since Go 1.24)
	return makeEncKey(id, now.UTC().Format(time.RFC3339), raw)
}

func makeEncKey(id uint32, created string, raw []byte) (*encKey, error) {
	b, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	a, err := cipher.NewGCM(b)
	if err != nil {
		return nil, err
	}
	return &encKey{id: id, created: created, raw: raw, aead: a}, nil
}

// deriveSuffixKey gives the last-4-digits index its own key, so its values
// cannot be related to the full index even for equal inputs.
func deriveSuffixKey(indexKey []byte) []byte {
	m := hmac.New(sha256.New, indexKey)
	io.WriteString(m, "lianxin/pii/suffix-index/v1")
	return m.Sum(nil)
}

func createKeyFile(path string) (*keySet, error) {
	ek, err := newEncKey(1, time.Now())
	if err != nil {
		return nil, err
	}
	ks := &keySet{activeID: 1, keys: map[uint32]*encKey{1: ek}, indexKey: make([]byte, 32)}
	rand.Read(ks.indexKey)
	data, err := encodeKeySet(ks)
	if err != nil {
		return nil, err
	}
	return keyfile.Create(path, data, ks, ErrKeyFile, readKeyFile)
}

func readKeyFile(path string) (*keySet, error) {
	return keyfile.Load(path, 1<<20, ErrKeyFile, decodeKeySet)
}

// decodeKeySet parses and validates the file. Its messages never quote the
// file's content (decoder errors can echo input bytes, i.e. key material).
func decodeKeySet(data []byte) (*keySet, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("文件为空")
	}
	var f keyFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("JSON 格式错误（第 %d 字节附近）", se.Offset)
		}
		return nil, errors.New("JSON 结构不符")
	}
	if f.Version != fileVersion {
		return nil, fmt.Errorf("不支持的版本 %d（应为 %d）", f.Version, fileVersion)
	}
	if len(f.Keys) == 0 {
		return nil, errors.New("没有加密密钥")
	}
	ks := &keySet{activeID: f.ActiveID, keys: make(map[uint32]*encKey, len(f.Keys))}
	for _, fk := range f.Keys {
		if fk.ID == 0 {
			return nil, errors.New("密钥编号不能为 0")
		}
		if _, dup := ks.keys[fk.ID]; dup {
			return nil, fmt.Errorf("密钥编号 %d 重复", fk.ID)
		}
		raw, err := hex.DecodeString(fk.Key)
		if err != nil || len(raw) != 32 {
			return nil, fmt.Errorf("密钥 %d 应为 64 位十六进制", fk.ID)
		}
		ek, err := makeEncKey(fk.ID, fk.Created, raw)
		if err != nil {
			return nil, fmt.Errorf("密钥 %d 无效", fk.ID)
		}
		ks.keys[fk.ID] = ek
	}
	if _, ok := ks.keys[f.ActiveID]; !ok {
		return nil, fmt.Errorf("当前密钥 %d 不在密钥列表中", f.ActiveID)
	}
	idx, err := hex.DecodeString(f.IndexKey)
	if err != nil || len(idx) != 32 {
		return nil, errors.New("索引密钥应为 64 位十六进制")
	}
	ks.indexKey = idx
	return ks, nil
}

func encodeKeySet(ks *keySet) ([]byte, error) {
	f := keyFile{Version: fileVersion, ActiveID: ks.activeID, IndexKey: hex.EncodeToString(ks.indexKey)}
	for _, ek := range ks.keys {
		f.Keys = append(f.Keys, keyFileKey{ID: ek.id, Created: ek.created, Key: hex.EncodeToString(ek.raw)})
	}
	sort.Slice(f.Keys, func(i, j int) bool { return f.Keys[i].ID < f.Keys[j].ID })
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// lockFile takes <path>.lock exclusively. A crash leaves it behind; the
// message says how to recover, since guessing whether the holder is alive is
// worse than asking.
func lockFile(path string) (func(), error) {
	lp := path + ".lock"
	fh, err := os.OpenFile(lp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%w：另一个密钥轮换正在进行（或上次中断）；确认没有其他轮换后删除 %s 再试", ErrKeyFile, lp)
	}
	if err != nil {
		return nil, fmt.Errorf("%w：创建锁文件 %s：%w", ErrKeyFile, lp, err)
	}
	fmt.Fprintf(fh, "%d\n", os.Getpid())
	fh.Close()
	return func() { os.Remove(lp) }, nil
}
