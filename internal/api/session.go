package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Me is the current user as the web app needs it.
type Me struct {
	ID                    int64             `json:"id"`
	Username              string            `json:"username"`
	DisplayName           string            `json:"display_name"`
	Roles                 []domain.Role     `json:"roles"`
	RoleNames             []string          `json:"role_names"`
	Permissions           []auth.Permission `json:"permissions"`
	PartyOrgID            int64             `json:"party_org_id"`
	PartyOrgName          string            `json:"party_org_name"`
	PartyOrgPath          string            `json:"party_org_path"`
	MustChangePassword    bool              `json:"must_change_password"`
	PasswordExpiresInDays *int              `json:"password_expires_in_days"`
	IdleTimeoutMinutes    int               `json:"idle_timeout_minutes"`
	// Member is set on a member's own account.
	Member *MeMember `json:"member"`
	// TOTPEnabled: the account logs in with a one-time password too;
	// TOTPRequired: its roles require that (until enrolled, only the
	// enrolment routes answer).
	TOTPEnabled  bool `json:"totp_enabled"`
	TOTPRequired bool `json:"totp_required"`
}

func meOf(p *auth.Principal) Me {
	m := Me{ID: p.User.ID, Username: p.User.Username, DisplayName: p.User.DisplayName, Roles: p.User.Roles, RoleNames: p.User.RoleNames,
		Permissions: p.Permissions, PartyOrgID: p.User.PartyOrgID, PartyOrgName: p.User.PartyOrgName, PartyOrgPath: p.User.PartyOrgPath,
		MustChangePassword: p.User.MustChangePassword || p.PasswordExpired(), IdleTimeoutMinutes: int(p.IdleTimeout / time.Minute)}
	m.PasswordExpiresInDays = p.PasswordDays
	m.TOTPEnabled, m.TOTPRequired = p.User.TOTPEnabled, p.TOTPRequired
	if m.Permissions == nil {
		m.Permissions = []auth.Permission{}
	}
	return m
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, _ *auth.Principal) (any, error) {
	var req loginRequest
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	// Trimmed only: Login lowers the case to find the account, and the
	// audit trail judges from the typed case whether it was a password.
	req.Username = strings.TrimSpace(req.Username)
	v := &domain.ValidationError{}
	if req.Username == "" || len(req.Username) > 64 {
		v.Add("username", "请输入用户名")
	}
	if req.Password == "" || len(req.Password) > 256 {
		v.Add("password", "请输入密码")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	token, p, err := s.Auth.Login(r.Context(), req.Username, req.Password, s.client(r))
	if pending := (*auth.SecondFactorNeeded)(nil); errors.As(err, &pending) {
		return s.secondFactorPending(w, r, pending), nil
	}
	if err != nil {
		return nil, err
	}
	s.setSessionCookie(w, r, token)
	return s.meWithMember(r, p)
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: "/", HttpOnly: true, Secure: s.secure(r),
		SameSite: http.SameSiteStrictMode, MaxAge: int(auth.SessionLifetime / time.Second)})
}

// MeMember is the member a member's own account belongs to.
type MeMember struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	PartyOrgID   int64  `json:"party_org_id"`
	PartyOrgName string `json:"party_org_name"`
}

// meWithMember is Me plus, for a member's account, the member.
func (s *Server) meWithMember(r *http.Request, p *auth.Principal) (Me, error) {
	me := meOf(p)
	if p.User.MemberID == nil {
		return me, nil
	}
	m, err := s.Store.Life.MemberSelf(r.Context(), *p.User.MemberID)
	if err != nil {
		return me, err
	}
	me.Member = &MeMember{ID: m.ID, Name: m.Name, PartyOrgID: m.PartyOrgID, PartyOrgName: m.PartyOrgName}
	return me, nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	if err := s.Auth.Logout(r.Context(), p); err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteStrictMode, MaxAge: -1})
	return nil, nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	return s.meWithMember(r, p)
}

type passwordChange struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var req passwordChange
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	if req.OldPassword == "" {
		return nil, errField("old_password", "请输入原密码")
	}
	return nil, s.Auth.ChangePassword(r.Context(), p, req.OldPassword, req.NewPassword)
}

// deny records a permission denial in the audit trail.
func (s *Server) deny(r *http.Request, p *auth.Principal, reason string) {
	e := audit.New(s.Now(), p.Actor(), audit.ActionPermissionDenied, "route", r.Method+" "+r.URL.Path, audit.ResultFailure)
	e.Reason = reason
	if err := s.Store.Audit(r.Context(), e); err != nil {
		s.Log.Error("audit denial", "err", err)
	}
}
