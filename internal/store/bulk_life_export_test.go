package store

import "context"

// QueryIntsForTest runs a query of one row of integers.
func QueryIntsForTest(ctx context.Context, s *DB, q string, n int) ([]int64, error) {
	out := make([]int64, n)
	ptrs := make([]any, n)
	for i := range out {
		ptrs[i] = &out[i]
	}
	err := s.r.QueryRowContext(ctx, s.D.Rebind(q)).Scan(ptrs...)
	return out, err
}

// QueryStringForTest runs a query of one text value.
func QueryStringForTest(ctx context.Context, s *DB, q string) (string, error) {
	var v string
	err := s.r.QueryRowContext(ctx, q).Scan(&v)
	return v, err
}

// PostgresForTest reports the engine.
func PostgresForTest(s *DB) bool { return s.D.Postgres() }
