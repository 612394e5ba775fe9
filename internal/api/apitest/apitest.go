// Package apitest runs the API against a real database for tests: a fresh
// database per test and engine, a copy of the small synthetic city generated
// once per test binary, served by httptest, with a settable clock and cheap
// password hashing.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api"
	"github.com/lianxin/lianxin/internal/app"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// Password is the password of every generated account.
const Password = "Test@2026pass"

// Start is the clock's initial time: 2026-11-27 10:00 in Chengdu.
var Start = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

// Cheap argon2id parameters keep tests fast; production uses DefaultParams.
var cheap = auth.Params{Memory: 64, Time: 1, Threads: 1}

// Env is one running API on one engine.
type Env struct {
	T      testing.TB
	Store  *stores.Set
	App    *app.App
	Server *api.Server
	HTTP   *httptest.Server
	Data   gen.Result
	Logs   *bytes.Buffer
	// DataDir holds the SQLite files (and the key files).
	DataDir string

	mu  sync.Mutex
	now time.Time
}

// Now returns the test clock.
func (e *Env) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

// Advance moves the clock forward.
func (e *Env) Advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// Each runs fn once per available engine with a fresh Env.
func Each(t *testing.T, fn func(t *testing.T, e *Env)) {
	for _, eng := range storetest.Engines() {
		t.Run(eng, func(t *testing.T) { fn(t, New(t, eng)) })
	}
}

// city is the small synthetic city every Env starts from: generated and
// loaded once per test binary and engine, then copied for each Env (a
// generation and a load cost seconds, a copy a fraction of that).
var city = storetest.NewTemplate(func(ctx context.Context, s *stores.Set) (gen.Result, error) {
	hash, err := auth.HashPassword(Password, cheap)
	if err != nil {
		return gen.Result{}, err
	}
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	res := gen.Generate(gen.Options{Scale: gen.Small, Seed: 1, Today: today, PasswordHash: hash})
	return res, s.Bulk.LoadDataset(ctx, store.System(Start, "test"), res.Dataset, "test")
})

// New starts an API on a fresh copy of the small city on the engine.
func New(t testing.TB, engine string) *Env {
	t.Helper()
	s, dir, data := city.Open(t, engine)
	e := &Env{T: t, Store: s, DataDir: dir, now: Start, Logs: &bytes.Buffer{}, Data: cloneLists(data)}
	log := slog.New(slog.NewTextHandler(e.Logs, nil))
	a, err := app.New(context.Background(), s, app.Options{DataDir: dir, Instance: "test", Params: cheap, Now: e.Now, Log: log, NoLoginThrottle: true})
	if err != nil {
		t.Fatal(err)
	}
	e.App = a
	e.Server = a.Server(app.Edge{Version: "test"})
	t.Cleanup(a.Imports.Wait) // before the store closes: cleanups run last first
	// Only the import runner: the tests run the daily and periodic jobs
	// themselves, at the instants they choose.
	a.Imports.Start(t.Context())
	e.HTTP = httptest.NewServer(e.Server.Handler())
	t.Cleanup(e.HTTP.Close)
	return e
}

// cloneLists returns r with every list copied: the generated data is shared
// by all Envs of the run, and a test that changes an element of its own
// must not change another test's.
func cloneLists(r gen.Result) gen.Result {
	v := reflect.ValueOf(&r).Elem()
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			switch {
			case f.Kind() == reflect.Slice && !f.IsNil():
				c := reflect.MakeSlice(f.Type(), f.Len(), f.Len())
				reflect.Copy(c, f)
				f.Set(c)
			case f.Kind() == reflect.Struct && v.Type().Field(i).Anonymous:
				walk(f)
			}
		}
	}
	walk(v)
	return r
}

// Client is a browser-like client with its own cookie jar.
type Client struct {
	e   *Env
	t   testing.TB
	c   *http.Client
	Who string
}

// With returns the client reporting failures to t (a subtest or a fuzz
// target) instead of the test that made the Env.
func (c *Client) With(t testing.TB) *Client {
	cp := *c
	cp.t = t
	return &cp
}

// Anon returns a client that is not logged in.
func (e *Env) Anon() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{e: e, t: e.T, c: &http.Client{Jar: jar}}
}

// AnonFrom returns a client that is not logged in and connects from ip, a
// loopback address other than 127.0.0.1 (Linux routes all of 127/8 to the
// loopback interface): the server sees another client address.
func (e *Env) AnonFrom(ip string) *Client {
	c := e.Anon()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	c.c.Transport = &http.Transport{DialContext: d.DialContext}
	return c
}

// Login returns a client logged in as username (with the generated password).
func (e *Env) Login(username string) *Client {
	e.T.Helper()
	c := e.Anon()
	c.Who = username
	r := c.Do("POST", "/api/v1/session", map[string]string{"username": username, "password": Password})
	if r.Status != 200 {
		e.T.Fatalf("login %s: %d %s", username, r.Status, r.Body)
	}
	return c
}

// Cookie returns the value of the client's cookie name for path, or "".
func (c *Client) Cookie(name, path string) string {
	u, err := url.Parse(c.e.HTTP.URL + path)
	if err != nil {
		return ""
	}
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// Response is a decoded answer.
type Response struct {
	Status int
	Body   string
	Header http.Header
}

// JSON decodes the body into v.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r Response) Map(t testing.TB) map[string]any {
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// ErrorField returns error.fields[name] of an error answer.
func (r Response) ErrorField(t testing.TB, name string) string {
	var m struct {
		Error struct {
			Code    string            `json:"code"`
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
		} `json:"error"`
	}
	r.JSON(t, &m)
	return m.Error.Fields[name]
}

// Multipart is a multipart/form-data body: fields and one file.
type Multipart struct {
	Fields   map[string]string
	FileName string
	File     []byte
}

func (m Multipart) encode() (io.Reader, string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range m.Fields {
		if err := mw.WriteField(k, v); err != nil {
			return nil, "", err
		}
	}
	if m.FileName != "" {
		fw, err := mw.CreateFormFile("file", m.FileName)
		if err != nil {
			return nil, "", err
		}
		if _, err := fw.Write(m.File); err != nil {
			return nil, "", err
		}
	}
	return &buf, mw.FormDataContentType(), mw.Close()
}

// Do sends a request; body is JSON-encoded unless it is a string, bytes, a
// Multipart form or nil.
func (c *Client) Do(method, path string, body any) Response {
	c.t.Helper()
	var rd io.Reader
	ctype := "application/json"
	switch b := body.(type) {
	case Multipart:
		var err error
		if rd, ctype, err = b.encode(); err != nil {
			c.t.Fatal(err)
		}
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.e.HTTP.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return Response{Status: resp.StatusCode, Body: string(b), Header: resp.Header}
}

// OrgID returns the id of the generated Party org with this exact name.
func (e *Env) OrgID(name string) int64 {
	for _, o := range e.Data.PartyOrgs {
		if o.Name == name {
			return o.ID
		}
	}
	e.T.Fatalf("no generated Party org named %q", name)
	return 0
}

// Names of generated nodes the tests rely on.
const (
	CityName     = "中共成都市委两新工委"
	JinjiangName = "中共成都市锦江区委两新工委"
	QingyangName = "中共成都市青羊区委两新工委"
)
