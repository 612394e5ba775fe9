package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/lianxin/lianxin/internal/api"
	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/account"
	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
	"github.com/lianxin/lianxin/internal/totp"
)

// enrolment is POST /me/totp's answer.
type enrolment struct {
	Secret string `json:"secret"`
	URI    string `json:"uri"`
	QR     string `json:"qr"`
	Issuer string `json:"issuer"`
}

type recovery struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

type totpStatus struct {
	Enabled      bool    `json:"enabled"`
	EnabledAt    *string `json:"enabled_at"`
	Required     bool    `json:"required"`
	RecoveryLeft int     `json:"recovery_codes_left"`
}

// meTOTP is GET /me's second-factor part.
type meTOTP struct {
	Username     string `json:"username"`
	TOTPEnabled  bool   `json:"totp_enabled"`
	TOTPRequired bool   `json:"totp_required"`
}

func codeAt(key []byte, at time.Time) map[string]string {
	return map[string]string{"code": totp.Default.Code(key, totp.Default.Step(at))}
}

// enrol enrols the client's account and returns its key and recovery codes;
// the clock then moves to the next step, whose code is unused.
func enrol(t *testing.T, e *env, c *client) ([]byte, []string) {
	t.Helper()
	en := decodeAs[enrolment](t, c.expect(201, "POST", "/api/v1/me/totp", nil))
	key, err := totp.DecodeSecret(en.Secret)
	if err != nil {
		t.Fatal(err)
	}
	rc := decodeAs[recovery](t, c.expect(200, "POST", "/api/v1/me/totp/confirm", codeAt(key, e.Now())))
	e.Advance(time.Duration(totp.Default.Period) * time.Second)
	return key, rc.RecoveryCodes
}

// passwordStep logs in with the password and expects the second-factor
// answer: no session yet.
func passwordStep(t *testing.T, e *env, username string) *client {
	t.Helper()
	c := e.anon()
	c.Who = username
	r := c.expect(200, "POST", "/api/v1/session", creds(username, apitest.Password))
	m := r.Map(t)
	if m["second_factor_required"] != true || m["username"] != nil || m["second_factor_expires_at"] == nil {
		t.Fatalf("password step answered %s", r.Body)
	}
	for _, sc := range r.Header.Values("Set-Cookie") {
		ck, err := http.ParseSetCookie(sc)
		if err != nil {
			continue
		}
		if ck.Name == "lianxin_session" {
			t.Fatalf("a session cookie before the second factor: %s", sc)
		}
		if ck.Name == "lianxin_login_2fa" && (!ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/api/v1/session" || ck.MaxAge != 300) {
			t.Errorf("pending-login cookie %+v", ck)
		}
	}
	wantErr(t, c.do("GET", "/api/v1/me", nil), 401, "unauthenticated", "")
	return c
}

func setRequired(t *testing.T, e *env, roles ...string) {
	t.Helper()
	if roles == nil {
		roles = []string{}
	}
	e.login("secadmin").expect(200, "PUT", "/api/v1/settings/second-factor", map[string]any{"required_roles": roles})
}

// TestTOTPEnrolAndLogin: enrolment by QR code, then a password that no
// longer opens a session by itself, a code that does, and the same code
// refused the second time.
func TestTOTPEnrolAndLogin(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		uid := e.userID("jinjiang")
		if st := decodeAs[totpStatus](t, c.expect(200, "GET", "/api/v1/me/totp", nil)); st.Enabled || st.Required {
			t.Fatalf("before enrolment: %+v", st)
		}
		en := decodeAs[enrolment](t, c.expect(201, "POST", "/api/v1/me/totp", nil))
		key, err := totp.DecodeSecret(en.Secret)
		if err != nil || len(key) != 20 {
			t.Fatalf("secret %q: %v", en.Secret, err)
		}
		u, err := url.Parse(en.URI)
		if err != nil || u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/两新党建:jinjiang" || u.Query().Get("secret") != en.Secret ||
			u.Query().Get("issuer") != "两新党建" || u.Query().Get("digits") != "6" || u.Query().Get("period") != "30" {
			t.Errorf("uri %q", en.URI)
		}
		if got := decodeQRDataURL(t, en.QR); got != en.URI {
			t.Errorf("the QR code holds %q, not the URI", got)
		}
		// Not enabled until confirmed: the password alone still logs in.
		e.login("jinjiang")
		// A new enrolment replaces an unconfirmed one.
		en2 := decodeAs[enrolment](t, c.expect(201, "POST", "/api/v1/me/totp", nil))
		if en2.Secret == en.Secret {
			t.Fatal("the same secret twice")
		}
		wantErr(t, c.do("POST", "/api/v1/me/totp/confirm", codeAt(key, e.Now())), 400, "invalid", "code")
		wantErr(t, c.do("POST", "/api/v1/me/totp/confirm", map[string]string{"code": "12ab56"}), 400, "invalid", "code")
		key, _ = totp.DecodeSecret(en2.Secret)
		rc := decodeAs[recovery](t, c.expect(200, "POST", "/api/v1/me/totp/confirm", codeAt(key, e.Now())))
		seen := map[string]bool{}
		for _, code := range rc.RecoveryCodes {
			if totp.NormalizeRecoveryCode(code) == "" || seen[code] {
				t.Errorf("recovery code %q", code)
			}
			seen[code] = true
		}
		if len(seen) != 10 {
			t.Errorf("%d recovery codes", len(seen))
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionTOTPEnable})
		if len(ev) != 1 || ev[0].Username != "jinjiang" || ev[0].ObjectID != id(uid) || ev[0].Result != audit.ResultSuccess {
			t.Errorf("enrolment audit: %+v", ev)
		}
		// The secret is never shown again: a new enrolment is refused.
		wantErr(t, c.do("POST", "/api/v1/me/totp", nil), 409, "conflict", "")
		st := c.expect(200, "GET", "/api/v1/me/totp", nil)
		if strings.Contains(st.Body, en2.Secret) || !decodeAs[totpStatus](t, st).Enabled || decodeAs[totpStatus](t, st).RecoveryLeft != 10 {
			t.Errorf("status after enrolment: %s", st.Body)
		}
		if m := decodeAs[meTOTP](t, c.expect(200, "GET", "/api/v1/me", nil)); !m.TOTPEnabled || m.TOTPRequired {
			t.Errorf("GET /me: %+v", m)
		}
		if u := e.dbUser("jinjiang"); !u.TOTPEnabled {
			t.Error("the account does not show its second factor")
		}

		// The first code's step is used: a login in the same step with the
		// same code is a replay.
		p := passwordStep(t, e, "jinjiang")
		wantErr(t, p.do("POST", "/api/v1/session/totp", codeAt(key, e.Now())), 401, "unauthenticated", "")
		fails := e.events(store.AuditFilter{Action: audit.ActionLoginFailed})
		if len(fails) != 1 || !strings.Contains(fails[0].Reason, "重放") || fails[0].ObjectID != id(uid) {
			t.Errorf("replay audit: %+v", fails)
		}
		if e.dbUser("jinjiang").FailedLogins != 1 {
			t.Errorf("the replay did not count as a failed login")
		}
		// Thirty seconds on, the new code completes the login.
		e.Advance(30 * time.Second)
		fresh := codeAt(key, e.Now())
		r := p.expect(200, "POST", "/api/v1/session/totp", fresh)
		if m := decodeAs[me](t, r); m.Username != "jinjiang" {
			t.Errorf("second step answered %s", r.Body)
		}
		p.expect(200, "GET", "/api/v1/party-orgs", nil)
		logins := e.events(store.AuditFilter{Action: audit.ActionLogin, Username: "jinjiang"})
		if len(logins) == 0 || logins[0].Reason != "口令+动态口令" {
			t.Errorf("login audit: %+v", logins)
		}
		// The count across addresses runs out with its window (as after a
		// password-only login); the address's own count is cleared.
		if u := e.dbUser("jinjiang"); u.LastLoginAt == nil || !u.LastLoginAt.Equal(e.Now()) {
			t.Errorf("after the login: failures %d, last login %v", u.FailedLogins, u.LastLoginAt)
		}
		// The pending login is used up, and its code too.
		wantErr(t, p.do("POST", "/api/v1/session/totp", fresh), 401, "login_restart", "")
		q := passwordStep(t, e, "jinjiang")
		wantErr(t, q.do("POST", "/api/v1/session/totp", fresh), 401, "unauthenticated", "")
		// Without a pending login, the second step is no way in.
		wantErr(t, e.anon().do("POST", "/api/v1/session/totp", codeAt(key, e.Now().Add(30*time.Second))), 401, "login_restart", "")
		wantErr(t, q.do("POST", "/api/v1/session/totp", map[string]string{}), 400, "invalid", "code")
		wantErr(t, q.do("POST", "/api/v1/session/totp", map[string]string{"code": "abcdef"}), 400, "invalid", "code")
	})
}

// decodeQRDataURL reads the enrolment's QR image with an independent
// decoder, as the phone's camera would.
func decodeQRDataURL(t *testing.T, dataURL string) string {
	t.Helper()
	b64, ok := strings.CutPrefix(dataURL, "data:image/png;base64,")
	if !ok {
		t.Fatalf("qr %.40q is not a PNG data URL", dataURL)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	// A white margin first: the decoder's finder-pattern estimate can reach
	// past the edge of a code drawn without a quiet zone (it then failed
	// now and then, depending on the secret's pattern).
	b := img.Bounds()
	padded := image.NewRGBA(image.Rect(0, 0, b.Dx()+64, b.Dy()+64))
	draw.Draw(padded, padded.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(padded, b.Add(image.Pt(32, 32)).Sub(b.Min), img, b.Min, draw.Src)
	bmp, err := gozxing.NewBinaryBitmapFromImage(padded)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxingqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.GetText()
}

// TestTOTPWrongCodesLock: wrong codes count like wrong passwords: at the
// threshold the account locks (423) and the password alone cannot start
// again; a pending login ends after five wrong codes even below it.
func TestTOTPWrongCodesLock(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		key, _ := enrol(t, e, e.login("jinjiang"))
		wrong := map[string]string{"code": "000000"}
		if codeAt(key, e.Now())["code"] == "000000" {
			wrong["code"] = "111111"
		}
		p := passwordStep(t, e, "jinjiang")
		for i := 1; i <= 4; i++ {
			got := wantErr(t, p.do("POST", "/api/v1/session/totp", wrong), 401, "unauthenticated", "")
			if !strings.Contains(got.Message, "动态口令") || !strings.Contains(got.Message, "5 次") {
				t.Errorf("failure %d: %q", i, got.Message)
			}
		}
		if n := e.dbUser("jinjiang").FailedLogins; n != 4 {
			t.Fatalf("%d failures counted, want 4", n)
		}
		locked := wantErr(t, p.do("POST", "/api/v1/session/totp", wrong), 423, "locked", "")
		if locked.LockedUntil == "" {
			t.Errorf("no locked_until: %+v", locked)
		}
		// Locked: the right code is no way in, nor the password.
		wantErr(t, p.do("POST", "/api/v1/session/totp", codeAt(key, e.Now())), 401, "login_restart", "")
		wantErr(t, e.anon().do("POST", "/api/v1/session", creds("jinjiang", apitest.Password)), 423, "locked", "")
		if n := len(e.events(store.AuditFilter{Action: audit.ActionLoginFailed, ObjectID: id(e.userID("jinjiang"))})); n < 5 {
			t.Errorf("%d failed logins audited", n)
		}

		// With a higher threshold, five wrong codes end the pending login.
		e.Advance(31 * time.Minute)
		sec := e.login("secadmin")
		s := decodeAs[map[string]int](t, sec.expect(200, "GET", "/api/v1/settings/security", nil))
		s["lockout_threshold"] = 10
		sec.expect(200, "PUT", "/api/v1/settings/security", s)
		p = passwordStep(t, e, "jinjiang")
		for i := 1; i <= 4; i++ {
			wantErr(t, p.do("POST", "/api/v1/session/totp", wrong), 401, "unauthenticated", "")
		}
		wantErr(t, p.do("POST", "/api/v1/session/totp", wrong), 401, "login_restart", "")
		wantErr(t, p.do("POST", "/api/v1/session/totp", codeAt(key, e.Now())), 401, "login_restart", "")
		// The pending login also expires after five minutes.
		p = passwordStep(t, e, "jinjiang")
		e.Advance(auth.ChallengeLifetime + time.Second)
		wantErr(t, p.do("POST", "/api/v1/session/totp", codeAt(key, e.Now())), 401, "login_restart", "")
	})
}

// TestRecoveryCodeOnce: a recovery code replaces the phone once, audited;
// used again it is a failed login.
func TestRecoveryCodeOnce(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		_, codes := enrol(t, e, e.login("jinjiang"))
		p := passwordStep(t, e, "jinjiang")
		// Typed in capitals with spaces, as read off paper.
		typed := " " + strings.ToUpper(strings.ReplaceAll(codes[3], "-", " ")) + " "
		p.expect(200, "POST", "/api/v1/session/totp", map[string]string{"recovery_code": typed})
		p.expect(200, "GET", "/api/v1/me", nil)
		used := e.events(store.AuditFilter{Action: audit.ActionRecoveryCodeUsed})
		if len(used) != 1 || used[0].Username != "jinjiang" || used[0].Reason != "剩余 9 个恢复码" {
			t.Errorf("recovery audit: %+v", used)
		}
		if st := decodeAs[totpStatus](t, p.expect(200, "GET", "/api/v1/me/totp", nil)); st.RecoveryLeft != 9 {
			t.Errorf("%d codes left", st.RecoveryLeft)
		}
		q := passwordStep(t, e, "jinjiang")
		wantErr(t, q.do("POST", "/api/v1/session/totp", map[string]string{"recovery_code": codes[3]}), 401, "unauthenticated", "")
		wantErr(t, q.do("POST", "/api/v1/session/totp", map[string]string{"recovery_code": "not-a-code"}), 401, "unauthenticated", "")
		if n := e.dbUser("jinjiang").FailedLogins; n != 2 {
			t.Errorf("%d failures counted, want 2", n)
		}
		wantErr(t, q.do("POST", "/api/v1/session/totp", map[string]string{"code": "123456", "recovery_code": codes[4]}), 400, "invalid", "code")
		q.expect(200, "POST", "/api/v1/session/totp", map[string]string{"recovery_code": codes[4]})
	})
}

// TestTOTPRequiredByRole: the 安全管理员 chooses the roles; an account of
// such a role without a second factor can only enrol until it has one, and
// cannot drop it afterwards.
func TestTOTPRequiredByRole(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		sec := e.login("secadmin")
		wantErr(t, sec.do("PUT", "/api/v1/settings/second-factor", map[string]any{"required_roles": []string{"member"}}), 400, "invalid", "required_roles")
		wantErr(t, sec.do("PUT", "/api/v1/settings/second-factor", map[string]any{}), 400, "invalid", "required_roles")
		wantErr(t, e.login("admin").do("PUT", "/api/v1/settings/second-factor", map[string]any{"required_roles": []string{}}), 403, "forbidden", "")
		wantErr(t, e.login("jinjiang").do("GET", "/api/v1/settings/second-factor", nil), 403, "forbidden", "")
		setRequired(t, e, "district_staff", "sysadmin")
		got := decodeAs[account.SecondFactorSettings](t, sec.expect(200, "GET", "/api/v1/settings/second-factor", nil))
		if len(got.RequiredRoles) != 2 {
			t.Errorf("settings %+v", got)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionSettingsChange, ObjectID: "second_factor"})
		if len(ev) != 1 || ev[0].Username != "secadmin" || !strings.Contains(ev[0].After, "district_staff") || ev[0].Before != `{"required_roles":[]}` {
			t.Errorf("settings audit: %+v", ev)
		}

		c := e.login("jinjiang")
		if m := decodeAs[meTOTP](t, c.expect(200, "GET", "/api/v1/me", nil)); !m.TOTPRequired || m.TOTPEnabled {
			t.Fatalf("GET /me: %+v", m)
		}
		for _, path := range []string{"/api/v1/party-orgs", "/api/v1/dashboard", "/api/v1/members"} {
			wantErr(t, c.do("GET", path, nil), 403, "totp_enrolment_required", "")
		}
		wantErr(t, e.login("admin").do("GET", "/api/v1/users", nil), 403, "totp_enrolment_required", "")
		e.login("qingyang").expect(200, "GET", "/api/v1/me", nil) // a session opened before enrolment goes on
		c.expect(200, "GET", "/api/v1/meta", nil)
		key, _ := enrol(t, e, c)
		c.expect(200, "GET", "/api/v1/party-orgs", nil)
		// Required: it cannot be dropped, even with a right code.
		wantErr(t, c.do("DELETE", "/api/v1/me/totp", codeAt(key, e.Now())), 403, "forbidden", "")
		if !e.dbUser("jinjiang").TOTPEnabled {
			t.Error("dropped")
		}
		// A role no longer required: the same account may drop it with a code.
		setRequired(t, e)
		wantErr(t, c.do("DELETE", "/api/v1/me/totp", map[string]string{"code": "000000"}), 400, "invalid", "code")
		if n := e.dbUser("jinjiang").FailedLogins; n != 1 {
			t.Errorf("a wrong code on drop counted %d failures", n)
		}
		c.expect(204, "DELETE", "/api/v1/me/totp", codeAt(key, e.Now()))
		if ev := e.events(store.AuditFilter{Action: audit.ActionTOTPDisable}); len(ev) != 1 || ev[0].Username != "jinjiang" {
			t.Errorf("drop audit: %+v", ev)
		}
		e.login("jinjiang").expect(200, "GET", "/api/v1/party-orgs", nil)
	})
}

// TestSecondFactorDefaults: a new deployment requires a second factor of
// the 三员 and the PII roles; the generated (demo) dataset of nobody.
func TestSecondFactorDefaults(t *testing.T) {
	for _, eng := range storetest.Engines() {
		s := storetest.Open(t, eng) // migrated, no dataset: a new deployment
		got, err := s.Accounts.SecondFactorSettings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []domain.Role{domain.RoleSysAdmin, domain.RoleSecAdmin, domain.RoleAuditor, domain.RolePIIViewer, domain.RolePIIExporter} {
			if !got.Requires([]domain.Role{r}) {
				t.Errorf("%s: a new deployment does not require it of %s", eng, r)
			}
		}
		if got.Requires([]domain.Role{domain.RoleDistrictStaff}) {
			t.Errorf("%s: a new deployment requires it of district staff", eng)
		}
	}
	each(t, func(t *testing.T, e *env) {
		got := decodeAs[account.SecondFactorSettings](t, e.login("secadmin").expect(200, "GET", "/api/v1/settings/second-factor", nil))
		if got.RequiredRoles == nil || len(got.RequiredRoles) != 0 {
			t.Errorf("the generated dataset requires %v", got.RequiredRoles)
		}
		for _, who := range []string{"admin", "secadmin", "auditor", "jinjiang.pii"} {
			e.login(who).expect(200, "GET", "/api/v1/me", nil)
		}
	})
}

// TestTOTPReset: only the 安全管理员 resets another account's second factor,
// audited; the account's sessions and pending login end; a 三员 account's
// factor is out of reach of the API.
func TestTOTPReset(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		key, _ := enrol(t, e, c)
		uid := e.userID("jinjiang")
		pending := passwordStep(t, e, "jinjiang")
		path := "/api/v1/users/" + id(uid) + "/totp"
		wantErr(t, e.login("admin").do("DELETE", path, nil), 403, "forbidden", "")
		wantErr(t, e.login("auditor").do("DELETE", path, nil), 403, "forbidden", "")
		wantErr(t, e.login("qingyang").do("DELETE", path, nil), 403, "forbidden", "")
		if !e.dbUser("jinjiang").TOTPEnabled {
			t.Fatal("reset by someone other than the 安全管理员")
		}
		sec := e.login("secadmin")
		sec.expect(204, "DELETE", path, nil)
		ev := e.events(store.AuditFilter{Action: audit.ActionTOTPReset})
		if len(ev) != 1 || ev[0].Username != "secadmin" || ev[0].ObjectID != id(uid) {
			t.Errorf("reset audit: %+v", ev)
		}
		wantErr(t, c.do("GET", "/api/v1/me", nil), 401, "unauthenticated", "")
		wantErr(t, pending.do("POST", "/api/v1/session/totp", codeAt(key, e.Now())), 401, "login_restart", "")
		e.login("jinjiang").expect(200, "GET", "/api/v1/party-orgs", nil) // the password alone again
		wantErr(t, sec.do("DELETE", path, nil), 409, "conflict", "")

		// 三员 accounts: from the shell only; nor one's own.
		enrol(t, e, e.login("auditor"))
		enrol(t, e, sec)
		for _, who := range []string{"auditor", "admin", "secadmin"} {
			wantErr(t, sec.do("DELETE", "/api/v1/users/"+id(e.userID(who))+"/totp", nil), 403, "forbidden", "")
		}
		if !e.dbUser("auditor").TOTPEnabled || !e.dbUser("secadmin").TOTPEnabled {
			t.Error("a 三员 account's second factor reset through the API")
		}
		// Outside the 安全管理员's scope: not found.
		qySec := accounts.NewUser{Username: "qy-sec", DisplayName: "青羊安全管理员", PartyOrgID: e.OrgID(apitest.QingyangName),
			Roles: []domain.Role{domain.RoleSecAdmin}, PasswordHash: e.Data.Users[0].PasswordHash}
		if _, err := e.Store.Accounts.CreateUser(context.Background(), store.System(apitest.Start, "test"), qySec); err != nil {
			t.Fatal(err)
		}
		enrol(t, e, e.login("jinjiang"))
		wantErr(t, e.login("qy-sec").do("DELETE", path, nil), 404, "not_found", "")
	})
}

// TestTOTPRenewRecoveryCodes: new codes replace the old ones, after a code.
func TestTOTPRenewRecoveryCodes(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		key, old := enrol(t, e, c)
		wantErr(t, c.do("POST", "/api/v1/me/totp/recovery-codes", map[string]string{"code": ""}), 400, "invalid", "code")
		fresh := decodeAs[recovery](t, c.expect(200, "POST", "/api/v1/me/totp/recovery-codes", codeAt(key, e.Now())))
		if len(fresh.RecoveryCodes) != 10 || fresh.RecoveryCodes[0] == old[0] {
			t.Fatalf("renewed codes %v", fresh.RecoveryCodes)
		}
		// The code that authorized it is used up.
		wantErr(t, c.do("POST", "/api/v1/me/totp/recovery-codes", codeAt(key, e.Now())), 400, "invalid", "code")
		if ev := e.events(store.AuditFilter{Action: audit.ActionRecoveryCodes}); len(ev) != 1 {
			t.Errorf("renewal audit: %+v", ev)
		}
		p := passwordStep(t, e, "jinjiang")
		wantErr(t, p.do("POST", "/api/v1/session/totp", map[string]string{"recovery_code": old[0]}), 401, "unauthenticated", "")
		p.expect(200, "POST", "/api/v1/session/totp", map[string]string{"recovery_code": fresh.RecoveryCodes[0]})
	})
}

// TestTOTPAcrossInstances: a second server on the same database, with no
// memory shared with the first, finishes a login the first began, and a
// code accepted by one is refused by the other.
func TestTOTPAcrossInstances(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		key, _ := enrol(t, e, e.login("jinjiang"))
		other := secondInstance(t, e)
		// The password at instance A, the code at instance B (the cookie jar
		// goes with the client: the same host, another port is another jar,
		// so the pending cookie is carried over by hand).
		a := passwordStep(t, e, "jinjiang")
		pendingToken := cookieValue(t, a, "lianxin_login_2fa")
		code := codeAt(key, e.Now())
		r := postWithCookie(t, other.URL+"/api/v1/session/totp", "lianxin_login_2fa", pendingToken, `{"code":"`+code["code"]+`"}`)
		if r.StatusCode != 200 {
			t.Fatalf("instance B: %d", r.StatusCode)
		}
		// The same code at instance A: a replay.
		b := passwordStep(t, e, "jinjiang")
		wantErr(t, b.do("POST", "/api/v1/session/totp", code), 401, "unauthenticated", "")
		fails := e.events(store.AuditFilter{Action: audit.ActionLoginFailed})
		if len(fails) != 1 || !strings.Contains(fails[0].Reason, "重放") {
			t.Errorf("replay across instances: %+v", fails)
		}
	})
}

// secondInstance serves the API from a second Store on the same database.
func secondInstance(t *testing.T, e *env) *httptest.Server {
	t.Helper()
	keys, err := pii.LoadOrCreate(filepath.Join(e.DataDir, "pii.keys"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := store.Config{DataDir: e.DataDir, AuditKey: []byte("test-audit-key"), PII: keys}
	if e.Store.Engine() == "postgres" {
		cfg.DSN = strings.TrimPrefix(e.Store.String(), "PostgreSQL ")
	}
	s, err := stores.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	srv := &api.Server{Store: s, Now: e.Now, Log: e.Server.Log, Version: "test-b", Auth: &auth.Service{Store: s, Now: e.Now, Params: e.Server.PasswordParams},
		PasswordParams: e.Server.PasswordParams, Codes: e.Server.Codes}
	h := httptest.NewServer(srv.Handler())
	t.Cleanup(h.Close)
	return h
}

func cookieValue(t *testing.T, c *client, name string) string {
	t.Helper()
	v := c.Cookie(name, "/api/v1/session/totp")
	if v == "" {
		t.Fatalf("no %s cookie", name)
	}
	return v
}

func postWithCookie(t *testing.T, url, name, value, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(&http.Cookie{Name: name, Value: value})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// TestOpenAPIDescribesSecondFactor: the contract's document carries the
// login's second step and the enrolment, with their bodies and answers.
func TestOpenAPIDescribesSecondFactor(t *testing.T) {
	e := apitest.New(t, "sqlite")
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any `json:"properties"`
				OneOf      []any          `json:"oneOf"`
			} `json:"schemas"`
		} `json:"components"`
	}
	e.Anon().Do("GET", "/api/openapi.json", nil).JSON(t, &doc)
	for path, methods := range map[string][]string{
		"/api/v1/session/totp":           {"post"},
		"/api/v1/me/totp":                {"get", "post", "delete"},
		"/api/v1/me/totp/confirm":        {"post"},
		"/api/v1/me/totp/recovery-codes": {"post"},
		"/api/v1/users/{id}/totp":        {"delete"},
		"/api/v1/settings/second-factor": {"get", "put"},
	} {
		for _, m := range methods {
			if _, ok := doc.Paths[path][m]; !ok {
				t.Errorf("%s %s is not documented", m, path)
			}
		}
	}
	for schema, fields := range map[string][]string{
		// the login answers the user or only the request for the second step
		"Me":                   {"username", "totp_enabled", "totp_required"},
		"pendingLogin":         {"second_factor_required", "second_factor_expires_at"},
		"secondFactorRequest":  {"code", "recovery_code"},
		"Enrolment":            {"secret", "uri", "qr"},
		"recoveryCodes":        {"recovery_codes"},
		"SecondFactorSettings": {"required_roles"},
		"UserView":             {"totp_enabled"},
	} {
		for _, f := range fields {
			if _, ok := doc.Components.Schemas[schema].Properties[f]; !ok {
				t.Errorf("schema %s lacks %s", schema, f)
			}
		}
	}
	if a := doc.Components.Schemas["LoginAnswer"].OneOf; len(a) != 2 {
		t.Errorf("LoginAnswer is one of %v", a)
	}
	if !strings.Contains(string(doc.Paths["/api/v1/session/totp"]["post"]), `"security":[]`) {
		t.Error("the second step is not documented as public")
	}
}

// Review of issue 11: an activation code from the org's staff sets a new
// password, never the phone: an account with a second factor still answers
// for its code before any session.
func TestActivationAsksForTheSecondFactor(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		key, _ := enrol(t, e, e.login("member"))
		u := e.dbUser("member")
		if u.MemberID == nil {
			t.Fatal("the member account has no member")
		}
		code := decodeAs[accounts.Activation](t, e.login("branch").expect(200, "POST", fmt.Sprintf("/api/v1/members/%d/activation", *u.MemberID), nil))
		member, err := e.Store.Members.RevealMember(context.Background(), store.System(e.Now(), "test"), *u.MemberID)
		if err != nil {
			t.Fatal(err)
		}
		c := e.anon()
		r := c.expect(200, "POST", "/api/v1/session/activate", map[string]string{"username": member.IDNumber, "code": code.Code, "password": "Member@2026new"})
		if m := r.Map(t); m["second_factor_required"] != true {
			t.Fatalf("activation answered %s", r.Body)
		}
		for _, sc := range r.Header.Values("Set-Cookie") {
			if strings.HasPrefix(sc, "lianxin_session=") {
				t.Fatalf("a session before the second factor: %s", sc)
			}
		}
		wantErr(t, c.do("GET", "/api/v1/me", nil), 401, "unauthenticated", "")
		c.expect(200, "POST", "/api/v1/session/totp", codeAt(key, e.Now()))
		c.expect(200, "GET", "/api/v1/me", nil)
	})
}
