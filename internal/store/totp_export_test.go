package store

import (
	"context"
	"time"
)

// QueryBytesForTest runs a query of one binary value.
func QueryBytesForTest(ctx context.Context, s *DB, q string, args ...any) ([]byte, error) {
	var v []byte
	err := s.r.QueryRowContext(ctx, s.D.Rebind(q), args...).Scan(&v)
	return v, err
}

// CreateLoginChallengeForTest adds a pending login without replacing the
// account's others (two instances racing, each with its own).
func (s *DB) CreateLoginChallengeForTest(ctx context.Context, hash string, userID int64, now time.Time) error {
	_, err := s.W.ExecContext(ctx, s.D.Rebind(`INSERT INTO login_challenges (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`),
		hash, userID, TS(now), TS(now.Add(time.Minute)))
	return err
}
