package importer

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

func regionRow(code, name, zone string) []string {
	r := make([]string, len(RegionTemplate.Columns))
	r[RegionTemplate.Index("code")], r[RegionTemplate.Index("name")], r[RegionTemplate.Index("functional_zone")] = code, name, zone
	return r
}

// TestRegionImport: a district's staff load streets and communities, a
// community before its street and a street by its 12-digit code; the same
// file again and an unedited export change nothing; a street of another
// district, a change of the administering zone (the city's), a community
// without its street and a malformed code are refused with their reasons.
func TestRegionImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		data := loaded(t, s)
		c := jinjiang(t, data)
		path := book(t, RegionTemplate, [][]string{
			regionRow("510104990001", "测试一社区", ""),
			regionRow("510104990000", "测试街道", ""),
			regionRow("510104990002", "测试二社区", ""),
		})
		res, err := Import(ctx, s, c, path, Options{Kind: KindRegions})
		if err != nil || res.Status != importjobs.ImportDone || res.Created != 3 {
			t.Fatalf("import: %s %v", summary(res), err)
		}
		if r, err := s.Registry.GetRegion(ctx, "510104990001"); err != nil || r.Parent != "510104990" || r.Level != "community" {
			t.Fatalf("community: %+v %v", r, err)
		}
		res, err = Import(ctx, s, c, path, Options{Kind: KindRegions})
		if err != nil || res.Status != importjobs.ImportDone || res.Unchanged != 3 || res.Imported != 0 {
			t.Fatalf("again: %s %v", summary(res), err)
		}
		var buf bytes.Buffer
		n, err := ExportRegions(ctx, s, c, "", &buf)
		if err != nil || n < 3 {
			t.Fatalf("export: %d %v", n, err)
		}
		res, err = Import(ctx, s, c, writeTemp(t, buf.Bytes()), Options{Kind: KindRegions})
		if err != nil || res.Status != importjobs.ImportDone || res.Unchanged != n || res.Imported != 0 {
			t.Fatalf("export re-imported: %s %v", summary(res), err)
		}
		res, err = Import(ctx, s, c, book(t, RegionTemplate, [][]string{
			regionRow("510105990", "青羊测试街道", ""),    // 2
			regionRow("510104990", "测试街道", "成都高新区"), // 3
			regionRow("510104991001", "无街道的社区", ""), // 4
			regionRow("5101049", "位数不对", ""),        // 5
			regionRow("510104992", "新街道", ""),       // 6: good
			regionRow("510104992000", "新街道重复", ""),  // 7: the same code
		}), Options{Kind: KindRegions})
		if err != nil || res.Status != importjobs.ImportRejected {
			t.Fatalf("bad file: %s %v", summary(res), err)
		}
		for row, w := range map[int]string{2: "管理范围", 3: "市级", 4: "不存在", 5: "9位", 6: "第 7 行", 7: "第 6 行"} {
			found := false
			for _, e := range errorsAt(res, row) {
				found = found || strings.Contains(e.Reason, w)
			}
			if !found {
				t.Errorf("row %d: %+v, want …%s…", row, errorsAt(res, row), w)
			}
		}
		// The city hands a street to a functional zone.
		res, err = Import(ctx, s, store.System(now, "test"), book(t, RegionTemplate, [][]string{regionRow("510104990", "测试街道", "成都高新区")}), Options{Kind: KindRegions})
		if err != nil || res.Updated != 1 {
			t.Fatalf("city: %s %v", summary(res), err)
		}
		if r, _ := s.Registry.GetRegion(ctx, "510104990"); r.FunctionalZone != "510100-GX" || r.Version != 2 {
			t.Fatalf("zone not set: %+v", r)
		}
	})
}
