package importer

import (
	"context"
	"io"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/coverage"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// UncoveredTemplate is the layout of the 动态清零 list: the in-scope
// organizations reached neither by a Party org nor by an instructor.
var UncoveredTemplate = xlsx.Template{Columns: []xlsx.Column{
	{Key: "uscc", Header: "统一社会信用代码", Width: 22},
	{Key: "name", Header: "组织名称", Width: 30},
	{Key: "status", Header: "经营状态"},
	{Key: "employees", Header: "从业人数", Type: xlsx.Number},
	{Key: "region", Header: "所在区划", Width: 14},
	{Key: "zone", Header: "园区/楼宇/市场", Width: 20},
	{Key: "industry", Header: "行业门类", Width: 20},
	{Key: "chain", Header: "重点产业链", Width: 16},
	{Key: "area_manager", Header: "属地管理党组织", Width: 30},
	{Key: "industry_manager", Header: "行业管理党组织", Width: 30},
	{Key: "since", Header: "未覆盖起始日期", Type: xlsx.Date},
	{Key: "days", Header: "未覆盖天数", Type: xlsx.Number},
}}

// ExportUncovered streams the caller's filtered uncovered list into a
// workbook and audits the export.
func ExportUncovered(ctx context.Context, s *stores.Set, c store.Caller, f coverage.UncoveredFilter, w io.Writer) (int, error) {
	sw, err := xlsx.NewStreamWriter(w, UncoveredTemplate, "未覆盖组织")
	if err != nil {
		return 0, err
	}
	err = s.Coverage.EachUncovered(ctx, c, f, func(u coverage.UncoveredOrganization) error {
		var employees any
		if u.Employees != nil {
			employees = *u.Employees
		}
		return sw.Write([]any{u.USCC, u.Name, domain.OrgStatuses.Name(u.Status), employees, u.RegionName, u.ZoneName,
			u.IndustryName, u.Chain, u.AreaManagerName, u.IndustryManagerName, string(u.Since), u.DaysUncovered})
	})
	if err != nil {
		return sw.Rows(), err
	}
	if err := sw.Close(); err != nil {
		return sw.Rows(), err
	}
	return sw.Rows(), auditExport(ctx, s, c, "coverage_uncovered", sw.Rows(), false)
}
