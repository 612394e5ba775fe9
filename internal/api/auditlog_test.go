package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api"
	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// event is an audit record as the auditor's page receives it.
type event = api.AuditEventView

func (c *client) audit(query string) page[event] {
	c.t.Helper()
	return decodeAs[page[event]](c.t, c.expect(200, "GET", "/api/v1/audit-events?"+query, nil))
}

// TestAuditTrailSearch: the 审计管理员 finds logins, writes and denials by
// user, action, object, result and time, newest first.
func TestAuditTrailSearch(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		jj := e.OrgID(apitest.JinjiangName)
		e.anon().do("POST", "/api/v1/session", creds("jinjiang", wrongPassword))
		c := e.login("jinjiang")
		r := c.expect(201, "POST", "/api/v1/party-orgs", orgBody(jj, "中共审计测试支部", "branch"))
		o := decodeAs[org](t, r)
		e.login("admin").do("GET", "/api/v1/audit-events", nil)
		a := e.login("auditor")

		all := a.audit("page_size=200")
		_, total, err := e.Store.ListAudit(context.Background(), store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if all.Total != total || len(all.Items) != total || all.Page != 1 || all.PageSize != 200 {
			t.Errorf("all events: total %d (store %d), %d items", all.Total, total, len(all.Items))
		}
		if !slices.IsSortedFunc(all.Items, func(x, y event) int { return int(y.ID - x.ID) }) {
			t.Errorf("not newest first: %v", all.Items)
		}
		for _, ev := range all.Items {
			if _, err := time.Parse(time.RFC3339, ev.At); err != nil || ev.ActionName == "" {
				t.Errorf("event %d: at %q, action_name %q", ev.ID, ev.At, ev.ActionName)
			}
		}
		// The newest is the auditor's own login.
		if n := all.Items[0]; n.Action != "login" || n.Username != "auditor" || n.Roles != "auditor" || n.IP != "127.0.0.1" || n.RequestID == "" {
			t.Errorf("newest event: %+v", n)
		}

		for _, tc := range []struct {
			query string
			want  func(ev event) bool
			n     int
		}{
			{"username=jinjiang", func(ev event) bool { return ev.Username == "jinjiang" }, 3},
			{"action=login_failed", func(ev event) bool {
				return ev.Action == "login_failed" && ev.Result == "failure" && ev.ActionName == "登录失败"
			}, 1},
			{"action=permission_denied&username=admin", func(ev event) bool {
				return ev.ObjectID == "GET /api/v1/audit-events" && ev.ObjectType == "route"
			}, 1},
			{"object_type=party_org&object_id=" + id(o.ID), func(ev event) bool { return ev.Action == "create" && ev.Before == "" }, 1},
			{"result=failure", func(ev event) bool { return ev.Result == "failure" }, 2},
			{"result=success&action=login", func(ev event) bool { return ev.Result == "success" && ev.Action == "login" }, 3},
			{"username=nobody", func(ev event) bool { return false }, 0},
		} {
			l := a.audit(tc.query)
			if l.Total != tc.n || len(l.Items) != tc.n {
				t.Errorf("%s: %d events, want %d", tc.query, l.Total, tc.n)
			}
			for _, ev := range l.Items {
				if !tc.want(ev) {
					t.Errorf("%s: unexpected %+v", tc.query, ev)
				}
			}
		}
		// A write's record carries its state and the request that made it.
		cr := a.audit("action=create&object_type=party_org").Items[0]
		var after map[string]any
		if err := json.Unmarshal([]byte(cr.After), &after); err != nil || after["name"] != "中共审计测试支部" || after["parent_id"] != float64(jj) {
			t.Errorf("create record after %q (%v)", cr.After, err)
		}
		if cr.RequestID != r.Header.Get("X-Request-Id") || cr.Username != "jinjiang" || cr.Roles != "district_staff" {
			t.Errorf("create record: %+v", cr)
		}
		// Paging.
		p2 := a.audit("page=2&page_size=2")
		if len(p2.Items) != 2 || p2.Items[0].ID != all.Items[2].ID || p2.Page != 2 || p2.PageSize != 2 {
			t.Errorf("page 2: %+v", p2)
		}

		// Time: a day later, from/to split the trail by the Chengdu date.
		e.Advance(24 * time.Hour)
		e.login("jinjiang")
		a = e.login("auditor")
		today := a.audit("from=2026-11-28")
		if today.Total != 2 || today.Items[0].Username != "auditor" || today.Items[1].Username != "jinjiang" {
			t.Errorf("from=2026-11-28: %+v", today.Items)
		}
		yesterday := a.audit("to=2026-11-27&page_size=200")
		if yesterday.Total != total {
			t.Errorf("to=2026-11-27: %d events, want %d", yesterday.Total, total)
		}
		// 2026-11-28 00:00 in Chengdu is 2026-11-27T16:00:00Z.
		if l := a.audit("from=" + url.QueryEscape("2026-11-27T16:00:00Z")); l.Total != 2 {
			t.Errorf("from RFC 3339: %d", l.Total)
		}
		if l := a.audit("from=" + url.QueryEscape("2026-11-28T00:00:00+08:00") + "&to=2026-11-28&username=jinjiang"); l.Total != 1 {
			t.Errorf("from and to: %d", l.Total)
		}
		if l := a.audit("from=2026-11-29"); l.Total != 0 {
			t.Errorf("from tomorrow: %d", l.Total)
		}
	})
}

// TestAuditTrailIsReadOnly: no route edits or deletes the trail, and its
// chain verifies after every kind of event.
func TestAuditTrailIsReadOnly(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		jj := e.OrgID(apitest.JinjiangName)
		c := e.login("jinjiang")
		o := c.create(orgBody(jj, "中共链条测试支部", "branch"))
		c.expect(200, "PATCH", "/api/v1/party-orgs/"+id(o.ID), map[string]any{"secretary_name": "张三"})
		c.expect(204, "DELETE", "/api/v1/session", nil)
		e.anon().do("POST", "/api/v1/session", creds("nobody", wrongPassword))
		a := e.login("auditor")
		before := a.audit("page_size=1").Total
		last := a.audit("page_size=1").Items[0]
		for _, method := range []string{"PUT", "PATCH", "DELETE", "POST"} {
			for _, p := range []string{"/api/v1/audit-events", "/api/v1/audit-events/" + id(last.ID), "/api/v1/audit-events/verify"} {
				r := a.do(method, p, map[string]any{"reason": "篡改"})
				if r.Status != 404 && r.Status != 405 {
					t.Errorf("%s %s: %d %s", method, p, r.Status, r.Body)
				}
			}
		}
		if got := a.audit("page_size=1"); got.Total != before || got.Items[0] != last {
			t.Errorf("the trail changed: %d events, newest %+v", got.Total, got.Items[0])
		}
		var v struct {
			OK       bool   `json:"ok"`
			Checked  int    `json:"checked"`
			BrokenID int64  `json:"broken_id"`
			Reason   string `json:"reason"`
		}
		a.expect(200, "GET", "/api/v1/audit-events/verify", nil).JSON(t, &v)
		if !v.OK || v.Checked != before || v.BrokenID != 0 {
			t.Errorf("verify: %+v, want ok over %d events", v, before)
		}
		for _, action := range []string{audit.ActionCreate, audit.ActionUpdate, audit.ActionLogout, audit.ActionLoginFailed, audit.ActionLogin} {
			if l := a.audit("action=" + action); l.Total == 0 {
				t.Errorf("no %s event", action)
			}
		}
		up := a.audit("action=update").Items[0]
		// The secretary's name reaches the auditor masked (issue 11).
		if !strings.Contains(up.Before, `"secretary_name":""`) || !strings.Contains(up.After, `"secretary_name":"张*"`) {
			t.Errorf("update record: before %s after %s", up.Before, up.After)
		}
	})
}

// TestAuditVerifyReportsBrokenHead: the auditor's page reports a trail cut
// short behind the system's back — the newest records deleted and the head
// pointed at the new last one, as a database owner could (finding 10) —
// and logins after it do not make it whole again.
func TestAuditVerifyReportsBrokenHead(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.login("jinjiang")
		e.login("city")
		a := e.login("auditor")
		var v store.VerifyResult
		a.expect(200, "GET", "/api/v1/audit-events/verify", nil).JSON(t, &v)
		if !v.OK || v.Checked < 3 {
			t.Fatalf("untouched: %+v", v)
		}
		cut := fmt.Sprint(v.Checked - 2)
		drop := []string{`DROP TRIGGER audit_events_no_update`, `DROP TRIGGER audit_events_no_delete`}
		if e.Store.Engine() == "postgres" {
			drop = []string{`DROP TRIGGER audit_events_no_update ON audit_events`}
		}
		storetest.Exec(t, e.Store, append(drop, `DELETE FROM audit_events WHERE id > `+cut,
			`UPDATE audit_head SET seq = `+cut+`, hash = (SELECT hash FROM audit_events WHERE id = `+cut+`) WHERE id = 1`)...)
		e.login("auditor")
		a.expect(200, "GET", "/api/v1/audit-events/verify", nil).JSON(t, &v)
		if v.OK || v.BrokenID == 0 || !strings.Contains(v.Reason, "末端") {
			t.Errorf("after truncation: %+v", v)
		}
	})
}
