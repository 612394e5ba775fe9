package api_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/partygroup"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/orglife"
	"github.com/lianxin/lianxin/internal/store/partygroups"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// TestRegionsAPI: 锦江区's staff add a street and a community of their
// district and rename them, with their history; 青羊区's staff cannot touch
// them; only the city hands a street to a functional zone; bad codes,
// duplicates and versions are answered with the field.
func TestRegionsAPI(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj, qy, city := e.Login("jinjiang"), e.Login("qingyang"), e.Login("city")
		if r := jj.Do("POST", "/api/v1/regions", map[string]any{"code": "510104990000", "name": "测试街道"}); r.Status != 201 {
			t.Fatalf("create street: %d %s", r.Status, r.Body)
		}
		var com domain.Region
		r := jj.Do("POST", "/api/v1/regions", map[string]any{"code": "510104990001", "name": "测试社区"})
		if r.Status != 201 {
			t.Fatalf("create community: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &com)
		if com.Level != domain.LevelCommunity || com.Parent != "510104990" || com.Sort != 1 {
			t.Fatalf("community: %+v", com)
		}
		r = jj.Do("PATCH", "/api/v1/regions/510104990001", map[string]any{"name": "测试一社区", "version": com.Version})
		if r.Status != 200 || !strings.Contains(r.Body, "测试一社区") {
			t.Fatalf("rename: %d %s", r.Status, r.Body)
		}
		var hist []store.HistoryEntry
		jj.Do("GET", "/api/v1/regions/510104990001/history", nil).JSON(t, &hist)
		if len(hist) != 2 || hist[0].Action != "update" {
			t.Fatalf("history: %+v", hist)
		}
		for _, c := range []struct {
			who         *apitest.Client
			method, url string
			body        map[string]any
			status      int
			field, says string
		}{
			{qy, "PATCH", "/api/v1/regions/510104990001", map[string]any{"name": "越权"}, 400, "code", "管理范围"},
			{qy, "POST", "/api/v1/regions", map[string]any{"code": "510104990002", "name": "越权社区"}, 400, "code", "管理范围"},
			{qy, "GET", "/api/v1/regions/510104990001/history", nil, 404, "", ""},
			{jj, "PATCH", "/api/v1/regions/510104990", map[string]any{"functional_zone_code": "510100-GX"}, 400, "functional_zone_code", "市级"},
			{jj, "PATCH", "/api/v1/regions/510104990001", map[string]any{"name": "旧版本", "version": 1}, 409, "version", ""},
			{jj, "PATCH", "/api/v1/regions/510104", map[string]any{"name": "改区名"}, 400, "code", "基础区划"},
			{jj, "POST", "/api/v1/regions", map[string]any{"code": "5101049", "name": "位数不对"}, 400, "code", "9位"},
			{jj, "POST", "/api/v1/regions", map[string]any{"code": "510104990001", "name": "重复"}, 409, "code", "已存在"},
			{jj, "POST", "/api/v1/regions", map[string]any{"code": "510104991001", "name": "无街道"}, 400, "code", "不存在"},
			{jj, "POST", "/api/v1/regions", map[string]any{"code": "510104991", "name": ""}, 400, "name", "名称"},
			{e.Login("admin"), "POST", "/api/v1/regions", map[string]any{"code": "510104991", "name": "三员"}, 403, "", ""},
		} {
			r := c.who.Do(c.method, c.url, c.body)
			if r.Status != c.status || c.field != "" && !strings.Contains(r.ErrorField(t, c.field), c.says) {
				t.Errorf("%s %s as %s: %d %s", c.method, c.url, c.who.Who, r.Status, r.Body)
			}
		}
		if r := city.Do("PATCH", "/api/v1/regions/510104990", map[string]any{"functional_zone_code": "510100-GX"}); r.Status != 200 || !strings.Contains(r.Body, "510100-GX") {
			t.Fatalf("the city hands the street to 高新区: %d %s", r.Status, r.Body)
		}
		// A community is no record's region: the figures group by street.
		r = jj.Do("POST", "/api/v1/zones", map[string]any{"name": "社区里的园区", "kind": "park", "region": "510104990001", "party_org_id": e.OrgID(apitest.JinjiangName)})
		if r.Status != 400 || !strings.Contains(r.ErrorField(t, "region"), "社区") {
			t.Errorf("a zone in a community: %d %s", r.Status, r.Body)
		}
	})
}

// TestPartyGroupsAPI: a branch's staff set up a 党小组 and assign its
// members; from the month it was set up the ledger owes 党小组会; dissolved,
// it owes none; a committee cannot have groups.
func TestPartyGroupsAPI(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		jj := e.OrgID(apitest.JinjiangName)
		name, typ, region, founded := "党小组测试党支部", "branch", "510104", "2025-01-01"
		sys := store.System(apitest.Start, "test")
		b, err := e.Store.Registry.CreatePartyOrg(ctx, sys, &jj, domain.PartyOrgInput{Name: &name, Type: &typ, Region: &region, FoundedOn: &founded})
		if err != nil {
			t.Fatal(err)
		}
		m1 := createMember(t, e, "510104199003070015", b.ID)
		m2 := createMember(t, e, "510107194910010012", b.ID)
		staff := e.Login("jinjiang")
		missing := func() (groups, all int) {
			var l orglife.OrgCompliance
			staff.Do("GET", fmt.Sprintf("/api/v1/compliance?party_org_id=%d&year=2026", b.ID), nil).JSON(t, &l)
			for _, m := range l.Missing {
				if m.Requirement == "group_meeting" {
					groups++
				}
			}
			return groups, len(l.Missing)
		}
		if g, _ := missing(); g != 0 {
			t.Fatalf("党小组会 owed without groups: %d", g)
		}
		var g partygroup.PartyGroup
		r := staff.Do("POST", fmt.Sprintf("/api/v1/party-orgs/%d/groups", b.ID), map[string]any{"name": "第一党小组", "leader_member_id": m1, "founded_on": "2026-06-15"})
		if r.Status != 201 {
			t.Fatalf("create group: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &g)
		if gm, _ := missing(); gm != 4 {
			t.Fatalf("党小组会 owed Jul–Oct: %d missing", gm)
		}
		var members []partygroups.PartyGroupMember
		r = staff.Do("PUT", fmt.Sprintf("/api/v1/party-groups/%d/members", g.ID), map[string]any{"member_ids": []int64{m1, m2}})
		if r.Status != 200 {
			t.Fatalf("members: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &members)
		var views []partygroups.PartyGroupView
		staff.Do("GET", fmt.Sprintf("/api/v1/party-orgs/%d/groups", b.ID), nil).JSON(t, &views)
		if len(members) != 2 || len(views) != 1 || views[0].MemberCount != 2 || views[0].LeaderName != "测试党员" {
			t.Fatalf("group: %+v %+v", members, views)
		}
		if r := staff.Do("POST", fmt.Sprintf("/api/v1/party-orgs/%d/groups", jj), map[string]any{"name": "工委党小组"}); r.Status != 400 || r.ErrorField(t, "party_org_id") == "" {
			t.Errorf("a group of a work committee: %d %s", r.Status, r.Body)
		}
		if r := staff.Do("POST", fmt.Sprintf("/api/v1/party-orgs/%d/groups", b.ID), map[string]any{"name": " "}); r.Status != 400 || r.ErrorField(t, "name") == "" {
			t.Errorf("a group without a name: %d %s", r.Status, r.Body)
		}
		if r := staff.Do("POST", fmt.Sprintf("/api/v1/party-groups/%d/dissolve", g.ID), map[string]any{"dissolved_on": "2026-11-27"}); r.Status != 200 {
			t.Fatalf("dissolve: %d %s", r.Status, r.Body)
		}
		if gm, _ := missing(); gm != 0 {
			t.Fatalf("党小组会 owed after the dissolution: %d", gm)
		}
	})
}

// TestPartyOrgImportAPI: the template downloads; an upload with a bad row is
// rejected with its errors and an error copy; a good file builds its tree;
// the Party orgs' export uploaded again changes nothing.
func TestPartyOrgImportAPI(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		jj := e.Login("jinjiang")
		if r := jj.Do("GET", "/api/v1/templates/party-orgs.xlsx", nil); r.Status != 200 || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("template: %d", r.Status)
		}
		rows := func(rs ...[4]string) []byte {
			var buf bytes.Buffer
			tpl := importer.PartyOrgTemplate
			sw, err := xlsx.NewStreamWriter(&buf, tpl, "党组织")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				vals := make([]any, len(tpl.Columns))
				vals[tpl.Index("name")], vals[tpl.Index("type")], vals[tpl.Index("parent")], vals[tpl.Index("region")] = r[0], r[1], r[2], r[3]
				if err := sw.Write(vals); err != nil {
					t.Fatal(err)
				}
			}
			if err := sw.Close(); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}
		bad := startAndWait(t, e, jj, upload("party-orgs", rows([4]string{"接口测试党支部", "党支部", "接口测试党委", "510104"}, [4]string{"接口测试党委", "党委", "不存在的上级", "510104"}), false))
		if bad.Status != "rejected" || !bad.HasErrorCopy || len(bad.Errors) != 2 || !strings.Contains(bad.Errors[1].Reason, "第 3 行") && !strings.Contains(bad.Errors[0].Reason, "第 3 行") {
			t.Fatalf("bad file: %+v", bad)
		}
		good := startAndWait(t, e, jj, upload("party-orgs", rows([4]string{"接口测试党支部", "党支部", "接口测试党委", "510104"}, [4]string{"接口测试党委", "党委", apitest.JinjiangName, "510104"}), false))
		if good.Status != "done" || good.Imported != 2 {
			t.Fatalf("good file: %+v", good)
		}
		r := jj.Do("GET", "/api/v1/party-orgs.xlsx", nil)
		if r.Status != 200 {
			t.Fatalf("export: %d %s", r.Status, r.Body)
		}
		again := startAndWait(t, e, jj, upload("party-orgs", []byte(r.Body), false))
		if again.Status != "done" || again.Imported != 0 || again.Unchanged == 0 {
			t.Fatalf("export re-imported: %+v", again)
		}
		// An account without party_org.write may not import Party orgs.
		if r := e.Login("auditor").Do("POST", "/api/v1/imports", upload("party-orgs", rows(), false)); r.Status != 403 {
			t.Errorf("auditor: %d", r.Status)
		}
	})
}

// TestDistrictsInTheCityOrder: the city's work committees are listed as the
// city lists its districts, before its other children (锦江区 first, not after "/1/150/"), and the
// ledger's summary by district follows the official order.
func TestDistrictsInTheCityOrder(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		city := e.Login("city")
		root := e.Data.PartyOrgs[0].ID
		var page struct {
			Items []struct {
				Name   string `json:"name"`
				Region string `json:"region"`
			} `json:"items"`
		}
		city.Do("GET", fmt.Sprintf("/api/v1/party-orgs?parent_id=%d&page_size=50", root), nil).JSON(t, &page)
		var got []string
		for _, o := range page.Items {
			got = append(got, o.Region)
		}
		// The 23 district-level units first (the chains' city-level committees follow them).
		if len(got) < 23 || got[0] != "510104" || got[1] != "510105" || got[22] != "510100-DB" {
			t.Errorf("the city's children: %v", got)
		}
		var sum orglife.ComplianceSummary
		city.Do("GET", "/api/v1/compliance/summary?by=region&year=2026", nil).JSON(t, &sum)
		var keys []string
		for _, r := range sum.Rows {
			keys = append(keys, r.Key)
		}
		if len(keys) < 2 || keys[0] != "510104" || keys[1] != "510105" {
			t.Errorf("the ledger by district: %v", keys)
		}
	})
}
