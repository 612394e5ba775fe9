package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// MinSQLiteVersion is the oldest SQLite the program was tested with; the
// embedded driver brings 3.54. An older library (a build against another
// driver version) is refused at start rather than trusted with the data.
const MinSQLiteVersion = "3.54.0"

func (s *DB) checkSQLiteVersion(ctx context.Context) error {
	var v string
	if err := s.W.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v); err != nil {
		return err
	}
	if olderVersion(v, MinSQLiteVersion) {
		return fmt.Errorf("SQLite %s 过旧：本程序要求 %s 或更新的版本", v, MinSQLiteVersion)
	}
	return nil
}

// olderVersion compares dotted version numbers.
func olderVersion(v, min string) bool {
	a, b := strings.Split(v, "."), strings.Split(min, ".")
	for i := 0; i < len(b); i++ {
		var x, y int
		if i < len(a) {
			x, _ = strconv.Atoi(a[i])
		}
		y, _ = strconv.Atoi(b[i])
		if x != y {
			return x < y
		}
	}
	return false
}

// Upkeep is the periodic care of an SQLite database: PRAGMA optimize
// refreshes the statistics the planner needs, then the WAL is checkpointed
// and truncated (a busy server's readers can keep it growing between the
// automatic checkpoints). PostgreSQL does both itself (autovacuum): nothing
// to do there.
func (s *DB) Upkeep(ctx context.Context) error {
	if s.D.Postgres() {
		return nil
	}
	if _, err := s.W.ExecContext(ctx, `PRAGMA optimize`); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	var busy, log, done int
	if err := s.W.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &log, &done); err != nil {
		return fmt.Errorf("wal_checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("wal_checkpoint: 有读操作未结束，日志未能截断")
	}
	return nil
}
