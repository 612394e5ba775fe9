package importer

import (
	"context"
	"fmt"
	"io"

	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/orglife"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// LedgerTemplate is the layout of a Party org's 三会一课台账 for a year: one
// row per requirement and period.
var LedgerTemplate = xlsx.Template{Columns: []xlsx.Column{
	{Key: "org", Header: "党组织", Width: 30},
	{Key: "requirement", Header: "考核项目", Width: 14},
	{Key: "frequency", Header: "频次"},
	{Key: "period", Header: "期间", Width: 12},
	{Key: "start", Header: "起始日期", Type: xlsx.Date},
	{Key: "end", Header: "截止日期", Type: xlsx.Date},
	{Key: "status", Header: "完成情况"},
	{Key: "held", Header: "开展次数", Type: xlsx.Number},
	{Key: "note", Header: "说明", Width: 30},
}}

// ExportLedger writes one org's ledger and audits the export.
func ExportLedger(ctx context.Context, s *stores.Set, c store.Caller, l orglife.OrgCompliance, w io.Writer) error {
	sw, err := xlsx.NewStreamWriter(w, LedgerTemplate, "三会一课台账")
	if err != nil {
		return err
	}
	for _, r := range l.Ledger.Requirements {
		name, freq := activity.Requirements.Name(string(r.Requirement)), activity.Frequencies.Name(string(r.Frequency))
		if !r.Applies {
			if err := sw.Write([]any{l.PartyOrg.Name, name, freq, l.Ledger.Year, nil, nil, activity.PeriodStatuses.Name(string(activity.PeriodNotRequired)), nil, r.Reason}); err != nil {
				return err
			}
			continue
		}
		for _, p := range r.Periods {
			if err := sw.Write([]any{l.PartyOrg.Name, name, freq, p.Period, string(p.Start), string(p.End), activity.PeriodStatuses.Name(string(p.Status)), p.Held, ""}); err != nil {
				return err
			}
		}
	}
	if err := sw.Write([]any{l.PartyOrg.Name, "合计", "", l.Ledger.Year, nil, nil, "", l.Ledger.Done,
		fmt.Sprintf("应完成%d项，已完成%d项，完成率%.1f%%", l.Ledger.Due, l.Ledger.Done, l.Ledger.Rate)}); err != nil {
		return err
	}
	if err := sw.Close(); err != nil {
		return err
	}
	return auditExport(ctx, s, c, "compliance_ledger", sw.Rows(), false)
}
