package importer

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

const jjCommittee = "中共成都市锦江区委两新工委"

// porgRow is a Party-org row without a number.
func porgRow(name, typ, parent, region string) []string {
	r := make([]string, len(PartyOrgTemplate.Columns))
	set := func(k, v string) { r[PartyOrgTemplate.Index(k)] = v }
	set("name", name)
	set("type", typ)
	set("parent", parent)
	set("region", region)
	set("founded_on", "2020-07-01")
	return r
}

// partyOrgNamed finds an active Party org by full name inside the scope.
func partyOrgNamed(t *testing.T, s *stores.Set, name string) registry.PartyOrgView {
	t.Helper()
	items, _, err := s.Registry.ListPartyOrgs(context.Background(), store.ScopeAll, registry.PartyOrgFilter{Q: name, Page: store.Page{Size: 50}})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range items {
		if o.Name == name {
			return o
		}
	}
	t.Fatalf("no Party org %q", name)
	return registry.PartyOrgView{}
}

// TestPartyOrgImport: a tree whose children come before their parents in
// the file is built in one import; importing the file again changes
// nothing (rows without a number are their parent's child of that name);
// an unedited export, of the city or of a district, imports unchanged; every
// bad reference is reported with its row, and the rows under a bad row are
// refused with it.
func TestPartyOrgImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		data := loaded(t, s)
		c := jinjiang(t, data)
		tree := [][]string{
			porgRow("测试总支第一党支部", "党支部", "测试科技有限公司党总支", "510104"),
			porgRow("测试科技有限公司第一党支部", "党支部", "测试科技有限公司委员会", "510104"),
			porgRow("测试科技有限公司党总支", "党总支", "测试科技有限公司委员会", "510104"),
			porgRow("测试科技有限公司委员会", "党委", jjCommittee, "510104"),
		}
		path := book(t, PartyOrgTemplate, tree)
		res, err := Import(ctx, s, c, path, Options{Kind: KindPartyOrgs, BatchSize: 2})
		if err != nil || res.Status != importjobs.ImportDone || res.Created != 4 {
			t.Fatalf("tree import: %s %v", summary(res), err)
		}
		top := partyOrgNamed(t, s, "测试科技有限公司委员会")
		gb := partyOrgNamed(t, s, "测试科技有限公司党总支")
		leaf := partyOrgNamed(t, s, "测试总支第一党支部")
		if top.ParentName != jjCommittee || gb.ParentID == nil || *gb.ParentID != top.ID || leaf.ParentID == nil || *leaf.ParentID != gb.ID || leaf.Type != domain.Branch {
			t.Fatalf("tree built wrong: %+v / %+v / %+v", top.PartyOrg, gb.PartyOrg, leaf.PartyOrg)
		}
		res, err = Import(ctx, s, c, path, Options{Kind: KindPartyOrgs})
		if err != nil || res.Status != importjobs.ImportDone || res.Unchanged != 4 || res.Imported != 0 {
			t.Fatalf("same file again: %s %v", summary(res), err)
		}

		// Unedited exports import unchanged: the whole city, and 锦江区's
		// own (whose root names its parent above the caller's scope).
		for _, who := range []store.Caller{store.System(now, "test"), c} {
			var buf bytes.Buffer
			n, err := ExportPartyOrgs(ctx, s, who, registry.PartyOrgFilter{}, &buf)
			if err != nil || n == 0 {
				t.Fatalf("export: %d %v", n, err)
			}
			res, err := Import(ctx, s, who, writeTemp(t, buf.Bytes()), Options{Kind: KindPartyOrgs})
			if err != nil || res.Status != importjobs.ImportDone || res.Unchanged != n || res.Imported != 0 {
				t.Fatalf("export of %s re-imported: %s %v", who.Actor.Username, summary(res), err)
			}
		}

		// Bad rows, each with the reason on its cell.
		someBranch := partyOrgNamed(t, s, "测试科技有限公司第一党支部")
		moved := porgRow(someBranch.Name, "党支部", jjCommittee, "510104")
		moved[PartyOrgTemplate.Index("number")] = fmt.Sprint(someBranch.ID)
		bad := [][]string{
			porgRow("环甲", "党委", "环乙", "510104"),             // 2: a cycle
			porgRow("环乙", "党委", "环甲", "510104"),             // 3
			porgRow("无主党支部", "党支部", "没有这个党委", "510104"),     // 4: unknown parent
			porgRow("支部下的支部", "党支部", "测试总支第一党支部", "510104"), // 5: a branch under a branch
			moved, // 6: a parent changed through the file
			porgRow("错误上级的下级", "党支部", "支部下的支部", "510104"),      // 7: under a bad row
			porgRow("青羊的党支部", "党支部", "测试科技有限公司委员会", "510105"),  // 8: outside the district
			porgRow("正常的新党支部", "党支部", "测试科技有限公司委员会", "510104"), // 9: good
			porgRow("正常的新党支部", "党支部", "测试科技有限公司委员会", "510104"), // 10: the same node twice
			porgRow("缺上级", "党支部", "", "510104"),                // 11
		}
		res, err = Import(ctx, s, c, book(t, PartyOrgTemplate, bad), Options{Kind: KindPartyOrgs})
		if err != nil || res.Status != importjobs.ImportRejected || res.Imported != 0 || !res.HasErrorCopy() {
			t.Fatalf("bad file: %s %v", summary(res), err)
		}
		want := map[int][2]string{
			2: {"上级党组织", "成环"}, 3: {"上级党组织", "成环"}, 4: {"上级党组织", "不存在"}, 5: {"党组织类型", "党支部不能设在党支部之下"},
			6: {"上级党组织", "调整上级"}, 7: {"上级党组织", "第 5 行"}, 8: {"所在区划代码", "管理范围"}, 10: {"党组织全称", "第 9 行"}, 11: {"上级党组织", "请填写"},
		}
		for row, w := range want {
			errs := errorsAt(res, row)
			found := false
			for _, e := range errs {
				found = found || e.Header == w[0] && strings.Contains(e.Reason, w[1])
			}
			if !found {
				t.Errorf("row %d: errors %+v, want %s: …%s…", row, errs, w[0], w[1])
			}
		}
		if errs := errorsAt(res, 9); len(errs) != 0 {
			t.Errorf("row 9 is good: %+v", errs)
		}
	})
}
