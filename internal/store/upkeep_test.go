package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// The upkeep empties the WAL that writes filled, and the data stays.
func TestUpkeepTruncatesTheWAL(t *testing.T) {
	s, dir := storetest.OpenDir(t, "sqlite")
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 20; i++ {
		err := s.Write(ctx, func(t *store.Tx) error {
			return store.PutSetting(ctx, t, fmt.Sprintf("upkeep-test-%d", i), strings.Repeat("x", 4000), now)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	wal := filepath.Join(dir, "lianxin.db-wal")
	before, err := os.Stat(wal)
	if err != nil || before.Size() == 0 {
		t.Fatalf("the writes left no WAL to check: %v", err)
	}
	if err := s.Upkeep(ctx); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(wal)
	if err != nil {
		t.Fatal(err)
	}
	if after.Size() != 0 {
		t.Errorf("WAL %d bytes after the upkeep, want 0 (was %d)", after.Size(), before.Size())
	}
	var n int
	if err := s.QueryRow(ctx, `SELECT COUNT(*) FROM settings WHERE key LIKE 'upkeep-test-%'`).Scan(&n); err != nil || n != 20 {
		t.Fatalf("settings after the upkeep: %d, %v", n, err)
	}
}

func TestUpkeepOnPostgresDoesNothing(t *testing.T) {
	for _, e := range storetest.Engines() {
		if e != "postgres" {
			continue
		}
		s := storetest.Open(t, e)
		if err := s.Upkeep(context.Background()); err != nil {
			t.Fatalf("Upkeep on PostgreSQL: %v", err)
		}
	}
}

// A reader on an older snapshot does not make the upkeep (and the writers
// queued behind it on the one writer connection) wait out the busy timeout;
// the upkeep leaves no statistics samples behind.
func TestUpkeepBesideAReader(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	write := func(i int) error {
		return s.Write(ctx, func(t *store.Tx) error {
			return store.PutSetting(ctx, t, fmt.Sprintf("upkeep-reader-%d", i), strings.Repeat("y", 4000), now)
		})
	}
	for i := 0; i < 10; i++ {
		if err := write(i); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.QueryRows(ctx, `SELECT key FROM settings`)
	if err != nil {
		t.Fatal(err)
	}
	rows.Next() // the read transaction stays open on its snapshot
	if err := write(10); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := s.Upkeep(ctx); err != nil {
		t.Fatalf("upkeep beside a reader: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("upkeep waited %v for the reader (busy timeout 10 s)", d)
	}
	rows.Close()
	if err := s.Upkeep(ctx); err != nil {
		t.Fatal(err)
	}
	var samples int
	if err := s.QueryRow(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'`).Scan(&samples); err != nil {
		t.Fatal(err)
	}
	if samples > 0 {
		if err := s.QueryRow(ctx, `SELECT COUNT(*) FROM sqlite_stat4`).Scan(&samples); err != nil {
			t.Fatal(err)
		}
	}
	if samples != 0 {
		t.Errorf("%d sqlite_stat4 samples after the upkeep", samples)
	}
}
