package api_test

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/store"
)

// Issue 11, findings 6, 7 and 12: the login under a flood, the lockout
// that nobody can turn against someone else and that tells nothing about
// who exists, and the refusals an assessor expects to find in the trail.

// from is an anonymous client connecting from another loopback address.
func (e *env) from(ip string) *client {
	return &client{Client: e.AnonFrom(ip), e: e, t: e.t}
}

// answer is everything a login answer tells the client.
type answer struct {
	Status            int
	Code, Message     string
	LockedUntil       string
	RetryAfter        string
	SetsSessionCookie bool
}

func answerOf(t testing.TB, r apitest.Response) answer {
	t.Helper()
	a := answer{Status: r.Status, RetryAfter: r.Header.Get("Retry-After"),
		SetsSessionCookie: strings.Contains(r.Header.Get("Set-Cookie"), "lianxin_session=")}
	if r.Status >= 400 {
		er := errOf(t, r)
		a.Code, a.Message, a.LockedUntil = er.Code, er.Message, er.LockedUntil
	}
	return a
}

func (c *client) tryLogin(username, password string) answer {
	c.t.Helper()
	return answerOf(c.t, c.do("POST", "/api/v1/session", creds(username, password)))
}

// TestLockoutPerAddress: five wrong passwords from an attacker's address
// lock only that address's pair; the real user, elsewhere, still logs in;
// the 系统管理员's unlock lifts the pair's lock too.
func TestLockoutPerAddress(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		attacker := e.from("127.0.0.2")
		for i := 1; i <= 4; i++ {
			if a := attacker.tryLogin("admin", wrongPassword); a.Status != 401 {
				t.Fatalf("failure %d: %+v", i, a)
			}
		}
		a := attacker.tryLogin("admin", wrongPassword)
		until := apitest.Start.Add(30 * time.Minute)
		if a.Status != 423 || a.Code != "locked" || a.LockedUntil != until.Format(time.RFC3339) || a.RetryAfter != "1800" ||
			!strings.Contains(a.Message, "当前网络地址") || !strings.Contains(a.Message, "10:30") {
			t.Fatalf("5th failure: %+v", a)
		}
		// The right password from the attacker's address: still locked.
		if a := attacker.tryLogin("admin", apitest.Password); a.Status != 423 || a.SetsSessionCookie {
			t.Fatalf("right password from the locked address: %+v", a)
		}
		// The real 系统管理员, from 127.0.0.1, logs in and works.
		admin := e.login("admin")
		admin.expect(200, "GET", "/api/v1/me", nil)
		if a := attacker.tryLogin("admin", apitest.Password); a.Status != 423 {
			t.Fatalf("the real login unlocked the attacker's address: %+v", a)
		}
		// The same from one more address for another account; the
		// administrators' page shows the lock; the unlock lifts it.
		for i := 0; i < 5; i++ {
			attacker.tryLogin("jinjiang", wrongPassword)
		}
		if u := e.dbUser("jinjiang"); u.LockedUntil == nil || !u.LockedUntil.Equal(until) {
			t.Errorf("locked_until for the administrators: %v", u.LockedUntil)
		}
		e.login("jinjiang") // from 127.0.0.1: fine
		admin.expect(204, "POST", "/api/v1/users/"+id(e.userID("jinjiang"))+"/unlock", nil)
		if u := e.dbUser("jinjiang"); u.LockedUntil != nil || u.FailedLogins != 0 {
			t.Errorf("after the unlock: %+v", u.User)
		}
		if a := attacker.tryLogin("jinjiang", apitest.Password); a.Status != 200 {
			t.Fatalf("after the unlock, from the address that was locked: %+v", a)
		}
	})
}

// TestUnknownNamesAnswerAsKnown: a name that is no account goes through
// exactly the same answers as a real one — 401s, the 423 of its address,
// the 423 across addresses, the end of the locks — with the same audit
// work, so nothing tells which usernames exist.
func TestUnknownNamesAnswerAsKnown(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		names := []string{"jinjiang", "jinjiang-x"}
		clients := map[string]*client{}
		step := func(what, addr, password string) answer {
			t.Helper()
			var got []answer
			for _, n := range names {
				c := clients[n+addr]
				if c == nil {
					c = e.from(addr)
					clients[n+addr] = c
				}
				got = append(got, c.tryLogin(n, password))
			}
			if got[0] != got[1] {
				t.Fatalf("%s: a known name answers %+v, an unknown one %+v", what, got[0], got[1])
			}
			return got[0]
		}
		want := func(what string, a answer, status int, msg string) {
			t.Helper()
			if a.Status != status || !strings.Contains(a.Message, msg) {
				t.Fatalf("%s: %+v, want %d %q", what, a, status, msg)
			}
		}
		// Four addresses fail five times each: each locks its own pair,
		// the twentieth locks the name everywhere.
		for k, addr := range []string{"127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14"} {
			for i := 1; i <= 4; i++ {
				want("failure", step("failure", addr, wrongPassword), 401, "用户名或密码错误")
			}
			if k < 3 {
				want("5th from one address", step("5th", addr, wrongPassword), 423, "当前网络地址已锁定至 2026-11-27 10:3")
				want("while locked", step("locked pair", addr, apitest.Password), 423, "当前网络地址已锁定")
			} else {
				want("20th", step("20th", addr, wrongPassword), 423, "多个网络地址累计 20 次登录失败")
			}
			e.Advance(time.Minute)
		}
		// Locked everywhere now, even from a fresh address with the password.
		want("across addresses", step("fresh address", "127.0.0.15", apitest.Password), 423, "已锁定至 2026-11-27 10:33")
		// Past every lock, a wrong password is a plain failure again.
		e.Advance(31 * time.Minute)
		want("after the locks", step("after", "127.0.0.11", wrongPassword), 401, "用户名或密码错误")
		// The same audit work: as many failures recorded for each.
		known := e.events(store.AuditFilter{Action: audit.ActionLoginFailed, Username: "jinjiang"})
		unknown := e.events(store.AuditFilter{Action: audit.ActionLoginFailed, Username: "jinjiang-x"})
		if len(known) != 25 || len(unknown) != len(known) {
			t.Errorf("login_failed events: %d for the account, %d for the unknown name (want 25 each)", len(known), len(unknown))
		}
		// And the account logs in again.
		e.login("jinjiang").expect(200, "GET", "/api/v1/me", nil)
	})
}

// TestLockoutSettingsHonoured: the 安全管理员's thresholds (3 per address,
// 6 across addresses, 10 minutes) apply; the 系统管理员's unlock ends a lock
// across addresses.
func TestLockoutSettingsHonoured(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		sec := e.login("secadmin")
		s := decodeAs[map[string]int](t, sec.expect(200, "GET", "/api/v1/settings/security", nil))
		if s["account_lockout_threshold"] != 20 {
			t.Fatalf("default account_lockout_threshold: %v", s)
		}
		s["lockout_threshold"], s["account_lockout_threshold"], s["lockout_minutes"] = 3, 5, 10
		wantErr(t, sec.do("PUT", "/api/v1/settings/security", s), 400, "invalid", "account_lockout_threshold")
		s["account_lockout_threshold"] = 6
		sec.expect(200, "PUT", "/api/v1/settings/security", s)

		for _, addr := range []string{"127.0.0.21", "127.0.0.22"} {
			c := e.from(addr)
			for i := 1; i <= 2; i++ {
				if a := c.tryLogin("qingyang", wrongPassword); a.Status != 401 || !strings.Contains(a.Message, "连续失败 3 次将锁定 10 分钟") {
					t.Fatalf("%s failure %d: %+v", addr, i, a)
				}
			}
			a := c.tryLogin("qingyang", wrongPassword)
			if a.Status != 423 || !strings.Contains(a.Message, "10:10") {
				t.Fatalf("%s 3rd failure: %+v", addr, a)
			}
		}
		// Six across two addresses: locked from 127.0.0.1 too.
		if a := e.anon().tryLogin("qingyang", apitest.Password); a.Status != 423 || !strings.Contains(a.Message, "多个网络地址") {
			t.Fatalf("the real user during the lock across addresses: %+v", a)
		}
		if u := e.dbUser("qingyang"); u.LockedUntil == nil {
			t.Fatal("the lock is not shown to the administrators")
		}
		e.login("admin").expect(204, "POST", "/api/v1/users/"+id(e.userID("qingyang"))+"/unlock", nil)
		e.login("qingyang").expect(200, "GET", "/api/v1/me", nil)
		if a := e.from("127.0.0.21").tryLogin("qingyang", apitest.Password); a.Status != 200 {
			t.Fatalf("a pair lock outlived the unlock: %+v", a)
		}
	})
}

// TestWrongOldPasswordLocks: wrong old passwords on PUT /me/password are
// audited and count like failed logins: the fifth locks the account from
// that address, for the password change and the login alike.
func TestWrongOldPasswordLocks(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		change := func(old string) apitest.Response {
			return c.do("PUT", "/api/v1/me/password", map[string]string{"old_password": old, "new_password": "Jin#Jiang2027"})
		}
		for i := 1; i <= 4; i++ {
			wantErr(t, change(wrongPassword), 400, "invalid", "old_password")
		}
		got := wantErr(t, change(wrongPassword), 423, "locked", "")
		if !strings.Contains(got.Message, "连续 5 次") {
			t.Errorf("5th wrong old password: %+v", got)
		}
		wantErr(t, change(apitest.Password), 423, "locked", "")
		if a := e.anon().tryLogin("jinjiang", apitest.Password); a.Status != 423 {
			t.Errorf("login from the same address: %+v", a)
		}
		if a := e.from("127.0.0.2").tryLogin("jinjiang", apitest.Password); a.Status != 200 {
			t.Errorf("login from another address: %+v", a)
		}
		c.expect(200, "GET", "/api/v1/me", nil) // the session itself stays
		ev := e.events(store.AuditFilter{Action: audit.ActionPasswordChange, Username: "jinjiang"})
		if len(ev) != 6 || ev[0].Reason != "已锁定" || !strings.Contains(ev[1].Reason, "原密码错误；此地址已锁定至") || ev[5].Result != audit.ResultFailure {
			t.Errorf("password change failures: %+v", ev)
		}
	})
}

// TestLoginThrottle: attempts per address beyond the bucket answer 429
// with when to retry, before any password is checked, for both password
// routes; a full hashing queue answers 503 at once.
func TestLoginThrottle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		th := auth.NewThrottle(auth.ThrottleConfig{PerMinute: 3, Width: 1, Queue: 0})
		th.Gate = auth.NewHashGate(1, 0, time.Hour)
		e.Server.Auth.Throttle = th
		flood := e.from("127.0.0.2")
		for i := 0; i < 3; i++ {
			if a := flood.tryLogin("nobody", wrongPassword); a.Status != 401 {
				t.Fatalf("attempt %d: %+v", i+1, a)
			}
		}
		a := flood.tryLogin("jinjiang", apitest.Password)
		if a.Status != 429 || a.Code != "too_many_requests" || a.RetryAfter != "20" || a.Message != "登录尝试过于频繁，请 20 秒后再试" {
			t.Fatalf("4th attempt: %+v", a)
		}
		if n := len(e.events(store.AuditFilter{Action: audit.ActionLoginFailed})); n != 3 {
			t.Errorf("%d failures recorded: a throttled attempt must not count", n)
		}
		// Another address is not affected; 20 s later the flood gets one more.
		e.login("jinjiang")
		e.Advance(20 * time.Second)
		if a := flood.tryLogin("jinjiang", apitest.Password); a.Status != 200 {
			t.Fatalf("after 20 s: %+v", a)
		}
		act := e.from("127.0.0.3")
		body := map[string]string{"username": "13800000009", "code": "WRONG234", "password": "Member@2026x"}
		for i := 0; i < 3; i++ {
			wantErr(t, act.do("POST", "/api/v1/session/activate", body), 400, "invalid", "code")
		}
		wantErr(t, act.do("POST", "/api/v1/session/activate", body), 429, "too_many_requests", "")

		// The only hashing slot taken and no queue: 503 at once, nothing counted.
		leave, err := th.Gate.Enter(context.Background(), 1000)
		if err != nil {
			t.Fatal(err)
		}
		r := e.AnonFrom("127.0.0.4").Do("POST", "/api/v1/session", creds("qingyang", wrongPassword))
		busy := wantErr(t, r, 503, "busy", "")
		if r.Header.Get("Retry-After") != "3" || busy.Message != "当前登录人数过多，服务器繁忙，请 3 秒后再试" {
			t.Errorf("busy answer: %+v %v", busy, r.Header)
		}
		leave()
		if n := len(e.events(store.AuditFilter{Action: audit.ActionLoginFailed, Username: "qingyang"})); n != 0 {
			t.Errorf("a busy answer counted as a failure")
		}
		if a := e.from("127.0.0.4").tryLogin("qingyang", apitest.Password); a.Status != 200 {
			t.Errorf("with the slot free again: %+v", a)
		}
	})
}

// TestRefusalsAudited: a 404 on a record outside the caller's scope, a
// refused activation and a refused cross-site write reach the audit trail;
// the cross-site records are bounded per address.
func TestRefusalsAudited(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		qy := e.OrgID(apitest.QingyangName)
		jj := e.login("jinjiang")
		wantErr(t, jj.do("GET", "/api/v1/party-orgs/"+id(qy), nil), 404, "not_found", "")
		ev := e.events(store.AuditFilter{Action: audit.ActionProbe})
		if len(ev) != 1 || ev[0].Username != "jinjiang" || ev[0].ObjectID != "GET /api/v1/party-orgs/"+id(qy) || ev[0].Result != audit.ResultFailure {
			t.Errorf("probe audit: %+v", ev)
		}
		jj.expect(200, "GET", "/api/v1/party-orgs/"+id(e.OrgID(apitest.JinjiangName)), nil)
		if n := len(e.events(store.AuditFilter{Action: audit.ActionProbe})); n != 1 {
			t.Errorf("%d probes after an in-scope read", n)
		}

		// Activations refused: withAccount tries a wrong code first and
		// the used code again last.
		withAccount(t, e.Env, e.Login("branch"), "510104198801010012", "13800000001", e.userOrg("branch"))
		ev = e.events(store.AuditFilter{Action: audit.ActionActivate, Result: audit.ResultFailure})
		if len(ev) != 2 || ev[0].Username != "138****0001" || ev[1].Username != "138****0001" || ev[0].IP != "127.0.0.1" || ev[0].Reason == "" {
			t.Errorf("failed activation audit: %+v", ev)
		}

		// Cross-site writes: refused and recorded, ten a minute per address.
		for i := 0; i < 12; i++ {
			path := "/api/v1/session"
			if i == 0 { // the oldest: a NUL in the path is recorded as '?' (PostgreSQL refuses a NUL)
				path = "/api/v1/party-orgs/%00"
			}
			req, _ := http.NewRequest("POST", e.HTTP.URL+path, strings.NewReader(`{"username":"jinjiang","password":"x"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Origin", "https://evil.example")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 403 {
				t.Fatalf("cross-site write: %d", resp.StatusCode)
			}
		}
		ev = e.events(store.AuditFilter{Action: audit.ActionCrossOrigin})
		if len(ev) != 10 || ev[0].ObjectID != "POST /api/v1/session" || ev[9].ObjectID != "POST /api/v1/party-orgs/?" || ev[0].IP != "127.0.0.1" || !strings.Contains(ev[0].Reason, "https://evil.example") {
			t.Errorf("cross-origin audit (%d): %+v", len(ev), ev)
		}
	})
}

func (e *env) userOrg(username string) int64 { return e.dbUser(username).PartyOrgID }

// TestFailedLoginNamesMasked: what was typed as a username reaches the
// trail only when it cannot be a password or an ID number.
func TestFailedLoginNamesMasked(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for typed, want := range map[string]string{
			"Test@2026pass":      "（疑似密码，已隐去）",
			"51010419821126114X": "510104********114X",
			"510104821126114":    "510********6114",
			"51010419":           "********",
			"13800138000":        "138****8000",
			"nobody-here":        "nobody-here",
		} {
			e.anon().tryLogin(typed, wrongPassword)
			ev := e.events(store.AuditFilter{Action: audit.ActionLoginFailed, Username: want})
			if len(ev) != 1 {
				t.Errorf("%q: %d events under %q", typed, len(ev), want)
			}
			if typed != want && len(e.events(store.AuditFilter{Username: typed})) != 0 {
				t.Errorf("%q kept in the clear", typed)
			}
		}
	})
}

// TestTrustedProxyAddress: behind --trust-proxy the client is the rightmost
// X-Forwarded-For entry that is not a trusted proxy — whatever a client
// prepends — and HSTS is sent only for HTTPS as a trusted proxy reports it.
func TestTrustedProxyAddress(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.Server.TrustProxy = true
		e.Server.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}
		post := func(xff, proto string) *http.Response {
			req, _ := http.NewRequest("POST", e.HTTP.URL+"/api/v1/session", strings.NewReader(`{"username":"qingyang","password":"`+wrongPassword+`"}`))
			req.Header.Set("Content-Type", "application/json")
			if xff != "" {
				req.Header.Set("X-Forwarded-For", xff)
			}
			if proto != "" {
				req.Header.Set("X-Forwarded-Proto", proto)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp
		}
		// A forged entry on the left does not help; the proxy chain on the right is skipped.
		post("6.6.6.6, 203.0.113.9, 10.1.2.3", "https")
		ev := e.events(store.AuditFilter{Action: audit.ActionLoginFailed})
		if len(ev) != 1 || ev[0].IP != "203.0.113.9" {
			t.Fatalf("client address: %+v", ev)
		}
		// Four more from the same client through other proxies: its pair locks.
		for i := 0; i < 3; i++ {
			post("203.0.113.9", "")
		}
		if r := post("1.2.3.4, 203.0.113.9, 10.9.9.9", ""); r.StatusCode != 423 {
			t.Fatalf("5th from 203.0.113.9: %d", r.StatusCode)
		}
		if r := post("203.0.113.10", ""); r.StatusCode != 401 {
			t.Fatalf("another client: %d", r.StatusCode)
		}
		// HSTS only for HTTPS.
		if h := post("203.0.113.11", "https").Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
			t.Errorf("no HSTS behind an HTTPS proxy: %q", h)
		}
		if h := post("203.0.113.11", "http").Header.Get("Strict-Transport-Security"); h != "" {
			t.Errorf("HSTS over HTTP: %q", h)
		}
		// Without --trust-proxy, or from a peer that is no trusted proxy,
		// the headers count for nothing.
		e.Server.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
		if h := post("203.0.113.12", "https").Header.Get("Strict-Transport-Security"); h != "" {
			t.Errorf("HSTS on an untrusted peer's word: %q", h)
		}
		e.Server.TrustProxy = false
		post("203.0.113.13", "https")
		if ev := e.events(store.AuditFilter{Action: audit.ActionLoginFailed}); ev[0].IP != "127.0.0.1" || ev[1].IP != "127.0.0.1" {
			t.Errorf("forwarded address believed: %+v", ev[:2])
		}
	})
}

// Review of issue 11: a member's phone typed another way (+86, spaces) is
// the same login name for the lock, and so is an unregistered phone: the
// variant answers 423 for both, never 423 for one and 401 for the other.
func TestPhoneVariantsLockAlike(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		u := e.dbUser("member")
		m, err := e.Store.Members.RevealMember(context.Background(), store.System(e.Now(), "test"), *u.MemberID)
		if err != nil || m.Phone == "" {
			t.Fatalf("member's phone: %v %+v", err, m)
		}
		unknown := "13912345678"
		if _, err := e.Store.Accounts.UserByLogin(context.Background(), unknown); err == nil {
			t.Fatal("the unknown phone is somebody's")
		}
		var got []answer
		for _, phone := range []string{m.Phone, unknown} {
			c := e.from("127.0.0.21")
			for range 5 {
				c.tryLogin(phone, wrongPassword)
			}
			got = append(got, c.tryLogin("+86 "+phone[:3]+" "+phone[3:7]+" "+phone[7:], wrongPassword))
		}
		if got[0] != got[1] || got[0].Status != 423 {
			t.Fatalf("a member's phone answers %+v, an unregistered one %+v; want the same 423", got[0], got[1])
		}
	})
}
