package importer

import (
	"context"
	"io"
	"sort"
	"strings"

	"github.com/lianxin/lianxin/internal/domain"
	domainaccount "github.com/lianxin/lianxin/internal/domain/account"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// RegionTemplate is the layout of the 镇(街道)、社区(村) workbook: one row a
// street or community, keyed by its official statistical code; the level
// and the parent follow from the code, so a file may list communities
// before their street.
var RegionTemplate = xlsx.Template{Columns: []xlsx.Column{
	{Key: "code", Header: "统计用区划代码", Required: true, Width: 16, Aliases: []string{"区划代码"},
		Help: "镇(街道)9位（或12位，末三位为000），社区(村)12位，如锦华路街道 510104019、晨辉社区 510104019001；上级按代码前6位、前9位确定"},
	{Key: "name", Header: "名称", Required: true, Width: 22},
	{Key: "level", Header: "层级", Options: []string{domain.RegionLevelName(domain.LevelStreet), domain.RegionLevelName(domain.LevelCommunity)}, Help: "可不填：按代码位数判断；填写时须与代码一致"},
	{Key: "parent_name", Header: "上级名称", Width: 18, Help: "仅供阅读，导入时不读取"},
	{Key: "functional_zone", Header: "托管功能区", Width: 22, Options: functionalZoneNames(), Help: "由功能区托管的镇(街道)填写；只有市级可以设置或修改"},
}}

func functionalZoneNames() []string {
	out := make([]string, len(domain.ChengduFunctionalZones))
	for i, z := range domain.ChengduFunctionalZones {
		out[i] = z.Name
	}
	return out
}

// ExportRegions writes the streets and communities of the caller's
// district (the whole city for city staff), streets each followed by
// their communities, laid out as RegionTemplate.
func ExportRegions(ctx context.Context, s *stores.Set, c store.Caller, district string, w io.Writer) (int, error) {
	sw, err := xlsx.NewStreamWriter(w, RegionTemplate, "镇街社区")
	if err != nil {
		return 0, err
	}
	all, err := s.Registry.AllRegions(ctx)
	if err != nil {
		return 0, err
	}
	rule, err := s.RegionRuleFor(ctx, c.Scope)
	if err != nil {
		return 0, err
	}
	var list []domain.Region
	for _, r := range all {
		if r.Level != domain.LevelStreet && r.Level != domain.LevelCommunity || !rule.Allows(r.Code) {
			continue
		}
		if district != "" && !domainaccount.RegionWithin(chainOf(all, r.Code), district) {
			continue
		}
		list = append(list, r)
	}
	sort.Slice(list, func(a, b int) bool { return list[a].Code < list[b].Code })
	for _, r := range list {
		zone := ""
		for _, z := range domain.ChengduFunctionalZones {
			if z.Code == r.FunctionalZone {
				zone = z.Name
			}
		}
		if err := sw.Write([]any{r.Code, r.Name, domain.RegionLevelName(r.Level), all[r.Parent].Name, zone}); err != nil {
			return sw.Rows(), err
		}
	}
	if err := sw.Close(); err != nil {
		return sw.Rows(), err
	}
	return sw.Rows(), auditExport(ctx, s, c, "region", sw.Rows(), false)
}

// regionProblem says why a record's region code is not one it may lie in.
func regionProblem(v string) string {
	if domain.RegionLevelOfCode(v) == domain.LevelCommunity {
		return domain.CommunityNotRecordRegion
	}
	return "区划代码「" + v + "」不存在，应为成都市区(市)县6位或镇(街道)9位代码（新的镇(街道)请先在“镇街社区”中添加或导入）"
}

// chainOf is a region and its ancestors, nearest first, from a map of
// regions (an import's file rows included).
func chainOf(all map[string]domain.Region, code string) []domain.Region {
	var chain []domain.Region
	for r, ok := all[code]; ok && len(chain) < 6; r, ok = all[r.Parent] {
		chain = append(chain, r)
	}
	return chain
}

// regionImport imports streets and communities, upserting on the code.
type regionImport struct {
	s     *stores.Set
	c     store.Caller
	all   map[string]domain.Region
	rule  store.RegionRule
	codes *naturalKeys
}

func newRegionImport(ctx context.Context, s *stores.Set, c store.Caller, _ Options) (rowImporter, error) {
	all, err := s.Registry.AllRegions(ctx)
	if err != nil {
		return nil, err
	}
	rule, err := s.RegionRuleFor(ctx, c.Scope)
	if err != nil {
		return nil, err
	}
	return &regionImport{s: s, c: c, all: all, rule: rule, codes: newNaturalKeys("code", "区划代码")}, nil
}

func (im *regionImport) columnOf(field string) string {
	switch field {
	case "code", "name":
		return field
	case "functional_zone_code":
		return "functional_zone"
	}
	return ""
}

func (im *regionImport) input(rec xlsx.Record) (domain.RegionInput, *cells) {
	c := newCells(RegionTemplate, rec)
	var in domain.RegionInput
	if v, ok := c.get("code"); ok {
		code := domain.NormalizeRegionCode(v)
		in.Code = &code
	}
	c.text("name", &in.Name)
	if v, ok := c.get("functional_zone"); ok {
		zone := ""
		if v != "" {
			var found bool
			if zone, found = domain.FunctionalZoneByName(v); !found {
				c.fail("functional_zone", "托管功能区只能是"+strings.Join(functionalZoneNames(), "、"))
			}
		}
		in.FunctionalZone = &zone
	}
	return in, c
}

func (im *regionImport) check(rec xlsx.Record) []xlsx.CellError {
	in, c := im.input(rec)
	r := domain.NewRegion(in)
	c.validation(r.Validate(), im.columnOf)
	if v, ok := c.get("level"); ok && v != "" && r.Level != "" && v != domain.RegionLevelName(r.Level) {
		c.fail("level", "层级与代码不符：代码「"+r.Code+"」是"+domain.RegionLevelName(r.Level))
	}
	if r.Level != "" {
		im.codes.see(c, r.Code)
	}
	return append(rec.Errors, c.errs...)
}

// checkKeys checks each row's parent (stored, or a row of the file) and
// that the caller may write it: inside their district, and a change of the
// administering zone only by the city.
func (im *regionImport) checkKeys(_ context.Context, recs *rows, res *Result) error {
	// The file's streets join the stored regions, so that a community's
	// chain reaches its district through a street of the same file.
	merged := make(map[string]domain.Region, len(im.all))
	for k, v := range im.all {
		merged[k] = v
	}
	recs.each(func(rec xlsx.Record) {
		in, _ := im.input(rec)
		r := domain.NewRegion(in)
		if _, stored := merged[r.Code]; !stored && r.Level != "" {
			merged[r.Code] = r
		}
	})
	im.codes.check(recs, nil, "", res)
	recs.each(func(rec xlsx.Record) {
		in, _ := im.input(rec)
		r := domain.NewRegion(in)
		if r.Level == "" {
			return
		}
		fail := func(key, reason string) {
			if !hasColumn(res.cellErr[rec.Row], key) {
				res.addError(rec, xlsx.CellError{Column: key, Value: rec.Get(key), Reason: reason})
			}
		}
		var parent *domain.Region
		if p, ok := merged[r.Parent]; ok {
			parent = &p
		}
		if err := r.CheckParent(parent); err != nil {
			fail("code", err.(*domain.ValidationError).Fields["code"])
			return
		}
		before, stored := im.all[r.Code]
		zoneBefore := ""
		check := r.Parent
		if stored {
			zoneBefore, check = before.FunctionalZone, r.Code
		}
		zoneAfter := zoneBefore
		if in.FunctionalZone != nil {
			zoneAfter = *in.FunctionalZone
		}
		if err := domainaccount.CheckRegionEdit(chainOf(merged, check), im.rule.District, im.rule.Limited, zoneBefore, zoneAfter); err != nil {
			for k, m := range err.(*domain.ValidationError).Fields {
				fail(im.columnOf(k), m)
			}
		}
	})
	return nil
}

// order writes streets before communities.
func (im *regionImport) order(recs *rows, good []int) []int {
	out := append([]int(nil), good...)
	sort.SliceStable(out, func(a, b int) bool {
		return len(domain.NormalizeRegionCode(recs.at(out[a]).Get("code"))) < len(domain.NormalizeRegionCode(recs.at(out[b]).Get("code")))
	})
	return out
}

func (im *regionImport) write(ctx context.Context, b store.ImportBatch, recs []xlsx.Record) (store.BatchResult, error) {
	rows := make([]registry.ImportRegionRow, len(recs))
	for i, rec := range recs {
		in, _ := im.input(rec)
		rows[i] = registry.ImportRegionRow{Row: rec.Row, In: in}
	}
	return im.s.Registry.ImportRegions(ctx, im.c, b, rows)
}
