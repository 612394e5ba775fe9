package account

import (
	"errors"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

// TestMayGrant: the table of who assigns which role (grant.go).
func TestMayGrant(t *testing.T) {
	business := []domain.Role{domain.RoleCityStaff, domain.RoleDistrictStaff, domain.RoleCommitteeStaff, domain.RoleOrgStaff}
	pii := []domain.Role{domain.RolePIIViewer, domain.RolePIIExporter}
	nobody := []domain.Role{domain.RoleSysAdmin, domain.RoleSecAdmin, domain.RoleAuditor, domain.RoleMember}
	for _, c := range []struct {
		caller  domain.Role
		may     []domain.Role
		mayNot  [][]domain.Role
		comment string
	}{
		{domain.RoleSysAdmin, business, [][]domain.Role{pii, nobody}, "系统管理员: business roles only"},
		{domain.RoleSecAdmin, append(append([]domain.Role{}, business...), pii...), [][]domain.Role{nobody}, "安全管理员: business and PII roles"},
		{domain.RoleAuditor, nil, [][]domain.Role{business, pii, nobody}, "审计管理员: nothing"},
		{domain.RoleCityStaff, nil, [][]domain.Role{business, pii, nobody}, "staff: nothing"},
		{domain.RolePIIViewer, nil, [][]domain.Role{business, pii, nobody}, "a PII role grants nothing"},
	} {
		for _, r := range c.may {
			if !MayGrant([]domain.Role{c.caller}, r) {
				t.Errorf("%s: %s may not grant %s", c.comment, c.caller, r)
			}
		}
		for _, set := range c.mayNot {
			for _, r := range set {
				if MayGrant([]domain.Role{c.caller}, r) {
					t.Errorf("%s: %s may grant %s", c.comment, c.caller, r)
				}
			}
		}
	}
	if MayGrant(nil, domain.RoleOrgStaff) {
		t.Errorf("no roles may grant")
	}
	for _, r := range domain.Roles {
		if MayGrant([]domain.Role{domain.RoleSecAdmin}, r.Code) == r.Admin && r.Admin {
			t.Errorf("a 三员 role is grantable: %s", r.Code)
		}
	}
}

// TestCheckGrant: a change is checked on what it adds and removes.
func TestCheckGrant(t *testing.T) {
	sys, sec := []domain.Role{domain.RoleSysAdmin}, []domain.Role{domain.RoleSecAdmin}
	for _, c := range []struct {
		name          string
		caller        []domain.Role
		before, after []domain.Role
		ok            bool
	}{
		{"sysadmin creates staff", sys, nil, []domain.Role{domain.RoleDistrictStaff}, true},
		{"sysadmin creates staff with PII", sys, nil, []domain.Role{domain.RoleDistrictStaff, domain.RolePIIViewer}, false},
		{"sysadmin creates exporter", sys, nil, []domain.Role{domain.RoleDistrictStaff, domain.RolePIIExporter}, false},
		{"secadmin creates staff with PII", sec, nil, []domain.Role{domain.RoleDistrictStaff, domain.RolePIIViewer, domain.RolePIIExporter}, true},
		{"secadmin adds PII", sec, []domain.Role{domain.RoleOrgStaff}, []domain.Role{domain.RoleOrgStaff, domain.RolePIIViewer}, true},
		{"secadmin removes PII", sec, []domain.Role{domain.RoleOrgStaff, domain.RolePIIViewer}, []domain.Role{domain.RoleOrgStaff}, true},
		{"sysadmin removes PII", sys, []domain.Role{domain.RoleOrgStaff, domain.RolePIIViewer}, []domain.Role{domain.RoleOrgStaff}, false},
		{"sysadmin keeps PII while changing staff", sys, []domain.Role{domain.RoleOrgStaff, domain.RolePIIViewer}, []domain.Role{domain.RoleDistrictStaff, domain.RolePIIViewer}, true},
		{"secadmin grants auditor", sec, []domain.Role{domain.RoleOrgStaff}, []domain.Role{domain.RoleAuditor}, false},
		{"secadmin removes sysadmin", sec, []domain.Role{domain.RoleSysAdmin}, []domain.Role{domain.RoleOrgStaff}, false},
		{"sysadmin creates secadmin", sys, nil, []domain.Role{domain.RoleSecAdmin}, false},
		{"secadmin grants member", sec, []domain.Role{domain.RoleOrgStaff}, []domain.Role{domain.RoleOrgStaff, domain.RoleMember}, false},
		{"secadmin keeps member", sec, []domain.Role{domain.RoleMember}, []domain.Role{domain.RoleMember}, true},
		{"staff grants staff", []domain.Role{domain.RoleCityStaff}, nil, []domain.Role{domain.RoleOrgStaff}, false},
		{"no change", sys, []domain.Role{domain.RoleAuditor}, []domain.Role{domain.RoleAuditor}, true},
	} {
		err := CheckGrant(c.caller, c.before, c.after)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
		var fe *domain.ForbiddenError
		if err != nil && (!errors.As(err, &fe) || !errors.Is(err, domain.ErrForbidden) || fe.Message == "") {
			t.Errorf("%s: not a forbidden error with a reason: %#v", c.name, err)
		}
	}
	if err := CheckGrant(sys, nil, []domain.Role{domain.RolePIIExporter}); err == nil || err.Error() != "只有安全管理员可以授予或取消“个人信息明文导出”角色" {
		t.Errorf("PII refusal says %v", err)
	}
}

// TestCheckManageAccount: no account changes another 三员 account through
// the API; one's own and business accounts pass.
func TestCheckManageAccount(t *testing.T) {
	for _, c := range []struct {
		target []domain.Role
		self   bool
		ok     bool
	}{
		{[]domain.Role{domain.RoleAuditor}, false, false},
		{[]domain.Role{domain.RoleSecAdmin}, false, false},
		{[]domain.Role{domain.RoleSysAdmin}, false, false},
		{[]domain.Role{domain.RoleSysAdmin}, true, true},
		{[]domain.Role{domain.RoleDistrictStaff, domain.RolePIIViewer}, false, true},
		{[]domain.Role{domain.RoleMember}, false, true},
		{nil, false, true},
	} {
		if err := CheckManageAccount(c.target, c.self); (err == nil) != c.ok || err != nil && !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%v self=%v: %v", c.target, c.self, err)
		}
	}
}
