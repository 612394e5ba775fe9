package auth

import (
	"slices"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

func TestPasswordHash(t *testing.T) {
	p := Params{Memory: 64, Time: 1, Threads: 1}
	h, err := HashPassword("Lianxin@2026", p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("encoding %s", h)
	}
	h2, _ := HashPassword("Lianxin@2026", p)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"Lianxin@2026": true, "lianxin@2026": false, "": false} {
		if ok, err := CheckPassword(pw, h); err != nil || ok != want {
			t.Errorf("%q: %v %v", pw, ok, err)
		}
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=64,t=1,p=1$AA$AA", "$argon2id$v=18$m=64,t=1,p=1$AA$AA", "$argon2id$v=19$m=64,t=1,p=1$!!$AA"} {
		if _, err := CheckPassword("x", bad); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

// TestDutiesAreSeparated: the 三员 each hold their own duty and none of the
// others'; business roles hold none of them.
func TestDutiesAreSeparated(t *testing.T) {
	has := func(r domain.Role, p Permission) bool { return slices.Contains(PermissionsOf([]domain.Role{r}), p) }
	admin := []Permission{PermUserWrite, PermUserGrant, PermSecuritySettings, PermAuditRead}
	owner := map[Permission]domain.Role{PermUserWrite: domain.RoleSysAdmin, PermUserGrant: domain.RoleSecAdmin,
		PermSecuritySettings: domain.RoleSecAdmin, PermAuditRead: domain.RoleAuditor}
	for _, ri := range domain.Roles {
		for _, p := range admin {
			if has(ri.Code, p) != (owner[p] == ri.Code) {
				t.Errorf("%s holds %s: %v", ri.Code, p, has(ri.Code, p))
			}
		}
		if ri.Admin && has(ri.Code, PermPartyOrgWrite) {
			t.Errorf("%s may change business data", ri.Code)
		}
	}
	got := PermissionsOf([]domain.Role{domain.RoleDistrictStaff, domain.RolePIIViewer})
	want := append(PermissionsOf([]domain.Role{domain.RoleDistrictStaff}), PermPIIReveal)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("union %v, want %v", got, want)
	}
}
