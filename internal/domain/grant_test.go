package domain

import (
	"errors"
	"testing"
)

// TestMayGrant: the table of who assigns which role (grant.go).
func TestMayGrant(t *testing.T) {
	business := []Role{RoleCityStaff, RoleDistrictStaff, RoleCommitteeStaff, RoleOrgStaff}
	pii := []Role{RolePIIViewer, RolePIIExporter}
	nobody := []Role{RoleSysAdmin, RoleSecAdmin, RoleAuditor, RoleMember}
	for _, c := range []struct {
		caller  Role
		may     []Role
		mayNot  [][]Role
		comment string
	}{
		{RoleSysAdmin, business, [][]Role{pii, nobody}, "系统管理员: business roles only"},
		{RoleSecAdmin, append(append([]Role{}, business...), pii...), [][]Role{nobody}, "安全管理员: business and PII roles"},
		{RoleAuditor, nil, [][]Role{business, pii, nobody}, "审计管理员: nothing"},
		{RoleCityStaff, nil, [][]Role{business, pii, nobody}, "staff: nothing"},
		{RolePIIViewer, nil, [][]Role{business, pii, nobody}, "a PII role grants nothing"},
	} {
		for _, r := range c.may {
			if !MayGrant([]Role{c.caller}, r) {
				t.Errorf("%s: %s may not grant %s", c.comment, c.caller, r)
			}
		}
		for _, set := range c.mayNot {
			for _, r := range set {
				if MayGrant([]Role{c.caller}, r) {
					t.Errorf("%s: %s may grant %s", c.comment, c.caller, r)
				}
			}
		}
	}
	if MayGrant(nil, RoleOrgStaff) {
		t.Errorf("no roles may grant")
	}
	for _, r := range Roles {
		if MayGrant([]Role{RoleSecAdmin}, r.Code) == r.Admin && r.Admin {
			t.Errorf("a 三员 role is grantable: %s", r.Code)
		}
	}
}

// TestCheckGrant: a change is checked on what it adds and removes.
func TestCheckGrant(t *testing.T) {
	sys, sec := []Role{RoleSysAdmin}, []Role{RoleSecAdmin}
	for _, c := range []struct {
		name          string
		caller        []Role
		before, after []Role
		ok            bool
	}{
		{"sysadmin creates staff", sys, nil, []Role{RoleDistrictStaff}, true},
		{"sysadmin creates staff with PII", sys, nil, []Role{RoleDistrictStaff, RolePIIViewer}, false},
		{"sysadmin creates exporter", sys, nil, []Role{RoleDistrictStaff, RolePIIExporter}, false},
		{"secadmin creates staff with PII", sec, nil, []Role{RoleDistrictStaff, RolePIIViewer, RolePIIExporter}, true},
		{"secadmin adds PII", sec, []Role{RoleOrgStaff}, []Role{RoleOrgStaff, RolePIIViewer}, true},
		{"secadmin removes PII", sec, []Role{RoleOrgStaff, RolePIIViewer}, []Role{RoleOrgStaff}, true},
		{"sysadmin removes PII", sys, []Role{RoleOrgStaff, RolePIIViewer}, []Role{RoleOrgStaff}, false},
		{"sysadmin keeps PII while changing staff", sys, []Role{RoleOrgStaff, RolePIIViewer}, []Role{RoleDistrictStaff, RolePIIViewer}, true},
		{"secadmin grants auditor", sec, []Role{RoleOrgStaff}, []Role{RoleAuditor}, false},
		{"secadmin removes sysadmin", sec, []Role{RoleSysAdmin}, []Role{RoleOrgStaff}, false},
		{"sysadmin creates secadmin", sys, nil, []Role{RoleSecAdmin}, false},
		{"secadmin grants member", sec, []Role{RoleOrgStaff}, []Role{RoleOrgStaff, RoleMember}, false},
		{"secadmin keeps member", sec, []Role{RoleMember}, []Role{RoleMember}, true},
		{"staff grants staff", []Role{RoleCityStaff}, nil, []Role{RoleOrgStaff}, false},
		{"no change", sys, []Role{RoleAuditor}, []Role{RoleAuditor}, true},
	} {
		err := CheckGrant(c.caller, c.before, c.after)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
		var fe *ForbiddenError
		if err != nil && (!errors.As(err, &fe) || !errors.Is(err, ErrForbidden) || fe.Message == "") {
			t.Errorf("%s: not a forbidden error with a reason: %#v", c.name, err)
		}
	}
	if err := CheckGrant(sys, nil, []Role{RolePIIExporter}); err == nil || err.Error() != "只有安全管理员可以授予或取消“个人信息明文导出”角色" {
		t.Errorf("PII refusal says %v", err)
	}
}

// TestCheckManageAccount: no account changes another 三员 account through
// the API; one's own and business accounts pass.
func TestCheckManageAccount(t *testing.T) {
	for _, c := range []struct {
		target []Role
		self   bool
		ok     bool
	}{
		{[]Role{RoleAuditor}, false, false},
		{[]Role{RoleSecAdmin}, false, false},
		{[]Role{RoleSysAdmin}, false, false},
		{[]Role{RoleSysAdmin}, true, true},
		{[]Role{RoleDistrictStaff, RolePIIViewer}, false, true},
		{[]Role{RoleMember}, false, true},
		{nil, false, true},
	} {
		if err := CheckManageAccount(c.target, c.self); (err == nil) != c.ok || err != nil && !errors.Is(err, ErrForbidden) {
			t.Errorf("%v self=%v: %v", c.target, c.self, err)
		}
	}
}
