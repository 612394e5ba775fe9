package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain/account"
)

// The second login factor's routes (动态口令): the login's second step,
// the caller's enrolment, the 安全管理员's reset and settings.

// LoginAnswer is POST /session's answer: the user as GET /me answers it, or,
// when the account logs in with a one-time password too, only
// second_factor_required and when the pending login expires; a cookie
// carries that login to POST /session/totp.
type LoginAnswer struct {
	Me
	SecondFactorRequired  bool       `json:"second_factor_required,omitempty"`
	SecondFactorExpiresAt *time.Time `json:"second_factor_expires_at,omitempty"`
}

// pendingLogin is LoginAnswer without a user.
type pendingLogin struct {
	SecondFactorRequired  bool      `json:"second_factor_required"`
	SecondFactorExpiresAt time.Time `json:"second_factor_expires_at"`
}

// pendingCookie carries a pending login; it goes to the session routes only.
const pendingCookie = "lianxin_login_2fa"

var errEnrolmentRequired = &apiError{Status: http.StatusForbidden, Code: "totp_enrolment_required",
	Message: "您的角色须启用双因素认证，请先用手机扫码绑定动态口令"}

// allowedBeforeEnrolment are the routes an account that must enrol a second
// factor may call: those allowed before a password change, and enrolment.
func allowedBeforeEnrolment(rt route) bool {
	return allowedBeforePasswordChange(rt) || rt.Pattern == "/api/v1/me/totp" || strings.HasPrefix(rt.Pattern, "/api/v1/me/totp/")
}

func (s *Server) secondFactorPending(w http.ResponseWriter, r *http.Request, p *auth.SecondFactorNeeded) pendingLogin {
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: p.Token, Path: "/api/v1/session", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteStrictMode, MaxAge: int(auth.ChallengeLifetime / time.Second)})
	return pendingLogin{SecondFactorRequired: true, SecondFactorExpiresAt: p.ExpiresAt.UTC()}
}

func (s *Server) clearPending(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: "", Path: "/api/v1/session", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// secondFactorRequest is the login's second step: one of the two.
type secondFactorRequest struct {
	Code         string `json:"code"`          // the 6 digits the app shows
	RecoveryCode string `json:"recovery_code"` // or one recovery code (used up)
}

func (s *Server) completeLogin(w http.ResponseWriter, r *http.Request, _ *auth.Principal) (any, error) {
	var req secondFactorRequest
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	code := strings.ReplaceAll(strings.TrimSpace(req.Code), " ", "")
	if len(code) > 16 {
		return nil, errField("code", "动态口令为6位数字")
	}
	if len(req.RecoveryCode) > 64 {
		return nil, errField("recovery_code", "恢复码格式不正确")
	}
	var token string
	if c, err := r.Cookie(pendingCookie); err == nil {
		token = c.Value
	}
	tok, p, err := s.Auth.CompleteLogin(r.Context(), token, code, strings.TrimSpace(req.RecoveryCode), s.client(r))
	var restart *auth.RestartLogin
	var le *auth.LoginError
	switch {
	case errors.As(err, &restart):
		s.clearPending(w, r)
		return nil, &apiError{Status: http.StatusUnauthorized, Code: "login_restart", Message: restart.Message}
	case errors.As(err, &le) && le.Locked:
		s.clearPending(w, r)
		return nil, err
	case err != nil:
		return nil, err
	}
	s.clearPending(w, r)
	s.setSessionCookie(w, r, tok)
	return s.meWithMember(r, p)
}

// totpCode is a current one-time password, authorizing a change.
type totpCode struct {
	Code string `json:"code"`
}

// recoveryCodes are shown once; only their hashes are kept.
type recoveryCodes struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

func decodeTOTPCode(w http.ResponseWriter, r *http.Request) (string, error) {
	var req totpCode
	if err := decode(w, r, &req); err != nil {
		return "", err
	}
	return strings.ReplaceAll(strings.TrimSpace(req.Code), " ", ""), nil
}

func (s *Server) totpStatus(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.Auth.Status(r.Context(), p)
}

func (s *Server) beginTOTP(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	e, err := s.Auth.BeginTOTP(r.Context(), p)
	if err != nil {
		return nil, err
	}
	return created{e}, nil
}

func (s *Server) confirmTOTP(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	code, err := decodeTOTPCode(w, r)
	if err != nil {
		return nil, err
	}
	codes, err := s.Auth.ConfirmTOTP(r.Context(), p, code)
	if err != nil {
		return nil, err
	}
	return recoveryCodes{codes}, nil
}

func (s *Server) renewRecoveryCodes(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	code, err := decodeTOTPCode(w, r)
	if err != nil {
		return nil, err
	}
	codes, err := s.Auth.RenewRecoveryCodes(r.Context(), p, code)
	if err != nil {
		return nil, err
	}
	return recoveryCodes{codes}, nil
}

func (s *Server) disableTOTP(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	code, err := decodeTOTPCode(w, r)
	if err != nil {
		return nil, err
	}
	return nil, s.Auth.DisableTOTP(r.Context(), p, code)
}

func (s *Server) resetTOTP(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return nil, s.Auth.ResetTOTP(r.Context(), p, id)
}

func (s *Server) getSecondFactorSettings(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.Store.Accounts.SecondFactorSettings(r.Context())
}

func (s *Server) putSecondFactorSettings(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var req account.SecondFactorSettings
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	if err := s.Store.Accounts.SetSecondFactorSettings(r.Context(), p.Caller(s.Now()), req); err != nil {
		return nil, err
	}
	return req, nil
}
