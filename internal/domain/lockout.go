package domain

import "time"

// Login lockout (issue 11, finding 7). Failures are counted per login name
// and client address first: N failures from one address lock that name from
// that address only, so a stranger cannot lock the real user out from their
// own office. A second, higher count across all addresses locks the name
// everywhere against a guesser who spreads over many addresses. Both counts
// run the same way whether or not the name is an account, so the answers
// never tell which names exist.

// LoginFailures is one count: a login name's failures from one address, or
// from all addresses, within the current window, and the lock it led to.
type LoginFailures struct {
	Failures    int
	Since       time.Time  // first failure of the window; zero: none counted
	LockedUntil *time.Time // nil: never locked
}

// LockedAt reports whether the count locks its name at now.
func (f LoginFailures) LockedAt(now time.Time) bool {
	return f.LockedUntil != nil && now.Before(*f.LockedUntil)
}

// LockPolicy is the lockout rule of the 安全管理员's settings.
type LockPolicy struct {
	PerAddress int           // failures from one address that lock the name there
	Account    int           // failures from any addresses that lock the name everywhere
	Window     time.Duration // how long a lock lasts and how long failures are counted together
}

// LockPolicy returns the lockout rule of the settings.
func (s SecuritySettings) LockPolicy() LockPolicy {
	return LockPolicy{PerAddress: s.LockoutThreshold, Account: s.AccountLockoutThreshold,
		Window: time.Duration(s.LockoutMinutes) * time.Minute}
}

// LoginLock is the lock in force on an attempt.
type LoginLock struct {
	Until time.Time
	// Account is set when the name is locked from every address (the count
	// across addresses); otherwise only the attempt's address is locked.
	Account bool
}

// LockOf returns the lock that applies to an attempt with these two counts
// at now: the one lasting longer when both hold.
func LockOf(pair, account LoginFailures, now time.Time) (LoginLock, bool) {
	var l LoginLock
	if account.LockedAt(now) {
		l = LoginLock{Until: *account.LockedUntil, Account: true}
	}
	if pair.LockedAt(now) && pair.LockedUntil.After(l.Until) {
		l = LoginLock{Until: *pair.LockedUntil}
	}
	return l, !l.Until.IsZero()
}

// Fail returns both counts after one more failure at now, and the lock it
// sets when a count reaches its threshold (the count then starts again).
func (p LockPolicy) Fail(pair, account LoginFailures, now time.Time) (LoginFailures, LoginFailures, LoginLock, bool) {
	pair, pairLocked := p.count(pair, p.PerAddress, now)
	account, accountLocked := p.count(account, p.Account, now)
	switch {
	case accountLocked:
		return pair, account, LoginLock{Until: *account.LockedUntil, Account: true}, true
	case pairLocked:
		return pair, account, LoginLock{Until: *pair.LockedUntil}, true
	}
	return pair, account, LoginLock{}, false
}

// count adds a failure to f. A window starts at the first failure and lasts
// as long as a lock: one address, locked for the window each time it
// reaches PerAddress, can never reach the higher count across addresses.
func (p LockPolicy) count(f LoginFailures, threshold int, now time.Time) (LoginFailures, bool) {
	if f.Since.IsZero() || now.Sub(f.Since) >= p.Window {
		f.Failures, f.Since = 0, now
	}
	f.Failures++
	if f.Failures < threshold {
		return f, false
	}
	until := now.Add(p.Window)
	return LoginFailures{LockedUntil: &until}, true
}
