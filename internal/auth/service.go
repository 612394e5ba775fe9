package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// SessionLifetime bounds a session however active it is.
const SessionLifetime = 12 * time.Hour

// touchEvery limits writes: a session's last activity is stored at most
// once a minute, which is precise enough for a 5–30 minute idle timeout.
const touchEvery = time.Minute

// Service logs people in and out and resolves sessions.
type Service struct {
	Store  *stores.Set
	Now    func() time.Time
	Params Params
	// Throttle bounds the password routes under a flood; nil: no bound.
	Throttle *Throttle
}

// Client describes where a request comes from, for the audit trail.
type Client struct {
	IP, UserAgent, RequestID string
}

// LoginError explains a failed login to the person trying.
type LoginError struct {
	Locked     bool
	Until      time.Time
	RetryAfter time.Duration // until the lock ends
	Message    string
}

func (e *LoginError) Error() string { return e.Message }

// Login checks a username and password. On success it opens a session and
// returns its token (the cookie value); the store keeps only its hash.
//
// A name that is no account goes through the same steps as one that is: the
// same lock check, a password check against a dummy hash, the same counts
// (under a hash of the name) and the same answers, 423 included.
func (s *Service) Login(ctx context.Context, username, password string, cl Client) (string, *Principal, error) {
	now := s.Now()
	standing, err := s.Throttle.Admit(cl.IP, now)
	if err != nil {
		return "", nil, err
	}
	settings, err := s.Store.SecuritySettings(ctx)
	if err != nil {
		return "", nil, err
	}
	// The trail names a known account by its username, and keeps a typed
	// name that is none only when it cannot be a password or an ID number.
	actor := audit.Actor{Username: maskLogin(username), IP: cl.IP, UserAgent: cl.UserAgent, RequestID: cl.RequestID}
	login := strings.ToLower(strings.TrimSpace(username))
	var known *accounts.UserView
	u, err := s.Store.Accounts.UserByLogin(ctx, login)
	switch {
	case err == nil:
		known, actor.Username = &u, u.Username
	case !errors.Is(err, domain.ErrNotFound):
		return "", nil, err
	}
	g := s.guard(known, login, cl.IP, settings, actor, now)
	if err := g.check(ctx, audit.ActionLoginFailed); err != nil {
		return "", nil, err
	}
	hash, reason := dummyHash, "用户名不存在"
	if known != nil {
		hash, reason = u.PasswordHash, "密码错误"
	}
	ok, err := s.checkPassword(ctx, standing, password, hash)
	if err != nil {
		return "", nil, err
	}
	if !ok || known == nil {
		if err := g.fail(ctx, audit.ActionLoginFailed, reason); err != nil {
			return "", nil, err
		}
		// The same words whether or not the account exists.
		return "", nil, &LoginError{Message: fmt.Sprintf("用户名或密码错误（同一地址连续失败 %d 次将锁定 %d 分钟）", settings.LockoutThreshold, settings.LockoutMinutes)}
	}
	if u.Disabled {
		e := audit.New(now, actor, audit.ActionLoginFailed, "user", fmt.Sprint(u.ID), audit.ResultFailure)
		e.UserID, e.Reason = u.ID, "账号已停用"
		if err := s.Store.Audit(ctx, e); err != nil {
			return "", nil, err
		}
		return "", nil, &LoginError{Message: "账号已停用，请联系系统管理员"}
	}
	if u.TOTPEnabled {
		return "", nil, s.challenge(ctx, u, now, cl) // no session before the second factor
	}
	return s.openSession(ctx, u, settings, now, cl)
}

// openSession starts a session for an authenticated account.
func (s *Service) openSession(ctx context.Context, u accounts.UserView, settings domain.SecuritySettings, now time.Time, cl Client) (string, *Principal, error) {
	token, hash, err := newToken()
	if err != nil {
		return "", nil, err
	}
	p := s.principal(u, settings, now)
	p.SessionHash, p.IP, p.UserAgent, p.RequestID = hash, cl.IP, cl.UserAgent, cl.RequestID
	if err := s.markSecondFactor(ctx, p); err != nil {
		return "", nil, err
	}
	e := audit.New(now, p.Actor(), audit.ActionLogin, "user", fmt.Sprint(u.ID), audit.ResultSuccess)
	err = s.Store.Accounts.LoginSuccess(ctx, e, accounts.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionLifetime), IP: cl.IP, UserAgent: truncate(cl.UserAgent, 300)})
	if err != nil {
		return "", nil, err
	}
	return token, p, nil
}

// Activate is a member's first login (or a reset by a new code): the phone
// number or ID number, the activation code the org's staff issued, and the
// password the member chooses. It opens a session like Login. A refused
// code is audited; the store voids a code after five wrong tries.
func (s *Service) Activate(ctx context.Context, login, code, password string, cl Client) (string, *Principal, error) {
	now := s.Now()
	standing, err := s.Throttle.Admit(cl.IP, now)
	if err != nil {
		return "", nil, err
	}
	settings, err := s.Store.SecuritySettings(ctx)
	if err != nil {
		return "", nil, err
	}
	v := &domain.ValidationError{}
	if login = strings.TrimSpace(login); login == "" {
		v.Add("username", "请填写手机号或身份证号")
	}
	if strings.TrimSpace(code) == "" {
		v.Add("code", "请填写激活码")
	}
	v.Merge(settings.CheckPassword("password", password, login))
	if err := v.Err(); err != nil {
		return "", nil, err
	}
	hash, err := s.hashPassword(ctx, standing, password)
	if err != nil {
		return "", nil, err
	}
	actor := audit.Actor{Username: maskLogin(login), IP: cl.IP, UserAgent: cl.UserAgent, RequestID: cl.RequestID}
	id, err := s.Store.Accounts.ActivateMember(ctx, now, login, code, hash, actor)
	if errors.Is(err, accounts.ActivationRefused) {
		e := audit.New(now, actor, audit.ActionActivate, "user", "", audit.ResultFailure)
		e.Reason = "手机号/身份证号或激活码不正确，或激活码已过期、已作废"
		if aerr := s.Store.Audit(ctx, e); aerr != nil {
			return "", nil, aerr
		}
	}
	if err != nil {
		return "", nil, err
	}
	u, err := s.Store.Accounts.GetUser(ctx, store.ScopeAll, id)
	if err != nil {
		return "", nil, err
	}
	if u.TOTPEnabled {
		// A code from the org's staff sets a password, never the phone:
		// the second factor is still asked for.
		return "", nil, s.challenge(ctx, u, now, cl)
	}
	return s.openSession(ctx, u, settings, now, cl)
}

func (s *Service) principal(u accounts.UserView, st domain.SecuritySettings, now time.Time) *Principal {
	p := &Principal{User: u, Permissions: PermissionsOf(u.Roles), IdleTimeout: time.Duration(st.IdleTimeoutMinutes) * time.Minute}
	if st.PasswordMaxAgeDays > 0 {
		expires := u.PasswordChangedAt.Add(time.Duration(st.PasswordMaxAgeDays) * 24 * time.Hour)
		days := int(expires.Sub(now).Hours() / 24)
		if expires.Before(now) {
			days = -1
		}
		p.PasswordDays = &days
	}
	return p
}

// ErrNoSession means the token is unknown, expired, idle too long, or its
// account is disabled or locked.
var ErrNoSession = errors.New("no valid session")

// Resolve returns the principal of a session token and records its activity.
func (s *Service) Resolve(ctx context.Context, token string, cl Client) (*Principal, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrNoSession
	}
	now := s.Now()
	hash := hashToken(token)
	se, u, err := s.Store.Accounts.SessionUser(ctx, hash)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	settings, err := s.Store.SecuritySettings(ctx)
	if err != nil {
		return nil, err
	}
	idle := time.Duration(settings.IdleTimeoutMinutes) * time.Minute
	if now.After(se.ExpiresAt) || now.Sub(se.LastSeenAt) > idle {
		// Expired: remove it so that the table does not grow.
		s.Store.Accounts.DeleteSession(ctx, hash, audit.Event{})
		return nil, ErrNoSession
	}
	// A lock stops new logins only: failing someone's password five times
	// must not end the sessions they already have.
	if u.Disabled {
		return nil, ErrNoSession
	}
	if now.Sub(se.LastSeenAt) >= touchEvery {
		if err := s.Store.Accounts.TouchSession(ctx, hash, now); err != nil {
			return nil, err
		}
	}
	p := s.principal(u, settings, now)
	p.SessionHash, p.IP, p.UserAgent, p.RequestID = hash, cl.IP, cl.UserAgent, cl.RequestID
	if err := s.markSecondFactor(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// Logout ends the principal's session.
func (s *Service) Logout(ctx context.Context, p *Principal) error {
	e := audit.New(s.Now(), p.Actor(), audit.ActionLogout, "user", fmt.Sprint(p.User.ID), audit.ResultSuccess)
	return s.Store.Accounts.DeleteSession(ctx, p.SessionHash, e)
}

// ChangePassword lets a user replace their own password after proving the
// old one. A wrong old password counts like a failed login of the account
// from the caller's address (and is audited): someone holding an open
// session cannot guess the password at leisure.
func (s *Service) ChangePassword(ctx context.Context, p *Principal, oldPW, newPW string) error {
	now := s.Now()
	settings, err := s.Store.SecuritySettings(ctx)
	if err != nil {
		return err
	}
	g := s.guard(&p.User, p.User.Username, p.IP, settings, p.Actor(), now)
	if err := g.check(ctx, audit.ActionPasswordChange); err != nil {
		return err
	}
	ok, err := s.checkPassword(ctx, signedIn, oldPW, p.User.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		if err := g.fail(ctx, audit.ActionPasswordChange, "原密码错误"); err != nil {
			return err
		}
		return domain.FieldError("old_password", "原密码不正确")
	}
	if oldPW == newPW {
		return domain.FieldError("new_password", "新密码不能与原密码相同")
	}
	if err := settings.CheckPassword("new_password", newPW, p.User.Username); err != nil {
		return err
	}
	if err := CheckNotReused(ctx, s.Store, p.User.ID, "new_password", newPW); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, signedIn, newPW)
	if err != nil {
		return err
	}
	return s.Store.Accounts.SetPassword(ctx, p.Caller(now), p.User.ID, hash, false, audit.ActionPasswordChange, p.SessionHash)
}

func newToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
