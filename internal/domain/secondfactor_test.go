package domain

import (
	"errors"
	"testing"
)

func TestSecondFactorDefaults(t *testing.T) {
	d := DefaultSecondFactorSettings()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		roles []Role
		want  bool
	}{
		{[]Role{RoleSysAdmin}, true},
		{[]Role{RoleSecAdmin}, true},
		{[]Role{RoleAuditor}, true},
		{[]Role{RoleDistrictStaff, RolePIIViewer}, true},
		{[]Role{RoleDistrictStaff, RolePIIExporter}, true},
		{[]Role{RoleDistrictStaff}, false},
		{[]Role{RoleCityStaff}, false},
		{[]Role{RoleMember}, false},
		{nil, false},
	} {
		if got := d.Requires(c.roles); got != c.want {
			t.Errorf("default Requires(%v) = %v, want %v", c.roles, got, c.want)
		}
	}
	// Each call is its own slice: changing one changes no other.
	d.RequiredRoles[0] = RoleCityStaff
	if DefaultSecondFactorSettings().RequiredRoles[0] != RoleSysAdmin {
		t.Error("the defaults share their slice")
	}
	if (SecondFactorSettings{RequiredRoles: []Role{}}).Requires([]Role{RoleSysAdmin}) {
		t.Error("an empty list requires it")
	}
}

func TestSecondFactorValidate(t *testing.T) {
	for _, c := range []struct {
		roles []Role
		ok    bool
	}{
		{[]Role{}, true},
		{[]Role{RoleCityStaff, RoleSecAdmin}, true},
		{nil, false},
		{[]Role{"root"}, false},
		{[]Role{RoleMember}, false},
		{[]Role{RoleAuditor, RoleAuditor}, false},
	} {
		err := SecondFactorSettings{RequiredRoles: c.roles}.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%v: %v", c.roles, err)
		}
		var ve *ValidationError
		if err != nil && (!errors.As(err, &ve) || ve.Fields["required_roles"] == "") {
			t.Errorf("%v: %v does not name required_roles", c.roles, err)
		}
	}
}
