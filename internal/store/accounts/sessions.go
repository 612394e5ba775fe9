package accounts

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/lianxin/lianxin/internal/store"

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
	err := s.db.QueryRow(ctx, `SELECT token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent FROM sessions WHERE token_hash = ?`, hash).
		Scan(&se.TokenHash, &se.UserID, &created, &seen, &expires, &se.IP, &se.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return se, domain.ErrNotFound
	}
	se.CreatedAt, se.LastSeenAt, se.ExpiresAt = store.ParseTS(created), store.ParseTS(seen), store.ParseTS(expires)
	return se, err
}

// TouchSession moves a session's last activity to now.
func (s *Store) TouchSession(ctx context.Context, hash string, now time.Time) error {
	defer s.sessionCache.Del(hash)
	_, err := s.db.W.ExecContext(ctx, s.db.D.Rebind(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`), store.TS(now), hash)
	return err
}

// DeleteSession ends a session; e (if its Action is set) is audited with it.
func (s *Store) DeleteSession(ctx context.Context, hash string, e audit.Event) error {
	defer s.sessionCache.Del(hash)
	return s.db.Write(ctx, func(t *store.Tx) error {
		if _, err := t.Exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash); err != nil {
			return err
		}
		if e.Action == "" {
			return nil
		}
		return s.db.AppendAudit(ctx, t, e)
	})
}

// PurgeSessions deletes sessions idle since before idleBefore or past expiry.
func (s *Store) PurgeSessions(ctx context.Context, now, idleBefore time.Time) (int64, error) {
	defer s.sessionCache.Clear()
	res, err := s.db.W.ExecContext(ctx, s.db.D.Rebind(`DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?`), store.TS(now), store.TS(idleBefore))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// SessionUser returns a session with its account and the account's roles in
// one query: every request resolves its session, so this is the hottest
// read of the server.
func (s *Store) SessionUser(ctx context.Context, hash string) (Session, UserView, error) {
	if c, ok := s.sessionCache.Get(hash); ok {
		return c.s, c.u, nil
	}
	se, u, err := s.sessionUser(ctx, hash)
	if err == nil {
		s.sessionCache.Put(hash, sessionUser{se, u})
	}
	return se, u, err
}

type sessionUser struct {
	s Session
	u UserView
}

func (s *Store) sessionUser(ctx context.Context, hash string) (Session, UserView, error) {
	var se Session
	var u UserView
	rows, err := s.db.Hot().Query(ctx, `SELECT s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent, `+userCols+`, COALESCE(r.role, '')
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN party_orgs p ON p.id = u.party_org_id LEFT JOIN user_roles r ON r.user_id = u.id
		WHERE s.token_hash = ?`, hash)
	if err != nil {
		return se, u, err
	}
	defer rows.Close()
	found := false
	u.Roles, u.RoleNames = []domain.Role{}, []string{}
	for rows.Next() {
		var created, seen, expires string
		var role domain.Role
		// The session's columns before the user's, the role after.
		sc := scanFunc(func(dest ...any) error {
			return rows.Scan(append(append([]any{&se.TokenHash, &se.UserID, &created, &seen, &expires, &se.IP, &se.UserAgent}, dest...), &role)...)
		})
		roles := u.Roles
		if u, err = scanUser(sc); err != nil {
			return se, u, err
		}
		u.Roles = roles
		if role != "" {
			u.Roles = append(u.Roles, role)
		}
		se.CreatedAt, se.LastSeenAt, se.ExpiresAt = store.ParseTS(created), store.ParseTS(seen), store.ParseTS(expires)
		found = true
	}
	if err := rows.Err(); err != nil {
		return se, u, err
	}
	if !found {
		return se, u, domain.ErrNotFound
	}
	sortRoles(u.Roles)
	u.RoleNames = make([]string, len(u.Roles))
	for i, r := range u.Roles {
		u.RoleNames[i] = r.Name()
	}
	return se, u, nil
}

// scanFunc adapts a function to the Scan of a row.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }
