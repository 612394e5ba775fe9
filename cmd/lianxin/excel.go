package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/xlsx"
)

const excelUsage = `用法:
  lianxin template regions|party-orgs|organizations|members -o FILE.xlsx
  lianxin export regions|party-orgs|organizations|members [--region CODE] [--reveal] -o FILE.xlsx [--data DIR] [--db DSN]
导出与导入模板格式相同，修改后可再次导入；新部署按 regions（镇街社区）、party-orgs（党组织）、organizations、members 的顺序导入。
--reveal 导出身份证号、手机号明文（记入审计日志）。`

func cmdTemplate(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return exitError{2, excelUsage}
	}
	tpl, sheet, err := templateOf(args[0])
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("template", flag.ContinueOnError)
	out := fs.String("o", "", "输出文件（.xlsx）")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *out == "" {
		return exitError{2, "请用 -o 指定输出文件\n" + excelUsage}
	}
	err = writeFile(*out, func(w io.Writer) error { return xlsx.WriteTemplate(w, tpl, sheet) })
	if err == nil {
		fmt.Fprintf(stdout, "已写入导入模板 %s\n", *out)
	}
	return err
}

func templateOf(what string) (xlsx.Template, string, error) {
	if tpl, sheet, ok := importer.TemplateOf(what); ok {
		return tpl, sheet, nil
	}
	return xlsx.Template{}, "", exitError{2, "只能是 regions、party-orgs、organizations 或 members\n" + excelUsage}
}

func cmdExport(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return exitError{2, excelUsage}
	}
	what := args[0]
	if _, _, err := templateOf(what); err != nil {
		return err
	}
	var f dbFlags
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	f.register(fs)
	out := fs.String("o", "", "输出文件（.xlsx）")
	region := fs.String("region", "", "只导出该区划（含下级街道）")
	reveal := fs.Bool("reveal", false, "导出身份证号、手机号明文（记入审计日志）")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *out == "" {
		return exitError{2, "请用 -o 指定输出文件\n" + excelUsage}
	}
	s, now, err := openMigrated(ctx, &f)
	if err != nil {
		return err
	}
	defer s.Close()
	c := store.System(now, "cli-export")
	var rows int
	err = writeFile(*out, func(w io.Writer) error {
		var err error
		switch what {
		case importer.KindRegions:
			rows, err = importer.ExportRegions(ctx, s, c, *region, w)
		case importer.KindPartyOrgs:
			rows, err = importer.ExportPartyOrgs(ctx, s, c, registry.PartyOrgFilter{Region: *region}, w)
		case importer.KindOrganizations:
			rows, err = importer.ExportOrganizations(ctx, s, c, registry.OrganizationFilter{Region: *region}, w)
		default:
			rows, err = importer.ExportMembers(ctx, s, c, members.MemberFilter{Region: *region}, *reveal, w)
		}
		return err
	})
	if err == nil {
		fmt.Fprintf(stdout, "已导出 %d 行到 %s\n", rows, *out)
	}
	return err
}

// writeFile writes through a temporary file and renames it, so that a
// failed export never leaves a half-written workbook (mode 0600: it may hold
// personal data).
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lianxin-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
