package pii

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
)

// Ciphertext layout (version 1):
//
//	[0]      format version (1)
//	[1:5]    key id, big-endian uint32
//	[5:17]   random 96-bit GCM nonce
//	[17:]    AES-256-GCM ciphertext followed by the 16-byte tag
//
// The additional data is the 5-byte header followed by the kind, so neither
// the key id nor the column the value belongs to can be changed unnoticed.
// Random nonces are safe to ~2^32 encryptions per key, far beyond a city's
// members; Rotate resets the count anyway.
const (
	formatV1  = 1
	headerLen = 5
	nonceLen  = 12
	tagLen    = 16
	overhead  = headerLen + nonceLen + tagLen
	maxKind   = 32
)

// Kinds of personal data used across the project. Any kind matching
// [a-z][a-z0-9_]* (at most 32 bytes) is accepted.
const (
	KindIDNumber = "id_number"
	KindPhone    = "phone"
)

var (
	// ErrDecrypt is returned for any ciphertext that does not authenticate:
	// corrupted, truncated, of another kind, or made with another key file.
	ErrDecrypt = errors.New("个人信息解密失败（密文损坏、类型不符或密钥不匹配）")
	// ErrUnknownKey is returned for a ciphertext made with a key this keyring
	// does not hold, typically after another process rotated: Reload, then retry.
	ErrUnknownKey = errors.New("个人信息解密失败：密钥文件中没有该密钥")
	// ErrKind is returned for a malformed kind (a programming error).
	ErrKind = errors.New("个人信息类型名不合法")
)

// Encrypt encrypts plaintext under the active key, bound to kind (e.g.
// KindPhone). An empty plaintext gives nil: nothing to store, and NULL keeps
// unique constraints from colliding on absent values.
func (k *Keyring) Encrypt(kind, plaintext string) ([]byte, error) {
	if !validKind(kind) {
		return nil, fmt.Errorf("%w：%q", ErrKind, kind)
	}
	if plaintext == "" {
		return nil, nil
	}
	key := k.ring.Current().Active
	out := make([]byte, headerLen+nonceLen, len(plaintext)+overhead)
	out[0] = formatV1
	binary.BigEndian.PutUint32(out[1:headerLen], key.ID)
	nonce := out[headerLen:]
	rand.Read(nonce) // never fails (crypto/rand since Go 1.24)
	var buf [headerLen + maxKind]byte
	return key.Derived.Seal(out, nonce, []byte(plaintext), aad(&buf, out[:headerLen], kind)), nil
}

// Decrypt reverses Encrypt for the same kind. Empty or nil ct gives "".
func (k *Keyring) Decrypt(kind string, ct []byte) (string, error) {
	if !validKind(kind) {
		return "", fmt.Errorf("%w：%q", ErrKind, kind)
	}
	if len(ct) == 0 {
		return "", nil
	}
	if len(ct) < overhead {
		return "", fmt.Errorf("%w：%s 密文过短", ErrDecrypt, kind)
	}
	if ct[0] != formatV1 {
		return "", fmt.Errorf("%w：%s 密文版本 %d 未知", ErrDecrypt, kind, ct[0])
	}
	id := binary.BigEndian.Uint32(ct[1:headerLen])
	key := k.ring.Current().Lookup(id)
	if key == nil {
		return "", fmt.Errorf("%w（%s，密钥 %d）", ErrUnknownKey, kind, id)
	}
	var buf [headerLen + maxKind]byte
	pt, err := key.Derived.Open(nil, ct[headerLen:headerLen+nonceLen], ct[headerLen+nonceLen:], aad(&buf, ct[:headerLen], kind))
	if err != nil {
		return "", fmt.Errorf("%w：%s（密钥 %d）", ErrDecrypt, kind, id)
	}
	return string(pt), nil
}

// NeedsRotation reports whether ct should be re-encrypted (Decrypt then
// Encrypt) because it was not made with the active key in the current format.
// Malformed ciphertexts report true so that a re-encryption job meets them and
// reports the Decrypt error instead of skipping them silently. nil is false.
func (k *Keyring) NeedsRotation(ct []byte) bool {
	if len(ct) == 0 {
		return false
	}
	if len(ct) < overhead || ct[0] != formatV1 {
		return true
	}
	return binary.BigEndian.Uint32(ct[1:headerLen]) != k.ActiveKeyID()
}

// aad builds header||kind in buf, avoiding an allocation per call.
func aad(buf *[headerLen + maxKind]byte, header []byte, kind string) []byte {
	return append(append(buf[:0], header...), kind...)
}

// validKind keeps kinds to plain identifiers: they are bound into ciphertexts
// and blind indexes, where a NUL in a kind would make kind||0x00||value
// ambiguous.
func validKind(kind string) bool {
	if kind == "" || len(kind) > maxKind || kind[0] < 'a' || kind[0] > 'z' {
		return false
	}
	for i := 1; i < len(kind); i++ {
		c := kind[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
