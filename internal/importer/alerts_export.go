package importer

import (
	"context"
	"io"

	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/alerts"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// AlertsTemplate is the layout of an exported list of 防瘫预警.
var AlertsTemplate = xlsx.Template{Columns: []xlsx.Column{
	{Key: "level", Header: "预警等级"},
	{Key: "rule", Header: "预警规则", Width: 20},
	{Key: "org", Header: "党组织", Width: 30},
	{Key: "district", Header: "所在区（市）县", Width: 14},
	{Key: "owner", Header: "责任党组织（上级）", Width: 30},
	{Key: "since", Header: "起始日期", Type: xlsx.Date},
	{Key: "days", Header: "持续天数", Type: xlsx.Number},
	{Key: "reason", Header: "预警原因", Width: 60},
	{Key: "status", Header: "状态"},
	{Key: "assignee", Header: "负责人", Width: 12},
	{Key: "note", Header: "处置说明", Width: 30},
	{Key: "opened", Header: "预警日期", Type: xlsx.Date},
	{Key: "closed", Header: "消除日期", Type: xlsx.Date},
}}

// ExportAlerts writes the alerts and audits the export.
func ExportAlerts(ctx context.Context, s *stores.Set, c store.Caller, views []alerts.AlertView, w io.Writer) error {
	sw, err := xlsx.NewStreamWriter(w, AlertsTemplate, "防瘫预警")
	if err != nil {
		return err
	}
	for _, a := range views {
		var closed any
		if a.ClosedOn != "" {
			closed = string(a.ClosedOn)
		}
		if err := sw.Write([]any{alert.AlertLevels.Name(string(a.Level)), a.RuleName, a.PartyOrgName, a.DistrictName, a.OwnerOrgName,
			string(a.Since), a.Days, a.Reason, alert.AlertStatuses.Name(a.Status), a.AssigneeName, a.Note, string(a.OpenedOn), closed}); err != nil {
			return err
		}
	}
	if err := sw.Close(); err != nil {
		return err
	}
	return auditExport(ctx, s, c, "alerts", sw.Rows(), false)
}
