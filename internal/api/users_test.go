package api_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
)

// user is an account as the API answers it.
type user struct {
	ID                 int64    `json:"id"`
	Username           string   `json:"username"`
	DisplayName        string   `json:"display_name"`
	PartyOrgID         int64    `json:"party_org_id"`
	PartyOrgName       string   `json:"party_org_name"`
	Roles              []string `json:"roles"`
	RoleNames          []string `json:"role_names"`
	Disabled           bool     `json:"disabled"`
	LockedUntil        *string  `json:"locked_until"`
	MustChangePassword bool     `json:"must_change_password"`
	Version            int      `json:"version"`
}

// TestThreeAdminsSeparated: none of the 三员 can do another's job, and
// every refusal is audited.
func TestThreeAdminsSeparated(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin, sec, aud := e.login("admin"), e.login("secadmin"), e.login("auditor")
		jj := e.OrgID(apitest.JinjiangName)
		newUser := map[string]any{"username": "zhangwei", "display_name": "张伟", "party_org_id": jj, "roles": []string{"district_staff"}, "password": "Zhang#Wei2026"}
		uid := id(e.userID("jinjiang"))
		for _, tc := range []struct {
			who          *client
			method, path string
			body         any
		}{
			{aud, "POST", "/api/v1/users", newUser},
			{aud, "GET", "/api/v1/users", nil},
			{aud, "GET", "/api/v1/party-orgs", nil},
			{aud, "PATCH", "/api/v1/users/" + uid, map[string]any{"roles": []string{"city_staff"}}},
			{admin, "GET", "/api/v1/audit-events", nil},
			{admin, "GET", "/api/v1/audit-events/verify", nil},
			{admin, "PUT", "/api/v1/settings/security", map[string]any{}},
			{admin, "PATCH", "/api/v1/users/" + uid, map[string]any{"roles": []string{"city_staff"}}},
			{admin, "PATCH", "/api/v1/users/" + uid, map[string]any{"party_org_id": e.OrgID(apitest.QingyangName)}},
			{admin, "POST", "/api/v1/party-orgs", map[string]any{"parent_id": jj, "name": "中共甲党支部", "type": "branch", "region": "510104"}},
			{sec, "POST", "/api/v1/users/" + uid + "/reset-password", map[string]any{"password": "Temp#Pass2026"}},
			{sec, "PATCH", "/api/v1/users/" + uid, map[string]any{"display_name": "改名"}},
			{sec, "PATCH", "/api/v1/users/" + uid, map[string]any{"disabled": true}},
			{sec, "GET", "/api/v1/audit-events", nil},
			{sec, "PATCH", "/api/v1/party-orgs/" + id(jj), map[string]any{"secretary_name": "改名"}},
			{e.login("jinjiang"), "GET", "/api/v1/users", nil},
			{e.login("city"), "POST", "/api/v1/users", newUser},
		} {
			before := len(e.events(store.AuditFilter{Action: audit.ActionPermissionDenied, Username: tc.who.Who}))
			wantErr(t, tc.who.do(tc.method, tc.path, tc.body), 403, "forbidden", "")
			ev := e.events(store.AuditFilter{Action: audit.ActionPermissionDenied, Username: tc.who.Who})
			if len(ev) != before+1 {
				t.Errorf("%s %s as %s: refusal not audited", tc.method, tc.path, tc.who.Who)
				continue
			}
			if ev[0].Result != audit.ResultFailure || ev[0].ObjectType != "route" || ev[0].ObjectID != tc.method+" "+strings.SplitN(tc.path, "?", 2)[0] || ev[0].Reason == "" {
				t.Errorf("%s %s as %s: denial recorded as %+v", tc.method, tc.path, tc.who.Who, ev[0])
			}
		}
		// Nothing was changed by the refused calls.
		if _, err := e.Store.Accounts.UserByUsername(t.Context(), "zhangwei"); err == nil {
			t.Errorf("a refused POST /users created the account")
		}
		got := e.dbUser("jinjiang")
		if got.Disabled || got.DisplayName == "改名" || strings.Join(rolesOf(got), ",") != "district_staff" || got.PartyOrgID != jj {
			t.Errorf("a refused PATCH changed the account: %+v", got.User)
		}
		// Each does their own job.
		admin.expect(201, "POST", "/api/v1/users", newUser)
		sec.expect(200, "PATCH", "/api/v1/users/"+uid, map[string]any{"roles": []string{"district_staff", "committee_staff"}})
		aud.expect(200, "GET", "/api/v1/audit-events", nil)
		// The auditor finds the refusals.
		l := decodeAs[page[map[string]any]](t, aud.expect(200, "GET", "/api/v1/audit-events?action=permission_denied&username=auditor", nil))
		if l.Total != 4 {
			t.Errorf("auditor's own refusals: %d, want 4", l.Total)
		}
	})
}

func rolesOf(u accounts.UserView) []string {
	out := make([]string, len(u.Roles))
	for i, r := range u.Roles {
		out[i] = string(r)
	}
	return out
}

// TestGrantRoles: the 安全管理员 grants roles and scopes; the 三员 roles
// stand alone; nobody changes their own roles or scope.
func TestGrantRoles(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		sec := e.login("secadmin")
		jjUser := e.login("jinjiang")
		uid := e.userID("jinjiang")
		path := "/api/v1/users/" + id(uid)
		for _, tc := range []struct {
			name  string
			body  any
			field string
		}{
			{"admin with business role", map[string]any{"roles": []string{"sysadmin", "city_staff"}}, "roles"},
			{"two admin roles", map[string]any{"roles": []string{"secadmin", "auditor"}}, "roles"},
			{"unknown role", map[string]any{"roles": []string{"emperor"}}, "roles"},
			{"duplicate", map[string]any{"roles": []string{"city_staff", "city_staff"}}, "roles"},
			{"none", map[string]any{"roles": []string{}}, "roles"},
			{"scope outside the tree", map[string]any{"party_org_id": 999999}, "party_org_id"},
			{"roles as text", `{"roles": "city_staff"}`, "roles"},
		} {
			wantErr(t, sec.do("PATCH", path, tc.body), 400, "invalid", tc.field)
		}
		if got := e.dbUser("jinjiang"); strings.Join(rolesOf(got), ",") != "district_staff" || got.Version != 1 {
			t.Fatalf("a refused grant changed the account: %+v", got.User)
		}
		// An edit that changes nothing writes nothing.
		sec.expect(200, "PATCH", path, map[string]any{"roles": []string{"district_staff"}})
		e.login("admin").expect(200, "PATCH", path, map[string]any{})
		if got := e.dbUser("jinjiang"); got.Version != 1 || len(e.events(store.AuditFilter{Action: audit.ActionGrant, ObjectID: id(uid)}))+len(e.events(store.AuditFilter{Action: audit.ActionUpdate, ObjectID: id(uid)})) != 0 {
			t.Errorf("a no-op PATCH was written: version %d", got.Version)
		}
		// Nobody changes their own roles, scope or status.
		self := "/api/v1/users/" + id(e.userID("secadmin"))
		wantErr(t, sec.do("PATCH", self, map[string]any{"roles": []string{"city_staff"}}), 400, "invalid", "")
		wantErr(t, sec.do("PATCH", self, map[string]any{"party_org_id": e.OrgID(apitest.JinjiangName)}), 400, "invalid", "")
		admin := e.login("admin")
		wantErr(t, admin.do("PATCH", "/api/v1/users/"+id(e.userID("admin")), map[string]any{"disabled": true}), 400, "invalid", "")
		if strings.Join(rolesOf(e.dbUser("secadmin")), ",") != "secadmin" || e.dbUser("admin").Disabled {
			t.Fatalf("an administrator changed their own account")
		}

		// A valid grant: roles and scope, audited with before and after.
		qy := e.OrgID(apitest.QingyangName)
		u := decodeAs[user](t, sec.expect(200, "PATCH", path, map[string]any{"roles": []string{"committee_staff", "district_staff"}, "party_org_id": qy, "version": 1}))
		if strings.Join(u.Roles, ",") != "district_staff,committee_staff" || u.PartyOrgID != qy || u.PartyOrgName != apitest.QingyangName || u.Version != 2 {
			t.Errorf("PATCH answered %+v", u)
		}
		again := decodeAs[user](t, admin.expect(200, "GET", path, nil))
		if strings.Join(again.Roles, ",") != "district_staff,committee_staff" || again.PartyOrgID != qy || len(again.RoleNames) != 2 {
			t.Errorf("re-read: %+v", again)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionGrant, ObjectID: id(uid)})
		if len(ev) != 1 || ev[0].Username != "secadmin" || !strings.Contains(ev[0].Before, `"roles":["district_staff"]`) ||
			!strings.Contains(ev[0].After, "committee_staff") || !strings.Contains(ev[0].After, `"party_org_id":`+id(qy)) {
			t.Errorf("grant audit: %+v", ev)
		}
		// The new scope applies to the open session at its next request.
		m := decodeAs[me](t, jjUser.expect(200, "GET", "/api/v1/me", nil))
		if m.PartyOrgID != qy {
			t.Errorf("open session still on the old scope: %+v", m)
		}
		jjUser.expect(200, "GET", "/api/v1/party-orgs/"+id(qy), nil)
		wantErr(t, jjUser.do("GET", "/api/v1/party-orgs/"+id(e.OrgID(apitest.JinjiangName)), nil), 404, "not_found", "")
		// A stale version is a conflict.
		wantErr(t, sec.do("PATCH", path, map[string]any{"roles": []string{"district_staff"}, "version": 1}), 409, "conflict", "version")
		// Nobody grants a 三员 role through the API: the shell creates those accounts.
		wantErr(t, sec.do("PATCH", path, map[string]any{"roles": []string{"auditor"}}), 403, "forbidden", "")
		if strings.Join(rolesOf(e.dbUser("jinjiang")), ",") != "district_staff,committee_staff" {
			t.Errorf("a refused grant of a 三员 role changed the account")
		}
	})
}

// TestCreateUser: the 系统管理员 creates business accounts only, inside the
// tree, with a password that must be changed at first login.
func TestCreateUser(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin := e.login("admin")
		jj := e.OrgID(apitest.JinjiangName)
		valid := func() map[string]any {
			return map[string]any{"username": "liuyang", "display_name": "刘洋", "party_org_id": jj, "roles": []string{"district_staff"}, "password": "Liu#Yang2026"}
		}
		for _, tc := range []struct {
			name  string
			set   map[string]any
			field string
		}{
			{"mixed roles", map[string]any{"roles": []string{"secadmin", "city_staff"}}, "roles"},
			{"unknown role", map[string]any{"roles": []string{"boss"}}, "roles"},
			{"no roles", map[string]any{"roles": []string{}}, "roles"},
			{"roles missing", map[string]any{"roles": nil}, "roles"},
			{"bad username", map[string]any{"username": "刘洋"}, "username"},
			{"short username", map[string]any{"username": "ab"}, "username"},
			{"no display name", map[string]any{"display_name": " "}, "display_name"},
			{"no scope", map[string]any{"party_org_id": 0}, "party_org_id"},
			{"unknown scope", map[string]any{"party_org_id": 999999}, "party_org_id"},
			{"weak password", map[string]any{"password": "liuyang1"}, "password"},
			{"password with username", map[string]any{"password": "Liuyang#2026"}, "password"},
		} {
			body := valid()
			for k, v := range tc.set {
				body[k] = v
			}
			wantErr(t, admin.do("POST", "/api/v1/users", body), 400, "invalid", tc.field)
		}
		// The 三员 accounts are made on the shell only; the 系统管理员 grants no personal-data role.
		for _, roles := range [][]string{{"sysadmin"}, {"auditor"}, {"secadmin"}, {"member"}, {"district_staff", "pii_viewer"}, {"pii_exporter"}} {
			body := valid()
			body["roles"] = roles
			wantErr(t, admin.do("POST", "/api/v1/users", body), 403, "forbidden", "")
		}
		if n := len(e.events(store.AuditFilter{Action: audit.ActionCreate, ObjectType: "user"})); n != 0 {
			t.Fatalf("refused creations were recorded: %d", n)
		}
		r := admin.expect(201, "POST", "/api/v1/users", valid())
		u := decodeAs[user](t, r)
		if u.ID == 0 || u.Username != "liuyang" || u.PartyOrgID != jj || u.PartyOrgName != apitest.JinjiangName || !u.MustChangePassword || strings.Join(u.Roles, ",") != "district_staff" {
			t.Errorf("created %+v", u)
		}
		if strings.Contains(r.Body, "argon2") || strings.Contains(r.Body, "password_hash") {
			t.Errorf("the answer shows the password hash: %s", r.Body)
		}
		again := decodeAs[user](t, admin.expect(200, "GET", "/api/v1/users/"+id(u.ID), nil))
		if again.Username != "liuyang" || again.DisplayName != "刘洋" {
			t.Errorf("re-read %+v", again)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionCreate, ObjectType: "user"})
		if len(ev) != 1 || ev[0].ObjectID != id(u.ID) || ev[0].Before != "" || !strings.Contains(ev[0].After, `"username":"liuyang"`) || strings.Contains(ev[0].After, "argon2") {
			t.Errorf("create audit: %+v", ev)
		}
		wantErr(t, admin.do("POST", "/api/v1/users", valid()), 409, "conflict", "username")
		// Usernames are case-insensitive.
		dup := valid()
		dup["username"] = " LiuYang "
		wantErr(t, admin.do("POST", "/api/v1/users", dup), 409, "conflict", "username")
		// The new account logs in and must change its password first.
		m := decodeAs[me](t, e.anon().expect(200, "POST", "/api/v1/session", creds("liuyang", "Liu#Yang2026")))
		if !m.MustChangePassword || m.PartyOrgID != jj {
			t.Errorf("new account: %+v", m)
		}
		// The list finds it.
		list := decodeAs[page[user]](t, admin.expect(200, "GET", "/api/v1/users?q=liuyang", nil))
		if list.Total != 1 || list.Items[0].Username != "liuyang" {
			t.Errorf("search: %+v", list)
		}
	})
}

// TestUserList: filters and scope of the account list.
func TestUserList(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin := e.login("admin")
		all := decodeAs[page[user]](t, admin.expect(200, "GET", "/api/v1/users?page_size=200", nil))
		if all.Total != len(e.Data.Users) || len(all.Items) != all.Total || all.Page != 1 || all.PageSize != 200 {
			t.Errorf("all users: total %d of %d, page %d/%d", all.Total, len(e.Data.Users), all.Page, all.PageSize)
		}
		if !slices.IsSortedFunc(all.Items, func(a, b user) int { return strings.Compare(a.Username, b.Username) }) {
			t.Errorf("not ordered by username")
		}
		aud := decodeAs[page[user]](t, admin.expect(200, "GET", "/api/v1/users?role=auditor", nil))
		if aud.Total != 1 || aud.Items[0].Username != "auditor" {
			t.Errorf("role=auditor: %+v", aud)
		}
		jj := e.OrgID(apitest.JinjiangName)
		at := decodeAs[page[user]](t, admin.expect(200, "GET", "/api/v1/users?party_org_id="+id(jj), nil))
		bound := 0
		for _, u := range e.Data.Users {
			if u.PartyOrgID == jj {
				bound++
			}
		}
		if at.Total != bound || bound < 2 {
			t.Errorf("party_org_id=锦江: %d accounts, %d bound there: %+v", at.Total, bound, at)
		}
		for _, u := range at.Items {
			if u.PartyOrgID != jj {
				t.Errorf("party_org_id=锦江 lists %s of %d", u.Username, u.PartyOrgID)
			}
		}
		act := decodeAs[page[user]](t, admin.expect(200, "GET", "/api/v1/users?status=active", nil))
		if act.Total != len(e.Data.Users) {
			t.Errorf("status=active: %d", act.Total)
		}
		pg := decodeAs[page[user]](t, admin.expect(200, "GET", "/api/v1/users?page=2&page_size=3", nil))
		if len(pg.Items) != 3 || pg.Items[0].Username != all.Items[3].Username || pg.Page != 2 || pg.PageSize != 3 {
			t.Errorf("page 2: %+v", pg)
		}
		wantErr(t, admin.do("GET", "/api/v1/users?page_size=201", nil), 400, "invalid", "page_size")

		// A 安全管理员 bound to 锦江区 (made on the shell) sees only 锦江区's accounts.
		if _, err := e.Store.Accounts.UpdateUser(t.Context(), store.System(e.Now(), "cli"), e.userID("committee"), accounts.UserChange{Roles: []domain.Role{domain.RoleSecAdmin}}); err != nil {
			t.Fatal(err)
		}
		c := e.login("committee")
		mine := decodeAs[page[user]](t, c.expect(200, "GET", "/api/v1/users?page_size=200", nil))
		for _, u := range mine.Items {
			p := e.dbUser(u.Username).PartyOrgPath
			if !strings.HasPrefix(p, e.dbUser("committee").PartyOrgPath) {
				t.Errorf("committee-scoped secadmin sees %s at %s", u.Username, p)
			}
		}
		wantErr(t, c.do("GET", "/api/v1/users/"+id(e.userID("qingyang")), nil), 404, "not_found", "")
		wantErr(t, c.do("PATCH", "/api/v1/users/"+id(e.userID("qingyang")), map[string]any{"roles": []string{"auditor"}}), 404, "not_found", "")
		if strings.Join(rolesOf(e.dbUser("qingyang")), ",") != "district_staff" {
			t.Errorf("an out-of-scope grant went through")
		}
	})
}
