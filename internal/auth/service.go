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
	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
)

// SessionLifetime bounds a session however active it is.
const SessionLifetime = 12 * time.Hour

// touchEvery limits writes: a session's last activity is stored at most
// once a minute, which is precise enough for a 5–30 minute idle timeout.
const touchEvery = time.Minute

// Service logs people in and out and resolves sessions.
type Service struct {
	Store  *store.Store
	Now    func() time.Time
	Params Params
}

// Client describes where a request comes from, for the audit trail.
type Client struct {
	IP, UserAgent, RequestID string
}

// LoginError explains a failed login to the person trying.
type LoginError struct {
	Locked  bool
	Until   time.Time
	Message string
}

func (e *LoginError) Error() string { return e.Message }

// Login checks a username and password. On success it opens a session and
// returns its token (the cookie value); the store keeps only its hash.
func (s *Service) Login(ctx context.Context, username, password string, cl Client) (string, *Principal, error) {
	now := s.Now()
	settings, err := s.Store.SecuritySettings(ctx)
	if err != nil {
		return "", nil, err
	}
	actor := audit.Actor{Username: maskLogin(username), IP: cl.IP, UserAgent: cl.UserAgent, RequestID: cl.RequestID}
	fail := func(u *store.UserView, reason string) error {
		e := audit.New(now, actor, audit.ActionLoginFailed, "user", "", audit.ResultFailure)
		e.Reason = reason
		var id int64
		if u != nil {
			id = u.ID
			e.UserID, e.ObjectID = u.ID, fmt.Sprint(u.ID)
		}
		until := now.Add(time.Duration(settings.LockoutMinutes) * time.Minute)
		_, locked, err := s.Store.LoginFailure(ctx, e, id, settings.LockoutThreshold, until)
		if err != nil {
			return err
		}
		if locked {
			return &LoginError{Locked: true, Until: until, Message: fmt.Sprintf("连续 %d 次登录失败，账号已锁定至 %s，请稍后再试或联系系统管理员解锁",
				settings.LockoutThreshold, until.In(domain.Shanghai).Format("2006-01-02 15:04"))}
		}
		// The same words whether or not the account exists.
		return &LoginError{Message: fmt.Sprintf("用户名或密码错误（连续失败 %d 次将锁定 %d 分钟）", settings.LockoutThreshold, settings.LockoutMinutes)}
	}
	u, err := s.Store.UserByLogin(ctx, username)
	if errors.Is(err, domain.ErrNotFound) {
		CheckPassword(password, dummyHash)
		return "", nil, fail(nil, "用户名不存在")
	}
	if err != nil {
		return "", nil, err
	}
	if u.Locked(now) {
		e := audit.New(now, actor, audit.ActionLoginFailed, "user", fmt.Sprint(u.ID), audit.ResultFailure)
		e.UserID, e.Reason = u.ID, "账号已锁定"
		if err := s.Store.Audit(ctx, e); err != nil {
			return "", nil, err
		}
		return "", nil, &LoginError{Locked: true, Until: *u.LockedUntil, Message: fmt.Sprintf("账号已锁定至 %s，请稍后再试或联系系统管理员解锁",
			u.LockedUntil.In(domain.Shanghai).Format("2006-01-02 15:04"))}
	}
	ok, err := CheckPassword(password, u.PasswordHash)
	if err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, fail(&u, "密码错误")
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
func (s *Service) openSession(ctx context.Context, u store.UserView, settings domain.SecuritySettings, now time.Time, cl Client) (string, *Principal, error) {
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
	err = s.Store.LoginSuccess(ctx, e, store.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionLifetime), IP: cl.IP, UserAgent: truncate(cl.UserAgent, 300)})
	if err != nil {
		return "", nil, err
	}
	return token, p, nil
}

// Activate is a member's first login (or a reset by a new code): the phone
// number or ID number, the activation code the org's staff issued, and the
// password the member chooses. It opens a session like Login.
func (s *Service) Activate(ctx context.Context, login, code, password string, cl Client) (string, *Principal, error) {
	now := s.Now()
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
	hash, err := HashPassword(password, s.Params)
	if err != nil {
		return "", nil, err
	}
	actor := audit.Actor{Username: maskLogin(login), IP: cl.IP, UserAgent: cl.UserAgent, RequestID: cl.RequestID}
	id, err := s.Store.ActivateMember(ctx, now, login, code, hash, actor)
	if err != nil {
		return "", nil, err
	}
	u, err := s.Store.GetUser(ctx, store.ScopeAll, id)
	if err != nil {
		return "", nil, err
	}
	return s.openSession(ctx, u, settings, now, cl)
}

// maskLogin keeps a phone number or ID number typed as a username out of
// the audit trail in plain text.
func maskLogin(login string) string {
	switch {
	case domain.ValidPhone(domain.NormalizePhone(login)):
		return pii.MaskPhone(domain.NormalizePhone(login))
	case len(domain.NormalizeCode(login)) == 18 || len(domain.NormalizeCode(login)) == 15:
		return pii.MaskIDNumber(domain.NormalizeCode(login))
	}
	return login
}

func (s *Service) principal(u store.UserView, st domain.SecuritySettings, now time.Time) *Principal {
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
	se, u, err := s.Store.SessionUser(ctx, hash)
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
		s.Store.DeleteSession(ctx, hash, audit.Event{})
		return nil, ErrNoSession
	}
	// A lock stops new logins only: failing someone's password five times
	// must not end the sessions they already have.
	if u.Disabled {
		return nil, ErrNoSession
	}
	if now.Sub(se.LastSeenAt) >= touchEvery {
		if err := s.Store.TouchSession(ctx, hash, now); err != nil {
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
	return s.Store.DeleteSession(ctx, p.SessionHash, e)
}

// ChangePassword lets a user replace their own password after proving the old one.
func (s *Service) ChangePassword(ctx context.Context, p *Principal, oldPW, newPW string) error {
	ok, err := CheckPassword(oldPW, p.User.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return domain.FieldError("old_password", "原密码不正确")
	}
	if oldPW == newPW {
		return domain.FieldError("new_password", "新密码不能与原密码相同")
	}
	settings, err := s.Store.SecuritySettings(ctx)
	if err != nil {
		return err
	}
	if err := settings.CheckPassword("new_password", newPW, p.User.Username); err != nil {
		return err
	}
	if err := CheckNotReused(ctx, s.Store, p.User.ID, "new_password", newPW); err != nil {
		return err
	}
	hash, err := HashPassword(newPW, s.Params)
	if err != nil {
		return err
	}
	return s.Store.SetPassword(ctx, p.Caller(s.Now()), p.User.ID, hash, false, audit.ActionPasswordChange, p.SessionHash)
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
