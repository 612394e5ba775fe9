// Command lianxin is the 两新党建工作平台: one binary that serves the web app
// and the API, migrates its database, generates demo data and runs jobs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `lianxin — 两新党建工作平台

用法: lianxin <命令> [选项]

命令:
  serve         启动服务（网页与 API）
  migrate       升级数据库结构
  demo          生成演示数据并启动服务
  gen           向数据库写入合成数据（--scale small|district|city --seed N）
  user          账号管理：create、reset-password、unlock
  audit verify  校验审计日志哈希链（--checkpoints 服务日志：核对日志中的检查点）
  backup        备份 SQLite 部署（数据库、密钥文件、附件）到一个文件：backup -o FILE
  restore       把备份恢复到新的空数据目录并校验审计日志：restore FILE --data DIR
  template      写出导入模板（regions、party-orgs、organizations、members）
  export        导出镇街社区、党组织、两新组织或党员（与模板格式相同）
  coverage      两个覆盖统计；coverage snapshot 记录当日快照
  alerts        alerts run：按预警规则评估并输出防瘫预警
  import        从 Excel 导入镇街社区、党组织、两新组织或党员（先校验整个文件）
  version       显示版本

运行 "lianxin <命令> -h" 查看该命令的选项。
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		err = cmdServe(ctx, rest, stdout, stderr)
	case "migrate":
		err = cmdMigrate(ctx, rest, stdout)
	case "demo":
		err = cmdDemo(ctx, rest, stdout, stderr)
	case "gen":
		err = cmdGen(ctx, rest, stdout)
	case "user":
		err = cmdUser(ctx, rest, stdout)
	case "audit":
		err = cmdAudit(ctx, rest, stdout)
	case "backup":
		err = cmdBackup(ctx, rest, stdout, stderr)
	case "restore":
		err = cmdRestore(ctx, rest, stdout)
	case "template":
		err = cmdTemplate(rest, stdout)
	case "export":
		err = cmdExport(ctx, rest, stdout)
	case "alerts":
		err = cmdAlerts(ctx, rest, stdout)
	case "coverage":
		err = cmdCoverage(ctx, rest, stdout)
	case "import":
		err = cmdImport(ctx, rest, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "lianxin", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "未知命令 %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var ee exitError
		if errors.As(err, &ee) {
			fmt.Fprintln(stderr, "lianxin:", ee.msg)
			return ee.code
		}
		fmt.Fprintln(stderr, "lianxin:", err)
		return 1
	}
	return 0
}

// exitError carries a specific exit status.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

// env returns the environment variable or def.
func env(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}
