package account

import (
	"github.com/lianxin/lianxin/internal/domain"
)

// SecondFactorSettings say which roles must log in with a second factor, a
// time-based one-time password (动态口令) besides the password (等保 2.0
// 8.1.4.1 d: two or more authentication techniques for administrators). The
// 安全管理员 sets them.
type SecondFactorSettings struct {
	// RequiredRoles must enrol; an account holding any of them is limited to
	// enrolling until it has. Empty requires it of nobody.
	RequiredRoles []domain.Role `json:"required_roles"`
}

// DefaultSecondFactorSettings are a new deployment's: the 三员 and the roles
// that read or export personal data in plain text. A fresh value each call,
// so that no caller shares (and may change) another's slice.
func DefaultSecondFactorSettings() SecondFactorSettings {
	return SecondFactorSettings{RequiredRoles: []domain.Role{domain.RoleSysAdmin, domain.RoleSecAdmin, domain.RoleAuditor, domain.RolePIIViewer, domain.RolePIIExporter}}
}

// Validate checks the roles: known, each once, and not the member's own
// account (members log in on their phones, where the app to hold a second
// factor usually is too).
func (s SecondFactorSettings) Validate() error {
	const field = "required_roles"
	if s.RequiredRoles == nil {
		return domain.FieldError(field, "请提供须启用双因素认证的角色列表（可以为空）")
	}
	seen := map[domain.Role]bool{}
	for _, r := range s.RequiredRoles {
		if _, ok := r.Info(); !ok {
			return domain.FieldError(field, "未知角色："+string(r))
		}
		if r == domain.RoleMember {
			return domain.FieldError(field, "党员账号在手机上登录，不能要求其启用双因素认证")
		}
		if seen[r] {
			return domain.FieldError(field, "角色重复："+r.Name())
		}
		seen[r] = true
	}
	return nil
}

// Requires reports whether an account holding roles must use a second factor.
func (s SecondFactorSettings) Requires(roles []domain.Role) bool {
	for _, r := range roles {
		for _, q := range s.RequiredRoles {
			if r == q {
				return true
			}
		}
	}
	return false
}
