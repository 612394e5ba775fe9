package checkin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// A code is a two-character prefix (the kind's letter and the format
// version) followed by the base32 form (RFC 4648, no padding) of
//
//	fields as unsigned varints || tag
//
// where tag is the first 16 bytes of HMAC-SHA256, under the kind's key, of
// prefix || fields. The first field is always the key id, so that a key can
// be rotated while codes signed with the previous one still verify.
//
// Base32 in capitals uses only characters of the QR alphanumeric mode (5.5
// bits a character instead of 8), so a code of about 45 characters fits a
// version 3 symbol: large modules that a cheap phone reads off a poster from
// across a room. 128 bits of tag leave nothing to guess.
const (
	activityPrefix = "A1"
	memberPrefix   = "M1"
	tagLen         = 16
	// maxCodeLen bounds the input before any decoding; real codes are
	// under 60 characters.
	maxCodeLen = 100
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// Code kinds, as KindOf tells them.
const (
	KindActivity = "activity"
	KindMember   = "member"
)

// The error classes: every error of Verify is one of the two (errors.Is).
var (
	// ErrInvalid: malformed, altered or forged — the API's 400.
	ErrInvalid = errors.New("invalid code")
	// ErrGone: genuine but outside its validity — the API's 410.
	ErrGone = errors.New("code not valid at this time")
)

// codeError is a Chinese message for the user with its class.
type codeError struct {
	msg   string
	class error
}

func (e *codeError) Error() string { return e.msg }
func (e *codeError) Unwrap() error { return e.class }

// The errors of Verify.
var (
	ErrMalformed    error = &codeError{"二维码无法识别：不是本系统的签到码或党员码", ErrInvalid}
	ErrWrongKind    error = &codeError{"二维码类型不符：活动签到码与党员码不能混用", ErrInvalid}
	ErrBadSignature error = &codeError{"二维码校验失败：可能是伪造、被改动或已作废的二维码", ErrInvalid}
	ErrExpired      error = &codeError{"二维码已过期，请扫描最新的二维码", ErrGone}
	ErrNotYetValid  error = &codeError{"二维码尚未生效：签到还没有开始", ErrGone}
)

// KindOf tells which kind of code a scanned text looks like (KindActivity,
// KindMember or ""), without verifying it: a scanner page can route the
// text to the right check.
func KindOf(code string) string {
	code = normalize(code)
	switch {
	case strings.HasPrefix(code, activityPrefix):
		return KindActivity
	case strings.HasPrefix(code, memberPrefix):
		return KindMember
	}
	return ""
}

// normalize forgives what a person typing the code adds or changes: spaces
// around it and lower case. Anything else must match exactly.
func normalize(code string) string {
	return strings.ToUpper(strings.TrimSpace(code))
}

// seal signs the fields and writes the code.
func seal(prefix string, key []byte, fields ...uint64) string {
	buf := make([]byte, 0, len(fields)*binary.MaxVarintLen64+tagLen)
	for _, f := range fields {
		buf = binary.AppendUvarint(buf, f)
	}
	buf = append(buf, tag(key, prefix, buf)...)
	return prefix + b32.EncodeToString(buf)
}

func tag(key []byte, prefix string, fields []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(prefix))
	m.Write(fields)
	return m.Sum(nil)[:tagLen]
}

// open checks a code's form and signature and returns its fields. The
// signature is checked before anything the fields say (validity, ids), so a
// forged code learns nothing and is always "invalid", never "expired".
func open(code, prefix string, ks *keySet, keyOf func(signingKey) []byte, fields []uint64) error {
	code = normalize(code)
	if len(code) > maxCodeLen || len(code) < len(prefix)+1 {
		return ErrMalformed
	}
	if !strings.HasPrefix(code, prefix) {
		if KindOf(code) != "" {
			return ErrWrongKind
		}
		return ErrMalformed
	}
	body, err := b32.DecodeString(code[len(prefix):])
	// base32 ignores the unused low bits of the last character; re-encoding
	// makes the text canonical, so no two texts verify as one code.
	if err != nil || len(body) <= tagLen || b32.EncodeToString(body) != code[len(prefix):] {
		return ErrMalformed
	}
	raw, got := body[:len(body)-tagLen], body[len(body)-tagLen:]
	rest := raw
	for i := range fields {
		v, n := binary.Uvarint(rest)
		if n <= 0 {
			return ErrMalformed
		}
		fields[i], rest = v, rest[n:]
	}
	if len(rest) != 0 || fields[0] > math.MaxUint32 {
		return ErrMalformed
	}
	key := ks.Lookup(uint32(fields[0]))
	if key == nil || !hmac.Equal(tag(keyOf(key.Derived), prefix, raw), got) {
		return ErrBadSignature
	}
	return nil
}

// ActivityCodes issues and verifies activities' check-in codes. A code binds
// the activity and its validity window; the window is fixed when the code is
// issued, so a changed start or a cancellation must still be checked against
// the activity itself when a member checks in.
type ActivityCodes struct {
	Keys *Keyring
	// Before and After widen the window around the activity: a code
	// verifies from Before before the start until After after the end
	// (settings; each at most MaxWindowMargin).
	Before, After time.Duration
}

// MaxWindowMargin bounds Before and After.
const MaxWindowMargin = 24 * time.Hour

// maxWindowMinutes bounds a window read from a code (a 72-hour activity plus
// both margins, with room to spare); it keeps the arithmetic in range.
const maxWindowMinutes = 30 * 24 * 60

// ActivityCode is an issued or verified check-in code.
type ActivityCode struct {
	Code       string    `json:"code"`
	ActivityID int64     `json:"activity_id"`
	ValidFrom  time.Time `json:"valid_from"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// Issue signs the code of an activity running from startsAt to endsAt. The
// window is widened to whole minutes (the code counts minutes), so the same
// activity always gets the same code under the same key: the JSON answer
// and the QR image show one code.
func (c ActivityCodes) Issue(activityID int64, startsAt, endsAt time.Time) (ActivityCode, error) {
	if activityID <= 0 {
		return ActivityCode{}, errors.New("checkin: activity id must be positive")
	}
	if c.Before < 0 || c.After < 0 || c.Before > MaxWindowMargin || c.After > MaxWindowMargin {
		return ActivityCode{}, fmt.Errorf("checkin: window margins must lie in [0, %s]", MaxWindowMargin)
	}
	if !endsAt.After(startsAt) {
		return ActivityCode{}, errors.New("checkin: an activity must end after it starts")
	}
	from := floorDiv(startsAt.Add(-c.Before).Unix(), 60)
	until := -floorDiv(-endsAt.Add(c.After).Unix(), 60) // ceiling
	if from <= 0 || until-from > maxWindowMinutes {
		return ActivityCode{}, errors.New("checkin: activity window out of range")
	}
	key := c.Keys.ring.Current().Active
	code := seal(activityPrefix, key.Derived.activity, uint64(key.ID), uint64(activityID), uint64(from), uint64(until-from))
	return ActivityCode{Code: code, ActivityID: activityID, ValidFrom: minute(from), ExpiresAt: minute(until)}, nil
}

// Verify checks a scanned or typed code at now and returns what it binds.
// Errors: ErrMalformed, ErrWrongKind, ErrBadSignature (all ErrInvalid),
// ErrNotYetValid, ErrExpired (both ErrGone).
func (c ActivityCodes) Verify(code string, now time.Time) (ActivityCode, error) {
	var f [4]uint64 // key id, activity id, from (Unix minutes), span (minutes)
	if err := open(code, activityPrefix, c.Keys.ring.Current(), func(k signingKey) []byte { return k.activity }, f[:]); err != nil {
		return ActivityCode{}, err
	}
	// Only the server signs, so these hold for every genuine code; checking
	// them anyway keeps a leaked key from crashing the arithmetic.
	if f[1] == 0 || f[1] > math.MaxInt64 || f[2] > math.MaxInt64/120 || f[3] > maxWindowMinutes {
		return ActivityCode{}, ErrMalformed
	}
	ac := ActivityCode{Code: normalize(code), ActivityID: int64(f[1]), ValidFrom: minute(int64(f[2])), ExpiresAt: minute(int64(f[2] + f[3]))}
	switch {
	case now.Before(ac.ValidFrom):
		return ac, ErrNotYetValid
	case !now.Before(ac.ExpiresAt):
		return ac, ErrExpired
	}
	return ac, nil
}

// MemberCodes issues and verifies members' personal codes (一码通). The
// server issues them to the member's own session, so the member id comes
// from the session and the code carries it signed; the organizer's scanner
// learns the member only from a verified code, never from the client.
type MemberCodes struct {
	Keys *Keyring
	// Step is how often the code changes (0: DefaultMemberStep). A code is
	// accepted in its own step and the next one only, so a screenshot is
	// useless after two steps at most.
	Step time.Duration
}

// DefaultMemberStep makes a member code change twice a minute and die
// within a minute.
const DefaultMemberStep = 30 * time.Second

// MemberCode is an issued member code; the phone shows it until ExpiresAt
// and should fetch the next one every step.
type MemberCode struct {
	Code      string    `json:"code"`
	MemberID  int64     `json:"member_id"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (c MemberCodes) step() (int64, error) {
	switch {
	case c.Step == 0:
		return int64(DefaultMemberStep / time.Second), nil
	case c.Step < 5*time.Second || c.Step > time.Minute || c.Step%time.Second != 0:
		return 0, errors.New("checkin: member code step must be whole seconds from 5 s to 1 min")
	}
	return int64(c.Step / time.Second), nil
}

// Issue signs the member's code for the step that contains now.
func (c MemberCodes) Issue(memberID int64, now time.Time) (MemberCode, error) {
	step, err := c.step()
	if err != nil {
		return MemberCode{}, err
	}
	if memberID <= 0 {
		return MemberCode{}, errors.New("checkin: member id must be positive")
	}
	n := floorDiv(now.Unix(), step)
	if n <= 0 {
		return MemberCode{}, errors.New("checkin: clock before 1970")
	}
	key := c.Keys.ring.Current().Active
	code := seal(memberPrefix, key.Derived.member, uint64(key.ID), uint64(memberID), uint64(n))
	return MemberCode{Code: code, MemberID: memberID, ExpiresAt: time.Unix((n+2)*step, 0).UTC()}, nil
}

// Verify checks a scanned member code at now and returns the member id.
// A code of the current or the previous step is accepted (the scan may
// straddle a step, or two servers' clocks differ a little); anything older
// is ErrExpired, anything newer ErrNotYetValid.
func (c MemberCodes) Verify(code string, now time.Time) (int64, error) {
	step, err := c.step()
	if err != nil {
		return 0, err
	}
	var f [3]uint64 // key id, member id, step number
	if err := open(code, memberPrefix, c.Keys.ring.Current(), func(k signingKey) []byte { return k.member }, f[:]); err != nil {
		return 0, err
	}
	if f[1] == 0 || f[1] > math.MaxInt64 || f[2] > math.MaxInt64 {
		return 0, ErrMalformed
	}
	cur := uint64(max(floorDiv(now.Unix(), step), 0))
	switch {
	case f[2] > cur:
		return 0, ErrNotYetValid
	case f[2]+1 < cur:
		return 0, ErrExpired
	}
	return int64(f[1]), nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func minute(m int64) time.Time { return time.Unix(m*60, 0).UTC() }
