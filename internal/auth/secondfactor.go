package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/totp"
)

// The second login factor (动态口令, RFC 6238): enrolment by QR code,
// the login's second step, recovery codes, and the 安全管理员's reset. An
// account with an enabled authenticator gets no session from its password
// alone; an account whose roles require one and that has none is limited
// to enrolling (Principal.MustEnrolTOTP).

// TOTPIssuer names the service in authenticator apps.
const TOTPIssuer = "两新党建"

// ChallengeLifetime bounds the time from the password to the code.
const ChallengeLifetime = 5 * time.Minute

// ChallengeAttempts is how many wrong codes one pending login takes before
// the password must be typed again (the account's lockout counts them too).
const ChallengeAttempts = 5

// RecoveryCodeCount is how many recovery codes an enrolment gives.
const RecoveryCodeCount = 10

// qrSize is the enrolment QR image's side in pixels: a phone reads it from
// a screen at arm's length.
const qrSize = 256

// SecondFactorNeeded is Login's answer when the password was right and the
// account logs in with a one-time password too: no session yet. Token is
// the pending login's (a short-lived cookie) for CompleteLogin.
type SecondFactorNeeded struct {
	Token     string
	ExpiresAt time.Time
}

func (e *SecondFactorNeeded) Error() string { return "second factor required" }

// RestartLogin means the pending login is over (expired, used up by wrong
// codes, or its authenticator reset): the password must be typed again.
type RestartLogin struct{ Message string }

func (e *RestartLogin) Error() string { return e.Message }

// MustEnrolTOTP reports whether the caller's roles require a second factor
// that the account has not enrolled: until it has, only the enrolment
// routes answer.
func (p *Principal) MustEnrolTOTP() bool { return p.TOTPRequired && !p.User.TOTPEnabled }

// markSecondFactor sets whether the principal's roles require a second factor.
func (s *Service) markSecondFactor(ctx context.Context, p *Principal) error {
	sf, err := s.Store.Accounts.SecondFactorSettings(ctx)
	if err != nil {
		return err
	}
	p.TOTPRequired = sf.Requires(p.User.Roles)
	return nil
}

// challenge stores a pending login for an account whose password was right.
func (s *Service) challenge(ctx context.Context, u accounts.UserView, now time.Time, cl Client) error {
	token, hash, err := newToken()
	if err != nil {
		return err
	}
	ch := accounts.LoginChallenge{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(ChallengeLifetime), IP: cl.IP, UserAgent: truncate(cl.UserAgent, 300)}
	if err := s.Store.Accounts.CreateLoginChallenge(ctx, ch); err != nil {
		return err
	}
	return &SecondFactorNeeded{Token: token, ExpiresAt: ch.ExpiresAt}
}

// CompleteLogin is the login's second step: the pending login's token and
// either a one-time password or a recovery code. A wrong one counts as a
// failed login (the account locks at the 安全管理员's threshold); a right
// one is used up and opens the session, in one transaction.
func (s *Service) CompleteLogin(ctx context.Context, token, code, recovery string, cl Client) (string, *Principal, error) {
	now := s.Now()
	if (code == "") == (recovery == "") {
		return "", nil, domain.FieldError("code", "请输入6位动态口令或一个恢复码")
	}
	if code != "" && !validCode(code) {
		return "", nil, domain.FieldError("code", "动态口令为6位数字")
	}
	gone := &RestartLogin{Message: "登录已超时，请重新输入用户名和密码"}
	if token == "" || len(token) > 100 {
		return "", nil, gone
	}
	hash := hashToken(token)
	ch, err := s.Store.Accounts.LoginChallengeByHash(ctx, hash, now)
	if errors.Is(err, domain.ErrNotFound) {
		return "", nil, gone
	}
	if err != nil {
		return "", nil, err
	}
	u, err := s.Store.Accounts.GetUser(ctx, store.ScopeAll, ch.UserID)
	if err != nil {
		return "", nil, err
	}
	settings, err := s.Store.SecuritySettings(ctx)
	if err != nil {
		return "", nil, err
	}
	actor := audit.Actor{UserID: u.ID, Username: u.Username, IP: cl.IP, UserAgent: cl.UserAgent, RequestID: cl.RequestID}
	refuse := func(reason string, err error) (string, *Principal, error) {
		e := audit.New(now, actor, audit.ActionLoginFailed, "user", fmt.Sprint(u.ID), audit.ResultFailure)
		e.UserID, e.Reason = u.ID, reason
		if aerr := s.Store.Audit(ctx, e); aerr != nil {
			return "", nil, aerr
		}
		if derr := s.Store.Accounts.DeleteLoginChallenge(ctx, hash); derr != nil {
			return "", nil, derr
		}
		return "", nil, err
	}
	// The lock of the password step holds here too (per address, and
	// account-wide); a wrong code counts toward it like a wrong password.
	g := s.guard(&u, u.Username, cl.IP, settings, actor, now)
	if err := g.check(ctx, audit.ActionLoginFailed); err != nil {
		if derr := s.Store.Accounts.DeleteLoginChallenge(ctx, hash); derr != nil {
			return "", nil, derr
		}
		return "", nil, err
	}
	if u.Disabled {
		return refuse("账号已停用", &LoginError{Message: "账号已停用，请联系系统管理员"})
	}
	rec, err := s.Store.Accounts.TOTP(ctx, u.ID)
	if errors.Is(err, domain.ErrNotFound) || err == nil && !rec.Enabled {
		return refuse("双因素认证已被重置", &RestartLogin{Message: "您的双因素认证已被重置，请重新登录"})
	}
	if err != nil {
		return "", nil, err
	}
	fail := func(reason string) (string, *Principal, error) {
		return "", nil, s.secondFactorFailure(ctx, g, hash, reason, settings)
	}
	var proof accounts.SecondFactorProof
	how := "口令+动态口令"
	if code != "" {
		step, ok := totp.Default.Verify(rec.Secret, code, now, rec.LastStep)
		if !ok {
			if _, replay := totp.Default.Verify(rec.Secret, code, now, -1); replay {
				return fail("动态口令已使用过（重放）")
			}
			return fail("动态口令错误")
		}
		proof.Step = step
	} else {
		norm := totp.NormalizeRecoveryCode(recovery)
		if norm == "" {
			return fail("恢复码错误")
		}
		proof.RecoveryHash, how = recoveryHash(u.ID, norm), "口令+恢复码"
	}

	sessToken, sessHash, err := newToken()
	if err != nil {
		return "", nil, err
	}
	p := s.principal(u, settings, now)
	p.SessionHash, p.IP, p.UserAgent, p.RequestID = sessHash, cl.IP, cl.UserAgent, cl.RequestID
	login := audit.New(now, p.Actor(), audit.ActionLogin, "user", fmt.Sprint(u.ID), audit.ResultSuccess)
	login.Reason = how
	events := []audit.Event{login}
	if proof.RecoveryHash != "" {
		used := audit.New(now, p.Actor(), audit.ActionRecoveryCodeUsed, "user", fmt.Sprint(u.ID), audit.ResultSuccess)
		used.Reason = fmt.Sprintf("剩余 %d 个恢复码", max(rec.RecoveryLeft-1, 0))
		events = append(events, used)
	}
	err = s.Store.Accounts.CompleteLogin(ctx, hash, proof, accounts.Session{TokenHash: sessHash, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionLifetime), IP: cl.IP, UserAgent: truncate(cl.UserAgent, 300)}, events...)
	switch {
	case errors.Is(err, accounts.ErrStepUsed):
		return fail("动态口令已使用过（重放）")
	case errors.Is(err, accounts.ErrNoRecoveryCode):
		return fail("恢复码错误或已使用")
	case errors.Is(err, domain.ErrNotFound):
		return "", nil, gone
	case err != nil:
		return "", nil, err
	}
	if err := s.markSecondFactor(ctx, p); err != nil {
		return "", nil, err
	}
	return sessToken, p, nil
}

// secondFactorFailure records a wrong code like a wrong password: audited,
// counted toward the account's lock, and against the pending login.
func (s *Service) secondFactorFailure(ctx context.Context, g *loginGuard, hash, reason string, settings domain.SecuritySettings) error {
	if err := g.fail(ctx, audit.ActionLoginFailed, reason); err != nil {
		var le *LoginError
		if errors.As(err, &le) && le.Locked {
			if derr := s.Store.Accounts.DeleteLoginChallenge(ctx, hash); derr != nil {
				return derr
			}
		}
		return err
	}
	spent, err := s.Store.Accounts.ChallengeAttempt(ctx, hash, ChallengeAttempts)
	if err != nil {
		return err
	}
	if spent {
		return &RestartLogin{Message: "动态口令错误次数过多，请重新输入用户名和密码"}
	}
	return &LoginError{Message: fmt.Sprintf("动态口令或恢复码错误（连续失败 %d 次将锁定 %d 分钟）", settings.LockoutThreshold, settings.LockoutMinutes)}
}

func validCode(code string) bool {
	if len(code) != totp.Default.Digits {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

// recoveryHash is what is stored of a recovery code: about 59 random bits,
// salted with the account so that equal codes never share a hash.
func recoveryHash(userID int64, norm string) string {
	h := sha256.Sum256([]byte("lianxin/totp-recovery/v1\x00" + strconv.FormatInt(userID, 10) + "\x00" + norm))
	return hex.EncodeToString(h[:])
}

func recoveryHashes(userID int64, codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = recoveryHash(userID, totp.NormalizeRecoveryCode(c))
	}
	return out
}

// Enrolment is a new authenticator's secret, shown while it waits for its
// first code and never again.
type Enrolment struct {
	Secret string `json:"secret"` // base32, for typing into the app by hand
	URI    string `json:"uri"`    // otpauth://, what the QR code holds
	QR     string `json:"qr"`     // the QR code as a data:image/png URL
	Issuer string `json:"issuer"`
}

// BeginTOTP makes a new secret for the caller, replacing an unconfirmed
// one; an enabled authenticator must be disabled or reset first.
func (s *Service) BeginTOTP(ctx context.Context, p *Principal) (Enrolment, error) {
	key := totp.NewSecret()
	if err := s.Store.Accounts.BeginTOTP(ctx, p.User.ID, key, s.Now()); err != nil {
		return Enrolment{}, err
	}
	uri := totp.URI(TOTPIssuer, p.User.Username, key, totp.Default)
	png, err := qrcode.Encode(uri, qrcode.Medium, qrSize)
	if err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Secret: totp.EncodeSecret(key), URI: uri, QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), Issuer: TOTPIssuer}, nil
}

// ConfirmTOTP enables the caller's new authenticator with its first code
// and returns the recovery codes, which are shown this once.
func (s *Service) ConfirmTOTP(ctx context.Context, p *Principal, code string) ([]string, error) {
	if !validCode(code) {
		return nil, domain.FieldError("code", "请输入手机上显示的6位动态口令")
	}
	rec, err := s.Store.Accounts.TOTP(ctx, p.User.ID)
	if errors.Is(err, domain.ErrNotFound) || err == nil && rec.Enabled {
		return nil, &domain.ConflictError{Field: "code", Message: "没有待确认的绑定，请重新获取二维码"}
	}
	if err != nil {
		return nil, err
	}
	now := s.Now()
	step, ok := totp.Default.Verify(rec.Secret, code, now, rec.LastStep)
	if !ok {
		return nil, domain.FieldError("code", "动态口令不正确，请确认手机时间准确后输入最新的口令")
	}
	codes := totp.NewRecoveryCodes(RecoveryCodeCount)
	if err := s.Store.Accounts.EnableTOTP(ctx, p.Caller(now), p.User.ID, step, recoveryHashes(p.User.ID, codes)); err != nil {
		return nil, err
	}
	return codes, nil
}

// ownCode checks a code the caller types to change their own authenticator.
// A wrong one counts toward the account's lock like a wrong password, so a
// taken-over session cannot try every code; while locked, none is checked.
func (s *Service) ownCode(ctx context.Context, p *Principal, code string) (accounts.TOTP, int64, error) {
	now := s.Now()
	if !validCode(code) {
		return accounts.TOTP{}, 0, domain.FieldError("code", "请输入手机上显示的6位动态口令")
	}
	rec, err := s.Store.Accounts.TOTP(ctx, p.User.ID)
	if errors.Is(err, domain.ErrNotFound) || err == nil && !rec.Enabled {
		return rec, 0, &domain.ConflictError{Message: "您尚未启用双因素认证"}
	}
	if err != nil {
		return rec, 0, err
	}
	settings, err := s.Store.SecuritySettings(ctx)
	if err != nil {
		return rec, 0, err
	}
	g := s.guard(&p.User, p.User.Username, p.IP, settings, p.Actor(), now)
	if err := g.check(ctx, audit.ActionLoginFailed); err != nil {
		return rec, 0, err
	}
	step, ok := totp.Default.Verify(rec.Secret, code, now, rec.LastStep)
	if ok {
		return rec, step, nil
	}
	if err := g.fail(ctx, audit.ActionLoginFailed, "修改双因素认证时动态口令错误"); err != nil {
		return rec, 0, err
	}
	return rec, 0, domain.FieldError("code", "动态口令不正确")
}

// DisableTOTP removes the caller's authenticator, when their roles do not
// require one, after a current code.
func (s *Service) DisableTOTP(ctx context.Context, p *Principal, code string) error {
	if p.TOTPRequired {
		return &domain.ForbiddenError{Message: "您的角色须启用双因素认证，不能停用；更换手机请联系安全管理员重置"}
	}
	_, step, err := s.ownCode(ctx, p, code)
	if err != nil {
		return err
	}
	return usedStep(s.Store.Accounts.DisableOwnTOTP(ctx, p.Caller(s.Now()), p.User.ID, step))
}

// RenewRecoveryCodes replaces the caller's recovery codes after a current code.
func (s *Service) RenewRecoveryCodes(ctx context.Context, p *Principal, code string) ([]string, error) {
	_, step, err := s.ownCode(ctx, p, code)
	if err != nil {
		return nil, err
	}
	codes := totp.NewRecoveryCodes(RecoveryCodeCount)
	if err := usedStep(s.Store.Accounts.RenewRecoveryCodes(ctx, p.Caller(s.Now()), p.User.ID, step, recoveryHashes(p.User.ID, codes))); err != nil {
		return nil, err
	}
	return codes, nil
}

func usedStep(err error) error {
	if errors.Is(err, accounts.ErrStepUsed) {
		return domain.FieldError("code", "该动态口令已使用过，请等待手机显示新的口令")
	}
	return err
}

// ResetTOTP is the 安全管理员's reset of another account's authenticator
// (a lost phone). A 三员 account's is reset only from the shell (`lianxin
// user reset-totp`), so that no one of the three can weaken another.
func (s *Service) ResetTOTP(ctx context.Context, p *Principal, userID int64) error {
	u, err := s.Store.Accounts.GetUser(ctx, p.Scope(), userID)
	if err != nil {
		return err
	}
	if u.ID == p.User.ID {
		return &domain.ForbiddenError{Message: "不能重置自己的双因素认证"}
	}
	for _, r := range u.Roles {
		if i, _ := r.Info(); i.Admin {
			return &domain.ForbiddenError{Message: "三员账号的双因素认证只能由服务器管理员用 lianxin user reset-totp 重置"}
		}
	}
	return s.Store.Accounts.ResetTOTP(ctx, p.Caller(s.Now()), userID)
}

// TOTPStatus is the caller's second factor as their account page shows it.
type TOTPStatus struct {
	Enabled      bool       `json:"enabled"`
	EnabledAt    *time.Time `json:"enabled_at"`
	Required     bool       `json:"required"` // their roles require it
	RecoveryLeft int        `json:"recovery_codes_left"`
}

// Status returns the caller's second-factor state.
func (s *Service) Status(ctx context.Context, p *Principal) (TOTPStatus, error) {
	st := TOTPStatus{Required: p.TOTPRequired}
	rec, err := s.Store.Accounts.TOTP(ctx, p.User.ID)
	if errors.Is(err, domain.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	st.Enabled, st.EnabledAt = rec.Enabled, rec.EnabledAt
	if rec.Enabled {
		st.RecoveryLeft = rec.RecoveryLeft
	}
	return st, nil
}
