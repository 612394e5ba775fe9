package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/alerts"
)

const alertsUsage = `用法:
  lianxin alerts run [--now DATE] [--json] [--dry-run] [--data DIR] [--db DSN]
      按全部已启用的预警规则评估（--now 指定评估日期），记入预警（新预警、等级变化、原因消除自动关闭），
      然后输出未消除的预警；--json 输出与 GET /api/v1/alerts 条目相同结构的 JSON 数组。
      --dry-run 或早于最近一次评估的日期：只预览该日期的评估结果，不记入。`

func cmdAlerts(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "run" {
		return exitError{2, alertsUsage}
	}
	var f dbFlags
	fs := flag.NewFlagSet("alerts run", flag.ContinueOnError)
	f.register(fs)
	f.registerNow(fs)
	asJSON := fs.Bool("json", false, "输出 JSON 数组（与 API 的预警条目相同结构）")
	dry := fs.Bool("dry-run", false, "只评估并输出，不记入预警")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), alertsUsage) }
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return exitError{2, "未知参数 " + fs.Arg(0) + "\n" + alertsUsage}
	}
	s, now, err := openMigrated(ctx, &f)
	if err != nil {
		return err
	}
	defer s.Close()
	day := domain.DateOf(now)
	var items []alerts.AlertView
	var note string
	if !*dry {
		sum, err := s.Alerts.RunAlerts(ctx, store.System(now, "cli-alerts"), day, alerts.RunCLI)
		switch {
		case errors.Is(err, alerts.ErrRunBehind):
			*dry = true
			note = "（该日期早于最近一次评估，仅预览，未记入）"
		case err != nil:
			return err
		default:
			note = fmt.Sprintf("新增 %d，更新 %d，消除 %d，用时 %.0f ms", sum.Raised, sum.Updated, sum.Closed, sum.Millis)
			items, err = s.Alerts.AlertsForExport(ctx, store.ScopeAll, alerts.AlertFilter{}, 1<<30)
			if err != nil {
				return err
			}
		}
	}
	if *dry {
		ev, err := s.Alerts.Evaluate(ctx, store.ScopeAll, day)
		if err != nil {
			return err
		}
		if items, err = s.Alerts.FindingViews(ctx, ev); err != nil {
			return err
		}
		note = fmt.Sprintf("预览，用时 %.0f ms%s", ev.Millis, note)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(items)
	}
	fmt.Fprintf(stdout, "防瘫预警（评估日期 %s）：%d 条未消除；%s\n", day, len(items), note)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "等级\t规则\t党组织\t起始\t原因")
	for _, a := range items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", alert.AlertLevels.Name(string(a.Level)), a.RuleName, a.PartyOrgName, a.Since, a.Reason)
	}
	return tw.Flush()
}
