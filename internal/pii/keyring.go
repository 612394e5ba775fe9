// Package pii protects personal data (身份证号, 手机号 …): field encryption
// with AES-256-GCM under rotatable keys, HMAC blind indexes for exact lookup
// and de-duplication, masking for display, and the masked type that read
// models hold (Masked). It does no database or HTTP work; its only I/O is
// the key file.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/lianxin/lianxin/internal/keyring"
)

// keyFile is the on-disk JSON form (version 1): the encryption keys, all
// kept, and the blind-index key, never rotated.
type keyFile struct {
	keyring.Header
	Keys     []keyring.Entry `json:"encryption_keys"`
	IndexKey string          `json:"index_key"`
}

// Keyring holds the encryption keys (one active, the rest kept for
// decryption) and the blind-index key. It is safe for concurrent use; Rotate
// and Reload swap the whole key set atomically so the hot path takes no lock.
type Keyring struct {
	ring *keyring.Ring[cipher.AEAD, []byte]

	// HMAC states are costly to set up (two key blocks hashed); pooling them
	// matters for imports of hundreds of thousands of members. The index key
	// never changes over a Keyring's life (Reload refuses it), so the pools
	// stay valid.
	fullPool, suffixPool sync.Pool
}

// ErrKeyFile marks every problem with the key file, so callers can tell a
// configuration error from a data error.
var ErrKeyFile = errors.New("密钥文件错误")

// keySpec is the personal-data key file for the shared rotation: every key
// kept (old ciphertexts must still decrypt), the index key beside them.
var keySpec = &keyring.Spec[cipher.AEAD, []byte]{
	Err: ErrKeyFile, Noun: "加密密钥", Limit: 1 << 20,
	Decode: func(data []byte) (keyring.File[[]byte], error) {
		var f keyFile
		if err := keyring.DecodeJSON(data, &f); err != nil {
			return keyring.File[[]byte]{}, err
		}
		idx, err := hex.DecodeString(f.IndexKey)
		if err != nil || len(idx) != 32 {
			return keyring.File[[]byte]{}, errors.New("索引密钥应为 64 位十六进制")
		}
		return keyring.File[[]byte]{Header: f.Header, Keys: f.Keys, Extra: idx}, nil
	},
	Encode: func(f keyring.File[[]byte]) any {
		return keyFile{Header: f.Header, Keys: f.Keys, IndexKey: hex.EncodeToString(f.Extra)}
	},
	Derive: func(raw []byte) (cipher.AEAD, error) {
		b, err := aes.NewCipher(raw)
		if err != nil {
			return nil, err
		}
		return cipher.NewGCM(b)
	},
	NewExtra: func() []byte {
		idx := make([]byte, 32)
		rand.Read(idx) // never fails (crypto/rand since Go 1.24)
		return idx
	},
	SameExtra: hmac.Equal,
	ExtraNoun: "索引密钥",
}

// LoadOrCreate opens the key file at path, creating it (mode 0600) with one
// encryption key and an index key if it does not exist. A file that group or
// others can access is refused: these keys protect every ID number.
func LoadOrCreate(path string) (*Keyring, error) {
	r, err := keyring.Open(path, keySpec)
	if err != nil {
		return nil, err
	}
	idx := r.Current().Extra
	return &Keyring{ring: r, fullPool: newMACPool(idx), suffixPool: newMACPool(deriveSuffixKey(idx))}, nil
}

// String and GoString keep key material out of logs and %v/%#v output.
func (k *Keyring) String() string {
	if k == nil {
		return "pii.Keyring(nil)"
	}
	st := k.ring.Current()
	return fmt.Sprintf("pii.Keyring{path: %q, active_key_id: %d, keys: %d, [REDACTED]}", k.ring.Path(), st.Active.ID, st.Len())
}

// GoString implements fmt.GoStringer; see String.
func (k *Keyring) GoString() string { return k.String() }

// ActiveKeyID is the id of the key new ciphertexts are made with.
func (k *Keyring) ActiveKeyID() uint32 { return k.ring.Current().Active.ID }

// Rotate adds a new encryption key, makes it active and saves the file
// atomically. Old keys stay so existing ciphertexts still decrypt; a
// re-encryption job (NeedsRotation) moves data to the new key. The index key
// is not rotated: that would invalidate every stored blind index. Two
// processes never rotate at once, and keys added by another are never
// dropped (keyring.Ring.Rotate).
func (k *Keyring) Rotate() error { return k.ring.Rotate(time.Now()) }

// Reload re-reads the key file, picking up a rotation made by another process
// (a CLI job or another app instance). It never forgets a key it holds: a file
// that lacks one, or has a different index key, is refused.
func (k *Keyring) Reload() error { return k.ring.Reload() }

// deriveSuffixKey gives the last-4-digits index its own key, so its values
// cannot be related to the full index even for equal inputs.
func deriveSuffixKey(indexKey []byte) []byte {
	m := hmac.New(sha256.New, indexKey)
	io.WriteString(m, "lianxin/pii/suffix-index/v1")
	return m.Sum(nil)
}
