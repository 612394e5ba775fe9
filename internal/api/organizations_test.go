package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
)

// orgOf finds a generated Party org under parent whose name contains part.
func orgOf(t *testing.T, e *apitest.Env, parent int64, part string) int64 {
	for _, o := range e.Data.PartyOrgs {
		if o.ParentID != nil && *o.ParentID == parent && strings.Contains(o.Name, part) {
			return o.ID
		}
	}
	t.Fatalf("no child of %d named *%s*", parent, part)
	return 0
}

func TestOrganizationRegistry(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj, qy := e.OrgID(apitest.JinjiangName), e.OrgID(apitest.QingyangName)
		jjExpress := orgOf(t, e, jj, "快递物流行业党委")
		qyStreet := orgOf(t, e, qy, "街道综合党委")
		jinjiang, qingyang := e.Login("jinjiang"), e.Login("qingyang")

		// Registered by 锦江区 with kind derived from the code, never typed in.
		r := jinjiang.Do("POST", "/api/v1/organizations", map[string]any{
			"uscc": " ９１５１０１０４ma6c00000f ", "name": "成都蓉城快递有限公司", "region": "510104", "industry": "G",
			"employees": 120, "flags": []string{"above_scale"}, "area_manager_id": jjExpress,
		})
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		m := r.Map(t)
		if m["uscc"] != "91510104MA6C00000F" || m["kind"] != "enterprise" || m["employee_band"] != "100_299" || m["area_manager_name"] == "" {
			t.Fatalf("created %v", m)
		}
		id := int64(m["id"].(float64))

		// The same code again is a conflict naming the field.
		r = jinjiang.Do("POST", "/api/v1/organizations", map[string]any{"uscc": "91510104MA6C00000F", "name": "重复", "region": "510104", "industry": "G", "area_manager_id": jjExpress})
		if r.Status != 409 || r.ErrorField(t, "uscc") == "" {
			t.Fatalf("duplicate: %d %s", r.Status, r.Body)
		}
		// Bad input names each field.
		r = jinjiang.Do("POST", "/api/v1/organizations", map[string]any{"uscc": "91510104MA6C00000X", "name": "", "region": "510104", "industry": "Q9", "area_manager_id": jjExpress, "longitude": 200.0, "latitude": 30.0})
		for _, f := range []string{"uscc", "name", "industry", "longitude"} {
			if r.Status != 400 || r.ErrorField(t, f) == "" {
				t.Errorf("bad input: %s not named: %d %s", f, r.Status, r.Body)
			}
		}

		// 青羊区 neither sees it nor can hand it to itself.
		if r := qingyang.Do("GET", fmt.Sprintf("/api/v1/organizations/%d", id), nil); r.Status != 404 {
			t.Fatalf("青羊 reads a 锦江 organization: %d", r.Status)
		}
		r = jinjiang.Do("PATCH", fmt.Sprintf("/api/v1/organizations/%d", id), map[string]any{"area_manager_id": qyStreet})
		if r.Status != 400 || !strings.Contains(r.ErrorField(t, "area_manager_id"), "管理范围") {
			t.Fatalf("hand-over to 青羊: %d %s", r.Status, r.Body)
		}

		// 双重管理: once a 青羊区 committee is its industry manager (set by
		// someone who holds both), 青羊区 sees it too.
		city := e.Login("city")
		r = city.Do("PATCH", fmt.Sprintf("/api/v1/organizations/%d", id), map[string]any{"industry_manager_id": qyStreet, "version": 1})
		if r.Status != 200 || r.Map(t)["version"].(float64) != 2 {
			t.Fatalf("set industry manager: %d %s", r.Status, r.Body)
		}
		if r := qingyang.Do("GET", fmt.Sprintf("/api/v1/organizations/%d", id), nil); r.Status != 200 {
			t.Fatalf("industry manager cannot see it: %d", r.Status)
		}
		// A stale version is a conflict.
		if r := jinjiang.Do("PATCH", fmt.Sprintf("/api/v1/organizations/%d", id), map[string]any{"name": "新名", "version": 1}); r.Status != 409 {
			t.Fatalf("stale version: %d %s", r.Status, r.Body)
		}

		// Lists: filters and the scope.
		var l struct {
			Items []map[string]any `json:"items"`
			Total int              `json:"total"`
		}
		jinjiang.Do("GET", "/api/v1/organizations?flag=above_scale&industry=G&q=蓉城", nil).JSON(t, &l)
		if l.Total != 1 {
			t.Fatalf("filtered list: %+v", l)
		}
		e.Login("wuhou").Do("GET", "/api/v1/organizations?q=91510104MA6C00000F", nil).JSON(t, &l)
		if l.Total != 0 {
			t.Fatalf("武侯区 sees %d organizations", l.Total)
		}
		e.Login("wuhou").Do("GET", "/api/v1/organizations?page_size=200", nil).JSON(t, &l)
		for _, it := range l.Items {
			if !strings.HasPrefix(it["region"].(string), "510107") && !strings.HasPrefix(it["region"].(string), "510100") {
				t.Errorf("武侯区 sees an organization in %v", it["region"])
			}
		}
		if r := jinjiang.Do("GET", "/api/v1/organizations?industry=ZZ", nil); r.Status != 400 || r.ErrorField(t, "industry") == "" {
			t.Fatalf("unknown industry filter: %d %s", r.Status, r.Body)
		}

		// History shows the creation and the change of manager.
		var h []map[string]any
		jinjiang.Do("GET", fmt.Sprintf("/api/v1/organizations/%d/history", id), nil).JSON(t, &h)
		if len(h) != 2 || h[0]["action"] != "update" || h[0]["changes"].(map[string]any)["industry_manager_id"] == nil {
			t.Fatalf("history %v", h)
		}
		// Staff of accounts and the audit trail have no business here.
		if r := e.Login("admin").Do("GET", "/api/v1/organizations", nil); r.Status != 403 {
			t.Fatalf("系统管理员 lists organizations: %d", r.Status)
		}
	})
}

// TestOrganizationCoverage: an organization with its own branch is
// org-covered; when the branch is dissolved it falls back to uncovered (or
// to work coverage when an instructor is assigned).
func TestOrganizationCoverage(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj := e.OrgID(apitest.JinjiangName)
		var jjPath string
		for _, o := range e.Data.PartyOrgs {
			if o.ID == jj {
				jjPath = o.Path
			}
		}
		bound := map[int64]bool{}
		for _, u := range e.Data.Users {
			bound[u.PartyOrgID] = true
		}
		units := map[int64]int{}
		for _, c := range e.Data.Covers {
			units[c.PartyOrgID]++
		}
		hasChildren := map[int64]bool{}
		for _, o := range e.Data.PartyOrgs {
			if o.ParentID != nil {
				hasChildren[*o.ParentID] = true
			}
		}
		var branch, org int64
		for _, c := range e.Data.Covers {
			po := e.Data.PartyOrgs[c.PartyOrgID-1]
			if po.Type == "branch" && strings.HasPrefix(po.Path, jjPath) && units[po.ID] == 1 && !bound[po.ID] && !hasChildren[po.ID] {
				branch, org = po.ID, c.OrganizationID
				break
			}
		}
		if branch == 0 {
			t.Fatal("no single-unit branch in 锦江区")
		}
		c := e.Login("jinjiang")
		var cov struct {
			State     string `json:"state"`
			StateName string `json:"state_name"`
			By        string `json:"by"`
			Covering  []any  `json:"covering"`
		}
		c.Do("GET", fmt.Sprintf("/api/v1/organizations/%d/coverage", org), nil).JSON(t, &cov)
		if cov.State != "org_covered" || cov.By != "own" || cov.StateName != "组织覆盖" || len(cov.Covering) != 1 {
			t.Fatalf("with its own branch: %+v", cov)
		}
		if r := c.Do("POST", fmt.Sprintf("/api/v1/party-orgs/%d/dissolve", branch), map[string]any{"dissolved_on": "2026-11-20", "reason": "企业注销"}); r.Status != 200 {
			t.Fatalf("dissolve: %d %s", r.Status, r.Body)
		}
		c.Do("GET", fmt.Sprintf("/api/v1/organizations/%d/coverage", org), nil).JSON(t, &cov)
		if cov.State == "org_covered" {
			t.Fatalf("still org-covered by a dissolved branch: %+v", cov)
		}
		if r := e.Login("qingyang").Do("GET", fmt.Sprintf("/api/v1/organizations/%d/coverage", org), nil); r.Status != 404 {
			t.Fatalf("青羊 reads 锦江 coverage: %d", r.Status)
		}
	})
}
