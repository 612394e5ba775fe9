package api_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/store"
)

// TestPIIRolesOnlyFromSecAdmin (issue 11, finding 3): the 系统管理员 can
// neither give an account plain-text access to personal data nor take it
// away; the 安全管理员 can, and each grant is audited with the roles before
// and after.
func TestPIIRolesOnlyFromSecAdmin(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin, sec := e.login("admin"), e.login("secadmin")
		jj := e.OrgID(apitest.JinjiangName)
		account := func(username string, roles ...string) map[string]any {
			return map[string]any{"username": username, "display_name": "李明", "party_org_id": jj, "roles": roles, "password": "Li#Ming2026x"}
		}
		uid, pii := id(e.userID("jinjiang")), id(e.userID("jinjiang.pii"))
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", "/api/v1/users", account("liming", "district_staff", "pii_viewer")},
			{"POST", "/api/v1/users", account("liming", "district_staff", "pii_exporter")},
			{"POST", "/api/v1/users", account("liming", "pii_viewer", "pii_exporter")},
			{"PATCH", "/api/v1/users/" + uid, map[string]any{"roles": []string{"district_staff", "pii_viewer"}}},
			{"PATCH", "/api/v1/users/" + pii, map[string]any{"roles": []string{"district_staff"}}},
		} {
			before := len(e.events(store.AuditFilter{Action: audit.ActionPermissionDenied, Username: "admin"}))
			r := wantErr(t, admin.do(c.method, c.path, c.body), 403, "forbidden", "")
			if !strings.Contains(r.Message, "安全管理员") {
				t.Errorf("%s %s: the refusal does not say who may: %q", c.method, c.path, r.Message)
			}
			if n := len(e.events(store.AuditFilter{Action: audit.ActionPermissionDenied, Username: "admin"})); n != before+1 {
				t.Errorf("%s %s: refusal not audited", c.method, c.path)
			}
		}
		if _, err := e.Store.Accounts.UserByUsername(t.Context(), "liming"); err == nil {
			t.Fatalf("a refused creation made the account")
		}
		if got := strings.Join(rolesOf(e.dbUser("jinjiang")), ","); got != "district_staff" {
			t.Fatalf("jinjiang's roles became %s", got)
		}
		if got := strings.Join(rolesOf(e.dbUser("jinjiang.pii")), ","); got != "district_staff,pii_viewer,pii_exporter" {
			t.Fatalf("jinjiang.pii's roles became %s", got)
		}
		// The 系统管理员 still creates business accounts.
		admin.expect(201, "POST", "/api/v1/users", account("zhaoli", "district_staff"))

		// The 安全管理员 creates, grants and removes them, each audited.
		created := decodeAs[user](t, sec.expect(201, "POST", "/api/v1/users", account("liming", "district_staff", "pii_viewer", "pii_exporter")))
		if strings.Join(created.Roles, ",") != "district_staff,pii_viewer,pii_exporter" {
			t.Errorf("created with %v", created.Roles)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionCreate, ObjectType: "user", ObjectID: id(created.ID)})
		if len(ev) != 1 || ev[0].Username != "secadmin" || !strings.Contains(ev[0].After, `"pii_viewer"`) {
			t.Errorf("creation audit: %+v", ev)
		}
		sec.expect(200, "PATCH", "/api/v1/users/"+uid, map[string]any{"roles": []string{"district_staff", "pii_viewer"}})
		sec.expect(200, "PATCH", "/api/v1/users/"+pii, map[string]any{"roles": []string{"district_staff"}})
		for _, c := range []struct{ id, before, after string }{
			{uid, `"roles":["district_staff"]`, `"roles":["district_staff","pii_viewer"]`},
			{pii, `"roles":["district_staff","pii_viewer","pii_exporter"]`, `"roles":["district_staff"]`},
		} {
			ev := e.events(store.AuditFilter{Action: audit.ActionGrant, ObjectType: "user", ObjectID: c.id})
			if len(ev) != 1 || ev[0].Username != "secadmin" || !strings.Contains(ev[0].Before, c.before) || !strings.Contains(ev[0].After, c.after) {
				t.Errorf("grant on %s audited as %+v", c.id, ev)
			}
		}
		// The 系统管理员 may still edit such an account's name, keeping its roles.
		admin.expect(200, "PATCH", "/api/v1/users/"+uid, map[string]any{"display_name": "锦江区工作人员"})
		if got := strings.Join(rolesOf(e.dbUser("jinjiang")), ","); got != "district_staff,pii_viewer" {
			t.Errorf("a name edit changed the roles to %s", got)
		}
	})
}

// TestAdminAccountsStandApart (issue 11, finding 4): none of the 三员 can
// reset, disable, rename, unlock or re-scope another 三员 account; every
// attempt is refused, audited, and changes nothing.
func TestAdminAccountsStandApart(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admins := []string{"admin", "secadmin", "auditor"}
		clients := map[string]*client{}
		for _, a := range admins {
			clients[a] = e.login(a)
		}
		versions := map[string]int{}
		for _, a := range admins {
			versions[a] = e.dbUser(a).Version
		}
		jj := e.OrgID(apitest.JinjiangName)
		for _, actor := range admins {
			for _, target := range admins {
				if actor == target {
					continue
				}
				path := "/api/v1/users/" + id(e.userID(target))
				for _, c := range []struct {
					method, path string
					body         any
				}{
					{"POST", path + "/reset-password", map[string]any{"password": "Take#Over2026"}},
					{"PATCH", path, map[string]any{"disabled": true}},
					{"PATCH", path, map[string]any{"display_name": "已接管"}},
					{"PATCH", path, map[string]any{"party_org_id": jj}},
					{"PATCH", path, map[string]any{"roles": []string{"city_staff"}}},
					{"POST", path + "/unlock", nil},
				} {
					before := len(e.events(store.AuditFilter{Action: audit.ActionPermissionDenied, Username: actor}))
					wantErr(t, clients[actor].do(c.method, c.path, c.body), 403, "forbidden", "")
					if n := len(e.events(store.AuditFilter{Action: audit.ActionPermissionDenied, Username: actor})); n != before+1 {
						t.Errorf("%s %s by %s on %s: refusal not audited", c.method, c.path, actor, target)
					}
				}
			}
		}
		for _, a := range admins {
			u := e.dbUser(a)
			if u.Disabled || u.DisplayName == "已接管" || u.Version != versions[a] || u.PartyOrgID == jj || u.MustChangePassword {
				t.Errorf("%s was changed: %+v", a, u.User)
			}
			e.login(a) // the password still works
		}
		// Each keeps their own: the name of one's own account, and business accounts.
		clients["admin"].expect(200, "PATCH", "/api/v1/users/"+id(e.userID("admin")), map[string]any{"display_name": "系统管理员甲"})
		clients["admin"].expect(204, "POST", "/api/v1/users/"+id(e.userID("jinjiang"))+"/reset-password", map[string]any{"password": "Fresh#Start2026"})
		clients["secadmin"].expect(200, "PATCH", "/api/v1/users/"+id(e.userID("jinjiang")), map[string]any{"party_org_id": jj})
	})
}

// TestAdminsSeeNoBusinessData (issue 11, finding 5) walks the route table:
// for each 三员 account, every route but those of accounts, security
// settings, the audit trail, the session, reference data and the tree's
// shape answers 403 — so a new business route is covered without anyone
// remembering.
func TestAdminsSeeNoBusinessData(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		theirs := []string{"/api/v1/session", "/api/v1/me", "/api/v1/meta", "/api/v1/regions", "/api/v1/org-tree",
			"/api/v1/users", "/api/v1/settings/security", "/api/v1/settings/second-factor", "/api/v1/audit-events"}
		own := func(pattern string) bool {
			return slices.ContainsFunc(theirs, func(p string) bool { return pattern == p || strings.HasPrefix(pattern, p+"/") })
		}
		fill := strings.NewReplacer("{id}", "1", "{aid}", "1", "{month}", "2026-11", "{code}", "term_overdue", "{file}", "organizations.xlsx")
		walked := 0
		for _, who := range []string{"admin", "secadmin", "auditor"} {
			c := e.login(who)
			for _, rt := range e.Server.Routes() {
				if rt.Public || own(rt.Pattern) {
					continue
				}
				walked++
				if r := c.do(rt.Method, fill.Replace(rt.Pattern), nil); r.Status != 403 {
					t.Errorf("%s %s as %s: %d, want 403: %.200s", rt.Method, rt.Pattern, who, r.Status, r.Body)
				}
			}
		}
		if walked < 3*60 {
			t.Errorf("only %d business routes walked", walked)
		}
		// What the account administrators do need answers them.
		for _, who := range []string{"admin", "secadmin"} {
			c := e.login(who)
			c.expect(200, "GET", "/api/v1/org-tree", nil)
			c.expect(200, "GET", "/api/v1/users", nil)
			c.expect(200, "GET", "/api/v1/users/stats", nil)
		}
		e.login("auditor").expect(200, "GET", "/api/v1/audit-events/stats", nil)
		wantErr(t, e.login("auditor").do("GET", "/api/v1/org-tree", nil), 403, "forbidden", "")
	})
}

// TestOrgTree: the tree picker's route answers the shape of the tree inside
// the caller's scope and nothing of the orgs' people, terms or filings.
func TestOrgTree(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin := e.login("admin")
		type node struct {
			ID         int64  `json:"id"`
			ParentID   *int64 `json:"parent_id"`
			Name       string `json:"name"`
			Path       string `json:"path"`
			ChildCount int    `json:"child_count"`
		}
		root := decodeAs[page[node]](t, admin.expect(200, "GET", "/api/v1/org-tree", nil))
		city := e.OrgID(apitest.CityName)
		if root.Total != 1 || len(root.Items) != 1 || root.Items[0].ID != city || root.Items[0].ParentID != nil || root.Items[0].ChildCount == 0 {
			t.Fatalf("root: %+v", root)
		}
		kids := decodeAs[page[node]](t, admin.expect(200, "GET", "/api/v1/org-tree?parent_id="+id(city)+"&page_size=200", nil))
		if kids.Total != root.Items[0].ChildCount || !slices.ContainsFunc(kids.Items, func(n node) bool { return n.Name == apitest.JinjiangName }) {
			t.Errorf("children of the root: %d of %d", kids.Total, root.Items[0].ChildCount)
		}
		found := decodeAs[page[node]](t, admin.expect(200, "GET", "/api/v1/org-tree?q=锦江区委", nil))
		if found.Total == 0 {
			t.Errorf("search found nothing")
		}
		// Only the tree's shape: no business field in any answer.
		r := admin.expect(200, "GET", "/api/v1/org-tree?parent_id="+id(e.OrgID(apitest.JinjiangName))+"&page_size=200", nil)
		var raw struct {
			Items []map[string]json.RawMessage `json:"items"`
		}
		r.JSON(t, &raw)
		want := []string{"child_count", "id", "name", "parent_id", "parent_name", "path", "region", "status", "type", "type_name"}
		for _, it := range raw.Items {
			if got := slices.Sorted(func(yield func(string) bool) {
				for k := range it {
					if !yield(k) {
						return
					}
				}
			}); !slices.Equal(got, want) {
				t.Fatalf("a tree node carries %v, want %v", got, want)
			}
		}
		// A district's staff see their own subtree only.
		qy := e.login("qingyang")
		if l := decodeAs[page[node]](t, qy.expect(200, "GET", "/api/v1/org-tree?parent_id="+id(e.OrgID(apitest.JinjiangName)), nil)); l.Total != 0 {
			t.Errorf("青羊区 sees %d of 锦江区's children", l.Total)
		}
		if l := decodeAs[page[node]](t, qy.expect(200, "GET", "/api/v1/org-tree", nil)); l.Items[0].ID != e.OrgID(apitest.QingyangName) {
			t.Errorf("青羊区's root: %+v", l.Items)
		}
	})
}
