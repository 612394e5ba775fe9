package api_test

import (
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/alerts"
)

// TestOwnTermNotSelfServed (issue 11, finding 9): the `branch` account,
// bound to an overdue branch, can no longer close its red 换届超期 alert by
// editing its own term, nor change its own type or parent; the district's
// staff still correct the term directly, audited, and the alert closes then.
func TestOwnTermNotSelfServed(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		sys := store.System(e.Now(), "test")
		own := e.dbUser("branch").PartyOrgID
		path := "/api/v1/party-orgs/" + id(own)
		founded, start, years := "2019-03-01", "2020-06-01", 3
		if _, err := e.Store.Registry.UpdatePartyOrg(ctx, sys, own, domain.PartyOrgInput{FoundedOn: &founded, TermStart: &start, TermYears: &years}); err != nil {
			t.Fatal(err)
		}
		today := domain.DateOf(e.Now())
		overdue := func() []alerts.AlertView {
			t.Helper()
			if _, err := e.Store.Alerts.RunAlerts(ctx, sys, today, alerts.RunManual); err != nil {
				t.Fatal(err)
			}
			list, _, err := e.Store.Alerts.ListAlerts(ctx, store.ScopeAll, alerts.AlertFilter{Rule: string(alert.RuleTermOverdue), PartyOrgID: own, Status: "all", Page: store.Page{Size: 10}})
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		if a := overdue(); len(a) != 1 || a[0].Level != alert.LevelRed {
			t.Fatalf("the branch has no red 换届超期 alert: %+v", a)
		}
		before := e.dataOrgNow(own)

		branch := e.login("branch")
		parent := *before.ParentID
		sibling := firstChild(t, e.Env, parent)
		if sibling == own {
			sibling = parent
		}
		for _, c := range []struct {
			method, path string
			body         any
			says         string
		}{
			{"PATCH", path, map[string]any{"term_start": "2026-11-01", "term_years": 3}, "换届选举"},
			{"PATCH", path, map[string]any{"term_start": "2026-11-01"}, "换届选举"},
			{"PATCH", path, map[string]any{"term_years": 5}, "换届选举"},
			{"PATCH", path, map[string]any{"type": "general_branch"}, "类型"},
			{"PATCH", path, map[string]any{"name": "改名支部", "term_years": 5}, "换届选举"},
			{"POST", path + "/terms", map[string]any{"start_on": "2026-11-01", "years": 3}, "换届选举"},
			{"POST", path + "/move", map[string]any{"parent_id": sibling}, "隶属"},
		} {
			n := len(e.events(store.AuditFilter{Action: audit.ActionPermissionDenied, Username: "branch"}))
			r := wantErr(t, branch.do(c.method, c.path, c.body), 403, "forbidden", "")
			if !strings.Contains(r.Message, c.says) || !strings.Contains(r.Message, "上级") {
				t.Errorf("%s %s %v: %q", c.method, c.path, c.body, r.Message)
			}
			if len(e.events(store.AuditFilter{Action: audit.ActionPermissionDenied, Username: "branch"})) != n+1 {
				t.Errorf("%s %s: refusal not audited", c.method, c.path)
			}
		}
		// parent_id is no field of the edit: a 400 naming it.
		wantErr(t, branch.do("PATCH", path, map[string]any{"parent_id": sibling}), 400, "invalid", "parent_id")
		after := e.dataOrgNow(own)
		if after.TermStart != before.TermStart || after.TermYears != before.TermYears || after.Type != before.Type || after.Name != before.Name ||
			*after.ParentID != parent || after.Version != before.Version {
			t.Fatalf("a refused edit changed the org: %+v", after)
		}
		if a := overdue(); len(a) != 1 || alert.AlertStatus(a[0].Status) == alert.AlertClosed {
			t.Fatalf("the alert closed without an election: %+v", a)
		}
		// The org's own staff keep the rest of the form.
		branch.expect(200, "PATCH", path, map[string]any{"short_name": "本支部", "term_start": string(before.TermStart), "term_years": before.TermYears, "type": "branch"})

		// The district's staff correct the term directly, audited.
		jj := e.login("jinjiang")
		jj.expect(200, "PATCH", path, map[string]any{"term_start": "2024-06-01", "term_years": 3})
		ev := e.events(store.AuditFilter{Action: audit.ActionUpdate, ObjectType: "party_org", ObjectID: id(own), Username: "jinjiang"})
		if len(ev) != 1 || !strings.Contains(ev[0].Before, `"term_start":"2020-06-01"`) || !strings.Contains(ev[0].After, `"term_start":"2024-06-01"`) {
			t.Errorf("the superior's correction audited as %+v", ev)
		}
		if a := overdue(); len(a) != 1 || alert.AlertStatus(a[0].Status) != alert.AlertClosed {
			t.Errorf("the corrected term left the alert %+v", a)
		}
		e.login("city").expect(200, "POST", path+"/terms", map[string]any{"start_on": "2025-06-01", "years": 3})
		if got := e.dataOrgNow(own); got.TermStart != "2025-06-01" {
			t.Errorf("the city's term record: %+v", got)
		}
	})
}

// dataOrgNow reads a Party org as stored now.
func (e *env) dataOrgNow(id int64) domain.PartyOrg {
	e.t.Helper()
	o, err := e.Store.Registry.GetPartyOrg(e.t.Context(), store.ScopeAll, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return o.PartyOrg
}
