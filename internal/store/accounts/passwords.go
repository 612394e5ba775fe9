package accounts

import (
	"context"
	"time"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/domain"
)

// keepPasswordHistory moves an account's current hash into its history
// before a new password replaces it, keeping the newest PasswordHistory-1.
func (s *Store) keepPasswordHistory(ctx context.Context, t *store.Tx, now time.Time, u UserView) error {
	if u.PasswordHash == "" {
		return nil
	}
	if _, err := t.Exec(ctx, `INSERT INTO password_history (user_id, password_hash, replaced_at) VALUES (?, ?, ?)`, u.ID, u.PasswordHash, store.TS(now)); err != nil {
		return err
	}
	_, err := t.Exec(ctx, `DELETE FROM password_history WHERE user_id = ? AND id NOT IN
		(SELECT id FROM (SELECT id FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?) keep)`, u.ID, u.ID, domain.PasswordHistory-1)
	return err
}

// RecentPasswordHashes returns the hashes of an account's latest
// passwords, the current one first: those a new password may not repeat.
func (s *Store) RecentPasswordHashes(ctx context.Context, userID int64) ([]string, error) {
	var current string
	if err := s.db.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, userID).Scan(&current); err != nil {
		return nil, err
	}
	out := []string{current}
	rows, err := s.db.QueryRows(ctx, `SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?`, userID, domain.PasswordHistory-1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
