package accounts_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

var now = storetest.Now

// TestLoginFailuresAcrossInstances: the lockout lives in the database:
// failures recorded by two instances add up, a lock set by one holds on the
// other, and concurrent failures lose no count.
func TestLoginFailuresAcrossInstances(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			a, b := storetest.OpenTwice(t, engine)
			p := domain.DefaultSecuritySettings.LockPolicy()
			key := accounts.NameKey("nobody")
			if strings.Contains(key, "nobody") {
				t.Fatalf("the typed name is kept: %s", key)
			}
			fail := func(s *stores.Set, ip string, at time.Time) (domain.LoginLock, bool) {
				t.Helper()
				e := audit.New(at, audit.Actor{Username: "nobody", IP: ip}, audit.ActionLoginFailed, "user", "", audit.ResultFailure)
				l, ok, err := s.Accounts.RecordLoginFailure(ctx, e, key, ip, p, at)
				if err != nil {
					t.Fatal(err)
				}
				return l, ok
			}
			for i := 0; i < 4; i++ {
				s := []*stores.Set{a, b}[i%2]
				if _, locked := fail(s, "10.0.0.1", now.Add(time.Duration(i)*time.Second)); locked {
					t.Fatalf("locked after %d failures", i+1)
				}
			}
			l, locked := fail(a, "10.0.0.1", now.Add(5*time.Second))
			if !locked || l.Account || !l.Until.Equal(now.Add(5*time.Second+p.Window)) {
				t.Fatalf("5th failure over two instances: %+v %v", l, locked)
			}
			pair, account, err := b.Accounts.LoginFailures(ctx, key, "10.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			if got, ok := domain.LockOf(pair, account, now.Add(time.Minute)); !ok || !got.Until.Equal(l.Until) || account.Failures != 5 {
				t.Fatalf("the other instance sees %+v %v (account %+v)", got, ok, account)
			}

			// 15 more failures at once, each from its own address, through
			// both instances: the count across addresses reaches exactly 20
			// and locks the name everywhere.
			var wg sync.WaitGroup
			locks := make(chan bool, 15)
			for i := 0; i < 15; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s := []*stores.Set{a, b}[i%2]
					ip := fmt.Sprintf("10.0.1.%d", i)
					e := audit.New(now.Add(time.Minute), audit.Actor{IP: ip}, audit.ActionLoginFailed, "user", "", audit.ResultFailure)
					l, ok, err := s.Accounts.RecordLoginFailure(ctx, e, key, ip, p, now.Add(time.Minute))
					if err != nil {
						t.Error(err)
					}
					locks <- ok && l.Account
				}()
			}
			wg.Wait()
			close(locks)
			n := 0
			for ok := range locks {
				if ok {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%d of the failures locked the name everywhere, want exactly the 20th (counts lost or doubled)", n)
			}
			_, account, err = a.Accounts.LoginFailures(ctx, key, "10.0.9.9")
			if err != nil {
				t.Fatal(err)
			}
			if !account.LockedAt(now.Add(2 * time.Minute)) {
				t.Fatalf("not locked everywhere: %+v", account)
			}
			// Every failure was audited, through either instance.
			evs, total, err := b.ListAudit(ctx, store.AuditFilter{Action: audit.ActionLoginFailed, Page: store.Page{Size: 100}})
			if err != nil || total != 20 || len(evs) != 20 {
				t.Fatalf("%d failures audited (%v)", total, err)
			}
			// Purged once old and unlocked.
			if n, err := a.Accounts.PurgeLoginFailures(ctx, now.Add(time.Hour), now.Add(time.Hour)); err != nil || n != 17 {
				t.Fatalf("purged %d rows (%v), want 17", n, err)
			}
		})
	}
}
