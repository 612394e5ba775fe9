package api

import (
	"net/http"
	"strings"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/account"
	"github.com/lianxin/lianxin/internal/store/accounts"
)

type userCreate struct {
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	PartyOrgID  int64         `json:"party_org_id"`
	Roles       []domain.Role `json:"roles"`
	Password    string        `json:"password"`
}

type userPatch struct {
	DisplayName *string       `json:"display_name"`
	Disabled    *bool         `json:"disabled"`
	Roles       []domain.Role `json:"roles"`
	PartyOrgID  *int64        `json:"party_org_id"`
	Version     *int          `json:"version"`
}

type passwordReset struct {
	Password string `json:"password"`
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	q := newQuery(r)
	f := accounts.UserFilter{Q: q.str("q"), PartyOrgID: q.id("party_org_id"), Status: q.oneOf("status", "active", "locked", "disabled"), Now: s.Now(), Page: q.page()}
	if role := q.str("role"); role != "" {
		if _, ok := domain.Role(role).Info(); !ok {
			q.errs.Add("role", "未知角色："+role)
		}
		f.Role = role
	}
	if err := q.err(); err != nil {
		return nil, err
	}
	items, total, err := s.Store.Accounts.ListUsers(r.Context(), p.Scope(), f)
	if err != nil {
		return nil, err
	}
	return list(items, total, f.Page), nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.Store.Accounts.GetUser(r.Context(), p.Scope(), id)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	var req userCreate
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	req.Username = strings.ToLower(strings.TrimSpace(req.Username))
	v := &domain.ValidationError{}
	v.Merge(domain.ValidateUsername(req.Username))
	v.Merge(domain.ValidateDisplayName(req.DisplayName))
	if req.PartyOrgID <= 0 {
		v.Add("party_org_id", "请选择账号所属的党组织（数据范围）")
	}
	if err := domain.ValidateRoles(req.Roles); err != nil {
		v.Merge(err)
	} else if err := account.CheckGrant(p.User.Roles, nil, req.Roles); err != nil {
		return nil, err // a role this caller may not grant: refused whatever else is wrong
	}
	settings, err := s.Store.SecuritySettings(r.Context())
	if err != nil {
		return nil, err
	}
	v.Merge(settings.CheckPassword("password", req.Password, req.Username))
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(req.Password, s.PasswordParams)
	if err != nil {
		return nil, err
	}
	u, err := s.Store.Accounts.CreateUser(r.Context(), p.Caller(s.Now()), accounts.NewUser{Username: req.Username, DisplayName: req.DisplayName,
		PartyOrgID: req.PartyOrgID, Roles: req.Roles, PasswordHash: hash, MustChange: true})
	if err != nil {
		return nil, err
	}
	out, err := s.Store.Accounts.GetUser(r.Context(), p.Scope(), u.ID)
	return created{out}, err
}

// updateUser separates duties by field: the 系统管理员 (user.write) edits
// the name and disables accounts; the 安全管理员 (user.grant) changes roles
// (account.CheckGrant) and scopes. Nobody changes their own roles, scope or
// status, nor another 三员 account (account.CheckManageAccount).
func (s *Server) updateUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req userPatch
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	target, err := s.Store.Accounts.GetUser(r.Context(), p.Scope(), id)
	if err != nil {
		return nil, err
	}
	if (req.DisplayName != nil || req.Disabled != nil) && !p.Can(auth.PermUserWrite) {
		return nil, &domain.ForbiddenError{Message: "修改账号姓名、停用或启用账号须由系统管理员办理"}
	}
	if (req.Roles != nil || req.PartyOrgID != nil) && !p.Can(auth.PermUserGrant) {
		return nil, &domain.ForbiddenError{Message: "调整账号的角色和数据范围须由安全管理员办理"}
	}
	if err := account.CheckManageAccount(target.Roles, id == p.User.ID); err != nil {
		return nil, err
	}
	if id == p.User.ID && (req.Roles != nil || req.PartyOrgID != nil || req.Disabled != nil) {
		return nil, errInvalid("不能修改自己的角色、数据范围或停用自己的账号", nil)
	}
	v := &domain.ValidationError{}
	if req.DisplayName != nil {
		v.Merge(domain.ValidateDisplayName(*req.DisplayName))
	}
	if req.Roles != nil {
		if err := domain.ValidateRoles(req.Roles); err != nil {
			v.Merge(err)
		} else if err := account.CheckGrant(p.User.Roles, target.Roles, req.Roles); err != nil {
			return nil, err
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.Store.Accounts.UpdateUser(r.Context(), p.Caller(s.Now()), id, accounts.UserChange{DisplayName: req.DisplayName, Disabled: req.Disabled,
		Roles: req.Roles, PartyOrgID: req.PartyOrgID, Version: req.Version})
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	var req passwordReset
	if err := decode(w, r, &req); err != nil {
		return nil, err
	}
	u, err := s.Store.Accounts.GetUser(r.Context(), p.Scope(), id)
	if err != nil {
		return nil, err
	}
	if id == p.User.ID {
		return nil, errInvalid("请通过“修改密码”更改自己的密码", nil)
	}
	if err := account.CheckManageAccount(u.Roles, false); err != nil {
		return nil, err
	}
	settings, err := s.Store.SecuritySettings(r.Context())
	if err != nil {
		return nil, err
	}
	if err := settings.CheckPassword("password", req.Password, u.Username); err != nil {
		return nil, err
	}
	if err := auth.CheckNotReused(r.Context(), s.Store, id, "password", req.Password); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(req.Password, s.PasswordParams)
	if err != nil {
		return nil, err
	}
	return nil, s.Store.Accounts.SetPassword(r.Context(), p.Caller(s.Now()), id, hash, true, audit.ActionResetPassword, "")
}

func (s *Server) unlockUser(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return nil, s.Store.Accounts.UnlockUser(r.Context(), p.Caller(s.Now()), id)
}
