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
	return out, getSetting(ctx, s.pool(), securityKey, &out)
}

// getSetting decodes the settings row key into out, leaving out as it is
// (the defaults) when the row does not exist.
func getSetting(ctx context.Context, q querier, key string, out any) error {
	var v string
	err := q.queryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(v), out)
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
	return s.write(ctx, func(t *tx) error {
		if err := putSetting(ctx, t, securityKey, next, c.Now); err != nil {
			return err
		}
		return s.appendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionSettingsChange, "settings", securityKey, audit.ResultSuccess).WithStates(before, next))
	})
}
