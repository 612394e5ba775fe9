// Package checkin makes the codes of organizational life that cannot be
// faked: an activity's check-in code (printed on its poster, scanned by
// members' phones) and a member's personal code (一码通, shown on the phone,
// scanned by the organizer). Both are signed by the server with HMAC-SHA256
// and carry everything needed to verify them, so verification reads no
// database; both are compact enough for a small QR code. The package's only
// I/O is its key file.
package checkin

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/lianxin/lianxin/internal/keyring"
)

// KeyFileName is the key file's name in the data directory.
const KeyFileName = "checkin.key"

// ErrKeyFile marks every problem with the key file, so that callers can tell
// a configuration error from a bad code.
var ErrKeyFile = errors.New("签到密钥文件错误")

// keyFile is the file's form (version 1). Only two keys are ever kept: the
// active one and the one before it, so that codes issued just before a
// rotation still verify and older ones do not.
type keyFile struct {
	keyring.Header
	Keys []keyring.Entry `json:"keys"`
}

// Keyring holds the signing keys. It is safe for concurrent use; Rotate and
// Reload swap the whole set at once so that verification takes no lock.
type Keyring struct {
	ring *keyring.Ring[signingKey, struct{}]
}

// keySet is the keys at one moment, as a code is signed or checked with.
type keySet = keyring.Set[signingKey, struct{}]

// signingKey keeps one derived key per kind of code, so that an activity
// code can never be passed off as a member code or the other way round even
// if their layouts collided.
type signingKey struct {
	activity []byte
	member   []byte
}

// keySpec is the check-in key file for the shared rotation.
var keySpec = &keyring.Spec[signingKey, struct{}]{
	Err: ErrKeyFile, Noun: "签到密钥", Limit: 64 << 10, Keep: 2,
	Decode: func(data []byte) (keyring.File[struct{}], error) {
		var f keyFile
		err := keyring.DecodeJSON(data, &f)
		return keyring.File[struct{}]{Header: f.Header, Keys: f.Keys}, err
	},
	Encode: func(f keyring.File[struct{}]) any { return keyFile{Header: f.Header, Keys: f.Keys} },
	Derive: func(raw []byte) (signingKey, error) {
		derive := func(label string) []byte {
			m := hmac.New(sha256.New, raw)
			io.WriteString(m, "lianxin/checkin/"+label+"/v1")
			return m.Sum(nil)
		}
		return signingKey{activity: derive("activity"), member: derive("member")}, nil
	},
}

// LoadOrCreate opens the key file at path, creating it with mode 0600 and
// one key if it does not exist (first run). A file that group or others can
// read is refused: whoever holds the key can print valid check-in codes.
func LoadOrCreate(path string) (*Keyring, error) {
	r, err := keyring.Open(path, keySpec)
	if err != nil {
		return nil, err
	}
	return &Keyring{ring: r}, nil
}

// String keeps key material out of logs.
func (k *Keyring) String() string {
	return fmt.Sprintf("checkin.Keyring{path: %q, active_key_id: %d, [REDACTED]}", k.ring.Path(), k.ActiveKeyID())
}

// ActiveKeyID is the id of the key new codes are signed with.
func (k *Keyring) ActiveKeyID() uint32 { return k.ring.Current().Active.ID }

// Rotate makes a new key active and keeps the current one as the previous.
// The key before that is dropped: codes signed with it stop verifying. An
// activity's poster stays valid across one rotation, not two, so rotate at
// most once per longest activity window. A rotation made by another
// instance is built on, never undone (keyring.Ring.Rotate).
func (k *Keyring) Rotate(now time.Time) error { return k.ring.Rotate(now) }

// Reload re-reads the file, picking up a rotation made by another process.
func (k *Keyring) Reload() error { return k.ring.Reload() }
