package api_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
)

type history struct {
	ID       int64                             `json:"id"`
	At       string                            `json:"at"`
	Action   string                            `json:"action"`
	Username string                            `json:"username"`
	Changes  map[string]struct{ From, To any } `json:"changes"`
}

// create posts a Party org and returns the answer (201 required).
func (c *client) create(body map[string]any) org {
	c.t.Helper()
	return decodeAs[org](c.t, c.expect(201, "POST", "/api/v1/party-orgs", body))
}

func (c *client) get(node int64) org {
	c.t.Helper()
	return decodeAs[org](c.t, c.expect(200, "GET", "/api/v1/party-orgs/"+id(node), nil))
}

func (c *client) list(query string) page[org] {
	c.t.Helper()
	return decodeAs[page[org]](c.t, c.expect(200, "GET", "/api/v1/party-orgs?"+query, nil))
}

func orgBody(parent int64, name, typ string, extra ...any) map[string]any {
	b := map[string]any{"parent_id": parent, "name": name, "type": typ, "region": "510104"}
	for i := 0; i+1 < len(extra); i += 2 {
		b[extra[i].(string)] = extra[i+1]
	}
	return b
}

func ids(items []org) []int64 {
	out := make([]int64, len(items))
	for i, o := range items {
		out[i] = o.ID
	}
	return out
}

func TestCreatePartyOrg(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		jj := e.dataOrg(e.OrgID(apitest.JinjiangName))
		before := c.get(jj.ID)
		const name = "中共成都测试科技有限公司支部委员会"
		r := c.expect(201, "POST", "/api/v1/party-orgs", orgBody(jj.ID, " "+name+" ", "branch",
			"founded_on", "2020-05-01", "secretary_name", "李四", "term_start", "2024-02-29", "short_name", "测试科技支部"))
		o := decodeAs[org](t, r)
		wantPath := jj.Path + id(o.ID) + "/"
		if o.ID == 0 || o.Name != name || o.Type != "branch" || o.TypeName != "党支部" || o.ParentID == nil || *o.ParentID != jj.ID ||
			o.ParentName != apitest.JinjiangName || o.Path != wantPath || o.Depth != jj.Depth+1 || o.Region != "510104" || o.RegionName != "锦江区" ||
			str(o.FoundedOn) != "2020-05-01" || o.SecretaryName != "李四" || o.TermYears != 3 || str(o.TermStart) != "2024-02-29" ||
			str(o.TermEnd) != "2027-02-28" || o.TermState != "ok" || o.Status != "active" || o.Version != 1 || o.ChildCount != 0 || o.ShortName != "测试科技支部" {
			t.Errorf("created %+v", o)
		}
		// Re-read: the same record, and the parent counts one more child.
		if got := c.get(o.ID); got.Path != wantPath || got.Name != name || str(got.TermEnd) != "2027-02-28" {
			t.Errorf("re-read %+v", got)
		}
		if got := c.get(jj.ID); got.ChildCount != before.ChildCount+1 {
			t.Errorf("parent child_count %d, want %d", got.ChildCount, before.ChildCount+1)
		}
		if db := e.dbOrg(o.ID); db.Path != wantPath || db.Status != "active" {
			t.Errorf("database: %+v", db.PartyOrg)
		}
		// History and audit record the creation with the new state.
		h := decodeAs[[]history](t, c.expect(200, "GET", "/api/v1/party-orgs/"+id(o.ID)+"/history", nil))
		if len(h) != 1 || h[0].Action != "create" || h[0].Username != "jinjiang" || h[0].Changes["name"].To != name || h[0].Changes["term_end"].To != "2027-02-28" || h[0].At == "" {
			t.Errorf("history: %+v", h)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionCreate, ObjectType: "party_org", ObjectID: id(o.ID)})
		if len(ev) != 1 || ev[0].Username != "jinjiang" || ev[0].Before != "" || ev[0].Result != audit.ResultSuccess || ev[0].RequestID != r.Header.Get("X-Request-Id") {
			t.Fatalf("create audit: %+v", ev)
		}
		var after map[string]any
		if err := json.Unmarshal([]byte(ev[0].After), &after); err != nil || after["name"] != name || after["path"] != wantPath || after["term_end"] != "2027-02-28" {
			t.Errorf("audit after %s (%v)", ev[0].After, err)
		}
		// Ancestors start at the caller's scope root.
		anc := decodeAs[[]org](t, c.expect(200, "GET", "/api/v1/party-orgs/"+id(o.ID)+"/ancestors", nil))
		if !slices.Equal(ids(anc), []int64{jj.ID, o.ID}) {
			t.Errorf("ancestors for jinjiang: %v", ids(anc))
		}
		anc = decodeAs[[]org](t, e.login("city").expect(200, "GET", "/api/v1/party-orgs/"+id(o.ID)+"/ancestors", nil))
		if !slices.Equal(ids(anc), []int64{e.OrgID(apitest.CityName), jj.ID, o.ID}) {
			t.Errorf("ancestors for city: %v", ids(anc))
		}
		// Defaults by type: a committee's term is 5 years.
		cm := c.create(orgBody(jj.ID, "中共成都测试集团有限公司委员会", "committee", "term_start", "2024-02-29"))
		if cm.TermYears != 5 || str(cm.TermEnd) != "2029-02-28" {
			t.Errorf("committee term: %d years to %s", cm.TermYears, str(cm.TermEnd))
		}
		// The same name under the same parent is a conflict.
		wantErr(t, c.do("POST", "/api/v1/party-orgs", orgBody(jj.ID, name, "branch")), 409, "conflict", "name")
		// Under another parent it is fine.
		c.create(orgBody(cm.ID, name, "branch"))
	})
}

func TestCreatePartyOrgInvalid(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		jj := e.OrgID(apitest.JinjiangName)
		br := c.create(orgBody(jj, "中共测试支部", "branch", "founded_on", "2020-01-01"))
		for _, tc := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"no parent", map[string]any{"name": "甲", "type": "branch", "region": "510104"}, "parent_id"},
			{"unknown parent", orgBody(999999, "甲", "branch"), "parent_id"},
			{"no name", orgBody(jj, "  ", "branch"), "name"},
			{"long name", orgBody(jj, strings.Repeat("党", 101), "branch"), "name"},
			{"long short name", orgBody(jj, "甲", "branch", "short_name", strings.Repeat("党", 31)), "short_name"},
			{"no type", orgBody(jj, "甲", ""), "type"},
			{"unknown type", orgBody(jj, "甲", "cell"), "type"},
			{"type not allowed under parent", orgBody(br.ID, "甲", "committee"), "type"},
			{"branch under branch", orgBody(br.ID, "甲", "branch"), "type"},
			{"no region", orgBody(jj, "甲", "branch", "region", ""), "region"},
			{"unknown region", orgBody(jj, "甲", "branch", "region", "999999"), "region"},
			{"founded in the future", orgBody(jj, "甲", "branch", "founded_on", "2026-11-28"), "founded_on"},
			{"founded on no date", orgBody(jj, "甲", "branch", "founded_on", "2026-02-30"), "founded_on"},
			{"term years 2", orgBody(jj, "甲", "branch", "term_years", 2), "term_years"},
			{"term years 6", orgBody(jj, "甲", "branch", "term_years", 6), "term_years"},
			{"term start in the future", orgBody(jj, "甲", "branch", "term_start", "2026-11-28"), "term_start"},
			{"term start not a date", orgBody(jj, "甲", "branch", "term_start", "2024/02/29"), "term_start"},
			{"term start before founding", orgBody(jj, "甲", "branch", "founded_on", "2021-01-01", "term_start", "2020-12-31"), "term_start"},
			{"temporary branch with a term start", orgBody(jj, "甲", "temporary_branch", "term_start", "2025-01-01"), "term_years"},
		} {
			wantErr(t, c.do("POST", "/api/v1/party-orgs", tc.body), 400, "invalid", tc.field)
		}
		if l := c.list("q=" + url.QueryEscape("甲")); l.Total != 0 {
			t.Errorf("invalid orgs were created: %v", ids(l.Items))
		}
		// Several problems are reported together, one message per field.
		got := wantErr(t, c.do("POST", "/api/v1/party-orgs", map[string]any{"parent_id": jj, "name": "", "type": "x", "region": ""}), 400, "invalid", "name")
		if len(got.Fields) != 3 {
			t.Errorf("fields %v, want name, type and region", keys(got.Fields))
		}
		// A grassroots org's staff cannot create next to their own org.
		wantErr(t, e.login("branch").do("POST", "/api/v1/party-orgs", orgBody(jj, "乙", "branch")), 400, "invalid", "parent_id")
	})
}

// TestPartyOrgTerms: term_end and term_state follow term_start and
// term_years (29 February to 28 February in a common year).
func TestPartyOrgTerms(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		jj := e.OrgID(apitest.JinjiangName)
		o := c.create(orgBody(jj, "中共测试换届党支部", "branch", "founded_on", "2015-03-01"))
		if o.TermState != "none" || o.TermEnd != nil || o.TermYears != 3 {
			t.Fatalf("without a term: %+v", o)
		}
		path := "/api/v1/party-orgs/" + id(o.ID)
		version := o.Version
		// Today is 2026-11-27; "due soon" is 90 days ahead (until 2027-02-25).
		for _, tc := range []struct {
			set          map[string]any
			end, state   string
			years        int
			historyField string
		}{
			{map[string]any{"term_start": "2024-02-29"}, "2027-02-28", "ok", 3, "term_start"},
			{map[string]any{"term_start": "2024-02-25"}, "2027-02-25", "due_soon", 3, "term_start"},
			{map[string]any{"term_start": "2024-01-15"}, "2027-01-15", "due_soon", 3, "term_start"},
			{map[string]any{"term_start": "2023-11-27"}, "2026-11-27", "due_soon", 3, "term_start"},
			{map[string]any{"term_start": "2023-11-26"}, "2026-11-26", "overdue", 3, "term_start"},
			{map[string]any{"term_start": "2024-02-29", "term_years": 5}, "2029-02-28", "ok", 5, "term_years"},
			{map[string]any{"term_start": "2021-11-27"}, "2026-11-27", "due_soon", 5, "term_start"},
			{map[string]any{"term_start": "2024-02-29", "term_years": 4}, "2028-02-29", "ok", 4, "term_years"},
		} {
			got := decodeAs[org](t, c.expect(200, "PATCH", path, tc.set))
			version++
			if str(got.TermEnd) != tc.end || got.TermState != tc.state || got.TermYears != tc.years || got.Version != version {
				t.Errorf("PATCH %v: term %d years to %s (%s), version %d; want %d years to %s (%s), version %d",
					tc.set, got.TermYears, str(got.TermEnd), got.TermState, got.Version, tc.years, tc.end, tc.state, version)
			}
			if db := e.dbOrg(o.ID); string(db.TermEnd) != tc.end || db.Version != version {
				t.Errorf("database after %v: %s v%d", tc.set, db.TermEnd, db.Version)
			}
			h := decodeAs[[]history](t, c.expect(200, "GET", path+"/history", nil))
			if h[0].Action != "update" || h[0].Changes["term_end"].To != tc.end || h[0].Changes[tc.historyField].To == nil {
				t.Errorf("history after %v: %+v", tc.set, h[0])
			}
		}
		// A type change moves a default term length with it.
		c.expect(200, "PATCH", path, map[string]any{"term_years": 3, "term_start": "2024-02-29"})
		got := decodeAs[org](t, c.expect(200, "PATCH", path, map[string]any{"type": "committee"}))
		if got.TermYears != 5 || str(got.TermEnd) != "2029-02-28" || got.TypeName != "党委" {
			t.Errorf("after becoming a committee: %d years to %s", got.TermYears, str(got.TermEnd))
		}
		version = got.Version
		// Refused edits change nothing.
		for _, tc := range []struct {
			set   map[string]any
			field string
		}{
			{map[string]any{"term_start": "2026-11-28"}, "term_start"},
			{map[string]any{"term_start": "2024-02-30"}, "term_start"},
			{map[string]any{"term_start": "2014-12-31"}, "term_start"},
			{map[string]any{"term_years": 2}, "term_years"},
			{map[string]any{"name": ""}, "name"},
			{map[string]any{"region": "000000"}, "region"},
			{map[string]any{"type": "cell", "name": "改名"}, "type"},
		} {
			wantErr(t, c.do("PATCH", path, tc.set), 400, "invalid", tc.field)
		}
		if db := e.dbOrg(o.ID); db.Version != version || string(db.TermStart) != "2024-02-29" || db.Name != "中共测试换届党支部" {
			t.Errorf("a refused PATCH changed the record: %+v", db.PartyOrg)
		}
		// An edit that changes nothing writes nothing.
		c.expect(200, "PATCH", path, map[string]any{"term_start": "2024-02-29"})
		if db := e.dbOrg(o.ID); db.Version != version {
			t.Errorf("an empty change bumped the version")
		}
		// Optimistic concurrency.
		got = decodeAs[org](t, c.expect(200, "PATCH", path, map[string]any{"secretary_name": "王五", "version": version}))
		if got.Version != version+1 || got.SecretaryName != "王五" {
			t.Errorf("PATCH with the current version: %+v", got)
		}
		wantErr(t, c.do("PATCH", path, map[string]any{"secretary_name": "赵六", "version": version}), 409, "conflict", "version")
		if db := e.dbOrg(o.ID); db.SecretaryName != "王五" || db.Version != version+1 {
			t.Errorf("a stale PATCH went through: %+v", db.PartyOrg)
		}
	})
}

// tree builds under 锦江区: X and Y (industry committees), X1 (committee)
// under X, X11 (branch) under X1.
func tree(c *client, jj int64) (x, y, x1, x11 org) {
	c.t.Helper()
	x = c.create(orgBody(jj, "中共测试甲行业委员会", "industry_committee"))
	y = c.create(orgBody(jj, "中共测试乙行业委员会", "industry_committee"))
	x1 = c.create(orgBody(x.ID, "中共测试集团委员会", "committee", "founded_on", "2019-06-01"))
	x11 = c.create(orgBody(x1.ID, "中共测试集团研发中心支部委员会", "branch", "founded_on", "2020-06-01"))
	return
}

func TestMovePartyOrg(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		jj := e.OrgID(apitest.JinjiangName)
		x, y, x1, x11 := tree(c, jj)
		move := func(node, parent int64) apitest.Response {
			t.Helper()
			return c.do("POST", "/api/v1/party-orgs/"+id(node)+"/move", map[string]any{"parent_id": parent})
		}
		for _, tc := range []struct {
			name        string
			node, under int64
			field       string
		}{
			{"under its grandchild", x.ID, x11.ID, "parent_id"},
			{"under its child", x.ID, x1.ID, "parent_id"},
			{"under itself", x.ID, x.ID, "parent_id"},
			{"under its parent again", x1.ID, x.ID, "parent_id"},
			{"under a missing node", x1.ID, 999999, "parent_id"},
		} {
			wantErr(t, move(tc.node, tc.under), 400, "invalid", tc.field)
		}
		// The scope's root is the caller's own org: its superior moves it.
		wantErr(t, move(jj, y.ID), 403, "forbidden", "")
		b2 := c.create(orgBody(y.ID, "中共测试丙公司支部委员会", "branch"))
		wantErr(t, move(x1.ID, b2.ID), 400, "invalid", "type")
		wantErr(t, c.do("POST", "/api/v1/party-orgs/"+id(x1.ID)+"/move", map[string]any{}), 400, "invalid", "parent_id")
		// Nothing moved.
		if db := e.dbOrg(x11.ID); db.Path != x11.Path || db.Depth != x11.Depth {
			t.Fatalf("a refused move changed %s to %s", x11.Path, db.Path)
		}

		r := c.expect(200, "POST", "/api/v1/party-orgs/"+id(x1.ID)+"/move", map[string]any{"parent_id": y.ID})
		moved := decodeAs[org](t, r)
		if moved.ParentID == nil || *moved.ParentID != y.ID || moved.Path != y.Path+id(x1.ID)+"/" || moved.Depth != y.Depth+1 || moved.Version != x1.Version+1 || moved.ParentName != y.Name {
			t.Errorf("moved: %+v", moved)
		}
		// The whole subtree follows: the grandchild's path starts with the new parent's.
		g := c.get(x11.ID)
		if g.Path != y.Path+id(x1.ID)+"/"+id(x11.ID)+"/" || !strings.HasPrefix(g.Path, y.Path) || g.Depth != y.Depth+2 || *g.ParentID != x1.ID {
			t.Errorf("grandchild after the move: path %s depth %d", g.Path, g.Depth)
		}
		if db := e.dbOrg(x11.ID); db.Path != g.Path {
			t.Errorf("database path %s", db.Path)
		}
		if got := c.get(x.ID); got.ChildCount != 0 {
			t.Errorf("old parent still counts %d children", got.ChildCount)
		}
		if got := c.get(y.ID); got.ChildCount != 2 {
			t.Errorf("new parent counts %d children, want 2", got.ChildCount)
		}
		under := c.list("under=" + id(y.ID))
		if !slices.Equal(ids(under.Items), []int64{y.ID, x1.ID, x11.ID, b2.ID}) && !slices.Equal(ids(under.Items), []int64{y.ID, b2.ID, x1.ID, x11.ID}) {
			t.Errorf("subtree of Y: %v", ids(under.Items))
		}
		if l := c.list("under=" + id(x.ID)); l.Total != 1 {
			t.Errorf("subtree of X still has %d nodes", l.Total)
		}
		anc := decodeAs[[]org](t, c.expect(200, "GET", "/api/v1/party-orgs/"+id(x11.ID)+"/ancestors", nil))
		if !slices.Equal(ids(anc), []int64{jj, y.ID, x1.ID, x11.ID}) {
			t.Errorf("ancestors after the move: %v", ids(anc))
		}
		h := decodeAs[[]history](t, c.expect(200, "GET", "/api/v1/party-orgs/"+id(x1.ID)+"/history", nil))
		if len(h) != 2 || h[0].Action != "move" || h[0].Changes["parent_id"].To != float64(y.ID) || h[0].Changes["path"].From != x1.Path {
			t.Errorf("history: %+v", h)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionMove, ObjectID: id(x1.ID)})
		if len(ev) != 1 || !strings.Contains(ev[0].Before, `"path":"`+x1.Path+`"`) || !strings.Contains(ev[0].After, `"path":"`+moved.Path+`"`) || ev[0].RequestID != r.Header.Get("X-Request-Id") {
			t.Errorf("move audit: %+v", ev)
		}
		// Moving back restores the old paths.
		c.expect(200, "POST", "/api/v1/party-orgs/"+id(x1.ID)+"/move", map[string]any{"parent_id": x.ID})
		if g := c.get(x11.ID); g.Path != x11.Path || g.Depth != x11.Depth {
			t.Errorf("after moving back: %s", g.Path)
		}
		// A name taken under the new parent refuses the move, and the
		// subtree's paths, rewritten first, are rolled back with it.
		c.create(orgBody(y.ID, x1.Name, "committee"))
		wantErr(t, move(x1.ID, y.ID), 409, "conflict", "parent_id")
		if db := e.dbOrg(x11.ID); db.Path != x11.Path || db.Depth != x11.Depth {
			t.Errorf("a refused move left the grandchild at %s", db.Path)
		}
		if db := e.dbOrg(x1.ID); db.Path != x1.Path || *db.ParentID != x.ID {
			t.Errorf("a refused move left X1 at %s", db.Path)
		}
	})
}

func TestDissolvePartyOrg(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		jj := e.OrgID(apitest.JinjiangName)
		_, _, x1, x11 := tree(c, jj)
		dissolve := func(node int64, on, reason string) apitest.Response {
			t.Helper()
			return c.do("POST", "/api/v1/party-orgs/"+id(node)+"/dissolve", map[string]any{"dissolved_on": on, "reason": reason})
		}
		got := wantErr(t, dissolve(x1.ID, "2026-11-20", "企业注销"), 400, "invalid", "status")
		if !strings.Contains(got.Message, "下级") {
			t.Errorf("dissolving a parent: %q", got.Message)
		}
		for _, tc := range []struct{ on, reason, field string }{
			{"2026-11-20", "", "reason"},
			{"2026-11-20", strings.Repeat("因", 201), "reason"},
			{"2026-11-28", "企业注销", "dissolved_on"},
			{"20261120", "企业注销", "dissolved_on"},
			{"", "企业注销", "dissolved_on"},
			{"2020-05-31", "企业注销", "dissolved_on"}, // before its founding
		} {
			wantErr(t, dissolve(x11.ID, tc.on, tc.reason), 400, "invalid", tc.field)
		}
		wantErr(t, dissolve(jj, "2026-11-20", "撤销"), 400, "invalid", "status")
		// An org that still holds accounts cannot go.
		branchOrg := e.dbUser("branch").PartyOrgID
		got = wantErr(t, dissolve(branchOrg, "2026-11-20", "撤销"), 400, "invalid", "status")
		if !strings.Contains(got.Message, "账号") {
			t.Errorf("dissolving an org with accounts: %q", got.Message)
		}
		if db := e.dbOrg(x11.ID); db.Status != "active" || db.Version != 1 {
			t.Fatalf("a refused dissolution changed the record: %+v", db.PartyOrg)
		}

		r := dissolve(x11.ID, " 2026-11-20 ", " 企业注销 ")
		if r.Status != 200 {
			t.Fatalf("dissolve: %d %s", r.Status, r.Body)
		}
		d := decodeAs[org](t, r)
		if d.Status != "dissolved" || str(d.DissolvedOn) != "2026-11-20" || d.DissolveReason != "企业注销" || d.TermState != "none" || d.Version != 2 {
			t.Errorf("dissolved: %+v", d)
		}
		// Still readable by id; absent from the default list, present with status=dissolved/all.
		if g := c.get(x11.ID); g.Status != "dissolved" {
			t.Errorf("re-read: %+v", g)
		}
		if db := e.dbOrg(x11.ID); db.Status != "dissolved" || string(db.DissolvedOn) != "2026-11-20" || db.DissolveReason != "企业注销" {
			t.Errorf("database: %+v", db.PartyOrg)
		}
		if l := c.list("under=" + id(x1.ID)); !slices.Equal(ids(l.Items), []int64{x1.ID}) || l.Total != 1 {
			t.Errorf("default list: %v", ids(l.Items))
		}
		if l := c.list("under=" + id(x1.ID) + "&status=active"); l.Total != 1 {
			t.Errorf("status=active: %v", ids(l.Items))
		}
		if l := c.list("under=" + id(x1.ID) + "&status=dissolved"); !slices.Equal(ids(l.Items), []int64{x11.ID}) {
			t.Errorf("status=dissolved: %v", ids(l.Items))
		}
		if l := c.list("under=" + id(x1.ID) + "&status=all"); !slices.Equal(ids(l.Items), []int64{x1.ID, x11.ID}) {
			t.Errorf("status=all: %v", ids(l.Items))
		}
		if g := c.get(x1.ID); g.ChildCount != 0 {
			t.Errorf("parent still counts %d active children", g.ChildCount)
		}
		// A dissolved org is read-only.
		wantErr(t, dissolve(x11.ID, "2026-11-21", "再次撤销"), 400, "invalid", "status")
		wantErr(t, c.do("PATCH", "/api/v1/party-orgs/"+id(x11.ID), map[string]any{"name": "改名"}), 400, "invalid", "status")
		wantErr(t, c.do("POST", "/api/v1/party-orgs/"+id(x11.ID)+"/move", map[string]any{"parent_id": jj}), 400, "invalid", "status")
		wantErr(t, c.do("POST", "/api/v1/party-orgs", orgBody(x11.ID, "中共新支部", "branch")), 400, "invalid", "parent_id")
		wantErr(t, c.do("POST", "/api/v1/party-orgs/"+id(x1.ID)+"/move", map[string]any{"parent_id": x11.ID}), 400, "invalid", "parent_id")
		h := decodeAs[[]history](t, c.expect(200, "GET", "/api/v1/party-orgs/"+id(x11.ID)+"/history", nil))
		if len(h) != 2 || h[0].Action != "dissolve" || h[0].Changes["status"].To != "dissolved" {
			t.Errorf("history: %+v", h)
		}
		ev := e.events(store.AuditFilter{Action: audit.ActionDissolve})
		if len(ev) != 1 || ev[0].ObjectID != id(x11.ID) || !strings.Contains(ev[0].After, `"status":"dissolved"`) || !strings.Contains(ev[0].Before, `"status":"active"`) {
			t.Errorf("dissolve audit: %+v", ev)
		}
		// Now that its only child is gone, the parent can be dissolved.
		if r := dissolve(x1.ID, "2026-11-27", "企业注销"); r.Status != 200 {
			t.Errorf("dissolving the emptied parent: %d %s", r.Status, r.Body)
		}
	})
}

// TestPartyOrgOutOfScope: a 锦江区 user meets 青羊区's orgs as if they did
// not exist, and cannot attach anything to them.
func TestPartyOrgOutOfScope(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		jj := e.OrgID(apitest.JinjiangName)
		qy := e.dataOrg(e.OrgID(apitest.QingyangName))
		var qyLeaf domain.PartyOrg
		for _, o := range e.dataSubtree(qy.Path) {
			if o.Type == domain.Branch {
				qyLeaf = o
			}
		}
		x, _, _, _ := tree(c, jj)
		notFound := c.do("GET", "/api/v1/party-orgs/999999", nil)
		for _, target := range []int64{qy.ID, qyLeaf.ID, e.OrgID(apitest.CityName)} {
			p := "/api/v1/party-orgs/" + id(target)
			for _, rq := range []struct {
				method, path string
				body         any
			}{
				{"GET", p, nil},
				{"PATCH", p, map[string]any{"secretary_name": "越权"}},
				{"POST", p + "/move", map[string]any{"parent_id": x.ID}},
				{"POST", p + "/dissolve", map[string]any{"dissolved_on": "2026-11-20", "reason": "越权"}},
				{"GET", p + "/history", nil},
				{"GET", p + "/ancestors", nil},
			} {
				r := c.do(rq.method, rq.path, rq.body)
				wantErr(t, r, 404, "not_found", "")
				if r.Body != notFound.Body {
					t.Errorf("%s %s tells an out-of-scope org from a missing one: %s", rq.method, rq.path, r.Body)
				}
			}
		}
		got := wantErr(t, c.do("POST", "/api/v1/party-orgs", orgBody(qy.ID, "中共越权支部", "branch", "region", "510105")), 400, "invalid", "parent_id")
		if !strings.Contains(got.Fields["parent_id"], "不在您的管理范围") {
			t.Errorf("create under 青羊区: %q", got.Fields["parent_id"])
		}
		wantErr(t, c.do("POST", "/api/v1/party-orgs/"+id(x.ID)+"/move", map[string]any{"parent_id": qy.ID}), 400, "invalid", "parent_id")
		wantErr(t, c.do("POST", "/api/v1/party-orgs/"+id(x.ID)+"/move", map[string]any{"parent_id": qyLeaf.ID}), 400, "invalid", "parent_id")
		for _, q := range []string{"under=" + id(qy.ID), "parent_id=" + id(qy.ID), "q=" + url.QueryEscape("青羊"), "region=510105", "status=all&under=" + id(qyLeaf.ID)} {
			if l := c.list(q); l.Total != 0 || len(l.Items) != 0 {
				t.Errorf("list %s shows %d out-of-scope orgs", q, l.Total)
			}
		}
		// Nothing of 青羊区 changed; the city still sees it whole.
		for _, o := range []domain.PartyOrg{qy, qyLeaf} {
			if db := e.dbOrg(o.ID); db.Version != 1 || db.Status != "active" || db.Path != o.Path || db.SecretaryName != o.SecretaryName {
				t.Errorf("%s changed: %+v", o.Name, db.PartyOrg)
			}
		}
		if db := e.dbOrg(x.ID); db.Path != e.dataOrg(jj).Path+id(x.ID)+"/" {
			t.Errorf("X moved out of scope: %s", db.Path)
		}
		city := e.login("city")
		city.get(qyLeaf.ID)
		if l := city.list("under=" + id(qy.ID)); l.Total != len(e.dataSubtree(qy.Path)) {
			t.Errorf("city sees %d of 青羊区's %d orgs", l.Total, len(e.dataSubtree(qy.Path)))
		}
		// A grassroots org's staff sees their own org only, not its parent.
		b := e.login("branch")
		bo := e.dbUser("branch").PartyOrgID
		b.get(bo)
		wantErr(t, b.do("GET", "/api/v1/party-orgs/"+id(*e.dbOrg(bo).ParentID), nil), 404, "not_found", "")
		if l := b.list(""); l.Total != 1 || l.Items[0].ID != bo {
			t.Errorf("branch staff list: %v", ids(l.Items))
		}
	})
}

func TestPartyOrgList(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.login("jinjiang")
		jj := e.dataOrg(e.OrgID(apitest.JinjiangName))
		sub := e.dataSubtree(jj.Path)
		sort.Slice(sub, func(i, j int) bool { return sub[i].Path < sub[j].Path })
		count := func(f func(o domain.PartyOrg) bool) int {
			n := 0
			for _, o := range sub {
				if f(o) {
					n++
				}
			}
			return n
		}

		// The envelope and the default order (path) and page size (50).
		r := c.expect(200, "GET", "/api/v1/party-orgs", nil)
		var raw map[string]json.RawMessage
		r.JSON(t, &raw)
		if got := keys(raw); !slices.Equal(got, []string{"items", "page", "page_size", "total"}) {
			t.Errorf("envelope keys %v", got)
		}
		all := decodeAs[page[org]](t, r)
		if all.Total != len(sub) || all.Page != 1 || all.PageSize != 50 || len(all.Items) != min(50, len(sub)) {
			t.Errorf("default list: total %d (want %d), page %d, page_size %d, %d items", all.Total, len(sub), all.Page, all.PageSize, len(all.Items))
		}
		for i, o := range all.Items {
			if o.ID != sub[i].ID {
				t.Fatalf("item %d is %d, want %d (path order)", i, o.ID, sub[i].ID)
			}
		}
		if all.Items[0].ID != jj.ID || all.Items[0].TermState == "" || all.Items[0].TypeName == "" {
			t.Errorf("first item: %+v", all.Items[0])
		}
		// Paging.
		p2 := c.list("page=2&page_size=5")
		if p2.Page != 2 || p2.PageSize != 5 || p2.Total != len(sub) || !slices.Equal(ids(p2.Items), ids2(sub[5:10])) {
			t.Errorf("page 2 of 5: %v, want %v", ids(p2.Items), ids2(sub[5:10]))
		}
		full := c.list("page_size=200")
		if len(full.Items) != min(200, len(sub)) {
			t.Errorf("page_size=200: %d items", len(full.Items))
		}
		wantErr(t, c.do("GET", "/api/v1/party-orgs?page_size=201", nil), 400, "invalid", "page_size")
		// Sorting: whitelisted keys, '-' for descending.
		desc := c.list("sort=-path&page_size=200")
		for i := 1; i < len(desc.Items); i++ {
			if desc.Items[i-1].Path < desc.Items[i].Path {
				t.Fatalf("sort=-path out of order at %d", i)
			}
		}
		founded := c.list("sort=founded_on&page_size=200")
		for i := 1; i < len(founded.Items); i++ {
			if str(founded.Items[i-1].FoundedOn) > str(founded.Items[i].FoundedOn) {
				t.Fatalf("sort=founded_on out of order at %d", i)
			}
		}
		for _, s := range []string{"name", "-name", "term_end", "-founded_on"} {
			if l := c.list("sort=" + s); l.Total != len(sub) {
				t.Errorf("sort=%s: total %d", s, l.Total)
			}
		}
		got := wantErr(t, c.do("GET", "/api/v1/party-orgs?sort=secretary_name", nil), 400, "invalid", "sort")
		if !strings.Contains(got.Fields["sort"], "secretary_name") || !strings.Contains(got.Fields["sort"], "founded_on") {
			t.Errorf("sort message %q", got.Fields["sort"])
		}

		// Filters, each checked against the generated data.
		// The child of 锦江区 with the largest subtree.
		var committee domain.PartyOrg
		most := 0
		for _, o := range sub {
			if n := len(e.dataSubtree(o.Path)); o.ParentID != nil && *o.ParentID == jj.ID && n > most {
				committee, most = o, n
			}
		}
		var street string
		for _, o := range sub {
			if o.Region != "510104" {
				street = o.Region
				break
			}
		}
		for _, tc := range []struct {
			query string
			want  func(o domain.PartyOrg) bool
		}{
			{"parent_id=" + id(jj.ID), func(o domain.PartyOrg) bool { return o.ParentID != nil && *o.ParentID == jj.ID }},
			{"parent_id=" + id(committee.ID), func(o domain.PartyOrg) bool { return o.ParentID != nil && *o.ParentID == committee.ID }},
			{"under=" + id(committee.ID), func(o domain.PartyOrg) bool { return strings.HasPrefix(o.Path, committee.Path) }},
			{"type=branch", func(o domain.PartyOrg) bool { return o.Type == domain.Branch }},
			{"type=general_branch", func(o domain.PartyOrg) bool { return o.Type == domain.GeneralBranch }},
			{"q=" + url.QueryEscape("党总支"), func(o domain.PartyOrg) bool { return strings.Contains(o.Name, "党总支") }},
			{"q=" + url.QueryEscape("综合党委"), func(o domain.PartyOrg) bool { return strings.Contains(o.Name, "综合党委") }},
			{"region=510104", func(o domain.PartyOrg) bool { return true }}, // the district and its streets
			{"region=" + street, func(o domain.PartyOrg) bool { return o.Region == street }},
			{"status=all", func(o domain.PartyOrg) bool { return true }},
			{"status=dissolved", func(o domain.PartyOrg) bool { return false }},
			{"type=branch&under=" + id(committee.ID), func(o domain.PartyOrg) bool {
				return o.Type == domain.Branch && strings.HasPrefix(o.Path, committee.Path)
			}},
		} {
			l := c.list(tc.query + "&page_size=200")
			want := count(tc.want)
			if l.Total != want || len(l.Items) != min(want, 200) {
				t.Errorf("%s: total %d, %d items; want %d", tc.query, l.Total, len(l.Items), want)
			}
			for _, o := range l.Items {
				if !tc.want(e.dataOrg(o.ID)) {
					t.Errorf("%s: %s should not be listed", tc.query, o.Name)
				}
			}
		}
		if n := count(func(o domain.PartyOrg) bool { return o.Type == domain.Branch }); n == 0 || street == "" {
			t.Fatalf("the generated data has no branch or street in 锦江区")
		}
	})
}

func ids2(os []domain.PartyOrg) []int64 {
	out := make([]int64, len(os))
	for i, o := range os {
		out[i] = o.ID
	}
	return out
}

// TestDashboard: the home page's counts equal what the store holds for the
// caller's scope, and follow changes.
func TestDashboard(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		type dash struct {
			ScopeName string `json:"scope_name"`
			PartyOrgs *struct {
				Active, Dissolved int
				ByType            map[string]int `json:"by_type"`
			} `json:"party_orgs"`
			Terms *struct {
				Overdue int `json:"overdue"`
				DueSoon int `json:"due_soon"`
			} `json:"terms"`
			Users *json.RawMessage `json:"users"`
			Audit *json.RawMessage `json:"audit"`
		}
		check := func(who string, path string) dash {
			t.Helper()
			d := decodeAs[dash](t, e.login(who).expect(200, "GET", "/api/v1/dashboard", nil))
			if d.PartyOrgs == nil || d.Terms == nil {
				t.Fatalf("%s: no Party-org counts", who)
			}
			byType := map[string]int{}
			var overdue, soon, dissolved int
			for _, o := range e.dataSubtree(path) {
				if o.Status != domain.StatusActive { // the generator dissolves a few (members_orphaned)
					dissolved++
					continue
				}
				byType[string(o.Type)]++
				switch o.TermState(e.Now()) {
				case domain.TermOverdue:
					overdue++
				case domain.TermDueSoon:
					soon++
				}
			}
			active := 0
			for _, n := range byType {
				active += n
			}
			if d.PartyOrgs.Active != active || d.PartyOrgs.Dissolved != dissolved || len(d.PartyOrgs.ByType) != len(byType) {
				t.Errorf("%s: party_orgs %+v, want %d active by type %v", who, d.PartyOrgs, active, byType)
			}
			for k, n := range byType {
				if d.PartyOrgs.ByType[k] != n {
					t.Errorf("%s: %d of type %s, want %d", who, d.PartyOrgs.ByType[k], k, n)
				}
			}
			if d.Terms.Overdue != overdue || d.Terms.DueSoon != soon {
				t.Errorf("%s: terms %+v, want %d overdue, %d due soon", who, *d.Terms, overdue, soon)
			}
			if overdue == 0 && who == "city" {
				t.Errorf("the generated data has no overdue term: the check proves little")
			}
			return d
		}
		jj := e.dataOrg(e.OrgID(apitest.JinjiangName))
		d := check("jinjiang", jj.Path)
		if d.ScopeName != apitest.JinjiangName || d.Users != nil || d.Audit != nil {
			t.Errorf("jinjiang sees sections beyond their permissions: %+v", d)
		}
		check("city", e.dataOrg(e.OrgID(apitest.CityName)).Path)
		check("qingyang", e.dataOrg(e.OrgID(apitest.QingyangName)).Path)

		// The 三员 read no business figures: the administrators count
		// accounts, the auditor the trail, each on their own route.
		type userCounts struct{ Total, Locked, Disabled int }
		type auditCounts struct {
			Today         int `json:"today"`
			FailuresToday int `json:"failures_today"`
		}
		for _, who := range []string{"admin", "secadmin", "auditor"} {
			wantErr(t, e.login(who).do("GET", "/api/v1/dashboard", nil), 403, "forbidden", "")
		}
		ad := decodeAs[userCounts](t, e.login("admin").expect(200, "GET", "/api/v1/users/stats", nil))
		if ad.Total != len(e.Data.Users) || ad.Locked != 0 || ad.Disabled != 0 {
			t.Errorf("admin's account figures: %+v", ad)
		}
		wantErr(t, e.login("admin").do("GET", "/api/v1/audit-events/stats", nil), 403, "forbidden", "")
		wantErr(t, e.login("auditor").do("GET", "/api/v1/users/stats", nil), 403, "forbidden", "")
		for i := 0; i < 5; i++ {
			e.anon().do("POST", "/api/v1/session", creds("qingyang", wrongPassword))
		}
		au := decodeAs[auditCounts](t, e.login("auditor").expect(200, "GET", "/api/v1/audit-events/stats", nil))
		if n := len(e.events(store.AuditFilter{Result: audit.ResultFailure, From: apitest.Start.Add(-10 * time.Hour)})); au.FailuresToday != n || n < 5 {
			t.Errorf("auditor's figures: %+v, the trail holds %d failures since midnight", au, n)
		}
		if n := len(e.events(store.AuditFilter{From: apitest.Start.Add(-10 * time.Hour)})); au.Today != n {
			t.Errorf("audit today %d, the trail holds %d since midnight", au.Today, n)
		}
		ad = decodeAs[userCounts](t, e.login("secadmin").expect(200, "GET", "/api/v1/users/stats", nil))
		if ad.Locked != 1 {
			t.Errorf("locked accounts: %d", ad.Locked)
		}

		// Changes show at once.
		c := e.login("jinjiang")
		n := c.create(orgBody(jj.ID, "中共仪表盘测试支部", "branch", "term_start", "2023-01-01"))
		c.expect(200, "POST", "/api/v1/party-orgs/"+id(n.ID)+"/dissolve", map[string]any{"dissolved_on": "2026-11-27", "reason": "测试"})
		c.create(orgBody(jj.ID, "中共仪表盘测试二支部", "branch", "term_start", "2023-01-01"))
		after := decodeAs[dash](t, c.expect(200, "GET", "/api/v1/dashboard", nil))
		if after.PartyOrgs.Active != d.PartyOrgs.Active+1 || after.PartyOrgs.Dissolved != 1 || after.PartyOrgs.ByType["branch"] != d.PartyOrgs.ByType["branch"]+1 ||
			after.Terms.Overdue != d.Terms.Overdue+1 {
			t.Errorf("after one create and one dissolution: %+v %+v, before %+v %+v", *after.PartyOrgs, *after.Terms, *d.PartyOrgs, *d.Terms)
		}
	})
}
