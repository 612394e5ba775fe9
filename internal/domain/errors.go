// Package domain holds lianxin's entities and business rules. It is pure Go:
// no I/O, no SQL, no HTTP, so that every rule can be tested directly at any date.
package domain

import (
	"errors"
	"sort"
	"strings"
	"time"
)

// Sentinel errors that the layers above map to API error codes.
var (
	ErrNotFound  = errors.New("not found")
	ErrConflict  = errors.New("conflict")
	ErrForbidden = errors.New("forbidden")
)

// ValidationError carries one Chinese message per offending field. The API
// returns it as 400 with the fields named, so a form can show each message
// beside its field.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+e.Fields[k])
	}
	return "输入有误：" + strings.Join(parts, "；")
}

// Summary is one Chinese sentence for the whole error, without field codes:
// the single message, or the messages joined.
func (e *ValidationError) Summary() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	msgs := make([]string, 0, len(keys))
	for _, k := range keys {
		msgs = append(msgs, e.Fields[k])
	}
	if len(msgs) == 1 {
		return msgs[0]
	}
	return "输入有误：" + strings.Join(msgs, "；")
}

// Add records a message for a field unless one is already there (the first
// problem found is the one the user needs to fix first).
func (e *ValidationError) Add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
}

// Err returns nil when nothing was added, so callers can `return v.Err()`.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Fields) == 0 {
		return nil
	}
	return e
}

// FieldError is a shortcut for a single-field validation error.
func FieldError(field, msg string) error {
	return &ValidationError{Fields: map[string]string{field: msg}}
}

// ConflictError explains a conflict (duplicate name, stale version, …) in Chinese.
type ConflictError struct {
	Field   string
	Message string
}

func (e *ConflictError) Error() string { return e.Message }
func (e *ConflictError) Is(target error) bool {
	return target == ErrConflict
}

// Merge adds the fields of err when it is a ValidationError; any other
// non-nil error is returned for the caller to handle.
func (e *ValidationError) Merge(err error) error {
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	for k, m := range ve.Fields {
		e.Add(k, m)
	}
	return nil
}

// ForbiddenError refuses an action with a reason the caller may read (the
// API's 403 with that message).
type ForbiddenError struct{ Message string }

func (e *ForbiddenError) Error() string        { return e.Message }
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// ErrGone marks something that was valid and no longer is, or not yet:
// an expired code, a check-in outside its window (the API's 410).
var ErrGone = errors.New("gone")

// GoneError explains an ErrGone in Chinese.
type GoneError struct{ Message string }

func (e *GoneError) Error() string        { return e.Message }
func (e *GoneError) Is(target error) bool { return target == ErrGone }

// ErrTooManyRequests marks a request refused because its account or client
// made too many of its kind recently (the API's 429 with Retry-After).
var ErrTooManyRequests = errors.New("too many requests")

// Limit names the bound that refused a request.
type Limit int

// The bounds: each is the API's own status, and each says when to try again.
const (
	LimitRate    Limit = iota // too many of its kind recently: 429
	LimitBusy                 // the server cannot take it now: 503
	LimitStorage              // no room to keep what it sends: 507
)

// LimitError refuses a request that a bound will not take now (the lookups
// of personal data, the login's flood control, the import queue): the same
// request may succeed later, which RetryAfter says, in Chinese in Message.
type LimitError struct {
	Limit      Limit
	Message    string
	RetryAfter time.Duration
}

func (e *LimitError) Error() string { return e.Message }
func (e *LimitError) Is(target error) bool {
	return e.Limit == LimitRate && target == ErrTooManyRequests
}

// RetrySeconds is RetryAfter in whole seconds, at least 1.
func (e *LimitError) RetrySeconds() int { return max(1, int((e.RetryAfter+time.Second-1)/time.Second)) }
