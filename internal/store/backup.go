package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/lianxin/lianxin/internal/audit"
)

// Snapshot describes a consistent copy of a SQLite deployment's database.
type Snapshot struct {
	SchemaVersion int
	Head          audit.Head // without its MAC: that stays in the copy
	// Attachments are the stored files the copy refers to.
	Attachments []AttachmentFile
}

// AttachmentFile is one stored attachment as the database records it.
type AttachmentFile struct {
	StoredName string
	SHA256     string
}

// ErrNotSQLite is returned by BackupSQLite for a PostgreSQL deployment.
var ErrNotSQLite = errors.New("不是 SQLite 部署")

// IsSQLite reports whether cfg names a SQLite deployment.
func IsSQLite(cfg Config) bool {
	return cfg.DSN == "" || strings.HasPrefix(cfg.DSN, "sqlite:") || strings.HasPrefix(cfg.DSN, "file:")
}

// BackupSQLite writes a consistent copy of cfg's SQLite database to dest,
// which must not exist, while the server may be writing: VACUUM INTO runs
// in one read transaction, and a WAL reader sees the database as of its
// start, with neither writers nor readers waiting. It opens the database
// read-only and needs no key.
func BackupSQLite(ctx context.Context, cfg Config, dest string) (Snapshot, error) {
	if !IsSQLite(cfg) {
		return Snapshot{}, ErrNotSQLite
	}
	p := strings.TrimPrefix(strings.TrimPrefix(cfg.DSN, "sqlite:"), "file:")
	if p == "" {
		var err error
		if p, err = sqlitePath(Config{DataDir: cfg.DataDir}); err != nil {
			return Snapshot{}, err
		}
	}
	if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
		return Snapshot{}, fmt.Errorf("没有可备份的数据库 %s", p)
	}
	src, err := sql.Open("sqlite", "file:"+(&url.URL{Path: p}).EscapedPath()+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return Snapshot{}, err
	}
	defer src.Close()
	if _, err := src.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		return Snapshot{}, fmt.Errorf("复制数据库 %s：%w", p, err)
	}
	if err := os.Chmod(dest, 0o600); err != nil {
		return Snapshot{}, err
	}
	return readSnapshot(ctx, dest)
}

// readSnapshot reads what a backup records about the copy at path.
func readSnapshot(ctx context.Context, path string) (Snapshot, error) {
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?mode=ro")
	if err != nil {
		return Snapshot{}, err
	}
	defer db.Close()
	var sn Snapshot
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&sn.SchemaVersion); err != nil {
		return sn, fmt.Errorf("数据库副本无法读取：%w", err)
	}
	if err := db.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&sn.Head.Seq, &sn.Head.Hash); err != nil {
		return sn, fmt.Errorf("数据库副本无法读取：%w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT stored_name, sha256 FROM activity_attachments ORDER BY id`)
	if err != nil {
		return sn, err
	}
	defer rows.Close()
	for rows.Next() {
		var a AttachmentFile
		if err := rows.Scan(&a.StoredName, &a.SHA256); err != nil {
			return sn, err
		}
		sn.Attachments = append(sn.Attachments, a)
	}
	if err := rows.Err(); err != nil {
		return sn, err
	}
	return sn, nil
}
