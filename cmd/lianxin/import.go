package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/importjobs"
	"github.com/lianxin/lianxin/internal/store/stores"
)

const importUsage = `用法:
  lianxin import regions|party-orgs|organizations|members FILE.xlsx [--skip-invalid] [--as USER] [--errors OUT.xlsx] [--data DIR] [--db DSN]
新部署依次导入 regions（镇街社区）、party-orgs（党组织，上级可在同一文件中、顺序不限）、organizations、members。
先校验整个文件；有错误的行时默认不导入任何数据（--skip-invalid 只导入正确的行）。
重复导入同一文件不会产生重复或变更。--as 以该账号的数据范围与权限导入（默认为系统，全市范围）。
--errors 写出错误行及错误说明（修改后可再次导入）。`

// maxPrintedErrors bounds the errors printed; the error copy has them all.
const maxPrintedErrors = 50

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return exitError{2, importUsage}
	}
	kind := args[0]
	if _, _, ok := importer.TemplateOf(kind); !ok {
		return exitError{2, "只能导入 regions、party-orgs、organizations 或 members\n" + importUsage}
	}
	var f dbFlags
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	f.register(fs)
	f.registerNow(fs)
	skip := fs.Bool("skip-invalid", false, "跳过有错误的行，导入正确的行")
	as := fs.String("as", "", "以该账号（用户名）的数据范围与权限导入")
	errorsOut := fs.String("errors", "", "把错误行及错误说明写入该 .xlsx 文件")
	file, err := parseWithFile(fs, args[1:])
	if err != nil {
		return err
	}
	s, now, err := openMigrated(ctx, &f)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := importCaller(ctx, s, kind, *as, now)
	if err != nil {
		return err
	}
	j, err := s.ImportJobs.CreateImportJob(ctx, c, importjobs.NewImportJob{Kind: kind, FileName: filepath.Base(file), SkipInvalid: *skip, Instance: "cli"})
	if err != nil {
		return err
	}
	bar := newProgressBar(stderr)
	clock := func() time.Time { return now }
	res, err := importer.RunJob(ctx, s, c, j, file, importer.Options{Progress: bar.update}, clock)
	bar.done()
	if err != nil {
		return err
	}
	return reportImport(res, *errorsOut, stdout, stderr)
}

// parseWithFile parses flags given before or after the one file argument.
func parseWithFile(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", exitError{2, "请指定要导入的 .xlsx 文件\n" + importUsage}
	}
	file := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", exitError{2, "只能指定一个文件\n" + importUsage}
	}
	return file, nil
}

// importCaller is who imports: by default the system with the whole city
// (as export does), or the account named by --as with its scope, if it may
// write what is imported.
func importCaller(ctx context.Context, s *stores.Set, kind, username string, now time.Time) (store.Caller, error) {
	if username == "" {
		return store.System(now, "cli-import"), nil
	}
	u, err := s.Accounts.UserByUsername(ctx, username)
	if errors.Is(err, domain.ErrNotFound) {
		return store.Caller{}, exitError{2, "账号不存在：" + username}
	}
	if err != nil {
		return store.Caller{}, err
	}
	p := &auth.Principal{User: u, Permissions: auth.PermissionsOf(u.Roles), IP: "cli"}
	need := map[string]auth.Permission{importer.KindMembers: auth.PermMemberWrite, importer.KindPartyOrgs: auth.PermPartyOrgWrite, importer.KindRegions: auth.PermRegionWrite}[kind]
	if !p.Can(auth.PermOrgWrite) || need != "" && !p.Can(need) {
		return store.Caller{}, exitError{2, "账号 " + username + " 没有导入该类数据的权限"}
	}
	return p.Caller(now), nil
}

// reportImport prints the counts and the errors; a rejected import exits 1.
func reportImport(res *importer.Result, errorsOut string, stdout, stderr io.Writer) error {
	fmt.Fprintf(stdout, "共 %d 行：导入 %d 行（新增 %d，修改 %d），未变化 %d 行，有错误 %d 行\n",
		res.Total, res.Imported, res.Created, res.Updated, res.Unchanged, res.Rejected)
	for i, e := range res.Errors {
		if i == maxPrintedErrors {
			fmt.Fprintf(stderr, "……另有 %d 处错误%s\n", len(res.Errors)-i, map[bool]string{true: "（见 " + errorsOut + "）", false: "（用 --errors 写出全部）"}[errorsOut != ""])
			break
		}
		col := e.Column
		if col != "" {
			col = " " + col + "列"
		}
		fmt.Fprintf(stderr, "第 %d 行%s「%s」：%s（值：%s）\n", e.Row, col, e.Header, e.Reason, e.Value)
	}
	if errorsOut != "" && res.HasErrorCopy() {
		if err := writeFile(errorsOut, res.WriteErrorCopy); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "错误行及说明已写入 %s\n", errorsOut)
	}
	if res.Status != importjobs.ImportDone {
		return exitError{1, res.Message}
	}
	fmt.Fprintln(stdout, res.Message)
	return nil
}

// progressBar draws the import's progress on stderr: a bar redrawn in place
// on a terminal, a plain line every 10% otherwise (logs, CI).
type progressBar struct {
	w        io.Writer
	terminal bool
	last     string
	lastTen  int
	drawn    time.Time
}

func newProgressBar(w io.Writer) *progressBar {
	b := &progressBar{w: w, lastTen: -1}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			b.terminal = true
		}
	}
	return b
}

func (b *progressBar) update(p importer.Progress) {
	phase := map[string]string{importer.PhaseValidating: "校验", importer.PhaseImporting: "写入"}[p.Phase]
	frac := p.Fraction()
	if b.terminal {
		if time.Since(b.drawn) < 100*time.Millisecond && p.Done != p.Total {
			return
		}
		b.drawn = time.Now()
		const width = 30
		n := int(frac * width)
		line := fmt.Sprintf("\r%s [%s%s] %3.0f%% %d/%d", phase, strings.Repeat("█", n), strings.Repeat("░", width-n), frac*100, p.Done, p.Total)
		if line != b.last {
			fmt.Fprint(b.w, line)
			b.last = line
		}
		return
	}
	if ten := int(frac * 10); ten != b.lastTen {
		b.lastTen = ten
		fmt.Fprintf(b.w, "%s %d/%d（总进度 %d%%）\n", phase, p.Done, p.Total, ten*10)
	}
}

func (b *progressBar) done() {
	if b.terminal && b.last != "" {
		fmt.Fprintln(b.w)
	}
}
