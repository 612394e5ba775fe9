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

	"github.com/lianxin/lianxin/internal/backup"
	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/store"
)

const secretWarning = "注意：备份文件含审计密钥、个人信息加密密钥和签到密钥，持有它即可读出全部党员的身份证号和手机号；请像保管密钥本身一样保管它（仅限授权人员，加密存放，异地保存）。"

// cmdBackup writes one archive of a running SQLite deployment.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f dbFlags
	var out, attachments, checkinKey string
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	f.register(fs)
	fs.StringVar(&out, "o", "", "备份文件（新建，权限 0600；不覆盖已有文件）")
	// The same places serve reads them from (several instances may keep them outside the data directory).
	fs.StringVar(&attachments, "attachments-dir", env("LIANXIN_ATTACHMENTS_DIR", ""), "活动附件目录（默认 <数据目录>/attachments）；环境变量 LIANXIN_ATTACHMENTS_DIR")
	fs.StringVar(&checkinKey, "checkin-key-file", env("LIANXIN_CHECKIN_KEY_FILE", ""), "签到码签名密钥文件（默认 <数据目录>/checkin.key）；环境变量 LIANXIN_CHECKIN_KEY_FILE")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if out == "" || fs.NArg() > 0 {
		return exitError{2, "用法: lianxin backup -o 备份文件 [--data DIR]"}
	}
	auditKey, piiKeys := f.keyFiles()
	if attachments == "" {
		attachments = filepath.Join(f.data, "attachments")
	}
	if checkinKey == "" {
		checkinKey = filepath.Join(f.data, checkin.KeyFileName)
	}
	cfg := store.Config{DSN: f.db, DataDir: f.data}
	if !store.IsSQLite(cfg) {
		return exitError{2, pgBackupAdvice(auditKey, piiKeys, checkinKey, attachments)}
	}
	fh, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return exitError{1, fmt.Sprintf("备份文件 %s 已存在：不覆盖，请换一个文件名", out)}
	}
	if err != nil {
		return fmt.Errorf("创建备份文件：%w", err)
	}
	ok := false
	defer func() {
		if !ok {
			fh.Close()
			os.Remove(out)
		}
	}()
	fmt.Fprintln(stderr, secretWarning)
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".lianxin-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	m, err := backup.Create(ctx, fh, backup.Source{
		DB: cfg, AttachmentsDir: attachments,
		AuditKey: auditKey, PIIKeys: piiKeys, CheckinKey: checkinKey,
		TempDir: tmp, Version: version, Now: time.Now(),
	})
	if err != nil {
		return err
	}
	if err := fh.Sync(); err != nil {
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	ok = true
	if len(m.Missing) > 0 {
		fmt.Fprintf(stderr, "警告：%d 个附件在备份期间被删除或内容与数据库记录不符，未包含：%s\n", len(m.Missing), strings.Join(m.Missing, "、"))
	}
	fmt.Fprintf(stdout, "已备份到 %s：数据库（结构版本 %d，审计记录 %d 条）、%d 个密钥文件、%d 个附件\n",
		out, m.SchemaVersion, m.AuditSeq, len(m.Files)-1, len(m.Attachments))
	return nil
}

func pgBackupAdvice(auditKey, piiKeys, checkinKey, attachments string) string {
	return fmt.Sprintf(`lianxin backup 只用于内置 SQLite 部署。PostgreSQL 部署请用 pg_dump 备份数据库，例如
  pg_dump --format=custom --file=lianxin.dump "$LIANXIN_DB"
（恢复用 pg_restore --no-owner --dbname=…，再运行 lianxin audit verify），并另行保管以下文件，没有它们数据库无法使用：
  审计密钥      %s
  个人信息密钥  %s
  签到密钥      %s
  活动附件      %s`, auditKey, piiKeys, checkinKey, attachments+string(filepath.Separator))
}

// cmdRestore puts an archive into a new data directory and verifies the
// audit trail it brought.
func cmdRestore(ctx context.Context, args []string, stdout io.Writer) error {
	const usage = "用法: lianxin restore 备份文件 --data 新的空目录 [--audit-key-file F] [--pii-key-file F]"
	var f dbFlags
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	f.register(fs)
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 || file == "" {
		return exitError{2, usage}
	}
	if f.db != "" {
		return exitError{2, "restore 只恢复内置 SQLite 部署（--db 须为空）；PostgreSQL 部署请用 pg_restore 恢复数据库，把密钥文件放回原处，再运行 lianxin audit verify"}
	}
	auditKey, piiKeys := f.keyFiles()
	in, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("打开备份文件：%w", err)
	}
	defer in.Close()
	m, err := backup.Restore(in, backup.Target{DataDir: f.data, AuditKey: auditKey, PIIKeys: piiKeys, CheckinKey: filepath.Join(f.data, checkin.KeyFileName)})
	var ee *backup.ExistsError
	if errors.As(err, &ee) {
		return exitError{1, ee.Error()}
	}
	if err != nil {
		return err
	}
	kept := fmt.Sprintf("（恢复的文件保留在 %s 以便调查，请勿投入使用）", f.data)
	s, err := f.open(ctx)
	if err != nil {
		return exitError{3, "恢复的数据库无法打开：" + err.Error() + kept}
	}
	defer s.Close()
	var behind *store.ErrSchemaBehind
	if err := s.CheckSchema(ctx); errors.As(err, &behind) {
		if _, err := s.Migrate(ctx, time.Now()); err != nil {
			return exitError{3, "升级恢复的数据库失败：" + err.Error() + kept}
		}
	} else if err != nil {
		return exitError{3, err.Error() + kept}
	}
	res, err := s.VerifyAudit(ctx)
	switch {
	case err != nil:
		return exitError{3, "校验恢复的审计日志失败：" + err.Error() + kept}
	case !res.OK:
		return exitError{3, fmt.Sprintf("已恢复，但审计日志校验失败：已校验 %d 条，第一条异常记录编号 %d：%s%s", res.Checked, res.BrokenID, res.Reason, kept)}
	case res.Checked != m.AuditSeq:
		return exitError{3, fmt.Sprintf("已恢复，但审计日志有 %d 条记录，备份清单记载 %d 条%s", res.Checked, m.AuditSeq, kept)}
	}
	fmt.Fprintf(stdout, "已恢复到 %s（备份于 %s）：%d 个附件，%d 个密钥文件；审计日志完整，已校验 %d 条记录\n",
		f.data, m.CreatedAt, len(m.Attachments), len(m.Files)-1, res.Checked)
	return nil
}
