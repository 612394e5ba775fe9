package account

import (
	"github.com/lianxin/lianxin/internal/domain"
)

// Who may assign or remove which role through the API (三员分立, 等保 2.0
// level 3; issue 11):
//
//	role                                        may be granted or removed by
//	city, district, committee and org staff     系统管理员 (an account's first roles) and 安全管理员
//	pii_viewer, pii_exporter                    安全管理员 only
//	sysadmin, secadmin, auditor (the 三员)       nobody: `lianxin user create` on the server
//	member                                      nobody: a member's account comes from their activation
//
// Changing an existing account's roles or scope is the 安全管理员's duty
// (permission user.grant); the 系统管理员 sets the first roles when it
// creates an account. The shell (`lianxin user …`) is outside these rules.

// grantersOf returns the roles that may assign or remove r (the table is
// RoleInfo.GrantedBy in Roles).
func grantersOf(r domain.Role) []domain.Role {
	i, _ := r.Info()
	return i.GrantedBy
}

// MayGrant reports whether a caller holding the roles caller may assign
// the role r to an account or remove it from one.
func MayGrant(caller []domain.Role, r domain.Role) bool {
	for _, g := range grantersOf(r) {
		for _, c := range caller {
			if c == g {
				return true
			}
		}
	}
	return false
}

// CheckGrant refuses a change of an account's roles from before to after
// unless the caller may assign every added role and remove every removed
// one. Roles kept as they were need no right.
func CheckGrant(caller, before, after []domain.Role) error {
	has := func(rs []domain.Role, r domain.Role) bool {
		for _, x := range rs {
			if x == r {
				return true
			}
		}
		return false
	}
	for _, set := range [][2][]domain.Role{{after, before}, {before, after}} {
		for _, r := range set[0] {
			if !has(set[1], r) && !MayGrant(caller, r) {
				return grantRefusal(r)
			}
		}
	}
	return nil
}

func grantRefusal(r domain.Role) error {
	info, _ := r.Info()
	switch {
	case info.Admin:
		return &domain.ForbiddenError{Message: "三员（系统管理员、安全管理员、审计管理员）账号只能由服务器管理员用命令行（lianxin user create）建立，不能在系统中授予或取消"}
	case r == domain.RoleMember:
		return &domain.ForbiddenError{Message: "“党员”角色随党员激活账号建立，不能在系统中授予或取消"}
	case r == domain.RolePIIViewer || r == domain.RolePIIExporter:
		return &domain.ForbiddenError{Message: "只有安全管理员可以授予或取消“" + info.Name + "”角色"}
	}
	return &domain.ForbiddenError{Message: "您不能授予或取消“" + r.Name() + "”角色"}
}

// IsAdminAccount reports whether an account holds one of the 三员 roles.
func IsAdminAccount(roles []domain.Role) bool {
	for _, r := range roles {
		if i, ok := r.Info(); ok && i.Admin {
			return true
		}
	}
	return false
}

// CheckManageAccount refuses any change through the API to a 三员 account
// other than the caller's own (password reset, disabling, name, unlock,
// roles, scope): one of the three must not take over another, so a 三员
// account is recovered only from the server's shell, which is audited.
func CheckManageAccount(target []domain.Role, self bool) error {
	if !self && IsAdminAccount(target) {
		return &domain.ForbiddenError{Message: "三员账号之间不能相互修改，三员账号的密码和锁定须由服务器管理员用命令行（lianxin user reset-password、unlock）处理"}
	}
	return nil
}
