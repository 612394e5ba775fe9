package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/lianxin/lianxin/internal/app"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/coverage"
	"github.com/lianxin/lianxin/internal/store/stores"
)

const coverageUsage = `用法:
  lianxin coverage [--json] [--region CODE] [--now DATE] [--data DIR] [--db DSN]
      两个覆盖总体情况（与 GET /api/v1/coverage 相同）；--json 输出 JSON
  lianxin coverage snapshot [--now DATE] [--data DIR] [--db DSN]
      重算两个覆盖并记录当日快照（同一天重复运行会替换当日快照）`

func cmdCoverage(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "snapshot" {
		return cmdCoverageSnapshot(ctx, args[1:], stdout)
	}
	var f dbFlags
	fs := flag.NewFlagSet("coverage", flag.ContinueOnError)
	f.register(fs)
	f.registerNow(fs)
	asJSON := fs.Bool("json", false, "输出 JSON（与 GET /api/v1/coverage 相同）")
	region := fs.String("region", "", "只统计该区划（区(市)县或功能区代码，含下级街道）")
	fs.Usage = func() { fmt.Fprintln(fs.Output(), coverageUsage) }
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return exitError{2, "未知参数 " + fs.Arg(0) + "\n" + coverageUsage}
	}
	s, now, err := openMigrated(ctx, &f)
	if err != nil {
		return err
	}
	defer s.Close()
	c := store.System(now, "cli-coverage")
	if err := refreshIfStale(ctx, s, c); err != nil {
		return err
	}
	sum, err := s.Coverage.CoverageSummary(ctx, c, coverage.CoverageFilter{Region: *region})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(sum)
	}
	printCoverage(stdout, *region, sum)
	return nil
}

// refreshIfStale recomputes the materialized coverage when it was last
// computed before the command's day (--now moves the day).
func refreshIfStale(ctx context.Context, s *stores.Set, c store.Caller) error {
	stale, err := s.Registry.CoverageStale(ctx, c.Now)
	if err != nil || !stale {
		return err
	}
	return s.Registry.RefreshCoverage(ctx, c.Now, nil)
}

func printCoverage(w io.Writer, region string, s coverage.CoverageSummary) {
	where := "全市"
	if region != "" {
		where = "区划 " + region
	}
	fmt.Fprintf(w, "两个覆盖（%s，截至 %s）\n", where, s.AsOf)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	pct := func(n int) string { return fmt.Sprintf("%.1f%%", domain.Percent(n, s.InScope)) }
	fmt.Fprintf(tw, "两新组织\t%d\t\t\n", s.Organizations)
	fmt.Fprintf(tw, "目标范围内\t%d\t\t\n", s.InScope)
	fmt.Fprintf(tw, "组织覆盖\t%d\t%s\t\n", s.OrgCovered, pct(s.OrgCovered))
	fmt.Fprintf(tw, "工作覆盖\t%d\t%s\t\n", s.WorkCovered, pct(s.WorkCovered))
	fmt.Fprintf(tw, "未覆盖\t%d\t%s\t\n", s.Uncovered, pct(s.Uncovered))
	fmt.Fprintf(tw, "在册党员\t%d\t\t\n", s.Members)
	fmt.Fprintf(tw, "未纳入组织管理\t%d\t\t\n", s.MembersUnmanaged)
	tw.Flush()
	fmt.Fprintln(w, "说明："+s.Rule)
}

func cmdCoverageSnapshot(ctx context.Context, args []string, stdout io.Writer) error {
	var f dbFlags
	fs := flag.NewFlagSet("coverage snapshot", flag.ContinueOnError)
	f.register(fs)
	f.registerNow(fs)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), coverageUsage) }
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, now, err := openMigrated(ctx, &f)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := app.DailyCoverage(ctx, s, store.System(now, "cli-coverage"))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已重算两个覆盖并记录 %s 的快照（%d 个单位）\n", domain.DateOf(now), n)
	return nil
}
