package pii

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"
	"sync"
)

// IndexLen is the length of a blind index value.
const IndexLen = sha256.Size

// Index is the blind index of a normalized value:
// HMAC-SHA256(index key, kind || 0x00 || value), all 32 bytes, for exact
// lookup and de-duplication (a unique column). Callers normalize first
// (e.g. upper-case X and half-width digits in ID numbers), or equal values
// index differently. ID numbers have little entropy, so the index is only as
// safe as the key file. Empty value gives nil, like Encrypt.
//
// A malformed kind is a programming error and panics.
func (k *Keyring) Index(kind, normalized string) []byte {
	return k.sum(&k.fullPool, kind, normalized)
}

// IndexSuffix is the blind index for "search by the last 4 characters of the
// ID number". It uses a key derived for this purpose alone, so a suffix index
// cannot be matched against full indexes. It narrows to a few hundred members
// in a city, which is the point; it must not be used for de-duplication.
func (k *Keyring) IndexSuffix(kind, last4 string) []byte {
	return k.sum(&k.suffixPool, kind, last4)
}

func (k *Keyring) sum(p *sync.Pool, kind, value string) []byte {
	if !validKind(kind) {
		panic(fmt.Sprintf("pii: invalid kind %q", kind))
	}
	if value == "" {
		return nil
	}
	m := p.Get().(*mac)
	m.h.Reset()
	// One write from a reused buffer: no allocation besides the result.
	m.buf = append(append(append(m.buf[:0], kind...), 0), value...)
	m.h.Write(m.buf)
	out := m.h.Sum(make([]byte, 0, IndexLen))
	p.Put(m)
	return out
}

// mac is a pooled HMAC state with its scratch buffer.
type mac struct {
	h   hash.Hash
	buf []byte
}

func newMACPool(key []byte) sync.Pool {
	return sync.Pool{New: func() any { return &mac{h: hmac.New(sha256.New, key), buf: make([]byte, 0, 64)} }}
}
