package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/accounts"
)

// loginGuard is the lockout of one attempt to prove a password: a login
// name (an account, or a typed name that is none) from a client address
// under the 安全管理员's policy. Login and the password change use it; so
// may any later step that checks a secret.
type loginGuard struct {
	s      *Service
	user   *accounts.UserView // nil: the name is no account
	key    string
	ip     string
	policy domain.LockPolicy
	actor  audit.Actor
	now    time.Time
}

func (s *Service) guard(u *accounts.UserView, login, ip string, st domain.SecuritySettings, actor audit.Actor, now time.Time) *loginGuard {
	g := &loginGuard{s: s, user: u, key: accounts.NameKey(domain.CanonicalLogin(login)), ip: ip, policy: st.LockPolicy(), actor: actor, now: now}
	if u != nil {
		g.key = accounts.AccountKey(u.ID)
	}
	return g
}

// event is a failure of action in the audit trail.
func (g *loginGuard) event(action, reason string) audit.Event {
	e := audit.New(g.now, g.actor, action, "user", "", audit.ResultFailure)
	if g.user != nil {
		e.UserID, e.ObjectID = g.user.ID, fmt.Sprint(g.user.ID)
	}
	e.Reason = reason
	return e
}

// check refuses the attempt (423, audited as action) while a lock holds,
// before any password is checked.
func (g *loginGuard) check(ctx context.Context, action string) error {
	pair, account, err := g.s.Store.Accounts.LoginFailures(ctx, g.key, g.ip)
	if err != nil {
		return err
	}
	lock, locked := domain.LockOf(pair, account, g.now)
	if !locked {
		return nil
	}
	if err := g.s.Store.Audit(ctx, g.event(action, "已锁定")); err != nil {
		return err
	}
	return g.lockError(lock, false)
}

// fail counts a wrong password (audited as action with reason) and returns
// the 423 when it locks, nil otherwise.
func (g *loginGuard) fail(ctx context.Context, action, reason string) error {
	lock, locked, err := g.s.Store.Accounts.RecordLoginFailure(ctx, g.event(action, reason), g.key, g.ip, g.policy, g.now)
	if err != nil {
		return err
	}
	if !locked {
		return nil
	}
	return g.lockError(lock, true)
}

// lockError words a lock: from this address, or from every address; just
// set by this attempt, or found.
func (g *loginGuard) lockError(l domain.LoginLock, fresh bool) *LoginError {
	at := l.Until.In(domain.Shanghai).Format("2006-01-02 15:04")
	var msg string
	switch {
	case l.Account && fresh:
		msg = fmt.Sprintf("多个网络地址累计 %d 次登录失败，此账号已锁定至 %s，请稍后再试或联系系统管理员解锁", g.policy.Account, at)
	case l.Account:
		msg = fmt.Sprintf("此账号因多个网络地址多次登录失败已锁定至 %s，请稍后再试或联系系统管理员解锁", at)
	case fresh:
		msg = fmt.Sprintf("连续 %d 次登录失败，此账号在当前网络地址已锁定至 %s，请稍后再试或联系系统管理员解锁", g.policy.PerAddress, at)
	default:
		msg = fmt.Sprintf("此账号在当前网络地址已锁定至 %s，请稍后再试或联系系统管理员解锁", at)
	}
	return &LoginError{Locked: true, Until: l.Until, RetryAfter: l.Until.Sub(g.now), Message: msg}
}
