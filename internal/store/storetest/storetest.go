// Package storetest opens throwaway databases for tests: a SQLite file in a
// temporary directory always, and a fresh PostgreSQL schema when
// LIANXIN_TEST_POSTGRES holds a DSN. Each is a copy of a template built once
// per test binary and engine (template.go).
package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

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
	s, dir, _ := migrated.Open(t, engine)
	return s, dir
}

// migrated is the database every Open copies: migrated, with the base
// regions.
var migrated = NewTemplate[struct{}](nil)

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
	_, cfg := migrated.copy(t, engine)
	return openSet(t, cfg, engine), openSet(t, cfg, engine)
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
