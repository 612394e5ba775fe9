package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api"
	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/domain/filing"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/alerts"
)

// badValue is one value of the corpus: as raw JSON for bodies, and as the
// text it stands for in query parameters, path segments and form fields.
type badValue struct {
	name string
	json string
	text string // "" when the value has no text form
	// class says which fields must refuse it with 400 naming the field.
	class valueClass
}

type valueClass int

const (
	badText   valueClass = iota // refused by every field (as text, or as the wrong type)
	badDate                     // refused by date fields
	badInt32                    // refused by 32-bit integer fields (and, as a number, by text fields)
	badNumber                   // refused by every integer field (and by text fields)
	badObject                   // a JSON object: refused by every field that is not an object
	badBool                     // true: refused by every field that is not a bool
	other                       // must only never be a 500
)

// corpus is what a careless or hostile client sends.
var corpus = []badValue{
	{"NUL", `"jin\u0000jiang"`, "jin\x00jiang", badText},
	{"C0 bell", `"警\u0007报"`, "警\a报", badText},
	{"escape sequence", `"\u001b[31m红色"`, "\x1b[31m红色", badText},
	{"C1", `"甲\u0085乙"`, "甲\u0085乙", badText},
	{"C1 CSI", `"甲\u009b乙"`, "甲\u009b乙", badText},
	{"right-to-left override", `"合同\u202Egpj.exe"`, "合同\u202Egpj.exe", badText},
	{"bidi isolate", `"\u2067名称\u2069"`, "\u2067名称\u2069", badText},
	{"zero-width only", `"\u200b\u200c\u200d"`, "\u200b\u200c\u200d", badText},
	{"BOM and word joiner only", `"\ufeff \u2060"`, "\ufeff \u2060", badText},
	{"lone surrogate escape", `"名称\ud800"`, "", badText},
	{"invalid UTF-8", "\"名\xff\xfe称\"", "名\xff\xfe称", badText},
	{"very long", `"` + strings.Repeat("党", 5000) + `"`, strings.Repeat("党", 5000), other},
	{"1899-12-31", `"1899-12-31"`, "1899-12-31", badDate},
	{"9999-12-31", `"9999-12-31"`, "9999-12-31", badDate},
	{"2147483648", `2147483648`, "2147483648", badInt32},
	{"-2147483649", `-2147483649`, "-2147483649", badInt32},
	{"1e20", `1e20`, "1e20", badNumber},
	{"9007199254740993", `9007199254740993`, "9007199254740993", badInt32},
	{"object", `{"a": 1}`, "", badObject},
	{"true", `true`, "", badBool},
	{"array of NUL", `["\u0000"]`, "", other},
}

// goParserText are words of Go's parsers that must never reach a user.
var goParserText = []string{"json:", "strconv", "parsing", "invalid character", "cannot unmarshal", "Go value", "Go struct", "unexpected end", "time.Time", "ParseInt", "multipart:", "EOF"}

// TestInputCorpus sends the corpus to every writing route of the route
// table, one field of a body that would otherwise succeed at a time, and to
// the query parameters of the reading routes and the path segments of all,
// on every engine. No answer may be a 500 or speak Go; a value that no field
// of its kind may hold is refused with 400 naming the field; a refused
// request leaves the audit head and the business tables as they were; and
// both engines give the same answers.
func TestInputCorpus(t *testing.T) {
	answers := map[string]map[string]int{}
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		engine := t.Name()[strings.LastIndex(t.Name(), "/")+1:]
		f := newCorpusRun(t, e)
		start := time.Now()
		f.run()
		answers[engine] = f.answers
		t.Logf("%s: %d requests in %v, %d fingerprints %v", engine, len(f.answers), time.Since(start).Round(time.Millisecond), f.fpN, f.fpTime)
	})
	if a, b := answers["sqlite"], answers["postgres"]; a != nil && b != nil {
		var diffs []string
		for k, st := range a {
			if b[k] != st {
				diffs = append(diffs, fmt.Sprintf("%s: sqlite %d, postgres %d", k, st, b[k]))
			}
		}
		sort.Strings(diffs)
		if len(diffs) > 0 {
			t.Errorf("the engines answered %d requests differently, e.g.:\n%s", len(diffs), strings.Join(diffs[:min(len(diffs), 20)], "\n"))
		}
	}
}

type corpusRun struct {
	t       *testing.T
	e       *apitest.Env
	ctx     context.Context
	callers map[string]*apitest.Client
	perms   map[string][]auth.Permission // by username
	ids     map[string]int64             // path ids by resource
	bodies  map[string]map[string]any    // bodies that succeed, by route
	forms   map[string]apitest.Multipart // forms that succeed, by route
	paths   map[string]string            // values of the other path wildcards
	answers map[string]int               // status by request, to compare engines
	turn    int                          // the corpus's next value for sample
	// before is the fingerprint after the last success, pending the
	// refusals since; seq is the audit head after the last request.
	before  store.Fingerprint
	pending []string
	seq     int64
	fpTime  time.Duration
	fpN     int
}

func newCorpusRun(t *testing.T, e *apitest.Env) *corpusRun {
	ctx := context.Background()
	f := &corpusRun{t: t, e: e, ctx: ctx, callers: map[string]*apitest.Client{}, perms: map[string][]auth.Permission{},
		ids: map[string]int64{}, answers: map[string]int{}}
	sys := store.System(apitest.Start, "test")
	jj := e.OrgID(apitest.JinjiangName)
	jjChild := firstChild(t, e, jj)
	// A branch of its own to patch, move, elect and file for.
	name, typ, region := "中共输入测试党支部", "branch", "510104"
	branch, err := e.Store.Registry.CreatePartyOrg(ctx, sys, &jjChild, domain.PartyOrgInput{Name: &name, Type: &typ, Region: &region})
	if err != nil {
		t.Fatal(err)
	}
	sibling := secondChild(t, e, jj, jjChild)
	member := createMember(t, e, "510104199003070015", branch.ID)
	org := createOrganization(t, e, "91510104MA6C00000F", jjChild)
	asg, err := e.Store.Registry.CreateAssignment(ctx, sys, org, assignment("输入指导员", "instructor", "2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	zones, _, err := e.Store.Registry.ListZones(ctx, scopeOf(t, e, jj), "", store.Page{Size: 1})
	if err != nil || len(zones) == 0 {
		t.Fatalf("no zone: %v", err)
	}
	act, err := e.Store.Life.CreateActivity(ctx, sys, activity.ActivityInput{PartyOrgID: branch.ID, Type: activity.ThemeDay, Title: "输入测试主题党日",
		StartsAt: apitest.Start.Add(-time.Hour), EndsAt: apitest.Start.Add(time.Hour), Address: "锦江区某处"})
	if err != nil {
		t.Fatal(err)
	}
	pendingFiling, err := e.Store.Filings.CreateSecretaryFiling(ctx, sys, filing.SecretaryFilingInput{PartyOrgID: branch.ID, Kind: filing.FilingAppointment,
		MemberID: &member, EffectiveOn: "2026-11-27", Method: "appointed"})
	if err != nil {
		t.Fatal(err)
	}
	terms, err := e.Store.Filings.RecordTerm(ctx, sys, branch.ID, domain.TermInput{StartOn: "2026-11-27"})
	if err != nil {
		t.Fatal(err)
	}
	end, _ := domain.ParseDate(string(terms.Current.EndOn))
	postpone := end.AddDate(0, 6, 0).Format(domain.DateLayout)
	change, err := e.Store.Filings.CreateTermChange(ctx, sys, domain.TermChangeInput{PartyOrgID: branch.ID, Kind: domain.TermPostpone, NewDate: postpone, Reason: "测试延期"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.Alerts.RunAlerts(ctx, sys, domain.DateOf(apitest.Start), alerts.RunManual); err != nil {
		t.Fatal(err)
	}
	alerts, _, err := e.Store.Alerts.ListAlerts(ctx, scopeOf(t, e, jj), alerts.AlertFilter{Page: store.Page{Size: 1}})
	if err != nil || len(alerts) == 0 {
		t.Fatalf("no alert: %v", err)
	}
	jjUser, err := e.Store.Accounts.UserByUsername(ctx, "jinjiang")
	if err != nil {
		t.Fatal(err)
	}
	target, err := e.Store.Accounts.CreateUser(ctx, sys, accounts.NewUser{Username: "input-target", DisplayName: "输入测试", PartyOrgID: jj,
		Roles: []domain.Role{domain.RoleDistrictStaff}, PasswordHash: e.Data.Users[0].PasswordHash})
	if err != nil {
		t.Fatal(err)
	}
	memberCode, err := checkin.MemberCodes{Keys: e.Server.Codes}.Issue(member, apitest.Start)
	if err != nil {
		t.Fatal(err)
	}
	// A member's own account, and an activity of its org running now.
	self := e.Data.MemberLinks[0]
	selfOrg := int64(0)
	for _, m := range e.Data.Members {
		if m.ID == self.MemberID && m.PartyOrgID != nil {
			selfOrg = *m.PartyOrgID
		}
	}
	selfAct, err := e.Store.Life.CreateActivity(ctx, sys, activity.ActivityInput{PartyOrgID: selfOrg, Type: activity.ThemeDay, Title: "党员签到测试",
		StartsAt: apitest.Start.Add(-time.Hour), EndsAt: apitest.Start.Add(time.Hour), Address: "某处"})
	if err != nil {
		t.Fatal(err)
	}
	actCode, err := checkin.ActivityCodes{Keys: e.Server.Codes}.Issue(selfAct.ID, selfAct.StartsAt, selfAct.EndsAt)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := e.Store.Alerts.AlertRules(ctx)
	if err != nil || len(rules) == 0 {
		t.Fatalf("no rules: %v", err)
	}
	f.ids = map[string]int64{"party-orgs": branch.ID, "zones": zones[0].ID, "organizations": org, "members": member,
		"assignments": asg.ID, "activities": act.ID, "secretary-filings": pendingFiling.ID, "term-changes": change.ID,
		"alerts": alerts[0].ID, "users": target.ID}

	// Callers: every permission a writing route asks for is someone's.
	for _, who := range []string{"jinjiang", "jinjiang.pii", "city", "admin", "secadmin", "auditor", self.Username, "qingyang"} {
		f.callers[who] = e.Login(who)
		for _, u := range e.Data.Users {
			if u.Username == who {
				f.perms[who] = auth.PermissionsOf(u.Roles)
			}
		}
	}
	f.callers["anon"] = e.Anon()
	// A finished import job, and the attachment to delete.
	job := startAndWait(t, e, f.callers["jinjiang"], upload("organizations", orgWorkbook(t, [3]string{testUSCC(951), "输入导入一有限公司", firstChildName(t, e, jj)}), false))
	f.ids["imports"] = job.ID
	up := f.callers["jinjiang"].Do("POST", fmt.Sprintf("/api/v1/activities/%d/attachments", act.ID), apitest.Multipart{FileName: "照片.png", File: tinyPNG(t)})
	var att struct {
		ID int64 `json:"id"`
	}
	if up.Status != 201 {
		t.Fatalf("attachment: %d %s", up.Status, up.Body)
	}
	up.JSON(t, &att)
	f.ids["aid"] = att.ID

	activityBody := map[string]any{"party_org_id": branch.ID, "type": "theme_day", "title": "输入测试活动", "address": "锦江区某处",
		"starts_at": "2026-11-28T01:00:00Z", "ends_at": "2026-11-28T03:00:00Z"}
	filingBody := map[string]any{"party_org_id": branch.ID, "kind": "appointment", "member_id": member, "effective_on": "2026-11-27", "method": "appointed"}
	f.bodies = map[string]map[string]any{
		"POST /api/v1/session":                        {"username": "qingyang", "password": apitest.Password},
		"PUT /api/v1/me/password":                     {"old_password": apitest.Password, "new_password": "New@Pass2026x"},
		"POST /api/v1/zones":                          {"name": "输入测试园区", "kind": "park", "region": "510104", "party_org_id": jj},
		"PATCH /api/v1/zones/{id}":                    {"name": "输入测试改名"},
		"POST /api/v1/party-orgs":                     {"parent_id": jjChild, "name": "中共输入新建党支部", "type": "branch", "region": "510104"},
		"PATCH /api/v1/party-orgs/{id}":               {"secretary_name": "王五"},
		"POST /api/v1/party-orgs/{id}/move":           {"parent_id": sibling},
		"POST /api/v1/party-orgs/{id}/dissolve":       {"dissolved_on": "2026-11-01", "reason": "测试撤销"},
		"POST /api/v1/organizations":                  {"uscc": "91510104MA6C00001J", "name": "输入测试有限公司", "region": "510104", "industry": "I", "area_manager_id": jjChild},
		"PATCH /api/v1/organizations/{id}":            {"name": "输入测试改名有限公司"},
		"POST /api/v1/organizations/{id}/covers":      {"party_org_id": branch.ID},
		"POST /api/v1/organizations/{id}/assignments": {"person": "输入联络员", "role": "liaison", "from": "2026-01-01"},
		"PATCH /api/v1/assignments/{id}":              {"to": "2026-11-01"},
		"POST /api/v1/members":                        {"name": "输入测试", "id_number": "510107194910010012", "joined_on": "1980-01-01", "full_member_on": "1981-01-01", "status": "full", "party_org_id": branch.ID},
		"PATCH /api/v1/members/{id}":                  {"name": "输入改名"},
		"POST /api/v1/users":                          {"username": "input-new", "display_name": "输入新建", "party_org_id": jj, "roles": []string{"district_staff"}, "password": "Intr@der2026x"},
		"PATCH /api/v1/users/{id}":                    {"display_name": "输入改名"},
		"POST /api/v1/users/{id}/reset-password":      {"password": "Reset@2026xyz"},
		"PUT /api/v1/settings/security":               toMap(t, domain.DefaultSecuritySettings),
		"PUT /api/v1/settings/coverage":               toMap(t, domain.DefaultCoverageSettings()),
		"POST /api/v1/activities":                     activityBody,
		"PATCH /api/v1/activities/{id}":               {"title": "输入测试改名活动"},
		"POST /api/v1/activities/{id}/cancel":         {"reason": "测试取消"},
		"PUT /api/v1/activities/{id}/attendance":      {"member_id": member, "kind": "leave", "reason": "出差"},
		"POST /api/v1/activities/{id}/scan":           {"code": memberCode.Code},
		"PUT /api/v1/monthly-themes/{month}":          {"title": "输入测试主题"},
		"PUT /api/v1/settings/activities":             toMap(t, activity.DefaultActivitySettings()),
		"POST /api/v1/session/activate":               {"username": "13800000000", "code": "ABCD-EFGH", "password": "Activ@2026xyz"},
		"POST /api/v1/checkins":                       {"code": actCode.Code},
		"POST /api/v1/secretary-filings":              filingBody,
		"PATCH /api/v1/secretary-filings/{id}":        filingBody,
		"POST /api/v1/secretary-filings/{id}/approve": {"note": "同意"},
		"POST /api/v1/secretary-filings/{id}/return":  {"reason": "材料不全"},
		"POST /api/v1/party-orgs/{id}/terms":          {"start_on": "2026-11-27", "years": 3},
		"POST /api/v1/party-orgs/{id}/elections": {"held_on": "2026-11-27", "method": "member_meeting", "expected_voters": 1, "present_voters": 1,
			"secretary_member_id": member, "committee": []map[string]any{{"member_id": member, "post": "secretary"}}},
		"POST /api/v1/term-changes":              {"party_org_id": branch.ID, "kind": "postpone", "new_date": postpone, "reason": "测试延期"},
		"POST /api/v1/term-changes/{id}/approve": {"note": "同意"},
		"POST /api/v1/term-changes/{id}/return":  {"reason": "理由不足"},
		"POST /api/v1/alerts/run":                {},
		"PATCH /api/v1/rules/{code}":             {"enabled": true},
	}
	for _, a := range []string{"assign", "acknowledge", "resolve", "reopen"} {
		f.bodies["POST /api/v1/alerts/{id}/"+a] = map[string]any{"note": "处理", "assignee_id": jjUser.ID}
	}
	f.forms = map[string]apitest.Multipart{
		"POST /api/v1/imports":                     upload("organizations", orgWorkbook(t, [3]string{testUSCC(950), "输入导入有限公司", firstChildName(t, e, jj)}), false),
		"POST /api/v1/activities/{id}/attachments": {FileName: "照片.png", File: tinyPNG(t)},
	}
	f.paths = map[string]string{"month": "2026-12", "code": string(rules[0].Code), "file": "organizations.xlsx"}
	return f
}

// secondChild returns a child of parent other than not.
func secondChild(t *testing.T, e *apitest.Env, parent, not int64) int64 {
	for _, o := range e.Data.PartyOrgs {
		if o.ParentID != nil && *o.ParentID == parent && o.ID != not && o.Type == "industry_committee" {
			return o.ID
		}
	}
	t.Fatal("no second child")
	return 0
}

func toMap(t *testing.T, v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// run fuzzes every route. The login and the own-password routes go last:
// refused logins may throttle the test's address, and a changed password
// ends what the base body assumed.
func (f *corpusRun) run() {
	routes := f.e.Server.Routes()
	sort.SliceStable(routes, func(i, j int) bool { return lastRoute(routes[i]) < lastRoute(routes[j]) })
	f.rebase()
	defer f.flush()
	for i, rt := range routes {
		key := rt.Method + " " + rt.Pattern
		who := f.caller(rt)
		if who == "" {
			f.t.Errorf("%s: no caller of the test has permission %q: add one", key, rt.Perm)
			continue
		}
		path := f.fill(rt.Pattern, nil)
		switch {
		case rt.Method == "GET":
			f.fuzzQuery(i, rt, who, path, rt.Query)
		case rt.Form:
			f.fuzzForm(i, rt, who, path)
		case rt.Body != nil:
			f.fuzzBody(i, rt, who, path)
		default:
			f.fuzzQuery(i, rt, who, path, append([]string{"q"}, rt.Query...))
		}
		f.fuzzPath(i, rt, who)
		if rt.Method != "GET" {
			f.flush()
		}
	}
}

func lastRoute(rt api.RouteInfo) int {
	switch rt.Method + " " + rt.Pattern {
	case "POST /api/v1/session", "POST /api/v1/session/activate":
		return 2
	case "PUT /api/v1/me/password", "DELETE /api/v1/session":
		return 1
	}
	return 0
}

// caller is the first account of the test that may call the route.
func (f *corpusRun) caller(rt api.RouteInfo) string {
	switch {
	case rt.Public:
		return "anon"
	case rt.Perm == "":
		return "jinjiang"
	}
	for _, who := range []string{"jinjiang", "jinjiang.pii", "city", "admin", "secadmin", "auditor", f.e.Data.MemberLinks[0].Username} {
		if slices.Contains(f.perms[who], auth.Permission(rt.Perm)) {
			return who
		}
	}
	return ""
}

// client is the caller's client; a logout gets a session of its own each
// time, so that it ends no one else's.
func (f *corpusRun) client(rt api.RouteInfo, who string) *apitest.Client {
	if rt.Method == "DELETE" && rt.Pattern == "/api/v1/session" {
		return f.e.Login("qingyang")
	}
	return f.callers[who]
}

// fill puts the records' ids into a pattern, or the values of sub.
func (f *corpusRun) fill(pattern string, sub map[string]string) string {
	segs := strings.Split(pattern, "/")
	res := ""
	for i, seg := range segs {
		if !strings.HasPrefix(seg, "{") {
			if i >= 3 && res == "" {
				res = seg
			}
			continue
		}
		name := strings.Trim(seg, "{}")
		switch v, ok := sub[name]; {
		case ok:
			segs[i] = v
		case name == "id":
			id, known := f.ids[res]
			if !known {
				f.t.Logf("%s: no record for resource %q; the route is fuzzed with a missing id", pattern, res)
			}
			segs[i] = fmt.Sprint(max(id, 1))
		case name == "aid":
			segs[i] = fmt.Sprint(f.ids["aid"])
		default:
			segs[i] = f.paths[name]
		}
	}
	return strings.Join(segs, "/")
}

// field is one member of a body's JSON object.
type field struct {
	name string
	typ  reflect.Type // pointers removed
}

// fieldsOf lists the JSON members of a struct type, embedded ones flattened.
func fieldsOf(t reflect.Type) []field {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []field
	if t.Kind() != reflect.Struct {
		return nil
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" || !sf.IsExported() && !sf.Anonymous {
			continue
		}
		if sf.Anonymous && name == "" {
			out = append(out, fieldsOf(sf.Type)...)
			continue
		}
		ft := sf.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		out = append(out, field{name, ft})
	}
	return out
}

var timeType = reflect.TypeOf(time.Time{})

// refuses reports whether a field must refuse the value with 400 naming it.
func refuses(fd field, v badValue) bool {
	k := fd.typ.Kind()
	isTime := fd.typ == timeType
	isInt := k >= reflect.Int && k <= reflect.Int32 || k >= reflect.Uint && k <= reflect.Uint32
	isInt64 := k == reflect.Int64 || k == reflect.Uint64
	number := isInt || isInt64 || k == reflect.Float64 || k == reflect.Float32
	switch v.class {
	case badText:
		return true // bad as text, or a string where no string belongs
	case badDate:
		return k != reflect.String || isDateField(fd.name)
	case badInt32:
		return isInt || !number
	case badNumber:
		return !(k == reflect.Float64 || k == reflect.Float32)
	case badObject:
		return isTime || !(k == reflect.Struct || k == reflect.Map)
	case badBool:
		return k != reflect.Bool
	}
	return false
}

func isDateField(name string) bool {
	return strings.HasSuffix(name, "_on") || strings.HasSuffix(name, "_date") || strings.HasSuffix(name, "_at") ||
		slices.Contains([]string{"from", "to", "since", "now", "term_start"}, name)
}

// sample picks the values a field gets: the one its kind must refuse above
// all, then n more in turn from the whole corpus, so that over the route
// table every value meets every kind of field while the run stays quick.
func (f *corpusRun) sample(fd field, n int) []badValue {
	k := fd.typ.Kind()
	first := "NUL"
	switch {
	case k == reflect.String && isDateField(fd.name):
		first = "1899-12-31"
	case k >= reflect.Int && k <= reflect.Int32:
		first = "2147483648"
	case k == reflect.Int64:
		first = "1e20"
	}
	var out []badValue
	for _, v := range corpus {
		if v.name == first {
			out = append(out, v)
		}
	}
	for len(out) < n+1 {
		v := corpus[f.turn%len(corpus)]
		f.turn++
		if v.name != first {
			out = append(out, v)
		}
	}
	return out
}

// withField is the body base with one member replaced by raw JSON (which
// may hold bytes json.Marshal would not write, such as invalid UTF-8).
func withField(t *testing.T, base map[string]any, name, raw string) string {
	keys := make([]string, 0, len(base)+1)
	for k := range base {
		if k != name {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("{")
	for _, k := range keys {
		v, err := json.Marshal(base[k])
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%q: %s, ", k, v)
	}
	if name != "" {
		fmt.Fprintf(&b, "%q: %s", name, raw)
	}
	return strings.TrimSuffix(b.String(), ", ") + "}"
}

func (f *corpusRun) fuzzBody(ri int, rt api.RouteInfo, who, path string) {
	key := rt.Method + " " + rt.Pattern
	base, ok := f.bodies[key]
	if !ok {
		f.t.Logf("%s: no body that succeeds; its fields are fuzzed alone", key)
	}
	c := f.client(rt, who)
	for _, fd := range fieldsOf(reflect.TypeOf(rt.Body)) {
		for _, v := range f.sample(fd, 2) {
			want := ""
			if refuses(fd, v) {
				want = fd.name
			}
			f.send(key+" "+fd.name+"="+v.name, c, rt.Method, path, withField(f.t, base, fd.name, v.json), want)
		}
		// One level down: the members of an object or of a list's objects.
		sub, list := fd.typ, false
		if sub.Kind() == reflect.Slice {
			sub, list = sub.Elem(), true
		}
		if sub.Kind() != reflect.Struct || sub == timeType {
			continue
		}
		inner := map[string]any{}
		switch b := base[fd.name].(type) {
		case map[string]any:
			inner = b
		case []map[string]any:
			if len(b) > 0 {
				inner = b[0]
			}
		}
		for _, sd := range fieldsOf(sub) {
			for _, v := range f.sample(sd, 0) {
				obj := withField(f.t, inner, sd.name, v.json)
				name := fd.name + "." + sd.name
				if list {
					obj, name = "["+obj+"]", fd.name+"[0]."+sd.name
				}
				f.send(key+" "+name+"="+v.name, c, rt.Method, path, withField(f.t, base, fd.name, obj), name)
			}
		}
	}
	// Whole bodies that are not one JSON object of the right fields.
	whole := []string{`{"name": "x",`, `[]`, `"\u0000"`, `{} {}`, `{"\u0000": 1}`, "{\"\xff\": 1}", `{"a": 1e999}`}
	for k := 0; k < 2; k++ {
		b := whole[(ri+k)%len(whole)]
		f.send(key+" body "+b, c, rt.Method, path, b, "")
	}
}

func (f *corpusRun) fuzzQuery(ri int, rt api.RouteInfo, who, path string, params []string) {
	key := rt.Method + " " + rt.Pattern
	var body any
	if b, ok := f.bodies[key]; ok {
		body = b
	}
	for _, name := range params {
		fd := field{name, reflect.TypeOf("")}
		for _, v := range f.sample(fd, 1) {
			if v.text == "" {
				continue
			}
			want := ""
			if v.class == badText || v.class == badDate && slices.Contains([]string{"from", "to", "now"}, name) {
				want = name
			}
			f.send(key+" ?"+name+"="+v.name, f.client(rt, who), rt.Method, path+"?"+name+"="+url.QueryEscape(v.text), body, want)
		}
	}
}

func (f *corpusRun) fuzzPath(ri int, rt api.RouteInfo, who string) {
	key := rt.Method + " " + rt.Pattern
	var body any
	if b, ok := f.bodies[key]; ok {
		body = b
	}
	for _, seg := range strings.Split(rt.Pattern, "/") {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		name := strings.Trim(seg, "{}")
		values := []struct{ name, text, want string }{
			{"NUL", "1\x00", name}, {"bidi", "\u202E1", name}, {"zero-width", "\u200b", name},
			{"2147483648", "2147483648", ""}, {"int64 overflow", "9223372036854775808", ""}, {"-1", "-1", ""},
		}
		for _, v := range []struct{ name, text, want string }{values[0], values[1+ri%2], values[3+ri%3]} {
			path := f.fill(rt.Pattern, map[string]string{name: url.PathEscape(v.text)})
			if rt.Form {
				body = f.forms[key]
			}
			f.send(key+" {"+name+"}="+v.name, f.client(rt, who), rt.Method, path, body, v.want)
		}
	}
}

func (f *corpusRun) fuzzForm(ri int, rt api.RouteInfo, who, path string) {
	key := rt.Method + " " + rt.Pattern
	base, ok := f.forms[key]
	if !ok {
		f.t.Errorf("%s: no form that succeeds: add one", key)
		return
	}
	for _, fd := range fieldsOf(reflect.TypeOf(rt.Body)) {
		for _, v := range f.sample(field{fd.name, reflect.TypeOf("")}, 3) {
			if v.text == "" {
				continue
			}
			form := base
			form.Fields = map[string]string{}
			for k, x := range base.Fields {
				form.Fields[k] = x
			}
			if fd.name == "file" {
				form.FileName = v.text
			} else {
				form.Fields[fd.name] = v.text
			}
			want := ""
			if v.class == badText {
				want = fd.name
			}
			f.send(key+" "+fd.name+"="+v.name, f.client(rt, who), rt.Method, path, form, want)
		}
	}
}

// send makes one request and checks its answer: never a 500, never Go's
// words, 400 naming the field when want is set, and nothing written when
// refused.
func (f *corpusRun) send(key string, c *apitest.Client, method, path string, body any, want string) {
	t := f.t
	t.Helper()
	reading := method == "GET"
	if want == "" && !reading {
		f.flush() // this one may succeed: settle the refusals before it
	}
	r := c.With(t).Do(method, path, body)
	f.answers[key] = r.Status
	if r.Status >= 500 {
		t.Errorf("%s: %d %.300s", key, r.Status, r.Body)
	}
	if r.Status >= 400 && r.Status < 500 {
		var m struct {
			Error *struct {
				Code    string            `json:"code"`
				Message string            `json:"message"`
				Fields  map[string]string `json:"fields"`
			} `json:"error"`
		}
		if err := json.Unmarshal([]byte(r.Body), &m); err != nil || m.Error == nil {
			t.Errorf("%s: %d without an error object: %.300s", key, r.Status, r.Body)
		} else {
			texts := []string{m.Error.Message}
			for _, msg := range m.Error.Fields {
				texts = append(texts, msg)
			}
			for _, s := range texts {
				if !hasHan(s) {
					t.Errorf("%s: message %q is not Chinese", key, s)
				}
				for _, g := range goParserText {
					if strings.Contains(s, g) {
						t.Errorf("%s: message %q holds Go parser text %q", key, s, g)
					}
				}
			}
			// encoding/json names a list member without its index.
			named := m.Error.Fields[want] != "" || m.Error.Fields[strings.Replace(want, "[0]", "", 1)] != ""
			if want != "" && (r.Status != 400 || m.Error.Code != "invalid" || !named) {
				t.Errorf("%s: %d %.300s; want 400 invalid naming %s", key, r.Status, r.Body, want)
			}
		}
	} else if want != "" {
		t.Errorf("%s: %d %.200s; want 400 invalid naming %s", key, r.Status, r.Body, want)
	}
	if r.Status == 202 {
		f.e.Server.Imports.Wait()
	}
	if r.Status < 400 && !reading {
		f.rebase()
		return
	}
	// A refused login or password change is audited by design, and a 403
	// or 404 may be audited as a probe; a 400 for anything else is not.
	seq, err := f.e.Store.AuditSeq(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status == 400 && seq != f.seq && !strings.Contains(key, "/session") && !strings.Contains(key, "/me/password") {
		t.Errorf("%s: refused with 400, yet the audit trail grew by %d", key, seq-f.seq)
	}
	f.seq = seq
	// The tables are checked for runs of refusals and reads: before the
	// next write that may succeed, and at the end of each route.
	f.pending = append(f.pending, fmt.Sprintf("%s (%d)", key, r.Status))
}

// flush checks that the refusals since the last fingerprint left every
// table as it was.
func (f *corpusRun) flush() {
	if len(f.pending) == 0 {
		return
	}
	t0 := time.Now()
	now, err := f.e.Store.Fingerprint(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	f.fpTime += time.Since(t0)
	f.fpN++
	if now.Tables != f.before.Tables {
		f.t.Errorf("refused requests changed the tables:\n%s\nbefore %s\nafter  %s", strings.Join(f.pending, "\n"), f.before.Tables, now.Tables)
	}
	f.before, f.pending = now, nil
}

func (f *corpusRun) rebase() {
	t0 := time.Now()
	fp, err := f.e.Store.Fingerprint(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	f.fpTime += time.Since(t0)
	f.fpN++
	f.before, f.seq, f.pending = fp, fp.AuditSeq, nil
}
