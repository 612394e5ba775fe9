// Package checkin makes the codes of organizational life that cannot be
// faked: an activity's check-in code (printed on its poster, scanned by
// members' phones) and a member's personal code (一码通, shown on the phone,
// scanned by the organizer). Both are signed by the server with HMAC-SHA256
// and carry everything needed to verify them, so verification reads no
// database; both are compact enough for a small QR code. The package's only
// I/O is its key file.
package checkin

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lianxin/lianxin/internal/keyfile"
)

// KeyFileName is the key file's name in the data directory.
const KeyFileName = "checkin.key"

const keyFileVersion = 1

// ErrKeyFile marks every problem with the key file, so that callers can tell
// a configuration error from a bad code.
var ErrKeyFile = errors.New("签到密钥文件错误")

// keyFileJSON is the file's form. Only two keys are ever kept: the active
// one and the one before it, so that codes issued just before a rotation
// still verify and older ones do not.
type keyFileJSON struct {
	Version  int            `json:"version"`
	ActiveID uint32         `json:"active_key_id"`
	Keys     []keyEntryJSON `json:"keys"`
}

type keyEntryJSON struct {
	ID      uint32 `json:"id"`
	Created string `json:"created"`
	Key     string `json:"key"`
}

// Keyring holds the signing keys. It is safe for concurrent use; Rotate and
// Reload swap the whole set at once so that verification takes no lock.
type Keyring struct {
	path  string
	write sync.Mutex
	st    atomic.Pointer[keySet]
}

type keySet struct {
	active   *signingKey
	previous *signingKey // nil before the first rotation
}

// signingKey keeps one derived key per kind of code, so that an activity
// code can never be passed off as a member code or the other way round even
// if their layouts collided.
type signingKey struct {
	id       uint32
	created  string
	raw      []byte
	activity []byte
	member   []byte
}

func newSigningKey(id uint32, created string, raw []byte) *signingKey {
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, raw)
		io.WriteString(m, "lianxin/checkin/"+label+"/v1")
		return m.Sum(nil)
	}
	return &signingKey{id: id, created: created, raw: raw, activity: derive("activity"), member: derive("member")}
}

// lookup finds a key by id among the two kept.
func (s *keySet) lookup(id uint32) *signingKey {
	if s.active.id == id {
		return s.active
	}
	if s.previous != nil && s.previous.id == id {
		return s.previous
	}
	return nil
}

// LoadOrCreate opens the key file at path, creating it with mode 0600 and
// one key if it does not exist (first run). A file that group or others can
// read is refused: whoever holds the key can print valid check-in codes.
func LoadOrCreate(path string) (*Keyring, error) {
	ks, err := readKeys(path)
	if errors.Is(err, os.ErrNotExist) {
		ks, err = createKeys(path)
	}
	if err != nil {
		return nil, err
	}
	k := &Keyring{path: path}
	k.st.Store(ks)
	return k, nil
}

// String keeps key material out of logs.
func (k *Keyring) String() string {
	return fmt.Sprintf("checkin.Keyring{path: %q, active_key_id: %d, [REDACTED]}", k.path, k.ActiveKeyID())
}

// ActiveKeyID is the id of the key new codes are signed with.
func (k *Keyring) ActiveKeyID() uint32 { return k.st.Load().active.id }

// Rotate makes a new key active and keeps the current one as the previous.
// The key before that is dropped: codes signed with it stop verifying. An
// activity's poster stays valid across one rotation, not two, so rotate at
// most once per longest activity window.
func (k *Keyring) Rotate(now time.Time) error {
	k.write.Lock()
	defer k.write.Unlock()
	// Start from the file, not memory, so a rotation made by another
	// instance is not undone.
	cur, err := readKeys(k.path)
	if err != nil {
		return err
	}
	ns := &keySet{active: randomKey(cur.active.id+1, now), previous: cur.active}
	if err := writeKeys(k.path, ns); err != nil {
		return err
	}
	k.st.Store(ns)
	return nil
}

// Reload re-reads the file, picking up a rotation made by another process.
func (k *Keyring) Reload() error {
	k.write.Lock()
	defer k.write.Unlock()
	ks, err := readKeys(k.path)
	if err != nil {
		return err
	}
	k.st.Store(ks)
	return nil
}

func randomKey(id uint32, now time.Time) *signingKey {
	raw := make([]byte, 32)
	rand.Read(raw) // never fails (crypto/rand since Go 1.24)
	return newSigningKey(id, now.UTC().Format(time.RFC3339), raw)
}

// createKeys makes the first key; when another process created the file
// first its keys are used, or the codes one of us prints would not verify
// on the other.
func createKeys(path string) (*keySet, error) {
	ks := &keySet{active: randomKey(1, time.Now())}
	data, err := encodeKeys(ks)
	if err != nil {
		return nil, err
	}
	return keyfile.Create(path, data, ks, ErrKeyFile, readKeys)
}

func readKeys(path string) (*keySet, error) {
	return keyfile.Load(path, 64<<10, ErrKeyFile, decodeKeys)
}

// decodeKeys parses and checks the file; its messages never quote the
// content, which is key material.
func decodeKeys(data []byte) (*keySet, error) {
	var f keyFileJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, errors.New("不是有效的密钥文件（JSON 格式或结构不符）")
	}
	if f.Version != keyFileVersion {
		return nil, fmt.Errorf("不支持的版本 %d（应为 %d）", f.Version, keyFileVersion)
	}
	if len(f.Keys) == 0 || len(f.Keys) > 2 {
		return nil, fmt.Errorf("应有1到2个密钥，实有%d个", len(f.Keys))
	}
	ks := &keySet{}
	for _, fk := range f.Keys {
		raw, err := hex.DecodeString(fk.Key)
		if err != nil || len(raw) != 32 || fk.ID == 0 {
			return nil, fmt.Errorf("密钥 %d 无效（编号须大于0，密钥须为64位十六进制）", fk.ID)
		}
		sk := newSigningKey(fk.ID, fk.Created, raw)
		switch {
		case fk.ID == f.ActiveID && ks.active == nil:
			ks.active = sk
		case fk.ID != f.ActiveID && ks.previous == nil:
			ks.previous = sk
		default:
			return nil, fmt.Errorf("密钥编号 %d 重复", fk.ID)
		}
	}
	if ks.active == nil {
		return nil, fmt.Errorf("当前密钥 %d 不在密钥列表中", f.ActiveID)
	}
	return ks, nil
}

func encodeKeys(ks *keySet) ([]byte, error) {
	f := keyFileJSON{Version: keyFileVersion, ActiveID: ks.active.id}
	for _, sk := range []*signingKey{ks.previous, ks.active} {
		if sk != nil {
			f.Keys = append(f.Keys, keyEntryJSON{ID: sk.id, Created: sk.created, Key: hex.EncodeToString(sk.raw)})
		}
	}
	b, err := json.MarshalIndent(f, "", "  ")
	return append(b, '\n'), err
}

// writeKeys replaces the file (a rotation).
func writeKeys(path string, ks *keySet) error {
	data, err := encodeKeys(ks)
	if err != nil {
		return err
	}
	return keyfile.Store(path, data, false, ErrKeyFile)
}
