// Package totp computes and checks time-based one-time passwords (RFC 6238,
// built on HOTP, RFC 4226) and makes the secrets, otpauth:// URIs and
// recovery codes of a second login factor. It does no I/O: the caller keeps
// the secret and the last accepted step, and passes the time in.
package totp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"hash"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Algorithm is the HMAC hash function (RFC 6238 §1.2 allows SHA-1, SHA-256
// and SHA-512).
type Algorithm int

// Algorithms.
const (
	SHA1 Algorithm = iota
	SHA256
	SHA512
)

func (a Algorithm) new() func() hash.Hash {
	switch a {
	case SHA256:
		return sha256.New
	case SHA512:
		return sha512.New
	}
	return sha1.New
}

// String is the name otpauth:// URIs use.
func (a Algorithm) String() string {
	switch a {
	case SHA256:
		return "SHA256"
	case SHA512:
		return "SHA512"
	}
	return "SHA1"
}

// Params are a token's parameters: the hash, the number of digits (6 to 8)
// and the time step in seconds.
type Params struct {
	Algorithm Algorithm
	Digits    int
	Period    int64
}

// Default is what every authenticator app understands: HMAC-SHA1, six
// digits, a 30-second step.
var Default = Params{Algorithm: SHA1, Digits: 6, Period: 30}

// Window is how many steps either side of now a code is accepted: one step
// covers a phone clock 30 s off and a code typed as it changes.
const Window = 1

// SecretSize is the length of a new secret: 160 bits, HMAC-SHA1's output
// size, as RFC 4226 §4 recommends.
const SecretSize = 20

// Step is the time step that holds t (T in RFC 6238 §4.2, with T0 = 0).
func (p Params) Step(t time.Time) int64 {
	u := t.Unix()
	if u < 0 {
		return 0
	}
	return u / p.Period
}

// Code is the one-time password of step (HOTP of RFC 4226 §5.3 with the
// step as counter), zero-padded to p.Digits.
func (p Params) Code(key []byte, step int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(step))
	m := hmac.New(p.Algorithm.new(), key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	// Dynamic truncation: the low nibble of the last byte picks 4 bytes.
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for i := 0; i < p.Digits; i++ {
		mod *= 10
	}
	s := strconv.FormatUint(uint64(bin%mod), 10)
	return strings.Repeat("0", p.Digits-len(s)) + s
}

// Verify checks code against the steps from Window before now to Window
// after it, skipping every step at or before lastStep (a code is accepted
// once: the caller stores the step returned and passes it next time).
// Every candidate is compared in constant time and all are computed, so the
// answer's timing tells nothing about which step matched.
func (p Params) Verify(key []byte, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	if len(code) != p.Digits || !allDigits(code) {
		return 0, false
	}
	cur := p.Step(now)
	for s := cur - Window; s <= cur+Window; s++ {
		match := subtle.ConstantTimeCompare([]byte(p.Code(key, s)), []byte(code)) == 1
		if match && s > lastStep && !ok {
			step, ok = s, true
		}
	}
	return step, ok
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NewSecret returns SecretSize random bytes.
func NewSecret() []byte {
	b := make([]byte, SecretSize)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return b
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// EncodeSecret is the secret as authenticator apps take it: base32 without
// padding.
func EncodeSecret(key []byte) string { return b32.EncodeToString(key) }

// ErrSecret is a secret that is not base32.
var ErrSecret = errors.New("totp: the secret is not base32")

// DecodeSecret reads a base32 secret, ignoring case, spaces and padding.
func DecodeSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(s))
	b, err := b32.DecodeString(s)
	if err != nil || len(b) == 0 {
		return nil, ErrSecret
	}
	return b, nil
}

// URI is the otpauth:// URI a QR code carries (the key-URI format of the
// authenticator apps): the label "issuer:account", the secret, the issuer
// again as a parameter, and the parameters.
func URI(issuer, account string, key []byte, p Params) string {
	q := url.Values{}
	q.Set("secret", EncodeSecret(key))
	q.Set("issuer", issuer)
	q.Set("algorithm", p.Algorithm.String())
	q.Set("digits", strconv.Itoa(p.Digits))
	q.Set("period", strconv.FormatInt(p.Period, 10))
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: strings.ReplaceAll(q.Encode(), "+", "%20")}
	return u.String()
}

// recoveryAlphabet has no 0/o, 1/l/i: a code is read off paper.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// RecoveryLength is the number of characters of a recovery code: 12 from a
// 31-letter alphabet are about 59 bits, out of reach of guessing online and
// costly to search even given the stored hashes.
const RecoveryLength = 12

// NewRecoveryCodes returns n random recovery codes written xxxx-xxxx-xxxx.
func NewRecoveryCodes(n int) []string {
	out := make([]string, n)
	for i := range out {
		var sb strings.Builder
		for j := 0; j < RecoveryLength; j++ {
			if j > 0 && j%4 == 0 {
				sb.WriteByte('-')
			}
			sb.WriteByte(recoveryAlphabet[randIndex(len(recoveryAlphabet))])
		}
		out[i] = sb.String()
	}
	return out
}

// randIndex is a uniform random index below n (rejection sampling: no bias).
func randIndex(n int) int {
	limit := 256 - 256%n
	var b [1]byte
	for {
		rand.Read(b[:])
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

// NormalizeRecoveryCode is a typed recovery code as stored: lower case,
// without spaces or dashes. It is "" for anything that cannot be one.
func NormalizeRecoveryCode(s string) string {
	s = strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(s))
	if len(s) != RecoveryLength {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(recoveryAlphabet, rune(s[i])) {
			return ""
		}
	}
	return s
}
