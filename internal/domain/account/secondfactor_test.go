package account

import (
	"errors"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

func TestSecondFactorDefaults(t *testing.T) {
	d := DefaultSecondFactorSettings()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		roles []domain.Role
		want  bool
	}{
		{[]domain.Role{domain.RoleSysAdmin}, true},
		{[]domain.Role{domain.RoleSecAdmin}, true},
		{[]domain.Role{domain.RoleAuditor}, true},
		{[]domain.Role{domain.RoleDistrictStaff, domain.RolePIIViewer}, true},
		{[]domain.Role{domain.RoleDistrictStaff, domain.RolePIIExporter}, true},
		{[]domain.Role{domain.RoleDistrictStaff}, false},
		{[]domain.Role{domain.RoleCityStaff}, false},
		{[]domain.Role{domain.RoleMember}, false},
		{nil, false},
	} {
		if got := d.Requires(c.roles); got != c.want {
			t.Errorf("default Requires(%v) = %v, want %v", c.roles, got, c.want)
		}
	}
	// Each call is its own slice: changing one changes no other.
	d.RequiredRoles[0] = domain.RoleCityStaff
	if DefaultSecondFactorSettings().RequiredRoles[0] != domain.RoleSysAdmin {
		t.Error("the defaults share their slice")
	}
	if (SecondFactorSettings{RequiredRoles: []domain.Role{}}).Requires([]domain.Role{domain.RoleSysAdmin}) {
		t.Error("an empty list requires it")
	}
}

func TestSecondFactorValidate(t *testing.T) {
	for _, c := range []struct {
		roles []domain.Role
		ok    bool
	}{
		{[]domain.Role{}, true},
		{[]domain.Role{domain.RoleCityStaff, domain.RoleSecAdmin}, true},
		{nil, false},
		{[]domain.Role{"root"}, false},
		{[]domain.Role{domain.RoleMember}, false},
		{[]domain.Role{domain.RoleAuditor, domain.RoleAuditor}, false},
	} {
		err := SecondFactorSettings{RequiredRoles: c.roles}.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%v: %v", c.roles, err)
		}
		var ve *domain.ValidationError
		if err != nil && (!errors.As(err, &ve) || ve.Fields["required_roles"] == "") {
			t.Errorf("%v: %v does not name required_roles", c.roles, err)
		}
	}
}
