package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api"
	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// ---- helpers shared by the scenario tests of this package ----

// env is one API under test. Every answer the helpers see is checked: a 5xx
// fails the test, because no client mistake may ever produce one. At the
// end of the test the server log is scanned for internal errors as well, so
// that a 5xx on a path the helpers did not see (e.Login) is caught too.
type env struct {
	*apitest.Env
	t *testing.T
	// allow5xx is set by the one test that provokes an internal error.
	allow5xx bool
}

// each runs fn on every engine with a fresh API.
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	apitest.Each(t, func(t *testing.T, ae *apitest.Env) {
		e := &env{Env: ae, t: t}
		t.Cleanup(func() {
			// Close waits for outstanding requests, so the log is complete.
			ae.HTTP.Close()
			if !e.allow5xx && strings.Contains(ae.Logs.String(), "internal error") {
				t.Errorf("the server logged an internal error:\n%s", ae.Logs.String())
			}
		})
		fn(t, e)
	})
}

// client is a logged-in (or anonymous) browser-like client.
type client struct {
	*apitest.Client
	e *env
	t *testing.T
}

func (e *env) login(username string) *client {
	e.t.Helper()
	return &client{Client: e.Login(username), e: e, t: e.t}
}

func (e *env) anon() *client { return &client{Client: e.Anon(), e: e, t: e.t} }

// do sends a request and fails the test on any 5xx answer.
func (c *client) do(method, path string, body any) apitest.Response {
	c.t.Helper()
	r := c.Do(method, path, body)
	if r.Status >= 500 && !c.e.allow5xx {
		c.t.Errorf("%s %s as %q: server error %d: %s", method, path, c.Who, r.Status, r.Body)
	}
	return r
}

// expect sends a request and stops the test unless the status is want.
func (c *client) expect(want int, method, path string, body any) apitest.Response {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.Status != want {
		c.t.Fatalf("%s %s as %q: status %d, want %d: %s", method, path, c.Who, r.Status, want, r.Body)
	}
	return r
}

// apiErr is the error envelope of DESIGN §6.
type apiErr struct {
	Code        string            `json:"code"`
	Message     string            `json:"message"`
	Fields      map[string]string `json:"fields"`
	LockedUntil string            `json:"locked_until"`
}

func errOf(t testing.TB, r apitest.Response) apiErr {
	t.Helper()
	var m struct {
		Error *apiErr `json:"error"`
	}
	r.JSON(t, &m)
	if m.Error == nil {
		t.Fatalf("no error object in %s", r.Body)
	}
	if m.Error.Message == "" || !hasHan(m.Error.Message) {
		t.Errorf("error message %q is not a Chinese message", m.Error.Message)
	}
	return *m.Error
}

// wantErr checks an error answer: status, code and (when field is not
// empty) a Chinese message for that field.
func wantErr(t testing.TB, r apitest.Response, status int, code, field string) apiErr {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	e := errOf(t, r)
	if e.Code != code {
		t.Errorf("error code %q, want %q: %s", e.Code, code, r.Body)
	}
	if field != "" {
		msg, ok := e.Fields[field]
		if !ok {
			t.Errorf("error names fields %v, want %q: %s", keys(e.Fields), field, r.Body)
		} else if !hasHan(msg) {
			t.Errorf("field %s: message %q is not Chinese", field, msg)
		}
	}
	return e
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func decodeAs[T any](t testing.TB, r apitest.Response) T {
	t.Helper()
	var v T
	r.JSON(t, &v)
	return v
}

// page is the list envelope.
type page[T any] struct {
	Items    []T `json:"items"`
	Total    int `json:"total"`
	Page     int `json:"page"`
	PageSize int `json:"page_size"`
}

// org is a Party org as the API answers it.
type org struct {
	ID             int64   `json:"id"`
	Name           string  `json:"name"`
	ShortName      string  `json:"short_name"`
	Type           string  `json:"type"`
	TypeName       string  `json:"type_name"`
	ParentID       *int64  `json:"parent_id"`
	ParentName     string  `json:"parent_name"`
	Path           string  `json:"path"`
	Depth          int     `json:"depth"`
	Region         string  `json:"region"`
	RegionName     string  `json:"region_name"`
	FoundedOn      *string `json:"founded_on"`
	SecretaryName  string  `json:"secretary_name"`
	TermStart      *string `json:"term_start"`
	TermYears      int     `json:"term_years"`
	TermEnd        *string `json:"term_end"`
	TermState      string  `json:"term_state"`
	Status         string  `json:"status"`
	DissolvedOn    *string `json:"dissolved_on"`
	DissolveReason string  `json:"dissolve_reason"`
	ChildCount     int     `json:"child_count"`
	Version        int     `json:"version"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// dataOrg returns the generated Party org with this id.
func (e *env) dataOrg(id int64) domain.PartyOrg {
	for _, o := range e.Data.PartyOrgs {
		if o.ID == id {
			return o
		}
	}
	e.t.Fatalf("no generated Party org %d", id)
	return domain.PartyOrg{}
}

// dataSubtree returns the generated Party orgs under path (inclusive).
func (e *env) dataSubtree(path string) []domain.PartyOrg {
	var out []domain.PartyOrg
	for _, o := range e.Data.PartyOrgs {
		if strings.HasPrefix(o.Path, path) {
			out = append(out, o)
		}
	}
	return out
}

// userID returns the id of an account, read from the database.
func (e *env) userID(username string) int64 {
	e.t.Helper()
	u, err := e.Store.Accounts.UserByUsername(context.Background(), username)
	if err != nil {
		e.t.Fatalf("user %s: %v", username, err)
	}
	return u.ID
}

// dbUser re-reads an account from the database.
func (e *env) dbUser(username string) accounts.UserView {
	e.t.Helper()
	u, err := e.Store.Accounts.UserByUsername(context.Background(), username)
	if err != nil {
		e.t.Fatalf("user %s: %v", username, err)
	}
	return u
}

// dbOrg re-reads a Party org from the database (whole tree).
func (e *env) dbOrg(id int64) registry.PartyOrgView {
	e.t.Helper()
	o, err := e.Store.Registry.GetPartyOrg(context.Background(), store.ScopeAll, id)
	if err != nil {
		e.t.Fatalf("party org %d: %v", id, err)
	}
	return o
}

// events reads the audit trail from the database.
func (e *env) events(f store.AuditFilter) []audit.Event {
	e.t.Helper()
	f.Page = store.Page{Size: store.MaxPageSize}
	evs, _, err := e.Store.ListAudit(context.Background(), f)
	if err != nil {
		e.t.Fatal(err)
	}
	return evs
}

func id(v int64) string { return strconv.FormatInt(v, 10) }

// ---- bad input ----

// TestBadBodies sends every kind of broken body to a write route: each gets
// 400 (413 when too large) with a Chinese message, naming the field where
// there is one, and nothing is written.
func TestBadBodies(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		jj := e.OrgID(apitest.JinjiangName)
		before := len(e.events(store.AuditFilter{Action: audit.ActionCreate, ObjectType: "party_org"}))
		huge := `{"parent_id": ` + id(jj) + `, "type": "branch", "region": "510104", "name": "` + strings.Repeat("党", api.MaxBody/3+10) + `"}`
		for _, tc := range []struct {
			name   string
			body   string
			status int
			code   string
			field  string // named in error.fields
			msg    string // part of the message
		}{
			{"malformed", `{"name": "x",`, 400, "invalid", "", "JSON"},
			{"syntax error", `{name: "x"}`, 400, "invalid", "", "不是有效的 JSON"},
			{"empty body", ``, 400, "invalid", "", "不能为空"},
			{"not an object", `["a"]`, 400, "invalid", "", "JSON 对象"},
			{"two objects", `{"name": "a"} {"name": "b"}`, 400, "invalid", "", "一个 JSON 对象"},
			{"unknown field", `{"parent_id": ` + id(jj) + `, "name": "甲", "type": "branch", "region": "510104", "colour": "red"}`, 400, "invalid", "colour", "colour"},
			{"wrong type name", `{"parent_id": ` + id(jj) + `, "name": 123, "type": "branch", "region": "510104"}`, 400, "invalid", "name", "name"},
			{"wrong type parent_id", `{"parent_id": "锦江", "name": "甲", "type": "branch", "region": "510104"}`, 400, "invalid", "parent_id", "parent_id"},
			{"wrong type term_years", `{"parent_id": ` + id(jj) + `, "name": "甲", "type": "branch", "region": "510104", "term_years": "三"}`, 400, "invalid", "term_years", "term_years"},
			{"null", `null`, 400, "invalid", "parent_id", ""},
			{"missing fields", `{"parent_id": ` + id(jj) + `}`, 400, "invalid", "name", ""},
			{"too large", huge, 413, "too_large", "", "1 MiB"},
		} {
			r := c.do("POST", "/api/v1/party-orgs", tc.body)
			got := wantErr(t, r, tc.status, tc.code, tc.field)
			noGoText(t, tc.name, r)
			if !strings.Contains(got.Message, tc.msg) {
				t.Errorf("%s: message %q does not contain %q", tc.name, got.Message, tc.msg)
			}
		}
		if n := len(e.events(store.AuditFilter{Action: audit.ActionCreate, ObjectType: "party_org"})); n != before {
			t.Errorf("bad bodies created %d Party orgs", n-before)
		}
		list := decodeAs[page[org]](t, c.expect(200, "GET", "/api/v1/party-orgs?q="+url.QueryEscape("甲")+"&under="+id(jj), nil))
		if list.Total != 0 {
			t.Errorf("a bad body was written: %+v", list.Items)
		}

		// The same rules hold on the public login route and on PATCH.
		wantErr(t, e.anon().do("POST", "/api/v1/session", `{"username": "jinjiang", "password": "x", "remember": true}`), 400, "invalid", "remember")
		wantErr(t, e.anon().do("POST", "/api/v1/session", `{"username": 1}`), 400, "invalid", "username")
		wantErr(t, e.anon().do("POST", "/api/v1/session", `{}`), 400, "invalid", "username")
		// Text no field may hold is refused before the login looks anything up:
		// 400, not 401 (and not PostgreSQL's 500 for a NUL byte).
		wantErr(t, e.anon().do("POST", "/api/v1/session", `{"username": "jin\u0000jiang", "password": "x"}`), 400, "invalid", "username")
		wantErr(t, e.anon().do("POST", "/api/v1/session", `{"username": "jinjiang", "password": "Test\u0000"}`), 400, "invalid", "password")
		wantErr(t, e.anon().do("POST", "/api/v1/session", `{"username": "\u202Ejinjiang", "password": "x"}`), 400, "invalid", "username")
		wantErr(t, e.anon().do("POST", "/api/v1/session", `{"username": "jinjiang", "password": "`+strings.Repeat("a", api.MaxBody)+`"}`), 413, "too_large", "")
		wantErr(t, c.do("PATCH", "/api/v1/party-orgs/"+id(jj), `{"term_start": 20240101}`), 400, "invalid", "term_start")
		wantErr(t, c.do("PATCH", "/api/v1/party-orgs/"+id(jj), `{"parent_id": 1}`), 400, "invalid", "parent_id")
		wantErr(t, c.do("PATCH", "/api/v1/party-orgs/"+id(jj), `{"status": "dissolved"}`), 400, "invalid", "status")
		wantErr(t, c.do("POST", "/api/v1/party-orgs/"+id(jj)+"/move", `{"parent_id": null}`), 400, "invalid", "parent_id")
		wantErr(t, c.do("PUT", "/api/v1/me/password", `{"old_password": true}`), 400, "invalid", "old_password")
		if got := e.dbOrg(jj); got.Version != 1 || got.TermStart != e.dataOrg(jj).TermStart {
			t.Errorf("a rejected PATCH changed the org: %+v", got.PartyOrg)
		}
	})
}

// TestBadQueries checks query parameters and path ids: 400 naming the
// parameter, 404 for ids that cannot exist, never a 500.
func TestBadQueries(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("city")
		for _, tc := range []struct{ query, field string }{
			{"page_size=201", "page_size"},
			{"page_size=0", "page_size"},
			{"page_size=abc", "page_size"},
			{"page=0", "page"},
			{"page=-1", "page"},
			{"page=1.5", "page"},
			{"sort=password_hash", "sort"},
			{"sort=" + url.QueryEscape("name;DROP TABLE users"), "sort"},
			{"sort=--name", "sort"},
			{"status=deleted", "status"},
			{"type=cell", "type"},
			{"parent_id=abc", "parent_id"},
			{"parent_id=-3", "parent_id"},
			{"under=1e3", "under"},
		} {
			wantErr(t, c.do("GET", "/api/v1/party-orgs?"+tc.query, nil), 400, "invalid", tc.field)
		}
		// Several bad parameters are reported together.
		got := wantErr(t, c.do("GET", "/api/v1/party-orgs?page_size=500&sort=x", nil), 400, "invalid", "page_size")
		if _, ok := got.Fields["sort"]; !ok {
			t.Errorf("only %v reported", keys(got.Fields))
		}
		// Edge values that are not mistakes answer normally.
		for _, q := range []string{"page_size=200", "page=1073741824", "q=%25", "q=_", "q=" + url.QueryEscape(strings.Repeat("党", 2000)), "region=nowhere", "under=999999999", "sort=-term_end"} {
			r := c.expect(200, "GET", "/api/v1/party-orgs?"+q, nil)
			l := decodeAs[page[org]](t, r)
			if strings.HasPrefix(q, "page=") || strings.HasPrefix(q, "q=") || strings.HasPrefix(q, "region=") || strings.HasPrefix(q, "under=") {
				if len(l.Items) != 0 {
					t.Errorf("%s: %d items, want none", q, len(l.Items))
				}
			}
		}
		for _, p := range []string{"abc", "0", "-1", "99999999999999999999", "1.0", "999999999"} {
			wantErr(t, c.do("GET", "/api/v1/party-orgs/"+p, nil), 404, "not_found", "")
			wantErr(t, c.do("GET", "/api/v1/party-orgs/"+p+"/history", nil), 404, "not_found", "")
		}
		wantErr(t, c.do("GET", "/api/v1/no-such-thing", nil), 404, "not_found", "")
		wantErr(t, c.do("DELETE", "/api/v1/party-orgs/1", nil), 404, "not_found", "")
		a := e.login("auditor")
		wantErr(t, a.do("GET", "/api/v1/audit-events?from=yesterday", nil), 400, "invalid", "from")
		wantErr(t, a.do("GET", "/api/v1/audit-events?action=drop", nil), 400, "invalid", "action")
		wantErr(t, a.do("GET", "/api/v1/audit-events?result=maybe", nil), 400, "invalid", "result")
		ad := e.login("admin")
		wantErr(t, ad.do("GET", "/api/v1/users?status=gone", nil), 400, "invalid", "status")
		wantErr(t, ad.do("GET", "/api/v1/users?role=king", nil), 400, "invalid", "role")
		wantErr(t, ad.do("GET", "/api/v1/users/abc", nil), 404, "not_found", "")
	})
}

// TestInternalErrorShowsNoDetails closes the database under the server: the
// answer is 500 with the generic Chinese message and nothing of the cause,
// which goes to the log instead.
func TestInternalErrorShowsNoDetails(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		e.allow5xx = true
		if err := e.Store.Close(); err != nil {
			t.Fatal(err)
		}
		for _, rq := range []struct{ method, path string }{{"GET", "/api/v1/party-orgs"}, {"GET", "/api/v1/me"}, {"POST", "/api/v1/session"}} {
			var body any
			if rq.method == "POST" {
				body = map[string]string{"username": "jinjiang", "password": apitest.Password}
			}
			r := c.do(rq.method, rq.path, body)
			got := wantErr(t, r, 500, "internal", "")
			if got.Message != "服务器内部错误，请稍后重试；如持续出现请联系系统管理员" || len(got.Fields) != 0 {
				t.Errorf("%s %s: %s", rq.method, rq.path, r.Body)
			}
			low := strings.ToLower(r.Body)
			for _, leak := range []string{"sql", "database", "closed", "select", "sqlite", "pgx", "panic", "goroutine"} {
				if strings.Contains(low, leak) {
					t.Errorf("%s %s: the answer leaks %q: %s", rq.method, rq.path, leak, r.Body)
				}
			}
			if r.Header.Get("X-Request-Id") == "" {
				t.Errorf("no request id to quote to the administrator")
			}
		}
		e.HTTP.Close()
		logs := e.Logs.String()
		if !strings.Contains(logs, "internal error") || !strings.Contains(logs, "closed") {
			t.Errorf("the cause is not logged:\n%s", logs)
		}
	})
}

// TestCrossOriginWrites checks the cross-origin protection: a browser write
// from another site is refused before it reaches a handler; reads and
// same-origin writes pass, and so do API clients that send neither header.
func TestCrossOriginWrites(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		token := sessionToken(t, e, "jinjiang")
		jj := e.OrgID(apitest.JinjiangName)
		body := `{"parent_id": ` + id(jj) + `, "name": "中共跨站测试党支部", "type": "branch", "region": "510104"}`
		send := func(method, path, body string, hdr map[string]string) (int, string) {
			t.Helper()
			var rd io.Reader
			if body != "" {
				rd = strings.NewReader(body)
			}
			req, err := http.NewRequest(method, e.HTTP.URL+path, rd)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.AddCookie(&http.Cookie{Name: "lianxin_session", Value: token})
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode >= 500 {
				t.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
			}
			return resp.StatusCode, string(b)
		}
		for _, hdr := range []map[string]string{
			{"Sec-Fetch-Site": "cross-site"},
			{"Sec-Fetch-Site": "same-site"},
			{"Origin": "https://evil.example.com"},
		} {
			st, b := send("POST", "/api/v1/party-orgs", body, hdr)
			wantErr(t, apitest.Response{Status: st, Body: b}, 403, "forbidden", "")
			st, b = send("DELETE", "/api/v1/session", "", hdr)
			wantErr(t, apitest.Response{Status: st, Body: b}, 403, "forbidden", "")
			st, b = send("POST", "/api/v1/session", `{"username": "jinjiang", "password": "`+apitest.Password+`"}`, hdr)
			wantErr(t, apitest.Response{Status: st, Body: b}, 403, "forbidden", "")
		}
		if n := len(e.events(store.AuditFilter{Action: audit.ActionCreate, ObjectType: "party_org"})); n != 0 {
			t.Fatalf("a cross-site write was carried out (%d creates)", n)
		}
		// Reads from anywhere, and writes from the app itself, pass.
		if st, b := send("GET", "/api/v1/me", "", map[string]string{"Sec-Fetch-Site": "cross-site"}); st != 200 {
			t.Errorf("cross-site GET: %d %s", st, b)
		}
		if st, b := send("POST", "/api/v1/party-orgs", body, map[string]string{"Sec-Fetch-Site": "same-origin"}); st != 201 {
			t.Errorf("same-origin POST: %d %s", st, b)
		}
		if st, b := send("PATCH", "/api/v1/party-orgs/"+id(jj), `{"secretary_name": "王五"}`, nil); st != 200 {
			t.Errorf("header-less API client PATCH: %d %s", st, b)
		}
	})
}

// noGoText fails when an answer repeats words of Go's parsers.
func noGoText(t *testing.T, name string, r apitest.Response) {
	t.Helper()
	for _, g := range goParserText {
		if strings.Contains(r.Body, g) {
			t.Errorf("%s: the answer holds Go parser text %q: %s", name, g, r.Body)
		}
	}
}

// sessionToken logs in with a raw request and returns the cookie value.
func sessionToken(t *testing.T, e *env, username string) string {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"username": username, "password": apitest.Password})
	resp, err := http.Post(e.HTTP.URL+"/api/v1/session", "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	for _, c := range resp.Cookies() {
		if c.Name == "lianxin_session" {
			return c.Value
		}
	}
	t.Fatalf("login %s: %d, no session cookie", username, resp.StatusCode)
	return ""
}

// TestDecodeMessages checks that every parse failure is one Chinese
// sentence naming the field, never the words of Go's JSON, number or time
// parsers, and that numbers beyond a column's or the domain's range are
// refused alike on both engines.
func TestDecodeMessages(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		jj := e.OrgID(apitest.JinjiangName)
		child := firstChild(t, e.Env, jj)
		activity := func(extra string) string {
			return `{"party_org_id": ` + id(child) + `, "type": "theme_day", "title": "主题党日", "address": "某处", ` + extra + `}`
		}
		org := func(extra string) string {
			return `{"uscc": "91510104MA6C00001J", "name": "测试有限公司", "region": "510104", "industry": "I", "area_manager_id": ` + id(child) + `, ` + extra + `}`
		}
		for _, tc := range []struct {
			name, path, body, field, msg string
		}{
			{"time not RFC 3339", "/api/v1/activities", activity(`"starts_at": "明天上午", "ends_at": "2026-11-28T03:00:00Z"`), "starts_at", "RFC 3339"},
			{"time as object", "/api/v1/activities", activity(`"starts_at": "2026-11-28T01:00:00Z", "ends_at": {}`), "ends_at", "RFC 3339"},
			{"time before 1900", "/api/v1/activities", activity(`"starts_at": "1899-12-31T01:00:00Z", "ends_at": "2026-11-28T03:00:00Z"`), "starts_at", "1900年至2099年"},
			{"number too big for an int", "/api/v1/party-orgs", `{"parent_id": ` + id(jj) + `, "name": "甲", "type": "branch", "region": "510104", "term_years": 1e20}`, "term_years", "整数"},
			{"fraction for an int", "/api/v1/party-orgs", `{"parent_id": ` + id(jj) + `, "name": "甲", "type": "branch", "region": "510104", "term_years": 3.5}`, "term_years", "整数"},
			{"id beyond int64", "/api/v1/party-orgs", `{"parent_id": 9223372036854775808, "name": "甲", "type": "branch", "region": "510104"}`, "parent_id", "整数"},
			{"employees beyond INTEGER", "/api/v1/organizations", org(`"employees": 2147483648`), "employees", "范围"},
			{"employees beyond reason", "/api/v1/organizations", org(`"employees": 1000000000`), "employees", "10000000"},
			{"date before 1900", "/api/v1/organizations", org(`"registered_on": "1899-12-31"`), "registered_on", "1900年至2099年"},
			{"NUL in a name", "/api/v1/organizations", org(`"legal_representative": "张\u0000三"`), "legal_representative", "U+0000"},
			{"unknown field with NUL", "/api/v1/organizations", org(`"x\u0000": 1`), "", "不支持的字段"},
		} {
			r := c.do("POST", tc.path, tc.body)
			got := wantErr(t, r, 400, "invalid", tc.field)
			noGoText(t, tc.name, r)
			if !strings.Contains(got.Message, tc.msg) {
				t.Errorf("%s: message %q does not contain %q", tc.name, got.Message, tc.msg)
			}
		}
	})
}
