package domain

import (
	"testing"
	"time"
)

func TestLockPolicy(t *testing.T) {
	p := DefaultSecuritySettings.LockPolicy()
	if p.PerAddress != 5 || p.Account != 20 || p.Window != 30*time.Minute {
		t.Fatalf("default policy %+v", p)
	}
	t0 := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	type attempt struct {
		addr   string
		at     time.Duration // after t0
		locks  bool
		acct   bool
		locked bool // the attempt finds a lock in force (and so counts nothing)
	}
	for _, tc := range []struct {
		name     string
		attempts []attempt
	}{
		{"fifth failure from one address locks that address", []attempt{
			{addr: "a"}, {addr: "a", at: time.Minute}, {addr: "a", at: 2 * time.Minute}, {addr: "a", at: 3 * time.Minute},
			{addr: "a", at: 4 * time.Minute, locks: true},
			{addr: "a", at: 33 * time.Minute, locked: true},
			{addr: "b", at: 33 * time.Minute}, // another address is not locked
			{addr: "a", at: 34 * time.Minute}, // the lock is over: counting starts again
		}},
		{"failures spread over more than the window do not lock", []attempt{
			{addr: "a"}, {addr: "a", at: 10 * time.Minute}, {addr: "a", at: 20 * time.Minute}, {addr: "a", at: 29 * time.Minute},
			{addr: "a", at: 30 * time.Minute}, {addr: "a", at: 31 * time.Minute},
		}},
		{"four addresses of five failures lock the name everywhere", func() []attempt {
			var as []attempt
			for i, addr := range []string{"a", "b", "c", "d"} {
				for k := 0; k < 5; k++ {
					a := attempt{addr: addr, at: time.Duration(i*5+k) * time.Second, locks: k == 4}
					a.acct = i == 3 && k == 4
					as = append(as, a)
				}
			}
			return append(as, attempt{addr: "e", at: time.Minute, locked: true, acct: true})
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pairs := map[string]LoginFailures{}
			var account LoginFailures
			for i, a := range tc.attempts {
				now := t0.Add(a.at)
				if l, ok := LockOf(pairs[a.addr], account, now); ok != a.locked || ok && l.Account != a.acct {
					t.Fatalf("attempt %d (%+v): lock %+v %v", i, a, l, ok)
				}
				if a.locked {
					continue
				}
				var l LoginLock
				var ok bool
				pairs[a.addr], account, l, ok = p.Fail(pairs[a.addr], account, now)
				if ok != a.locks || ok && (l.Account != a.acct || !l.Until.Equal(now.Add(p.Window))) {
					t.Fatalf("attempt %d (%+v): Fail locks %+v %v", i, a, l, ok)
				}
			}
		})
	}
}

// TestLockPolicyOneAddressNeverLocksEverywhere: one address failing as
// fast as its locks allow, for a day, never reaches the count across
// addresses.
func TestLockPolicyOneAddressNeverLocksEverywhere(t *testing.T) {
	p := DefaultSecuritySettings.LockPolicy()
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	var pair, account LoginFailures
	for end := now.Add(24 * time.Hour); now.Before(end); now = now.Add(time.Second) {
		if _, ok := LockOf(pair, account, now); ok {
			if account.LockedAt(now) {
				t.Fatalf("locked everywhere at %s", now)
			}
			continue
		}
		pair, account, _, _ = p.Fail(pair, account, now)
	}
}

func TestAccountLockoutThresholdValidated(t *testing.T) {
	for _, tc := range []struct {
		pair, account int
		ok            bool
	}{{5, 20, true}, {5, 10, true}, {5, 9, false}, {3, 6, true}, {10, 100, true}, {10, 101, false}, {5, 0, false}} {
		s := DefaultSecuritySettings
		s.LockoutThreshold, s.AccountLockoutThreshold = tc.pair, tc.account
		err := s.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%d/%d: %v", tc.pair, tc.account, err)
		}
		if ve, ok := err.(*ValidationError); !tc.ok && (!ok || ve.Fields["account_lockout_threshold"] == "") {
			t.Errorf("%d/%d: %v does not name account_lockout_threshold", tc.pair, tc.account, err)
		}
	}
}
