package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// TestHotReadsDetached: on SQLite the hot path's point reads (a session,
// the settings, an activity's check-in facts) run detached from the
// request's cancellation. With a cancellable context database/sql and the
// driver each started a goroutine to watch every such read — more work than
// the read itself on a check-in's path. A read of a request already gone
// still answers, as the check-in's insert does. On PostgreSQL, where a
// statement may wait for a lock, the request's cancellation ends it.
func TestHotReadsDetached(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var n int
		err := s.DB.Hot().QueryRow(ctx, `SELECT COUNT(*) FROM regions WHERE code = ?`, "510104").Scan(&n)
		if s.D.Postgres() {
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("hot read with a cancelled context on PostgreSQL: %d, %v", n, err)
			}
			return
		}
		if err != nil || n != 1 {
			t.Fatalf("hot read with a cancelled context: %d, %v", n, err)
		}
		rows, err := s.DB.Hot().Query(ctx, `SELECT code FROM regions WHERE code = ?`, "510104")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		if !rows.Next() {
			t.Fatalf("hot query with a cancelled context: %v", rows.Err())
		}
		if _, err := s.SecuritySettings(ctx); err != nil {
			t.Fatalf("settings with a cancelled context: %v", err)
		}
	})
}
