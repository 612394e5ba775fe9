package api_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/coverage"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// contractKeys are the fields issue 3's contract fixes for GET /coverage.
var contractKeys = []string{"organizations", "in_scope", "org_covered", "work_covered", "uncovered", "members", "members_unmanaged"}

func TestCoverageViews(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		city, jinjiang := e.Login("city"), e.Login("jinjiang")
		r := city.Do("GET", "/api/v1/coverage", nil)
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		all := r.Map(t)
		for _, k := range contractKeys {
			if _, ok := all[k].(float64); !ok {
				t.Errorf("GET /coverage lacks the number %q: %s", k, r.Body)
			}
		}
		n := func(m map[string]any, k string) int { return int(m[k].(float64)) }
		if n(all, "org_covered")+n(all, "work_covered")+n(all, "uncovered") != n(all, "in_scope") || n(all, "in_scope") > n(all, "organizations") {
			t.Errorf("counts do not add up: %s", r.Body)
		}
		// The same figures as the store computes for the whole city.
		sum, err := e.Store.Coverage.CoverageSummary(context.Background(), store.System(e.Now(), "t"), coverage.CoverageFilter{})
		if err != nil || sum.Organizations != n(all, "organizations") || sum.Uncovered != n(all, "uncovered") || sum.Members != n(all, "members") {
			t.Errorf("store %+v vs API %s (%v)", sum, r.Body, err)
		}

		// 锦江区 sees its own figures, which the city's by-district row agrees with.
		jj := jinjiang.Do("GET", "/api/v1/coverage", nil).Map(t)
		var rows []coverage.BreakdownRow
		city.Do("GET", "/api/v1/coverage/breakdown?by=region", nil).JSON(t, &rows)
		i := slices.IndexFunc(rows, func(r coverage.BreakdownRow) bool { return r.Key == "510104" })
		if i < 0 || rows[i].Name != "锦江区" || rows[i].InScope.Total != n(jj, "in_scope") || rows[i].Total != n(jj, "organizations") {
			t.Errorf("锦江区 row %+v vs 锦江区's own %v", rows, jj)
		}
		if n(jj, "organizations") >= n(all, "organizations") || n(jj, "organizations") == 0 {
			t.Errorf("锦江区 %v vs city %v", jj, all)
		}
		// LoadDataset left the coverage computed for today.
		if stale, err := e.Store.Registry.CoverageStale(context.Background(), e.Now()); err != nil || stale {
			t.Errorf("coverage stale after loading: %v %v", stale, err)
		}
		// Another district's figures: nothing of 锦江区 for 青羊区, whatever the filter.
		qingyang := e.Login("qingyang")
		if m := qingyang.Do("GET", "/api/v1/coverage?region=510104", nil).Map(t); n(m, "organizations") != 0 || n(m, "members") != 0 {
			t.Errorf("青羊区 sees 锦江区 figures: %v", m)
		}
		if tr := qingyang.Do("GET", "/api/v1/coverage/trend?region=510104", nil).Map(t); len(tr["points"].([]any)) != 0 {
			t.Errorf("青羊区 sees 锦江区's trend: %v", tr)
		}
		var own []coverage.BreakdownRow
		jinjiang.Do("GET", "/api/v1/coverage/breakdown?by=region", nil).JSON(t, &own)
		if len(own) != 1 || own[0].Key != "510104" {
			t.Errorf("锦江区 sees districts %+v", own)
		}
		// Drill-down: 锦江区's streets, then a zone's or street's list.
		r = city.Do("GET", "/api/v1/coverage/breakdown?by=region&region=510104", nil)
		if r.Status != 200 || !strings.Contains(r.Body, "街道") {
			t.Errorf("streets of 锦江区: %d %.300s", r.Status, r.Body)
		}
		for _, by := range []string{"zone", "industry", "chain"} {
			if r := jinjiang.Do("GET", "/api/v1/coverage/breakdown?by="+by, nil); r.Status != 200 {
				t.Errorf("by %s: %d %s", by, r.Status, r.Body)
			}
		}

		// The uncovered list: in scope, uncovered, longest first, with the manager.
		r = jinjiang.Do("GET", "/api/v1/coverage/uncovered?page_size=5", nil)
		var page struct {
			Items []coverage.UncoveredOrganization `json:"items"`
			Total int                              `json:"total"`
		}
		r.JSON(t, &page)
		if page.Total != n(jj, "uncovered") || len(page.Items) == 0 || page.Items[0].AreaManagerName == "" || page.Items[0].DaysUncovered < page.Items[len(page.Items)-1].DaysUncovered {
			t.Errorf("uncovered: %d of %d, %+v", len(page.Items), page.Total, page.Items)
		}
		r = jinjiang.Do("GET", "/api/v1/coverage/uncovered.xlsx", nil)
		if r.Status != 200 || !strings.HasPrefix(r.Body, "PK") {
			t.Errorf("export: %d %.100q", r.Status, r.Body)
		}
		events, _, _ := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "export", ObjectType: "coverage_uncovered", Page: store.Page{Size: 5}})
		if len(events) != 1 || events[0].Username != "jinjiang" {
			t.Errorf("export audit %+v", events)
		}

		// Bad parameters name the field.
		for path, field := range map[string]string{"/api/v1/coverage?industry=ZZ": "industry", "/api/v1/coverage/breakdown?by=street": "by",
			"/api/v1/coverage/trend?days=0": "days", "/api/v1/coverage?zone=x": "zone"} {
			if r := city.Do("GET", path, nil); r.Status != 400 || r.ErrorField(t, field) == "" {
				t.Errorf("%s: %d %s", path, r.Status, r.Body)
			}
		}
	})
}

func TestCoverageSettingsAndLinks(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		city, jinjiang := e.Login("city"), e.Login("jinjiang")
		r := city.Do("GET", "/api/v1/settings/coverage", nil)
		settings := r.Map(t)
		if settings["max_transit_days"].(float64) != 90 {
			t.Fatalf("defaults: %s", r.Body)
		}
		before := city.Do("GET", "/api/v1/coverage", nil).Map(t)
		// Only city staff change the settings.
		if r := jinjiang.Do("PUT", "/api/v1/settings/coverage", settings); r.Status != 403 {
			t.Errorf("district staff changed the settings: %d", r.Status)
		}
		bad := map[string]any{"target": map[string]any{"statuses": []string{}, "min_employees": 10}, "max_transit_days": 90, "accepted_uscc": []string{}}
		if r := city.Do("PUT", "/api/v1/settings/coverage", bad); r.Status != 400 || r.ErrorField(t, "target.statuses") == "" {
			t.Errorf("empty statuses: %d %s", r.Status, r.Body)
		}
		next := map[string]any{"target": map[string]any{"statuses": []string{"active"}, "min_employees": 0}, "max_transit_days": 60, "accepted_uscc": []string{}}
		if r := city.Do("PUT", "/api/v1/settings/coverage", next); r.Status != 200 {
			t.Fatalf("put: %d %s", r.Status, r.Body)
		}
		after := city.Do("GET", "/api/v1/coverage", nil).Map(t)
		if after["in_scope"].(float64) <= before["in_scope"].(float64) {
			t.Errorf("targeting every active organization did not widen the scope: %v → %v", before, after)
		}

		// An uncovered organization of 锦江区 gets a branch, then an instructor.
		var page struct {
			Items []coverage.UncoveredOrganization `json:"items"`
		}
		jinjiang.Do("GET", "/api/v1/coverage/uncovered?page_size=1", nil).JSON(t, &page)
		if len(page.Items) == 0 {
			t.Fatal("no uncovered organization in 锦江区")
		}
		org := page.Items[0]
		branch := firstBranchUnder(t, e, e.OrgID(apitest.JinjiangName))
		r = jinjiang.Do("POST", fmt.Sprintf("/api/v1/organizations/%d/covers", org.ID), map[string]any{"party_org_id": branch.ID})
		if r.Status != 201 || !strings.Contains(r.Body, `"state":"org_covered"`) || !strings.Contains(r.Body, branch.Name) {
			t.Fatalf("cover: %d %s", r.Status, r.Body)
		}
		if r := jinjiang.Do("POST", fmt.Sprintf("/api/v1/organizations/%d/covers", org.ID), map[string]any{"party_org_id": org.AreaManagerID}); r.Status != 400 && r.Status != 409 {
			t.Errorf("a managing committee as a covering org: %d %s", r.Status, r.Body)
		}
		r = jinjiang.Do("DELETE", fmt.Sprintf("/api/v1/organizations/%d/covers?party_org_id=%d", org.ID, branch.ID), nil)
		if r.Status != 200 || !strings.Contains(r.Body, `"state":"uncovered"`) {
			t.Fatalf("uncover: %d %s", r.Status, r.Body)
		}
		r = jinjiang.Do("POST", fmt.Sprintf("/api/v1/organizations/%d/assignments", org.ID), map[string]any{"person": "张指导", "role": "instructor", "from": "2026-11-01"})
		if r.Status != 201 {
			t.Fatalf("assign: %d %s", r.Status, r.Body)
		}
		id := int64(r.Map(t)["id"].(float64))
		if r := jinjiang.Do("PATCH", fmt.Sprintf("/api/v1/assignments/%d", id), map[string]any{"to": "2026-10-01"}); r.Status != 400 || r.ErrorField(t, "to") == "" {
			t.Errorf("end before start: %d %s", r.Status, r.Body)
		}
		if r := jinjiang.Do("PATCH", fmt.Sprintf("/api/v1/assignments/%d", id), map[string]any{"to": "2026-11-26"}); r.Status != 200 {
			t.Errorf("end: %d %s", r.Status, r.Body)
		}
		cov := jinjiang.Do("GET", fmt.Sprintf("/api/v1/organizations/%d/coverage", org.ID), nil)
		if !strings.Contains(cov.Body, `"state":"uncovered"`) {
			t.Errorf("after the assignment ended: %s", cov.Body)
		}
		events, _, _ := e.Store.ListAudit(context.Background(), store.AuditFilter{Username: "jinjiang", Page: store.Page{Size: 50}})
		seen := map[string]bool{}
		for _, ev := range events {
			seen[ev.Action+" "+ev.ObjectType] = true
		}
		for _, want := range []string{"create coverage_link", "delete coverage_link", "create coverage_assignment", "update coverage_assignment"} {
			if !seen[want] {
				t.Errorf("no audit record %q in %v", want, seen)
			}
		}
	})
}

// firstBranchUnder finds an active grassroots branch in the subtree of id.
func firstBranchUnder(t *testing.T, e *apitest.Env, id int64) registry.PartyOrgView {
	t.Helper()
	items, _, err := e.Store.Registry.ListPartyOrgs(context.Background(), store.ScopeAll, registry.PartyOrgFilter{Under: &id, Type: "branch", Page: store.Page{Size: 1}})
	if err != nil || len(items) == 0 {
		t.Fatalf("no branch under %d: %v", id, err)
	}
	return items[0]
}
