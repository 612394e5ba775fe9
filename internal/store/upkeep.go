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
// refreshes the statistics the planner needs (within SQLite's analysis
// limit), the samples it may have written are dropped (DropStatSamples), and
// the WAL is checkpointed. The checkpoint never makes writers wait for
// readers: a PASSIVE one copies what it can, then a TRUNCATE is tried with a
// short busy timeout on the held writer connection and left for the next
// hour when a reader is still on an older snapshot. PostgreSQL does all of
// this itself (autovacuum): nothing to do there.
func (s *DB) Upkeep(ctx context.Context) error {
	if s.D.Postgres() {
		return nil
	}
	if _, err := s.W.ExecContext(ctx, `PRAGMA optimize`); err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	if err := s.DropStatSamples(ctx); err != nil {
		return err
	}
	conn, err := s.W.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var busy, log, done int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &done); err != nil {
		return fmt.Errorf("wal_checkpoint: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = 100`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA busy_timeout = %d`, busyTimeoutMS))
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &log, &done); err != nil {
		return fmt.Errorf("wal_checkpoint: %w", err)
	}
	return nil
}

// DropStatSamples removes SQLite's sample rows (sqlite_stat4) and reloads
// the statistics. With samples, every prepared statement comparing a
// parameter with an indexed column is compiled again whenever the value
// changes — each check-in's statements were, a fifth of its CPU; the
// per-index figures (sqlite_stat1) plan these queries as well. The bulk
// loader and the upkeep call it after analysing.
func (s *DB) DropStatSamples(ctx context.Context) error {
	if s.D.Postgres() {
		return nil
	}
	var n int
	if err := s.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	var rows int
	if err := s.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_stat4`).Scan(&rows); err != nil || rows == 0 {
		return err
	}
	if _, err := s.W.ExecContext(ctx, `DELETE FROM sqlite_stat4`); err != nil {
		return err
	}
	_, err := s.W.ExecContext(ctx, `ANALYZE sqlite_schema`)
	return err
}
