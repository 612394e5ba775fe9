package store

import (
	"context"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// Scope is a caller's data scope: the ancestry path of the Party-org node the
// caller is bound to. Every store method that reads or writes scoped records
// takes one and applies it in SQL.
type Scope struct {
	Path string
}

// ScopeAll sees the whole tree (command-line jobs and the generator).
var ScopeAll = Scope{Path: "/"}

// bounds returns the half-open range [lo, hi) of paths inside the scope:
// every path with the prefix lo. '/' + 1 is '0', so hi is lo with its final
// '/' replaced by '0' — one indexed range on both engines.
func (s Scope) Bounds() (string, string) {
	p := s.Path
	if p == "" || p[len(p)-1] != '/' {
		// An unbound caller sees nothing: an empty range.
		return "\x01", "\x01"
	}
	return p, p[:len(p)-1] + "0"
}

// wholeTree reports whether the scope holds every Party org (city staff,
// command-line jobs). Their lists then need no scope condition at all — every
// organization has an area manager and every member a holding Party org or
// an employer, all inside the tree — which spares a 200,000-row id set.
// Two probes of the path index; the answer is not cached, so that a Party
// org created above the caller's node is honoured at once.
func (s *DB) WholeTree(ctx context.Context, sc Scope) (bool, error) {
	lo, hi := sc.Bounds()
	var outside int
	err := s.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM party_orgs WHERE path < ? LIMIT 1) a)
		+ (SELECT COUNT(*) FROM (SELECT 1 FROM party_orgs WHERE path >= ? LIMIT 1) b)`, lo, hi).Scan(&outside)
	return outside == 0, err
}

// Contains reports whether path lies inside the scope.
func (s Scope) Contains(path string) bool {
	lo, hi := s.Bounds()
	return path >= lo && path < hi
}

// Caller is who acts, when, and within which data scope.
type Caller struct {
	Now   time.Time
	Scope Scope
	Actor audit.Actor
	// Roles are the acting account's roles; nil for the shell and jobs,
	// which the account rules (who grants what, 三员) do not bind.
	Roles []domain.Role
}

// account reports whether an account acts (not the shell or a job).
func (c Caller) Account() bool { return c.Actor.UserID != 0 }

// System is the caller for command-line jobs: whole tree, named actor.
func System(now time.Time, name string) Caller {
	return Caller{Now: now, Scope: ScopeAll, Actor: audit.Actor{Username: name, Roles: "system"}}
}

// dayOf is the day (Asia/Shanghai) of now, as stored.
func DayOf(now time.Time) string { return now.In(domain.Shanghai).Format(domain.DateLayout) }
