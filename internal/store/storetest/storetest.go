// Package storetest opens throwaway databases for tests: a SQLite file in a
// temporary directory always, and a fresh PostgreSQL schema when
// LIANXIN_TEST_POSTGRES holds a DSN.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// Engines lists the engines available to this test run.
func Engines() []string {
	if os.Getenv("LIANXIN_TEST_POSTGRES") != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn as a subtest once per engine, each time on a fresh, migrated
// database seeded with the base regions.
func Each(t *testing.T, fn func(t *testing.T, s *stores.Set)) {
	t.Helper()
	for _, eng := range Engines() {
		t.Run(eng, func(t *testing.T) {
			fn(t, Open(t, eng))
		})
	}
}

// Open returns a fresh migrated database of the given engine, closed (and for
// PostgreSQL dropped) when the test ends.
func Open(t testing.TB, engine string) *stores.Set {
	t.Helper()
	s, _ := OpenDir(t, engine)
	return s
}

// OpenDir is Open that also returns the data directory (the SQLite files).
func OpenDir(t testing.TB, engine string) (*stores.Set, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	keys, err := pii.LoadOrCreate(filepath.Join(dir, "pii.keys"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := store.Config{DataDir: dir, AuditKey: []byte("test-audit-key"), PII: keys}
	if engine == "postgres" {
		cfg.DSN = NewSchema(t)
	}
	s, err := stores.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	raw := cfg.DSN
	if engine != "postgres" {
		raw = "file:" + filepath.Join(dir, "lianxin.db")
	}
	rawDSNs.Store(s, raw)
	t.Cleanup(func() { rawDSNs.Delete(s) })
	if _, err := s.Migrate(ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := s.Registry.EnsureBaseRegions(ctx); err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// rawDSNs maps each open test store to a DSN for a raw connection.
var rawDSNs sync.Map

// Exec runs raw SQL on the database behind s (opened by this package), as
// someone with direct access to the database could: for tests that tamper.
func Exec(t testing.TB, s *stores.Set, queries ...string) {
	t.Helper()
	dsn, ok := rawDSNs.Load(s)
	if !ok {
		t.Fatal("storetest.Exec: the store was not opened by storetest")
	}
	driver := "pgx"
	if s.Engine() == "sqlite" {
		driver = "sqlite"
	}
	db, err := sql.Open(driver, dsn.(string))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range queries {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// OpenTwice opens one fresh migrated database twice, as two server
// instances sharing it would (two connection pools, nothing in memory
// shared).
func OpenTwice(t testing.TB, engine string) (*stores.Set, *stores.Set) {
	t.Helper()
	dir := t.TempDir()
	keys, err := pii.LoadOrCreate(filepath.Join(dir, "pii.keys"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := store.Config{DataDir: dir, AuditKey: []byte("test-audit-key"), PII: keys}
	if engine == "postgres" {
		cfg.DSN = NewSchema(t)
	}
	var out [2]*stores.Set
	for i := range out {
		s, err := stores.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	if _, err := out[0].Migrate(context.Background(), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := out[0].Registry.EnsureBaseRegions(context.Background()); err != nil {
		t.Fatal(err)
	}
	return out[0], out[1]
}

// NewSchema creates an empty schema in the PostgreSQL database named by
// LIANXIN_TEST_POSTGRES and returns a DSN whose search_path points at it;
// the schema is dropped when the test ends.
func NewSchema(t testing.TB) string {
	t.Helper()
	dsn, drop := NewSchemaUntil(t)
	t.Cleanup(drop)
	return dsn
}

// NewSchemaUntil is NewSchema for data that outlives one test: the caller
// drops the schema with the returned function.
func NewSchemaUntil(t testing.TB) (string, func()) {
	t.Helper()
	base := os.Getenv("LIANXIN_TEST_POSTGRES")
	if base == "" {
		t.Skip("LIANXIN_TEST_POSTGRES not set")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	drop := func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop
}
