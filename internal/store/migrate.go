package store

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []migration
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil || v < 1 || len(out) > 0 && v <= out[len(out)-1].version {
			return nil, fmt.Errorf("migration %s: versions must be 0001, 0002, … each once, in order", base)
		}
		b, err := migrationFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	return out, nil
}

// KnownSchemaVersion is the newest schema this binary knows.
func KnownSchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		panic(err)
	}
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// ErrSchemaTooNew is returned when the database was migrated by a newer binary.
type ErrSchemaTooNew struct{ DB, Known int }

func (e *ErrSchemaTooNew) Error() string {
	return fmt.Sprintf("数据库结构版本为 %d，高于本程序所知的版本 %d：数据库已被更新版本的 lianxin 升级，请使用新版本程序（拒绝运行以免损坏数据）", e.DB, e.Known)
}

// ErrSchemaBehind is returned by CheckSchema when migrations are pending.
type ErrSchemaBehind struct{ DB, Known int }

func (e *ErrSchemaBehind) Error() string {
	return fmt.Sprintf("数据库结构版本为 %d，本程序需要版本 %d：请先运行 lianxin migrate（或 serve --migrate）", e.DB, e.Known)
}

func (s *DB) ensureVersionTable(ctx context.Context) error {
	_, err := s.W.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
	return err
}

// SchemaVersion returns the version the database is at (0 when empty).
func (s *DB) SchemaVersion(ctx context.Context) (int, error) {
	if err := s.ensureVersionTable(ctx); err != nil {
		return 0, err
	}
	var v int
	err := s.W.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// appliedVersions returns the versions recorded in schema_migrations.
func (s *DB) appliedVersions(ctx context.Context) (map[int]bool, error) {
	if err := s.ensureVersionTable(ctx); err != nil {
		return nil, err
	}
	rows, err := s.W.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}

// pending returns the known migrations the database has not recorded, and
// refuses a database that recorded a version newer than this binary knows.
// Versions may have gaps (two branches each adding one), so a migration is
// pending when its own version is missing, not when it lies above the
// database's highest.
func (s *DB) pending(ctx context.Context) ([]migration, error) {
	ms, err := loadMigrations()
	if err != nil {
		return nil, err
	}
	applied, err := s.appliedVersions(ctx)
	if err != nil {
		return nil, err
	}
	known := KnownSchemaVersion()
	var out []migration
	for v := range applied {
		if v > known {
			return nil, &ErrSchemaTooNew{DB: v, Known: known}
		}
	}
	for _, m := range ms {
		if !applied[m.version] {
			out = append(out, m)
		}
	}
	return out, nil
}

// CheckSchema refuses a database that is newer or older than this binary.
func (s *DB) CheckSchema(ctx context.Context) error {
	p, err := s.pending(ctx)
	if err != nil {
		return err
	}
	if len(p) > 0 {
		v, err := s.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		return &ErrSchemaBehind{DB: v, Known: KnownSchemaVersion()}
	}
	return nil
}

// Migrate applies the pending migrations in order, each in its own
// transaction (both engines have transactional DDL), and returns how many ran.
func (s *DB) Migrate(ctx context.Context, now time.Time) (int, error) {
	ms, err := s.pending(ctx)
	if err != nil {
		return 0, err
	}
	ran := 0
	for _, m := range ms {
		var buf bytes.Buffer
		t, err := template.New(m.name).Parse(m.sql)
		if err != nil {
			return ran, fmt.Errorf("migration %s: %w", m.name, err)
		}
		if err := t.Execute(&buf, s.D); err != nil {
			return ran, fmt.Errorf("migration %s: %w", m.name, err)
		}
		err = s.Write(ctx, func(t *Tx) error {
			for _, stmt := range splitStatements(buf.String()) {
				if _, err := t.SQL.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("%w\n%s", err, stmt)
				}
			}
			if step := migrationSteps[m.version]; step != nil {
				if err := step(ctx, s, t); err != nil {
					return err
				}
			}
			_, err := t.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`, m.version, m.name, TS(now))
			return err
		})
		if err != nil {
			return ran, fmt.Errorf("migration %s: %w", m.name, err)
		}
		ran++
	}
	return ran, nil
}

// migrationSteps are the Go parts of migrations, keyed by version: what SQL
// cannot do (sign with a key), run in the migration's transaction after its
// statements.
var migrationSteps = map[int]func(ctx context.Context, s *DB, t *Tx) error{
	15: signAuditHead,
	23: seedIndustryChains,
}

// splitStatements splits a migration at semicolons that end a line, keeping
// dollar-quoted bodies (PostgreSQL functions) and trigger bodies together.
func splitStatements(src string) []string {
	var out []string
	var cur strings.Builder
	inDollar, inBegin := false, false
	for _, line := range strings.Split(src, "\n") {
		trim := strings.TrimSpace(line)
		if trim == "" || strings.HasPrefix(trim, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.Count(line, "$$")%2 == 1 {
			inDollar = !inDollar
		}
		upper := strings.ToUpper(trim)
		if strings.HasPrefix(upper, "BEGIN") || strings.HasSuffix(upper, " BEGIN") || strings.Contains(upper, " BEGIN SELECT") {
			inBegin = true
		}
		if inBegin && (strings.HasPrefix(upper, "END") || strings.HasSuffix(upper, "END;")) {
			inBegin = false
		}
		if !inDollar && !inBegin && strings.HasSuffix(trim, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
