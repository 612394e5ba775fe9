package api_test

import (
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
)

// TestRegionInsideOwnDistrict (issue 11, finding 12): a 青羊区 user, or a
// 锦江区 committee's, cannot put an organization, a Party org or a zone in
// another district; city staff can; a stored region outside stays on other
// edits; an import is checked the same way.
func TestRegionInsideOwnDistrict(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		street := func(district string) string {
			rs, err := e.Store.Registry.ListRegions(ctx, registry.RegionFilter{ParentCode: district, Level: domain.LevelStreet})
			if err != nil || len(rs) == 0 {
				t.Fatalf("no street of %s: %v", district, err)
			}
			return rs[0].Code
		}
		jjStreet, qyStreet := street("510104"), street("510105")
		qyNode := e.OrgID(apitest.QingyangName)
		inScope := func(node int64) int64 {
			items, _, err := e.Store.Registry.ListOrganizations(ctx, scopeOf(t, e.Env, node), registry.OrganizationFilter{Page: store.Page{Size: 1}})
			if err != nil || len(items) == 0 {
				t.Fatalf("no organization under %d: %v", node, err)
			}
			return items[0].ID
		}
		qyOrg := inScope(qyNode)
		qy := e.login("qingyang")
		check := func(c *client, method, path string, body map[string]any, district string) {
			t.Helper()
			er := wantErr(t, c.do(method, path, body), 400, "invalid", "region")
			if !strings.Contains(er.Fields["region"], district) {
				t.Errorf("%s %s: %q does not name %s", method, path, er.Fields["region"], district)
			}
		}
		// The finding: a 青羊区 user moves an organization to a 锦江区 street.
		before := e.dataOrganization(qyOrg)
		check(qy, "PATCH", "/api/v1/organizations/"+id(qyOrg), map[string]any{"region": jjStreet}, "青羊区")
		check(qy, "PATCH", "/api/v1/organizations/"+id(qyOrg), map[string]any{"region": "510104"}, "青羊区")
		check(qy, "PATCH", "/api/v1/organizations/"+id(qyOrg), map[string]any{"region": domain.ChengduCode}, "青羊区")
		check(qy, "POST", "/api/v1/party-orgs", map[string]any{"parent_id": qyNode, "name": "中共越区测试支部", "type": "branch", "region": jjStreet}, "青羊区")
		check(qy, "PATCH", "/api/v1/party-orgs/"+id(firstChild(t, e.Env, qyNode)), map[string]any{"region": jjStreet}, "青羊区")
		check(qy, "POST", "/api/v1/zones", map[string]any{"name": "越区园区", "kind": "park", "region": jjStreet, "party_org_id": qyNode}, "青羊区")
		if after := e.dataOrganization(qyOrg); after.Region != before.Region || after.Version != before.Version {
			t.Fatalf("a refused edit changed the organization: %+v", after)
		}
		// Below the district level the district is the limit too.
		committee := e.login("committee")
		cOrg := inScope(e.dbUser("committee").PartyOrgID)
		check(committee, "PATCH", "/api/v1/organizations/"+id(cOrg), map[string]any{"region": qyStreet}, "锦江区")
		committee.expect(200, "PATCH", "/api/v1/organizations/"+id(cOrg), map[string]any{"region": jjStreet})
		// Inside the district all is as before.
		qy.expect(200, "PATCH", "/api/v1/organizations/"+id(qyOrg), map[string]any{"region": qyStreet})
		qy.expect(201, "POST", "/api/v1/zones", map[string]any{"name": "青羊测试园区", "kind": "park", "region": qyStreet, "party_org_id": qyNode})
		// City staff write any region.
		e.login("city").expect(200, "PATCH", "/api/v1/organizations/"+id(qyOrg), map[string]any{"region": jjStreet})
		// A stored region outside the district stays on other edits.
		qy.expect(200, "PATCH", "/api/v1/organizations/"+id(qyOrg), map[string]any{"name": "青羊区测试改名有限公司"})
		if got := e.dataOrganization(qyOrg); got.Region != jjStreet || got.Name != "青羊区测试改名有限公司" {
			t.Errorf("after the edit: %+v", got)
		}
		// An import names the field of the row.
		job := startAndWait(t, e.Env, qy.Client, upload("organizations", orgWorkbook(t, [3]string{testUSCC(930), "越区导入测试有限公司", firstChildName(t, e.Env, qyNode)}), false))
		if job.Status != "rejected" || len(job.Errors) != 1 || job.Errors[0].Header != "所在区划代码" || !strings.Contains(job.Errors[0].Reason, "青羊区") {
			t.Errorf("an import into 锦江区 by 青羊区: %+v", job)
		}
	})
}

// dataOrganization reads an organization as stored now.
func (e *env) dataOrganization(id int64) domain.Organization {
	e.t.Helper()
	o, err := e.Store.Registry.GetOrganization(e.t.Context(), store.ScopeAll, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return o.Organization
}
