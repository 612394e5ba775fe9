package storetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/pii"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// auditKey keys the audit chain of every test database: a copy's chain must
// verify under the key its template was written with.
var auditKey = []byte("test-audit-key")

// migratedAt is the migrations' recorded time in every test database.
var migratedAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// A Template is a database built once per test binary and engine (migrated,
// base regions, then whatever build writes) and copied for each test that
// asks for one: building a dataset costs seconds, a copy a fraction of that.
// Each copy is a database of its own (writes in one are seen in no other),
// opened by a new stores.Set whose caches start empty.
type Template[T any] struct {
	build func(ctx context.Context, s *stores.Set) (T, error)

	mu     sync.Mutex
	byEng  map[string]*built[T]
	builds int // how many times build ran (for tests)
}

// built is one engine's template.
type built[T any] struct {
	once  sync.Once
	err   error
	value T
	keys  []byte // pii.keys as the build wrote with them
	db    []byte // SQLite: the checkpointed database file
	pg    *pgTemplate
}

// NewTemplate returns a template written by build (which may be nil: the
// migrated database with its base regions). Nothing runs until a test asks
// for a copy on an engine.
func NewTemplate[T any](build func(ctx context.Context, s *stores.Set) (T, error)) *Template[T] {
	return &Template[T]{build: build, byEng: map[string]*built[T]{}}
}

// Builds reports how many times the template was built, over all engines.
func (tp *Template[T]) Builds() int {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return tp.builds
}

// Open returns a fresh copy of the template on engine, in a new data
// directory holding the key files it was written with, and what build
// returned (shared by every copy: treat it as read-only). The copy is closed
// (and on PostgreSQL dropped) when the test ends.
func (tp *Template[T]) Open(t testing.TB, engine string) (*stores.Set, string, T) {
	t.Helper()
	b, cfg := tp.copy(t, engine)
	return openSet(t, cfg, engine), cfg.DataDir, b.value
}

// copy makes a copy of the template (built first if needed) and returns the
// configuration that opens it.
func (tp *Template[T]) copy(t testing.TB, engine string) (*built[T], store.Config) {
	t.Helper()
	if engine == "postgres" && os.Getenv("LIANXIN_TEST_POSTGRES") == "" {
		t.Skip("LIANXIN_TEST_POSTGRES not set")
	}
	b := tp.get(engine)
	b.once.Do(func() {
		tp.mu.Lock()
		tp.builds++
		tp.mu.Unlock()
		b.err = tp.make(b, engine)
	})
	if b.err != nil {
		t.Fatalf("template database (%s): %v", engine, b.err)
	}
	cfg, err := b.copyInto(t, engine, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return b, cfg
}

func (tp *Template[T]) get(engine string) *built[T] {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	b := tp.byEng[engine]
	if b == nil {
		b = &built[T]{}
		tp.byEng[engine] = b
	}
	return b
}

// make builds the template in a directory of its own, keeps what copies
// need (the files' bytes, or the PostgreSQL schema) and removes the rest.
func (tp *Template[T]) make(b *built[T], engine string) (err error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lianxin-template-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	keyPath := filepath.Join(dir, "pii.keys")
	keys, err := pii.LoadOrCreate(keyPath)
	if err != nil {
		return err
	}
	cfg := store.Config{DataDir: dir, AuditKey: auditKey, PII: keys}
	if engine == "postgres" {
		if b.pg, err = newPGTemplate(ctx); err != nil {
			return err
		}
		cfg.DSN = b.pg.dsn
	}
	s, err := stores.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if s != nil {
			s.Close()
		}
	}()
	if _, err := s.Migrate(ctx, migratedAt); err != nil {
		return err
	}
	if err := s.Registry.EnsureBaseRegions(ctx); err != nil {
		return err
	}
	if tp.build != nil {
		if b.value, err = tp.build(ctx, s); err != nil {
			return err
		}
	}
	if engine != "postgres" {
		// Everything into the main file, so that the file alone is the
		// database.
		var busy, log, done int
		if err := s.W.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &log, &done); err != nil {
			return err
		}
		if busy != 0 {
			return errors.New("wal_checkpoint: busy")
		}
	}
	err = s.Close()
	s = nil
	if err != nil {
		return err
	}
	if b.keys, err = os.ReadFile(keyPath); err != nil {
		return err
	}
	if engine == "postgres" {
		return b.pg.prepare(ctx)
	}
	db := filepath.Join(dir, "lianxin.db")
	if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 0 {
		return fmt.Errorf("template database: %d bytes left in the WAL after a checkpoint", fi.Size())
	}
	b.db, err = os.ReadFile(db)
	return err
}

// copyInto writes the key file and (SQLite) the database file into dir, or
// (PostgreSQL) copies the template schema into a new one, and returns the
// configuration that opens the copy.
func (b *built[T]) copyInto(t testing.TB, engine, dir string) (store.Config, error) {
	keyPath := filepath.Join(dir, "pii.keys")
	if err := os.WriteFile(keyPath, b.keys, 0o600); err != nil {
		return store.Config{}, err
	}
	keys, err := pii.LoadOrCreate(keyPath)
	if err != nil {
		return store.Config{}, err
	}
	cfg := store.Config{DataDir: dir, AuditKey: auditKey, PII: keys}
	if engine == "postgres" {
		c := b.pg.take()
		if c.err != nil {
			return cfg, c.err
		}
		t.Cleanup(func() { b.pg.drop(c.schema) })
		cfg.DSN = c.dsn
		return cfg, nil
	}
	return cfg, os.WriteFile(filepath.Join(dir, "lianxin.db"), b.db, 0o600)
}

// openSet opens the database of cfg for the test: closed when it ends, and
// known to Exec.
func openSet(t testing.TB, cfg store.Config, engine string) *stores.Set {
	t.Helper()
	s, err := stores.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	raw := cfg.DSN
	if engine != "postgres" {
		raw = "file:" + filepath.Join(cfg.DataDir, "lianxin.db")
	}
	rawDSNs.Store(s, raw)
	t.Cleanup(func() { rawDSNs.Delete(s) })
	return s
}
