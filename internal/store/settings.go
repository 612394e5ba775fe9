package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"reflect"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

const SecurityKey = "security"

// SecuritySettings returns the account-security settings (defaults until set).
func (s *DB) SecuritySettings(ctx context.Context) (domain.SecuritySettings, error) {
	out := domain.DefaultSecuritySettings
	return out, s.CachedSetting(ctx, SecurityKey, &out)
}

// settingsTTL bounds how long a settings row read by one instance is
// reused. Every request reads the security settings (the idle timeout) and
// every check-in the activity settings; a change made through this instance
// is seen at once, through another within this long.
const settingsTTL = time.Second

type cachedRow struct {
	value reflect.Value // the decoded row, of out's type; invalid when absent
	at    time.Time
}

// cachedSetting is getSetting through the settings cache. The decoded value
// is kept, so a hit costs a copy.
func (s *DB) CachedSetting(ctx context.Context, key string, out any) error {
	dst := reflect.ValueOf(out).Elem()
	s.settingsMu.Lock()
	c, ok := s.settings[key]
	s.settingsMu.Unlock()
	if ok && time.Since(c.at) <= settingsTTL && (!c.value.IsValid() || c.value.Type() == dst.Type()) {
		if c.value.IsValid() {
			dst.Set(c.value)
		}
		return nil
	}
	c = cachedRow{at: time.Now()}
	var raw string
	err := s.Hot().QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		if err := json.Unmarshal([]byte(raw), out); err != nil {
			return err
		}
		c.value = reflect.ValueOf(dst.Interface())
	}
	s.settingsMu.Lock()
	if s.settings == nil {
		s.settings = map[string]cachedRow{}
	}
	s.settings[key] = c
	s.settingsMu.Unlock()
	return nil
}

// forgetSetting drops a cached row after a write.
func (s *DB) ForgetSetting(key string) {
	s.settingsMu.Lock()
	delete(s.settings, key)
	s.settingsMu.Unlock()
}

// getSetting decodes the settings row key into out, leaving out as it is
// (the defaults) when the row does not exist.
func GetSetting(ctx context.Context, q Querier, key string, out any) error {
	var v string
	err := q.QueryRow(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(v), out)
}

// SetSecuritySettings stores validated settings and audits the change.
func (s *DB) SetSecuritySettings(ctx context.Context, c Caller, next domain.SecuritySettings) error {
	if err := next.Validate(); err != nil {
		return err
	}
	before, err := s.SecuritySettings(ctx)
	if err != nil {
		return err
	}
	defer s.ForgetSetting(SecurityKey)
	return s.Write(ctx, func(t *Tx) error {
		if err := PutSetting(ctx, t, SecurityKey, next, c.Now); err != nil {
			return err
		}
		return s.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionSettingsChange, "settings", SecurityKey, audit.ResultSuccess).WithStates(before, next))
	})
}

// putSetting writes one settings row as JSON (update, else insert).
func PutSetting(ctx context.Context, t *Tx, key string, value any, now time.Time) error {
	b, err := json.Marshal(value)
	if err != nil {
		return err
	}
	res, err := t.Exec(ctx, `UPDATE settings SET value = ?, updated_at = ? WHERE key = ?`, string(b), TS(now), key)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err = t.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`, key, string(b), TS(now))
	}
	return err
}
