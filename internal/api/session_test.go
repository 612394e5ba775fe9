package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/store"
)

// me is GET /me.
type me struct {
	ID                    int64    `json:"id"`
	Username              string   `json:"username"`
	Roles                 []string `json:"roles"`
	RoleNames             []string `json:"role_names"`
	Permissions           []string `json:"permissions"`
	PartyOrgID            int64    `json:"party_org_id"`
	PartyOrgName          string   `json:"party_org_name"`
	PartyOrgPath          string   `json:"party_org_path"`
	MustChangePassword    bool     `json:"must_change_password"`
	PasswordExpiresInDays *int     `json:"password_expires_in_days"`
	IdleTimeoutMinutes    int      `json:"idle_timeout_minutes"`
}

func creds(username, password string) map[string]string {
	return map[string]string{"username": username, "password": password}
}

const wrongPassword = "Wrong@2026pass"

func TestLoginSetsSessionCookie(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.anon()
		r := c.expect(200, "POST", "/api/v1/session", creds(" JinJiang ", apitest.Password))
		var cookie *http.Cookie
		for _, sc := range r.Header.Values("Set-Cookie") {
			if ck, err := http.ParseSetCookie(sc); err == nil && ck.Name == "lianxin_session" {
				cookie = ck
			}
		}
		if cookie == nil {
			t.Fatalf("no session cookie in %v", r.Header.Values("Set-Cookie"))
		}
		if !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/" || len(cookie.Value) < 40 {
			t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path=/ and a long random value", cookie)
		}
		if cookie.Secure {
			t.Errorf("Secure cookie on plain HTTP would never be sent back")
		}
		m := decodeAs[me](t, r)
		jj := e.OrgID(apitest.JinjiangName)
		if m.Username != "jinjiang" || m.PartyOrgID != jj || m.PartyOrgName != apitest.JinjiangName || m.PartyOrgPath != e.dataOrg(jj).Path ||
			strings.Join(m.Roles, ",") != "district_staff" || m.MustChangePassword || m.IdleTimeoutMinutes != 30 {
			t.Errorf("login answered %+v", m)
		}
		got := decodeAs[me](t, c.expect(200, "GET", "/api/v1/me", nil))
		if got.Username != "jinjiang" || got.ID != m.ID || got.PasswordExpiresInDays == nil || *got.PasswordExpiresInDays != 90 {
			t.Errorf("GET /me answered %+v", got)
		}
		if u := e.dbUser("jinjiang"); u.LastLoginAt == nil || !u.LastLoginAt.Equal(apitest.Start) {
			t.Errorf("last_login_at %v, want %v", u.LastLoginAt, apitest.Start)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionLogin, Username: "jinjiang"})
		if len(ev) != 1 || ev[0].Result != audit.ResultSuccess || ev[0].ObjectID != id(m.ID) || ev[0].IP != "127.0.0.1" {
			t.Errorf("login audit: %+v", ev)
		}
		// Without a session, everything but login answers 401.
		wantErr(t, e.anon().do("GET", "/api/v1/me", nil), 401, "unauthenticated", "")
		wantErr(t, e.anon().do("GET", "/api/v1/party-orgs", nil), 401, "unauthenticated", "")
	})
}

func TestWrongCredentials(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := e.anon().do("POST", "/api/v1/session", creds("jinjiang", wrongPassword))
		known := wantErr(t, r, 401, "unauthenticated", "")
		if !strings.HasPrefix(known.Message, "用户名或密码错误") {
			t.Errorf("wrong password: %q", known.Message)
		}
		if strings.Contains(r.Header.Get("Set-Cookie"), "lianxin_session=") {
			t.Errorf("a failed login set a cookie")
		}
		unknown := wantErr(t, e.anon().do("POST", "/api/v1/session", creds("nobody", wrongPassword)), 401, "unauthenticated", "")
		if !strings.HasPrefix(unknown.Message, "用户名或密码错误") {
			t.Errorf("unknown user: %q", unknown.Message)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionLoginFailed})
		if len(ev) != 2 {
			t.Fatalf("%d login_failed events, want 2: %+v", len(ev), ev)
		}
		// Newest first: the unknown user, then jinjiang.
		if ev[0].Username != "nobody" || ev[0].Result != audit.ResultFailure || ev[0].Reason == "" ||
			ev[1].Username != "jinjiang" || ev[1].ObjectID != id(e.userID("jinjiang")) || ev[1].Reason == "" {
			t.Errorf("login_failed events: %+v", ev)
		}
		if u := e.dbUser("jinjiang"); u.FailedLogins != 1 || u.LockedUntil != nil {
			t.Errorf("after one failure: failed_logins %d, locked_until %v", u.FailedLogins, u.LockedUntil)
		}
		// A success resets the count of its address: 4 failures, a success,
		// 4 failures lock nothing (the count across addresses, 8, is far
		// from its threshold of 20).
		for round := 0; round < 2; round++ {
			for i := 0; i < 4; i++ {
				if round == 0 && i == 0 {
					continue // one failure already
				}
				wantErr(t, e.anon().do("POST", "/api/v1/session", creds("jinjiang", wrongPassword)), 401, "unauthenticated", "")
			}
			e.login("jinjiang")
		}
		if u := e.dbUser("jinjiang"); u.FailedLogins != 8 || u.LockedUntil != nil {
			t.Errorf("after a success: failed_logins %d, locked_until %v", u.FailedLogins, u.LockedUntil)
		}
		wantErr(t, e.anon().do("POST", "/api/v1/session", creds("jinjiang", wrongPassword)), 401, "unauthenticated", "")
	})
}

// TestLockout: the 5th failure in a row locks the account for 30 minutes;
// the message says until when; the right password does not help meanwhile.
func TestLockout(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for i := 1; i <= 4; i++ {
			got := wantErr(t, e.anon().do("POST", "/api/v1/session", creds("jinjiang", wrongPassword)), 401, "unauthenticated", "")
			// The same words as for an unknown user: nothing tells whether the account exists.
			unknown := wantErr(t, e.anon().do("POST", "/api/v1/session", creds("nobody-here", wrongPassword)), 401, "unauthenticated", "")
			if got.Message != unknown.Message || !strings.Contains(got.Message, "连续失败 5 次将锁定 30 分钟") {
				t.Errorf("failure %d: %q (unknown user: %q)", i, got.Message, unknown.Message)
			}
			e.Advance(time.Minute)
		}
		// 10:04 in Chengdu; locked until 10:34.
		until := apitest.Start.Add(34 * time.Minute)
		got := wantErr(t, e.anon().do("POST", "/api/v1/session", creds("jinjiang", wrongPassword)), 423, "locked", "")
		if !strings.Contains(got.Message, "2026-11-27 10:34") || got.LockedUntil != until.Format(time.RFC3339) {
			t.Errorf("5th failure: %+v, want lock until 10:34 (%s)", got, until.Format(time.RFC3339))
		}
		if u := e.dbUser("jinjiang"); u.LockedUntil == nil || !u.LockedUntil.Equal(until) {
			t.Errorf("locked_until in the database: %v", u.LockedUntil)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionLoginFailed, Username: "jinjiang"})
		if len(ev) != 5 || !strings.Contains(ev[0].Reason, "锁定") {
			t.Errorf("the locking failure is not audited as such: %+v", ev)
		}
		// Locked: the right password answers 423 too, and is audited.
		e.Advance(29 * time.Minute)
		got = wantErr(t, e.anon().do("POST", "/api/v1/session", creds("jinjiang", apitest.Password)), 423, "locked", "")
		if !strings.Contains(got.Message, "10:34") || got.LockedUntil != until.Format(time.RFC3339) {
			t.Errorf("while locked: %+v", got)
		}
		if n := len(e.events(store.AuditFilter{Action: audit.ActionLoginFailed, Username: "jinjiang"})); n != 6 {
			t.Errorf("%d login_failed events, want 6", n)
		}
		// Other accounts are unaffected.
		e.login("qingyang")
		// At 10:34 the lock is over.
		e.Advance(time.Minute)
		c := e.login("jinjiang")
		c.expect(200, "GET", "/api/v1/me", nil)
		if u := e.dbUser("jinjiang"); u.LockedUntil != nil || u.FailedLogins != 0 {
			t.Errorf("after the lock: %+v", u.User)
		}
	})
}

// TestLockoutThreshold: the 安全管理员 sets the threshold to 3.
func TestLockoutThreshold(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		sec := e.login("secadmin")
		s := decodeAs[map[string]int](t, sec.expect(200, "GET", "/api/v1/settings/security", nil))
		if s["lockout_threshold"] != 5 || s["lockout_minutes"] != 30 || s["idle_timeout_minutes"] != 30 {
			t.Fatalf("default settings: %v", s)
		}
		s["lockout_threshold"] = 3
		s["lockout_minutes"] = 10
		sec.expect(200, "PUT", "/api/v1/settings/security", s)
		again := decodeAs[map[string]int](t, sec.expect(200, "GET", "/api/v1/settings/security", nil))
		if again["lockout_threshold"] != 3 || again["lockout_minutes"] != 10 {
			t.Errorf("settings not stored: %v", again)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionSettingsChange})
		if len(ev) != 1 || ev[0].Username != "secadmin" || !strings.Contains(ev[0].Before, `"lockout_threshold":5`) || !strings.Contains(ev[0].After, `"lockout_threshold":3`) {
			t.Errorf("settings change audit: %+v", ev)
		}
		for i := 0; i < 2; i++ {
			wantErr(t, e.anon().do("POST", "/api/v1/session", creds("qingyang", wrongPassword)), 401, "unauthenticated", "")
		}
		got := wantErr(t, e.anon().do("POST", "/api/v1/session", creds("qingyang", wrongPassword)), 423, "locked", "")
		if !strings.Contains(got.Message, "连续 3 次") || !strings.Contains(got.Message, "10:10") {
			t.Errorf("3rd failure: %q", got.Message)
		}
		// Out-of-range settings are refused field by field; others cannot set them.
		bad := map[string]int{"lockout_threshold": 1, "lockout_minutes": 30, "idle_timeout_minutes": 60, "password_min_length": 8, "password_min_classes": 3, "password_max_age_days": 90}
		r := wantErr(t, sec.do("PUT", "/api/v1/settings/security", bad), 400, "invalid", "lockout_threshold")
		if _, ok := r.Fields["idle_timeout_minutes"]; !ok {
			t.Errorf("idle timeout over 30 minutes accepted: %v", r.Fields)
		}
		wantErr(t, e.login("admin").do("PUT", "/api/v1/settings/security", s), 403, "forbidden", "")
		wantErr(t, e.login("auditor").do("GET", "/api/v1/settings/security", nil), 403, "forbidden", "")
		if st := decodeAs[map[string]int](t, sec.expect(200, "GET", "/api/v1/settings/security", nil)); st["lockout_threshold"] != 3 {
			t.Errorf("a refused PUT changed the settings: %v", st)
		}
	})
}

// TestUnlock: the 系统管理员 unlocks an account before its time; audited.
func TestUnlock(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for i := 0; i < 5; i++ {
			e.anon().do("POST", "/api/v1/session", creds("jinjiang", wrongPassword))
		}
		wantErr(t, e.anon().do("POST", "/api/v1/session", creds("jinjiang", apitest.Password)), 423, "locked", "")
		uid := e.userID("jinjiang")
		admin := e.login("admin")
		u := decodeAs[map[string]any](t, admin.expect(200, "GET", "/api/v1/users/"+id(uid), nil))
		if u["locked_until"] == nil {
			t.Errorf("the account page does not show the lock: %v", u)
		}
		locked := decodeAs[page[map[string]any]](t, admin.expect(200, "GET", "/api/v1/users?status=locked", nil))
		if locked.Total != 1 || locked.Items[0]["username"] != "jinjiang" {
			t.Errorf("locked accounts: %+v", locked)
		}
		// Only the 系统管理员 unlocks.
		wantErr(t, e.login("secadmin").do("POST", "/api/v1/users/"+id(uid)+"/unlock", nil), 403, "forbidden", "")
		wantErr(t, e.login("qingyang").do("POST", "/api/v1/users/"+id(uid)+"/unlock", nil), 403, "forbidden", "")
		wantErr(t, admin.do("POST", "/api/v1/users/999999/unlock", nil), 404, "not_found", "")
		admin.expect(204, "POST", "/api/v1/users/"+id(uid)+"/unlock", nil)
		if got := e.dbUser("jinjiang"); got.LockedUntil != nil || got.FailedLogins != 0 {
			t.Errorf("still locked: %+v", got.User)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionUnlock})
		if len(ev) != 1 || ev[0].Username != "admin" || ev[0].ObjectType != "user" || ev[0].ObjectID != id(uid) || ev[0].Result != audit.ResultSuccess {
			t.Errorf("unlock audit: %+v", ev)
		}
		e.login("jinjiang").expect(200, "GET", "/api/v1/me", nil)
	})
}

// TestLogout ends the session on the server, not only in the browser.
func TestLogout(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		token := sessionToken(t, e, "jinjiang")
		c := e.login("jinjiang")
		other := e.login("jinjiang") // a second session of the same person
		r := c.expect(204, "DELETE", "/api/v1/session", nil)
		if sc := r.Header.Get("Set-Cookie"); !strings.Contains(sc, "lianxin_session=;") || !strings.Contains(sc, "Max-Age=0") {
			t.Errorf("logout does not clear the cookie: %q", sc)
		}
		wantErr(t, c.do("GET", "/api/v1/me", nil), 401, "unauthenticated", "")
		wantErr(t, c.do("DELETE", "/api/v1/session", nil), 401, "unauthenticated", "")
		// Other sessions stay.
		other.expect(200, "GET", "/api/v1/me", nil)
		// A token replayed after its logout is refused by the server.
		st, b := rawGet(t, e, "/api/v1/me", token)
		if st != 200 {
			t.Fatalf("raw session: %d %s", st, b)
		}
		rawDo(t, e, "DELETE", "/api/v1/session", token, 204)
		if st, b := rawGet(t, e, "/api/v1/me", token); st != 401 {
			t.Errorf("replayed token after logout: %d %s", st, b)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionLogout, Username: "jinjiang"})
		if len(ev) != 2 {
			t.Errorf("%d logout events, want 2", len(ev))
		}
	})
}

func rawGet(t *testing.T, e *env, path, token string) (int, string) {
	t.Helper()
	return rawDo(t, e, "GET", path, token, 0)
}

// rawDo sends a request with an explicit session token; want 0 accepts any status.
func rawDo(t *testing.T, e *env, method, path, token string, want int) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, e.HTTP.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: "lianxin_session", Value: token})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 || (want != 0 && resp.StatusCode != want) {
		t.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode, string(b)
}

// TestIdleTimeout: 30 minutes without a request end the session; activity
// keeps it alive.
func TestIdleTimeout(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		idle := e.login("jinjiang")
		active := e.login("qingyang")
		for i := 0; i < 2; i++ {
			e.Advance(20 * time.Minute)
			active.expect(200, "GET", "/api/v1/me", nil)
		}
		// 40 minutes on: the active session lives, the idle one is gone.
		wantErr(t, idle.do("GET", "/api/v1/me", nil), 401, "unauthenticated", "")
		active.expect(200, "GET", "/api/v1/party-orgs", nil)
		// Exactly 30 idle minutes are still within the window; 31 are not.
		e.Advance(30 * time.Minute)
		active.expect(200, "GET", "/api/v1/me", nil)
		e.Advance(31 * time.Minute)
		wantErr(t, active.do("GET", "/api/v1/me", nil), 401, "unauthenticated", "")
		// Logging in again works.
		e.login("qingyang").expect(200, "GET", "/api/v1/me", nil)

		// A shorter timeout set by the 安全管理员 applies to open sessions.
		c := e.login("jinjiang")
		sec := e.login("secadmin")
		s := decodeAs[map[string]int](t, sec.expect(200, "GET", "/api/v1/settings/security", nil))
		s["idle_timeout_minutes"] = 10
		sec.expect(200, "PUT", "/api/v1/settings/security", s)
		e.Advance(11 * time.Minute)
		wantErr(t, c.do("GET", "/api/v1/me", nil), 401, "unauthenticated", "")
	})
}

// TestDisabledAccount: a disabled account cannot log in and its open
// sessions end at once.
func TestDisabledAccount(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		admin := e.login("admin")
		uid := e.userID("jinjiang")
		u := decodeAs[map[string]any](t, admin.expect(200, "PATCH", "/api/v1/users/"+id(uid), map[string]any{"disabled": true}))
		if u["disabled"] != true {
			t.Errorf("PATCH answered %v", u)
		}
		if !e.dbUser("jinjiang").Disabled {
			t.Fatalf("not disabled in the database")
		}
		wantErr(t, c.do("GET", "/api/v1/me", nil), 401, "unauthenticated", "")
		got := wantErr(t, e.anon().do("POST", "/api/v1/session", creds("jinjiang", apitest.Password)), 401, "unauthenticated", "")
		if !strings.Contains(got.Message, "停用") {
			t.Errorf("disabled login: %q", got.Message)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionLoginFailed, Username: "jinjiang"})
		if len(ev) != 1 || !strings.Contains(ev[0].Reason, "停用") {
			t.Errorf("disabled login audit: %+v", ev)
		}
		dis := decodeAs[page[map[string]any]](t, admin.expect(200, "GET", "/api/v1/users?status=disabled", nil))
		if dis.Total != 1 {
			t.Errorf("disabled accounts: %+v", dis)
		}
		admin.expect(200, "PATCH", "/api/v1/users/"+id(uid), map[string]any{"disabled": false})
		e.login("jinjiang").expect(200, "GET", "/api/v1/me", nil)
	})
}

func TestChangePassword(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		other := e.login("jinjiang")
		const next = "Jin#Jiang2027"
		for _, tc := range []struct {
			name     string
			old, new string
			field    string
		}{
			{"wrong old", wrongPassword, next, "old_password"},
			{"no old", "", next, "old_password"},
			{"too short", apitest.Password, "Ab#1", "new_password"},
			{"too few classes", apitest.Password, "abcdefghijk", "new_password"},
			{"common", apitest.Password, "P@ssw0rd", "new_password"},
			{"contains username", apitest.Password, "Jinjiang#2027", "new_password"},
			{"same as old", apitest.Password, apitest.Password, "new_password"},
		} {
			wantErr(t, c.do("PUT", "/api/v1/me/password", map[string]string{"old_password": tc.old, "new_password": tc.new}), 400, "invalid", tc.field)
		}
		if n := len(e.events(store.AuditFilter{Action: audit.ActionPasswordChange, Result: audit.ResultSuccess})); n != 0 {
			t.Fatalf("a refused change was recorded as a change")
		}
		// The wrong old password was (finding 12), as a failure.
		if ev := e.events(store.AuditFilter{Action: audit.ActionPasswordChange, Result: audit.ResultFailure}); len(ev) != 1 || ev[0].Username != "jinjiang" || ev[0].Reason != "原密码错误" {
			t.Fatalf("wrong old password audit: %+v", ev)
		}
		c.expect(204, "PUT", "/api/v1/me/password", map[string]string{"old_password": apitest.Password, "new_password": next})
		// The session that changed it stays; the person's other sessions end.
		c.expect(200, "GET", "/api/v1/me", nil)
		wantErr(t, other.do("GET", "/api/v1/me", nil), 401, "unauthenticated", "")
		wantErr(t, e.anon().do("POST", "/api/v1/session", creds("jinjiang", apitest.Password)), 401, "unauthenticated", "")
		e.anon().expect(200, "POST", "/api/v1/session", creds("jinjiang", next))
		if u := e.dbUser("jinjiang"); !u.PasswordChangedAt.Equal(apitest.Start) || u.MustChangePassword {
			t.Errorf("after the change: %+v", u.User)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionPasswordChange, Result: audit.ResultSuccess})
		if len(ev) != 1 || ev[0].Username != "jinjiang" || ev[0].ObjectID != id(e.userID("jinjiang")) || strings.Contains(ev[0].After+ev[0].Before, next) {
			t.Errorf("password change audit: %+v", ev)
		}
	})
}

// TestResetPassword: an administrator's reset forces a change before
// anything else can be done.
func TestResetPassword(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		admin := e.login("admin")
		uid := e.userID("jinjiang")
		const temp = "Temp#Pass2026"
		wantErr(t, admin.do("POST", "/api/v1/users/"+id(uid)+"/reset-password", map[string]string{"password": "123"}), 400, "invalid", "password")
		wantErr(t, admin.do("POST", "/api/v1/users/"+id(e.userID("admin"))+"/reset-password", map[string]string{"password": temp}), 400, "invalid", "")
		wantErr(t, e.login("secadmin").do("POST", "/api/v1/users/"+id(uid)+"/reset-password", map[string]string{"password": temp}), 403, "forbidden", "")
		c.expect(200, "GET", "/api/v1/me", nil) // nothing happened yet
		admin.expect(204, "POST", "/api/v1/users/"+id(uid)+"/reset-password", map[string]string{"password": temp})
		ev := e.events(store.AuditFilter{Action: audit.ActionResetPassword})
		if len(ev) != 1 || ev[0].Username != "admin" || ev[0].ObjectID != id(uid) {
			t.Errorf("reset audit: %+v", ev)
		}
		// The reset ends the person's sessions and the old password.
		wantErr(t, c.do("GET", "/api/v1/me", nil), 401, "unauthenticated", "")
		wantErr(t, e.anon().do("POST", "/api/v1/session", creds("jinjiang", apitest.Password)), 401, "unauthenticated", "")

		n := e.anon()
		m := decodeAs[me](t, n.expect(200, "POST", "/api/v1/session", creds("jinjiang", temp)))
		if !m.MustChangePassword {
			t.Fatalf("must_change_password not set: %+v", m)
		}
		for _, rq := range []struct{ method, path string }{
			{"GET", "/api/v1/party-orgs"},
			{"GET", "/api/v1/dashboard"},
			{"GET", "/api/v1/party-orgs/" + id(m.PartyOrgID)},
			{"POST", "/api/v1/party-orgs"},
		} {
			var body any
			if rq.method == "POST" {
				body = map[string]any{}
			}
			wantErr(t, n.do(rq.method, rq.path, body), 403, "password_change_required", "")
		}
		n.expect(200, "GET", "/api/v1/me", nil)
		n.expect(200, "GET", "/api/v1/meta", nil)
		n.expect(204, "PUT", "/api/v1/me/password", map[string]string{"old_password": temp, "new_password": "Mine#Own2026"})
		if got := decodeAs[me](t, n.expect(200, "GET", "/api/v1/me", nil)); got.MustChangePassword {
			t.Errorf("must_change_password still set")
		}
		n.expect(200, "GET", "/api/v1/party-orgs", nil)
		if e.dbUser("jinjiang").MustChangePassword {
			t.Errorf("must_change_password still set in the database")
		}
	})
}

// TestPasswordExpiry: a password older than password_max_age_days must be
// changed before anything else; 0 days means no expiry.
func TestPasswordExpiry(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		sec := e.login("secadmin")
		s := decodeAs[map[string]int](t, sec.expect(200, "GET", "/api/v1/settings/security", nil))
		s["password_max_age_days"] = 0
		sec.expect(200, "PUT", "/api/v1/settings/security", s)
		e.Advance(91 * 24 * time.Hour)
		c := e.login("jinjiang")
		if m := decodeAs[me](t, c.expect(200, "GET", "/api/v1/me", nil)); m.MustChangePassword || m.PasswordExpiresInDays != nil {
			t.Errorf("without a maximum age: %+v", m)
		}
		c.expect(200, "GET", "/api/v1/party-orgs", nil)

		// Back to 90 days: every password set 91 days ago has expired.
		sec = e.login("secadmin")
		s["password_max_age_days"] = 90
		sec.expect(200, "PUT", "/api/v1/settings/security", s)
		// The secadmin's own password is as old.
		wantErr(t, sec.do("GET", "/api/v1/settings/security", nil), 403, "password_change_required", "")
		sec.expect(204, "PUT", "/api/v1/me/password", map[string]string{"old_password": apitest.Password, "new_password": "Sec#Admin2027"})
		sec.expect(200, "GET", "/api/v1/settings/security", nil)

		m := decodeAs[me](t, c.expect(200, "GET", "/api/v1/me", nil))
		if !m.MustChangePassword || m.PasswordExpiresInDays == nil || *m.PasswordExpiresInDays >= 0 {
			t.Errorf("expired password: %+v", m)
		}
		got := wantErr(t, c.do("GET", "/api/v1/party-orgs", nil), 403, "password_change_required", "")
		if !strings.Contains(got.Message, "过期") {
			t.Errorf("expired password message: %q", got.Message)
		}
		c.expect(204, "PUT", "/api/v1/me/password", map[string]string{"old_password": apitest.Password, "new_password": "Jin#Jiang2027"})
		m = decodeAs[me](t, c.expect(200, "GET", "/api/v1/me", nil))
		if m.MustChangePassword || m.PasswordExpiresInDays == nil || *m.PasswordExpiresInDays != 90 {
			t.Errorf("after the change: %+v", m)
		}
		c.expect(200, "GET", "/api/v1/party-orgs", nil)
	})
}

// TestLockoutKeepsOpenSessions: failing someone's password five times locks
// new logins but does not end the sessions they already have.
func TestLockoutKeepsOpenSessions(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		for i := 0; i < 5; i++ {
			e.anon().do("POST", "/api/v1/session", creds("jinjiang", wrongPassword))
		}
		if u := e.dbUser("jinjiang"); u.LockedUntil == nil {
			t.Fatal("not locked after 5 failures")
		}
		if r := c.do("GET", "/api/v1/me", nil); r.Status != 200 {
			t.Fatalf("open session ended by the lock: %d %s", r.Status, r.Body)
		}
	})
}
