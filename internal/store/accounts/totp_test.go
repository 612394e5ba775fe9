package accounts_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
	"github.com/lianxin/lianxin/internal/totp"
)

// totpUser makes a Party org and an account in an empty database.
func totpUser(t *testing.T, s *stores.Set) int64 {
	t.Helper()
	ctx := context.Background()
	c := store.System(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC), "test")
	name, typ, region := "中共成都市委两新工委", string(domain.WorkCommittee), domain.ChengduCode
	o, err := s.Registry.CreatePartyOrg(ctx, c, nil, domain.PartyOrgInput{Name: &name, Type: &typ, Region: &region})
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.Accounts.CreateUser(ctx, c, accounts.NewUser{Username: "someone", DisplayName: "某人", PartyOrgID: o.ID, Roles: []domain.Role{domain.RoleCityStaff}, PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestTOTPSecretEncryptedAtRest: the database holds the secret only
// encrypted; the store reads it back.
func TestTOTPSecretEncryptedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		uid := totpUser(t, s)
		key := totp.NewSecret()
		if err := s.Accounts.BeginTOTP(ctx, uid, key, time.Now()); err != nil {
			t.Fatal(err)
		}
		raw, err := storetest.QueryBytes(ctx, s.DB, `SELECT secret FROM user_totp WHERE user_id = ?`, uid)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) < len(key)+16 || bytes.Contains(raw, key) || bytes.Contains(raw, []byte(totp.EncodeSecret(key))) ||
			bytes.Contains(bytes.ToLower(raw), bytes.ToLower([]byte(totp.EncodeSecret(key)[:16]))) {
			t.Fatalf("the stored secret is not encrypted: %x", raw)
		}
		rec, err := s.Accounts.TOTP(ctx, uid)
		if err != nil || !bytes.Equal(rec.Secret, key) || rec.Enabled {
			t.Fatalf("read back %+v %v", rec, err)
		}
	})
}

// TestTOTPStepOnce: two logins racing with the same code (two instances)
// both pass the code check; the database lets exactly one use the step.
func TestTOTPStepOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		uid := totpUser(t, s)
		now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
		c := store.System(now, "test")
		if err := s.Accounts.BeginTOTP(ctx, uid, totp.NewSecret(), now); err != nil {
			t.Fatal(err)
		}
		if err := s.Accounts.EnableTOTP(ctx, c, uid, 100, []string{"h1", "h2"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Accounts.BeginTOTP(ctx, uid, totp.NewSecret(), now); err == nil {
			t.Fatal("an enabled authenticator was replaced")
		}
		const n = 4
		for i := 0; i < n; i++ {
			ch := accounts.LoginChallenge{TokenHash: string(rune('a' + i)), UserID: uid, CreatedAt: now, ExpiresAt: now.Add(time.Minute)}
			if err := s.Accounts.CreateLoginChallenge(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		// One pending login per account: only the last one is left.
		if _, err := s.Accounts.LoginChallengeByHash(ctx, "a", now); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("an earlier pending login remains: %v", err)
		}
		for i := 0; i < n-1; i++ {
			if err := storetest.CreateLoginChallenge(ctx, s.DB, string(rune('a'+i)), uid, now); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				sess := accounts.Session{TokenHash: "s" + string(rune('a'+i)), UserID: uid, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
				errs[i] = s.Accounts.CompleteLogin(ctx, string(rune('a'+i)), accounts.SecondFactorProof{Step: 101}, sess,
					audit.New(now, audit.Actor{UserID: uid, Username: "someone"}, audit.ActionLogin, "user", "1", audit.ResultSuccess))
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, accounts.ErrStepUsed):
				t.Errorf("unexpected %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d logins used step 101: %v", ok, errs)
		}
		rec, err := s.Accounts.TOTP(ctx, uid)
		if err != nil || rec.LastStep != 101 {
			t.Errorf("last step %d %v", rec.LastStep, err)
		}
		// Recovery codes: once each.
		sess := accounts.Session{TokenHash: "r1", UserID: uid, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
		for _, want := range []error{nil, accounts.ErrNoRecoveryCode} {
			if err := storetest.CreateLoginChallenge(ctx, s.DB, "r", uid, now); err != nil {
				t.Fatal(err)
			}
			sess.TokenHash += "x"
			if err := s.Accounts.CompleteLogin(ctx, "r", accounts.SecondFactorProof{RecoveryHash: "h1"}, sess); !errors.Is(err, want) {
				t.Errorf("recovery code h1: %v, want %v", err, want)
			}
		}
	})
}
