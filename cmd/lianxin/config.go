package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/keyfile"
	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// dbFlags are the options every command that opens the database shares.
type dbFlags struct {
	data    string
	db      string
	keyFile string
	piiFile string
	now     string
	// lookupLimit: exact lookups of personal data per account and minute
	// (a serve option; 0 is the default).
	lookupLimit int
}

func (f *dbFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.data, "data", env("LIANXIN_DATA", "./lianxin-data"), "数据目录（SQLite 数据库与密钥文件）；环境变量 LIANXIN_DATA")
	fs.StringVar(&f.db, "db", env("LIANXIN_DB", ""), "数据库：空为数据目录中的 SQLite；postgres://… 为 PostgreSQL；环境变量 LIANXIN_DB")
	fs.StringVar(&f.keyFile, "audit-key-file", env("LIANXIN_AUDIT_KEY_FILE", ""), "审计哈希链密钥文件（默认 <数据目录>/audit.key；多实例部署须共用）")
	fs.StringVar(&f.piiFile, "pii-key-file", env("LIANXIN_PII_KEY_FILE", ""), "个人信息加密密钥文件（默认 <数据目录>/pii.keys；多实例部署须共用）")
}

func (f *dbFlags) registerNow(fs *flag.FlagSet) {
	fs.StringVar(&f.now, "now", "", "以该时间作为当前时间运行（RFC 3339 或 YYYY-MM-DD，用于测试与重算）")
}

// clock returns the command's clock: the real one, or the fixed --now.
func (f *dbFlags) clock() (func() time.Time, error) {
	if f.now == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, f.now)
	if err != nil {
		d, err2 := time.ParseInLocation(domain.DateLayout, f.now, domain.Shanghai)
		if err2 != nil {
			return nil, fmt.Errorf("--now 应为 RFC 3339 时间或 YYYY-MM-DD 日期")
		}
		t = d.Add(9 * time.Hour)
	}
	return func() time.Time { return t }, nil
}

// open opens the database with the audit key (created on first use).
func (f *dbFlags) open(ctx context.Context) (*stores.Set, error) {
	if err := os.MkdirAll(f.data, 0o700); err != nil {
		return nil, fmt.Errorf("创建数据目录 %s: %w", f.data, err)
	}
	keyFile, piiFile := f.keyFiles()
	key, err := loadOrCreateKey(keyFile)
	if err != nil {
		return nil, err
	}
	keys, err := pii.LoadOrCreate(piiFile)
	if err != nil {
		return nil, err
	}
	return stores.Open(ctx, store.Config{DSN: f.db, DataDir: f.data, AuditKey: key, PII: keys, LookupLimit: f.lookupLimit})
}

// keyFiles returns the paths of the audit key and the personal-data keys.
func (f *dbFlags) keyFiles() (audit, pii string) {
	audit, pii = f.keyFile, f.piiFile
	if audit == "" {
		audit = filepath.Join(f.data, "audit.key")
	}
	if pii == "" {
		pii = filepath.Join(f.data, "pii.keys")
	}
	return audit, pii
}

// errAuditKey marks every problem with the audit key file.
var errAuditKey = errors.New("审计密钥文件错误")

// loadOrCreateKey reads the audit key (64 hex digits and a newline), creating
// it on first use, through keyfile like the other key files: refused when
// others may read it, created whole or not at all, and, when instances start
// together, created once for all of them (a second key would make their
// audit records fail verification).
func loadOrCreateKey(path string) ([]byte, error) {
	return keyfile.LoadOrCreate(path, 1<<10, errAuditKey, func(b []byte) ([]byte, error) {
		k, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(k) != 32 {
			return nil, errors.New("应为 64 位十六进制")
		}
		return k, nil
	}, func() ([]byte, []byte, error) {
		k := make([]byte, 32)
		rand.Read(k) // never fails (crypto/rand since Go 1.24)
		return k, []byte(hex.EncodeToString(k) + "\n"), nil
	})
}

// migrateAndSeed applies pending migrations and the base regions.
func migrateAndSeed(ctx context.Context, s *stores.Set, now time.Time) (int, error) {
	n, err := s.Migrate(ctx, now)
	if err != nil {
		return n, err
	}
	return n, s.Registry.EnsureBaseRegions(ctx)
}
