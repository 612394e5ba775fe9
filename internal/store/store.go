// Package store holds all SQL of lianxin, for SQLite and PostgreSQL alike:
// migrations, queries, transactions and the data scope. Exported methods own
// their transaction; helpers take (ctx, tx). Times are passed in, never read
// from the database clock, so every time rule can be tested at any date.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/pii"
)

// busyTimeoutMS is how long an SQLite connection waits for a lock.
const busyTimeoutMS = 10000

// DB is the database of one lianxin deployment.
type DB struct {
	W, r  *sql.DB // the writer and the read pool (the same pool on PostgreSQL)
	D     *Dialect
	chain audit.Chain
	PII   *pii.Keyring
	desc  string

	settingsMu sync.Mutex
	settings   map[string]cachedRow
	stmts      stmtCache
	onClose    []func() // features' goroutines stopped before the connections close
	// LookupLimit is Config.LookupLimit, read by the members' store.
	LookupLimit int
}

// Config says where the data lives.
type Config struct {
	// DSN is empty for SQLite in DataDir, or a postgres:// URL.
	DSN     string
	DataDir string
	// AuditKey keys the audit hash chain.
	AuditKey []byte
	// ReadConns bounds the SQLite read pool (default 4).
	ReadConns int
	// PII encrypts personal data (ID numbers, phones) and keys its blind
	// indexes; required for the member registry.
	PII *pii.Keyring
	// LookupLimit is how many exact lookups of personal data (by a whole ID
	// number or phone) an account may make a minute; 0 is
	// domain.LookupsPerMinute.
	LookupLimit int
}

// Open connects to the database. It does not migrate; call Migrate (SQLite
// deployments do so on every start, PostgreSQL only when asked).
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.PII == nil {
		return nil, errors.New("store: a PII keyring is required (members' ID numbers and phones are stored encrypted)")
	}
	if cfg.DSN == "" || strings.HasPrefix(cfg.DSN, "sqlite:") || strings.HasPrefix(cfg.DSN, "file:") {
		return openSQLite(ctx, cfg)
	}
	if strings.HasPrefix(cfg.DSN, "postgres://") || strings.HasPrefix(cfg.DSN, "postgresql://") {
		return openPostgres(ctx, cfg)
	}
	return nil, fmt.Errorf("数据库地址 --db 应为空（使用内置 SQLite）或以 postgres:// 开头")
}

func sqlitePath(cfg Config) (string, error) {
	p := strings.TrimPrefix(strings.TrimPrefix(cfg.DSN, "sqlite:"), "file:")
	if p == "" {
		if cfg.DataDir == "" {
			return "", errors.New("未指定数据目录")
		}
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return "", fmt.Errorf("创建数据目录: %w", err)
		}
		p = filepath.Join(cfg.DataDir, "lianxin.db")
	}
	return p, nil
}

func openSQLite(ctx context.Context, cfg Config) (*DB, error) {
	p, err := sqlitePath(cfg)
	if err != nil {
		return nil, err
	}
	// The database holds personal data: readable by the service account only.
	if f, err := os.OpenFile(p, os.O_RDONLY|os.O_CREATE, 0o600); err == nil {
		f.Close()
	}
	// busy_timeout comes first: switching to WAL needs a lock, and a second
	// process opening the file at that moment must wait rather than fail.
	pragmas := "_pragma=busy_timeout(" + strconv.Itoa(busyTimeoutMS) + ")&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	base := "file:" + (&url.URL{Path: p}).EscapedPath() + "?" + pragmas
	// One writer connection: SQLite allows one writer at a time anyway, and
	// BEGIN IMMEDIATE takes the write lock up front so that a transaction
	// never fails half-way on a lock upgrade.
	w, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	n := cfg.ReadConns
	if n <= 0 {
		n = 4
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s := &DB{W: w, r: r, D: &Dialect{name: "sqlite"}, chain: audit.Chain{Key: cfg.AuditKey}, PII: cfg.PII, LookupLimit: cfg.LookupLimit, desc: "SQLite " + p}
	if err := w.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("打开 SQLite 数据库 %s: %w", p, err)
	}
	if err := s.checkSQLiteVersion(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openPostgres(ctx context.Context, cfg Config) (*DB, error) {
	db, err := sql.Open("pgx", cfg.DSN)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &DB{W: db, r: db, D: &Dialect{name: "postgres"}, chain: audit.Chain{Key: cfg.AuditKey}, PII: cfg.PII, LookupLimit: cfg.LookupLimit, desc: "PostgreSQL " + redact(cfg.DSN)}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("连接 PostgreSQL %s: %w", redact(cfg.DSN), err)
	}
	return s, nil
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(地址无法解析)"
	}
	return u.Redacted()
}

// Close releases the connections.
func (s *DB) Close() error {
	for _, f := range s.onClose {
		f()
	}
	s.stmts.close()
	err := s.W.Close()
	if s.r != s.W {
		if e := s.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// OnClose registers f to run when the database closes, before its
// connections do: a feature's background writer stops there.
func (s *DB) OnClose(f func()) { s.onClose = append(s.onClose, f) }

// String describes the database without secrets.
func (s *DB) String() string { return s.desc }

// Engine is "sqlite" or "postgres".
func (s *DB) Engine() string { return s.D.name }

// Ping checks the database is reachable (for /healthz).
func (s *DB) Ping(ctx context.Context) error { return s.r.PingContext(ctx) }

// querier runs '?'-placeholder queries: a transaction, or the read pool.
// Lookups written once against it serve both reads and writes.
type Querier interface {
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// pool is the read pool as a querier.
type Pool struct {
	db *sql.DB
	d  *Dialect
}

func (p Pool) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return p.db.QueryContext(ctx, p.d.Rebind(q), args...)
}

func (p Pool) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return p.db.QueryRowContext(ctx, p.d.Rebind(q), args...)
}

func (s *DB) Pool() Pool { return Pool{db: s.r, d: s.D} }

// tx is a transaction whose queries use '?' placeholders on both engines.
type Tx struct {
	SQL *sql.Tx
	D   *Dialect
}

func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.SQL.ExecContext(ctx, t.D.Rebind(q), args...)
}

func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.SQL.QueryContext(ctx, t.D.Rebind(q), args...)
}

func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.SQL.QueryRowContext(ctx, t.D.Rebind(q), args...)
}

// write runs fn in a read-write transaction, committing when it returns nil.
func (s *DB) Write(ctx context.Context, fn func(*Tx) error) error {
	return s.inTx(ctx, s.W, false, fn)
}

func (s *DB) inTx(ctx context.Context, db *sql.DB, readOnly bool, fn func(*Tx) error) (err error) {
	var opts *sql.TxOptions
	if readOnly && s.D.Postgres() {
		opts = &sql.TxOptions{ReadOnly: true}
	}
	t, err := db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			t.Rollback()
			panic(p)
		}
		if err != nil {
			t.Rollback()
			return
		}
		err = t.Commit()
	}()
	return fn(&Tx{SQL: t, D: s.D})
}

// QueryRows runs a read query on the read pool, outside a transaction.
func (s *DB) QueryRows(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.r.QueryContext(ctx, s.D.Rebind(q), args...)
}

// QueryRow runs a read query of one row on the read pool.
func (s *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.r.QueryRowContext(ctx, s.D.Rebind(q), args...)
}

// TS formats a time for storage: fixed-width UTC text, ordered like time.
func TS(t time.Time) string { return t.UTC().Format(audit.TimeLayout) }

// parseTS reads a stored timestamp.
func ParseTS(s string) time.Time {
	t, _ := time.Parse(audit.TimeLayout, s)
	return t
}

func ParseTSPtr(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t := ParseTS(s.String)
	return &t
}

func NullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// WritePool is the writer connection as a Querier: reads that must see this
// instance's latest commit (SQLite's read pool may lag a WAL checkpoint).
func (s *DB) WritePool() Querier { return Pool{db: s.W, d: s.D} }
