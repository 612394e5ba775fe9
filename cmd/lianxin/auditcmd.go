package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/lianxin/lianxin/internal/audit"
)

func cmdAudit(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return exitError{2, "用法: lianxin audit verify [--data DIR] [--db DSN] [--checkpoints 服务日志文件]"}
	}
	var f dbFlags
	var checkpoints string
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	f.register(fs)
	fs.StringVar(&checkpoints, "checkpoints", "", "同时核对服务日志中的审计检查点（msg=\"audit checkpoint\" 的行）；- 为标准输入")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	var cps []audit.Checkpoint
	if checkpoints != "" {
		var err error
		if cps, err = readCheckpoints(checkpoints); err != nil {
			return err
		}
	}
	s, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.CheckSchema(ctx); err != nil {
		return err
	}
	res, err := s.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	var problems []string
	if !res.OK {
		problems = append(problems, fmt.Sprintf("审计日志校验失败：已校验 %d 条，第一条异常记录编号 %d：%s", res.Checked, res.BrokenID, res.Reason))
	}
	bad, err := s.CheckAuditCheckpoints(ctx, cps)
	if err != nil {
		return err
	}
	for _, b := range bad {
		problems = append(problems, "检查点不符："+b)
	}
	if len(problems) > 0 {
		return exitError{3, strings.Join(problems, "\n")}
	}
	msg := fmt.Sprintf("审计日志完整：已校验 %d 条记录，哈希链无异常", res.Checked)
	if checkpoints != "" {
		msg += fmt.Sprintf("；日志中的 %d 个检查点均相符", len(cps))
	}
	fmt.Fprintln(stdout, msg)
	return nil
}

// readCheckpoints reads the checkpoints of a server log ("-": stdin). A log
// without any is refused: nothing would have been checked.
func readCheckpoints(path string) ([]audit.Checkpoint, error) {
	r := io.Reader(os.Stdin)
	if path != "-" {
		fh, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("读取服务日志 %s：%w", path, err)
		}
		defer fh.Close()
		r = fh
	}
	cps, err := audit.ParseCheckpoints(r)
	if err != nil {
		return nil, fmt.Errorf("读取服务日志 %s：%w", path, err)
	}
	if len(cps) == 0 {
		return nil, exitError{3, fmt.Sprintf("服务日志 %s 中没有审计检查点（msg=\"%s\" 的行）：无法核对", path, audit.CheckpointMsg)}
	}
	return cps, nil
}
