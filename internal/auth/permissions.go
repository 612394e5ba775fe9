package auth

import (
	"sort"

	"github.com/lianxin/lianxin/internal/domain"
)

// Permission is one thing a caller may do.
type Permission string

// Permissions.
const (
	PermPartyOrgRead  Permission = "party_org.read"
	PermPartyOrgWrite Permission = "party_org.write"
	// PermPartyOrgTree reads the tree's shape only (id, name, type,
	// parent, path): enough to pick an account's scope node, nothing of an
	// org's people, terms or filings.
	PermPartyOrgTree     Permission = "party_org.tree"
	PermUserRead         Permission = "user.read"
	PermUserCreate       Permission = "user.create" // new accounts, with the roles the creator may grant (account.MayGrant)
	PermUserWrite        Permission = "user.write"  // accounts: edit, disable, reset, unlock
	PermUserGrant        Permission = "user.grant"  // roles and scopes
	PermSecuritySettings Permission = "security.settings"
	PermAuditRead        Permission = "audit.read"
	PermDashboard        Permission = "dashboard.read"
	PermOrgRead          Permission = "organization.read"  // 两新组织 registry
	PermOrgWrite         Permission = "organization.write" // 两新组织 registry
	PermMemberRead       Permission = "member.read"
	PermMemberWrite      Permission = "member.write"
	PermPIIReveal        Permission = "pii.reveal" // see an ID number or phone in plain text (audited)
	PermPIIExport        Permission = "pii.export" // export lists with them in plain text (audited)
	// PermCoverageSettings changes the city's 两个覆盖 campaign settings:
	// a city-level duty, so only city staff hold it.
	PermCoverageSettings Permission = "coverage.settings"
	// Organizational life: activities, attendance, the ledger.
	PermActivityRead  Permission = "activity.read"
	PermActivityWrite Permission = "activity.write"
	// PermActivitySettings sets the monthly themes, the check-in window and
	// the ledger's frequencies: city staff.
	PermActivitySettings Permission = "activity.settings"
	// 防瘫预警: reading alerts and working them (assign, acknowledge,
	// resolve, reopen) in one's scope; tuning the rules is the city's.
	PermAlertRead  Permission = "alert.read"
	PermAlertWrite Permission = "alert.write"
	PermAlertRules Permission = "alert.rules"
	// PermRegionWrite maintains the streets and communities (镇街、社区) of
	// one's district: city and district staff (issue 13).
	PermRegionWrite Permission = "region.write"
	// PermChainSettings maintains the key industry chains (their list and
	// each one's 行业党委): city-wide reference data, so city staff.
	PermChainSettings Permission = "chain.settings"
	// PermSelf: a member's own pages — their code, check-ins, record.
	PermSelf Permission = "self"
)

// rolePermissions separates the duties of the 三员: the 系统管理员 manages
// accounts but cannot change roles later or read the trail; the 安全管理员
// grants roles (the PII roles only it) and scopes and sets security policy;
// both create accounts with the roles each may grant (account.MayGrant). The
// 审计管理员 only reads the trail. None of them reads or changes business
// data: the account administrators see the tree's shape only, to pick a
// scope node.
var rolePermissions = map[domain.Role][]Permission{
	domain.RoleSysAdmin:       {PermPartyOrgTree, PermUserRead, PermUserCreate, PermUserWrite},
	domain.RoleSecAdmin:       {PermPartyOrgTree, PermUserRead, PermUserCreate, PermUserGrant, PermSecuritySettings},
	domain.RoleAuditor:        {PermAuditRead},
	domain.RoleCityStaff:      append(staff(), PermCoverageSettings, PermActivitySettings, PermAlertRules, PermRegionWrite, PermChainSettings),
	domain.RoleDistrictStaff:  append(staff(), PermRegionWrite),
	domain.RoleCommitteeStaff: staff(),
	domain.RoleOrgStaff:       staff(),
	domain.RoleMember:         {PermSelf},
	// An add-on role, granted by the 安全管理员 beside a business role.
	domain.RolePIIViewer:   {PermPIIReveal},
	domain.RolePIIExporter: {PermPIIExport},
}

// staff are the business permissions every staff role holds in its scope.
func staff() []Permission {
	return []Permission{PermDashboard, PermPartyOrgTree, PermPartyOrgRead, PermPartyOrgWrite, PermOrgRead, PermOrgWrite, PermMemberRead, PermMemberWrite,
		PermActivityRead, PermActivityWrite, PermAlertRead, PermAlertWrite}
}

// PermissionsOf returns the union of the roles' permissions, sorted.
func PermissionsOf(roles []domain.Role) []Permission {
	set := map[Permission]bool{}
	for _, r := range roles {
		for _, p := range rolePermissions[r] {
			set[p] = true
		}
	}
	out := make([]Permission, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
