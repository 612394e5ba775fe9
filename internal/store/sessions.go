package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// Session is a server-side login session; only the token's hash is stored.
type Session struct {
	TokenHash  string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
}

// SessionByHash returns a session by its token hash.
func (s *Store) SessionByHash(ctx context.Context, hash string) (Session, error) {
	var se Session
	var created, seen, expires string
	err := s.queryRow(ctx, `SELECT token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent FROM sessions WHERE token_hash = ?`, hash).
		Scan(&se.TokenHash, &se.UserID, &created, &seen, &expires, &se.IP, &se.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return se, domain.ErrNotFound
	}
	se.CreatedAt, se.LastSeenAt, se.ExpiresAt = parseTS(created), parseTS(seen), parseTS(expires)
	return se, err
}

// TouchSession moves a session's last activity to now.
func (s *Store) TouchSession(ctx context.Context, hash string, now time.Time) error {
	_, err := s.w.ExecContext(ctx, s.d.rebind(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`), ts(now), hash)
	return err
}

// DeleteSession ends a session; e (if its Action is set) is audited with it.
func (s *Store) DeleteSession(ctx context.Context, hash string, e audit.Event) error {
	return s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash); err != nil {
			return err
		}
		if e.Action == "" {
			return nil
		}
		return s.appendAudit(ctx, t, e)
	})
}

// PurgeSessions deletes sessions idle since before idleBefore or past expiry.
func (s *Store) PurgeSessions(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, s.d.rebind(`DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`), ts(now), ts(idleBefore))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
