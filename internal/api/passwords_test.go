package api_test

import (
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/domain"
)

// TestPasswordHistory (issue 11, finding 12): neither a change nor a reset
// may bring back one of an account's last five passwords; the sixth may.
func TestPasswordHistory(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		change := func(old, next string) apitest.Response {
			return c.do("PUT", "/api/v1/me/password", map[string]string{"old_password": old, "new_password": next})
		}
		pws := []string{apitest.Password, "Hist#One2026", "Hist#Two2026", "Hist#Three2026", "Hist#Four2026", "Hist#Five2026"}
		for i := 1; i < len(pws); i++ {
			if r := change(pws[i-1], pws[i]); r.Status != 204 {
				t.Fatalf("change %d: %d %s", i, r.Status, r.Body)
			}
		}
		// The current one and the four before it are refused.
		for _, old := range pws[2:5] {
			er := wantErr(t, change(pws[5], old), 400, "invalid", "new_password")
			if !strings.Contains(er.Fields["new_password"], "最近5次") {
				t.Errorf("reuse of %s: %q", old, er.Fields["new_password"])
			}
		}
		wantErr(t, change(pws[5], pws[1]), 400, "invalid", "new_password")
		if hs, err := e.Store.Accounts.RecentPasswordHashes(t.Context(), e.userID("jinjiang")); err != nil || len(hs) != domain.PasswordHistory {
			t.Fatalf("history of %d: %v", len(hs), err)
		}
		// The sixth-latest is free again.
		c.expect(204, "PUT", "/api/v1/me/password", map[string]string{"old_password": pws[5], "new_password": pws[0]})

		// A reset by the 系统管理员 obeys the same rule: now the latest five
		// are pws[0], pws[5], pws[4], pws[3], pws[2].
		admin := e.login("admin")
		reset := "/api/v1/users/" + id(e.userID("jinjiang")) + "/reset-password"
		for _, pw := range []string{pws[0], pws[4], pws[2]} {
			wantErr(t, admin.do("POST", reset, map[string]string{"password": pw}), 400, "invalid", "password")
		}
		admin.expect(204, "POST", reset, map[string]string{"password": pws[1]})
		e.anon().expect(200, "POST", "/api/v1/session", creds("jinjiang", pws[1]))
	})
}

// TestCommonPasswordsRefused (issue 11, finding 12): the most common
// passwords, with the usual suffixes and any case, are refused wherever a
// password is chosen.
func TestCommonPasswordsRefused(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin, c := e.login("admin"), e.login("jinjiang")
		reset := "/api/v1/users/" + id(e.userID("qingyang")) + "/reset-password"
		for _, pw := range []string{"Admin@123", "P@ssw0rd2026", "Woaini@1314", "1qaz@WSX", "Zhangwei@123", "Qwer@1234", "Chengdu@2026"} {
			er := wantErr(t, admin.do("POST", reset, map[string]string{"password": pw}), 400, "invalid", "password")
			if !strings.Contains(er.Fields["password"], "常见") {
				t.Errorf("%s: %q", pw, er.Fields["password"])
			}
			wantErr(t, c.do("PUT", "/api/v1/me/password", map[string]string{"old_password": apitest.Password, "new_password": pw}), 400, "invalid", "new_password")
			body := map[string]any{"username": "newstaff", "display_name": "新同事", "party_org_id": e.OrgID(apitest.JinjiangName), "roles": []string{"district_staff"}, "password": pw}
			wantErr(t, admin.do("POST", "/api/v1/users", body), 400, "invalid", "password")
		}
	})
}
