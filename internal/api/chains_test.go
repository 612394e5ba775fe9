package api_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/chain"
	"github.com/lianxin/lianxin/internal/store"
)

type chainView struct {
	ID            int64  `json:"id"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	Sort          int    `json:"sort"`
	PartyOrgID    *int64 `json:"party_org_id"`
	PartyOrgName  string `json:"party_org_name"`
	Retired       bool   `json:"retired"`
	Version       int    `json:"version"`
	Organizations int    `json:"organizations"`
	OrgCovered    int    `json:"org_covered"`
	Masters       []struct {
		ID         int64  `json:"id"`
		Name       string `json:"name"`
		RegionName string `json:"region_name"`
	} `json:"masters"`
}

// jjEnterprise finds a generated active enterprise of 锦江区 on no chain.
func jjEnterprise(t *testing.T, e *apitest.Env, kind string) domain.Organization {
	t.Helper()
	for _, o := range e.Data.Organizations {
		if o.Kind == kind && o.Chain == "" && o.Status == domain.OrgActive && strings.HasPrefix(o.USCC[2:], "510104") && !o.HasFlag(chain.Master) {
			return o
		}
	}
	t.Fatalf("no %s of 锦江区 on no chain", kind)
	return domain.Organization{}
}

// TestIndustryChains: the 20 chains are there with their 行业党委 and real
// figures; city staff maintain them, nobody else; every bad input is named.
func TestIndustryChains(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		city, jinjiang := e.Login("city"), e.Login("jinjiang")
		var chains []chainView
		city.Do("GET", "/api/v1/industry-chains", nil).JSON(t, &chains)
		if len(chains) != len(chain.Seed) {
			t.Fatalf("%d chains, want %d", len(chains), len(chain.Seed))
		}
		for i, c := range chains {
			if c.Code != chain.Seed[i].Code || c.Name != chain.Seed[i].Name || c.PartyOrgName != "成都市"+c.Name+"产业链党委" {
				t.Errorf("chain %d: %+v", i, c)
			}
			if c.Organizations == 0 || len(c.Masters) == 0 || c.OrgCovered > c.Organizations {
				t.Errorf("%s: %d organizations, %d with a Party org, %d 链主", c.Name, c.Organizations, c.OrgCovered, len(c.Masters))
			}
		}
		// A district sees the same chains, its own organizations and 链主 only.
		var jj []chainView
		jinjiang.Do("GET", "/api/v1/industry-chains", nil).JSON(t, &jj)
		sum, jjSum := 0, 0
		for i := range chains {
			sum, jjSum = sum+chains[i].Organizations, jjSum+jj[i].Organizations
			for _, m := range jj[i].Masters {
				if !strings.HasPrefix(m.RegionName, "锦江") && !strings.Contains(m.RegionName, "街道") {
					t.Errorf("锦江区 sees the 链主 %s of %s", m.Name, m.RegionName)
				}
			}
		}
		if jjSum == 0 || jjSum >= sum {
			t.Errorf("锦江区 counts %d of the city's %d organizations on chains", jjSum, sum)
		}

		// City staff rename one and link it to another committee.
		first := chains[0]
		committee := orgOf(t, e.Env, e.OrgID(apitest.JinjiangName), "快递物流行业党委")
		r := city.Do("PATCH", fmt.Sprintf("/api/v1/industry-chains/%d", first.ID), map[string]any{"name": " 集成电路（芯片） ", "party_org_id": committee, "version": first.Version})
		if r.Status != 200 {
			t.Fatalf("rename: %d %s", r.Status, r.Body)
		}
		var got chainView
		r.JSON(t, &got)
		if got.Name != "集成电路（芯片）" || got.PartyOrgID == nil || *got.PartyOrgID != committee || got.Version != first.Version+1 || got.Code != first.Code {
			t.Errorf("renamed %+v", got)
		}
		if ev := e.events(store.AuditFilter{ObjectType: "industry_chain", ObjectID: fmt.Sprint(first.ID)}); len(ev) != 1 || ev[0].Username != "city" {
			t.Errorf("audit: %+v", ev)
		}
		// Others may not; bad input is named in Chinese.
		wantErrAt(t, jinjiang.Do("PATCH", fmt.Sprintf("/api/v1/industry-chains/%d", first.ID), map[string]any{"name": "越权"}), 403, "", "")
		wantErrAt(t, city.Do("PATCH", fmt.Sprintf("/api/v1/industry-chains/%d", first.ID), map[string]any{"name": "", "sort": -1}), 400, "name", "请填写产业链名称")
		wantErrAt(t, city.Do("PATCH", fmt.Sprintf("/api/v1/industry-chains/%d", first.ID), map[string]any{"party_org_id": orgOf(t, e.Env, committee, "")}), 400, "party_org_id", "行业党委、综合党委或联合党委")
		wantErrAt(t, city.Do("PATCH", fmt.Sprintf("/api/v1/industry-chains/%d", first.ID), map[string]any{"name": chains[1].Name}), 409, "name", "同名")
		wantErrAt(t, city.Do("PATCH", fmt.Sprintf("/api/v1/industry-chains/%d", first.ID), map[string]any{"sort": 1, "version": first.Version}), 409, "version", "")
		wantErrAt(t, city.Do("GET", "/api/v1/industry-chains/999999", nil), 404, "", "")

		// A new chain gets a code of its own; a retired one leaves the list.
		r = city.Do("POST", "/api/v1/industry-chains", map[string]any{"name": "低空经济", "sort": 5})
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &got)
		if got.Code != fmt.Sprintf("chain_%d", len(chain.Seed)+1) || got.Name != "低空经济" {
			t.Errorf("created %+v", got)
		}
		city.Do("PATCH", fmt.Sprintf("/api/v1/industry-chains/%d", got.ID), map[string]any{"retired": true})
		city.Do("GET", "/api/v1/industry-chains", nil).JSON(t, &chains)
		all := []chainView{}
		city.Do("GET", "/api/v1/industry-chains?retired=true", nil).JSON(t, &all)
		if len(chains) != len(chain.Seed) || len(all) != len(chain.Seed)+1 || !all[len(all)-1].Retired {
			t.Errorf("after retiring: %d active, %d in all", len(chains), len(all))
		}
		// An organization may not be put on a retired or unknown chain.
		o := jjEnterprise(t, e.Env, domain.KindEnterprise)
		wantErrAt(t, jinjiang.Do("PATCH", fmt.Sprintf("/api/v1/organizations/%d", o.ID), map[string]any{"chain": got.Code}), 400, "chain", "已停用")
		wantErrAt(t, jinjiang.Do("PATCH", fmt.Sprintf("/api/v1/organizations/%d", o.ID), map[string]any{"chain": "no_such_chain"}), 400, "chain", "不存在")
		wantErrAt(t, jinjiang.Do("PATCH", fmt.Sprintf("/api/v1/organizations/%d", o.ID), map[string]any{"flags": []string{"chain_master"}}), 400, "chain", "链主须选择")
	})
}

// TestChainMasters: staff make an organization of their scope a chain's
// 链主, which moves it onto the chain, shows it on the chain and records
// the change on the organization; only enterprises lead a chain.
func TestChainMasters(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		jinjiang, qingyang := e.Login("jinjiang"), e.Login("qingyang")
		var chains []chainView
		jinjiang.Do("GET", "/api/v1/industry-chains", nil).JSON(t, &chains)
		display := chains[1]
		o := jjEnterprise(t, e.Env, domain.KindEnterprise)
		path := fmt.Sprintf("/api/v1/organizations/%d/chain-master", o.ID)
		r := jinjiang.Do("PUT", path, map[string]any{"chain_id": display.ID})
		if r.Status != 200 {
			t.Fatalf("add: %d %s", r.Status, r.Body)
		}
		var got chainView
		r.JSON(t, &got)
		found := false
		for _, m := range got.Masters {
			found = found || m.ID == o.ID
		}
		if !found || got.Organizations != display.Organizations+1 {
			t.Errorf("chain after adding: %d organizations (was %d), masters %+v", got.Organizations, display.Organizations, got.Masters)
		}
		org := jinjiang.Do("GET", fmt.Sprintf("/api/v1/organizations/%d", o.ID), nil).Map(t)
		if org["chain"] != display.Code || org["chain_name"] != display.Name || !strings.Contains(fmt.Sprint(org["flags"]), "chain_master") {
			t.Errorf("organization after adding: %v %v %v", org["chain"], org["chain_name"], org["flags"])
		}
		if h := jinjiang.Do("GET", fmt.Sprintf("/api/v1/organizations/%d/history", o.ID), nil); !strings.Contains(h.Body, display.Code) {
			t.Errorf("history does not record the move: %s", h.Body)
		}
		// Adding again changes nothing; 青羊区 can neither add nor remove it.
		if r := jinjiang.Do("PUT", path, map[string]any{"chain_id": display.ID}); r.Status != 200 {
			t.Errorf("again: %d %s", r.Status, r.Body)
		}
		wantErrAt(t, qingyang.Do("PUT", path, map[string]any{"chain_id": display.ID}), 404, "", "")
		wantErrAt(t, qingyang.Do("DELETE", path, nil), 404, "", "")
		// The 链主 of one chain cannot lead another; a social org none.
		wantErrAt(t, jinjiang.Do("PUT", path, map[string]any{"chain_id": chains[2].ID}), 400, "chain_id", "另一条产业链")
		wantErrAt(t, jinjiang.Do("PUT", path, map[string]any{"chain_id": 999999}), 400, "chain_id", "不存在")
		social := jjEnterprise(t, e.Env, domain.KindSocialOrg)
		wantErrAt(t, jinjiang.Do("PUT", fmt.Sprintf("/api/v1/organizations/%d/chain-master", social.ID), map[string]any{"chain_id": display.ID}), 400, "chain_id", "链主须为企业")
		wantErrAt(t, jinjiang.Do("DELETE", fmt.Sprintf("/api/v1/organizations/%d/chain-master", social.ID), nil), 400, "organization_id", "不是链主")
		// Removed, it stays on the chain.
		r = jinjiang.Do("DELETE", path, nil)
		if r.Status != 200 {
			t.Fatalf("remove: %d %s", r.Status, r.Body)
		}
		org = jinjiang.Do("GET", fmt.Sprintf("/api/v1/organizations/%d", o.ID), nil).Map(t)
		if org["chain"] != display.Code || strings.Contains(fmt.Sprint(org["flags"]), "chain_master") {
			t.Errorf("organization after removing: %v %v", org["chain"], org["flags"])
		}
		wantErrAt(t, jinjiang.Do("DELETE", path, nil), 400, "organization_id", "不是本产业链的链主")
	})
}

type flagRow struct {
	Key        string         `json:"key"`
	Name       string         `json:"name"`
	Drill      string         `json:"drill"`
	Total      int            `json:"total"`
	OrgCovered int            `json:"org_covered"`
	Marks      map[string]int `json:"marks"`
}

type flagCounts struct {
	By    string    `json:"by"`
	Total flagRow   `json:"total"`
	Rows  []flagRow `json:"rows"`
}

// listTotal counts organizations through the list (another code path): those
// of the counted statuses matching the query.
func listTotal(t *testing.T, c *apitest.Client, q url.Values) int {
	t.Helper()
	n := 0
	for _, st := range domain.CountedOrgStatuses {
		q.Set("status", st)
		q.Set("page_size", "1")
		var p struct {
			Total int `json:"total"`
		}
		c.Do("GET", "/api/v1/organizations?"+q.Encode(), nil).JSON(t, &p)
		n += p.Total
	}
	return n
}

// TestOrgFlagCounts: the Party-building facts and flags counted by region,
// zone, industry and chain agree with the organization list filtered by the
// same mark, for the whole city and within a district; the list's mark and
// no_mark filters split it.
func TestOrgFlagCounts(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for _, who := range []string{"city", "jinjiang"} {
			c := e.Login(who)
			var all flagCounts
			for _, by := range []string{"region", "zone", "industry", "chain"} {
				var fc flagCounts
				c.Do("GET", "/api/v1/organizations/flag-counts?by="+by, nil).JSON(t, &fc)
				sum := 0
				for _, r := range fc.Rows {
					sum += r.Total
					if r.Name == "" || r.Name == r.Key && by != "zone" {
						t.Errorf("%s by %s: row %q unnamed", who, by, r.Key)
					}
				}
				if fc.By != by || sum != fc.Total.Total || fc.Total.Total == 0 {
					t.Errorf("%s by %s: rows sum to %d, total %d", who, by, sum, fc.Total.Total)
				}
				if by == "region" {
					all = fc
				}
				if by == "zone" {
					if r := fc.Rows[0]; !strings.HasSuffix(r.Name, "）") {
						t.Errorf("%s by zone: %q names no street", who, r.Name)
					}
					for i := 1; i < len(fc.Rows)-1; i++ {
						if fc.Rows[i].Total > fc.Rows[i-1].Total {
							t.Errorf("%s by zone: %s (%d) after %s (%d)", who, fc.Rows[i].Name, fc.Rows[i].Total, fc.Rows[i-1].Name, fc.Rows[i-1].Total)
						}
					}
				}
				// The demo shows figures, not only 未填: most zone and chain rows are real.
				if (by == "zone" || by == "chain") && (len(fc.Rows) < 2 || fc.Rows[len(fc.Rows)-1].Key != "") {
					t.Errorf("%s by %s: %d rows, the blank one last expected", who, by, len(fc.Rows))
				}
			}
			for _, m := range []string{"charter_includes_party", "cross_appointment", "union_established", "chain_master", "above_scale", "brand_social_org"} {
				want := listTotal(t, c, url.Values{"mark": {m}})
				if got := all.Total.Marks[m]; got != want || (m != "brand_social_org" && got == 0) {
					t.Errorf("%s: %s counted %d, the list has %d", who, m, got, want)
				}
				without := listTotal(t, c, url.Values{"no_mark": {m}})
				if want+without != all.Total.Total {
					t.Errorf("%s: %s %d + without %d != %d", who, m, want, without, all.Total.Total)
				}
			}
			if who == "city" {
				// Rows follow the official order, with 锦江区 first and its drill.
				if all.Rows[0].Key != "510104" || all.Rows[0].Drill != "region" {
					t.Errorf("first region row %+v", all.Rows[0])
				}
				jj := all.Rows[0]
				if want := listTotal(t, c, url.Values{"region": {"510104"}, "mark": {"charter_includes_party"}}); jj.Marks["charter_includes_party"] != want {
					t.Errorf("锦江区 党建入章 %d, the list %d", jj.Marks["charter_includes_party"], want)
				}
				// Within a district the rows are its streets.
				var streets flagCounts
				c.Do("GET", "/api/v1/organizations/flag-counts?by=region&region=510104", nil).JSON(t, &streets)
				if streets.Total.Total != jj.Total || len(streets.Rows) < 2 || !strings.HasSuffix(streets.Rows[0].Name, "街道") {
					t.Errorf("锦江区's streets: %+v", streets.Rows)
				}
			}
		}
		wantErrAt(t, e.Login("city").Do("GET", "/api/v1/organizations/flag-counts?by=street", nil), 400, "by", "region、zone、industry、chain")
		wantErrAt(t, e.Login("city").Do("GET", "/api/v1/organizations?mark=unicorn", nil), 400, "mark", "unicorn")
	})
}

// wantErrAt checks an error answer: its status and, when field is given,
// that the field's message contains words.
func wantErrAt(t *testing.T, r apitest.Response, status int, field, words string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("status %d, want %d: %s", r.Status, status, r.Body)
		return
	}
	if field != "" && !strings.Contains(r.ErrorField(t, field), words) {
		t.Errorf("field %s: %s, want %q", field, r.Body, words)
	}
}
