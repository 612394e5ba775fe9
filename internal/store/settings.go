package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

const securityKey = "security"

// SecuritySettings returns the account-security settings (defaults until set).
func (s *Store) SecuritySettings(ctx context.Context) (domain.SecuritySettings, error) {
	out := domain.DefaultSecuritySettings
	var v string
	err := s.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, securityKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	return out, json.Unmarshal([]byte(v), &out)
}

// SetSecuritySettings stores validated settings and audits the change.
func (s *Store) SetSecuritySettings(ctx context.Context, c Caller, next domain.SecuritySettings) error {
	if err := next.Validate(); err != nil {
		return err
	}
	before, err := s.SecuritySettings(ctx)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(next)
	return s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE settings SET value = ?, updated_at = ? WHERE key = ?`, string(b), ts(c.Now), securityKey)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := t.exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`, securityKey, string(b), ts(c.Now)); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionSettingsChange, "settings", securityKey, audit.ResultSuccess).WithStates(before, next))
	})
}
