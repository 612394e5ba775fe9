package orglife

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// The settings of organizational life (city staff; activity.ActivitySettings):
// the check-in window around an activity and the ledger's frequencies; and
// the city's monthly themes (一月一主题).

const activityKey = "activities"

// ActivitySettings returns the settings (defaults until set).
func (s *Store) ActivitySettings(ctx context.Context) (activity.ActivitySettings, error) {
	out := activity.DefaultActivitySettings()
	return out, s.db.CachedSetting(ctx, activityKey, &out)
}

// SetActivitySettings stores validated settings and audits the change.
func (s *Store) SetActivitySettings(ctx context.Context, c store.Caller, next activity.ActivitySettings) error {
	if err := next.Validate(); err != nil {
		return err
	}
	before, err := s.ActivitySettings(ctx)
	if err != nil {
		return err
	}
	defer s.db.ForgetSetting(activityKey)
	return s.db.Write(ctx, func(t *store.Tx) error {
		if err := store.PutSetting(ctx, t, activityKey, next, c.Now); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionSettingsChange, "settings", activityKey, audit.ResultSuccess).WithStates(before, next))
	})
}

// MonthlyThemes lists the themes of a year, by month.
func (s *Store) MonthlyThemes(ctx context.Context, year int) ([]activity.MonthlyTheme, error) {
	rows, err := s.db.QueryRows(ctx, `SELECT id, month, title, description FROM monthly_themes WHERE month >= ? AND month < ? ORDER BY month`,
		fmt.Sprintf("%04d-01", year), fmt.Sprintf("%04d-13", year))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []activity.MonthlyTheme{}
	for rows.Next() {
		var m activity.MonthlyTheme
		if err := rows.Scan(&m.ID, &m.Month, &m.Title, &m.Description); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MonthlyTheme returns the theme of a month (YYYY-MM), or ErrNotFound.
func (s *Store) MonthlyTheme(ctx context.Context, month string) (activity.MonthlyTheme, error) {
	return monthlyTheme(ctx, s.db.Pool(), `month = ?`, month)
}

func monthlyTheme(ctx context.Context, q store.Querier, cond string, arg any) (activity.MonthlyTheme, error) {
	var m activity.MonthlyTheme
	err := q.QueryRow(ctx, `SELECT id, month, title, description FROM monthly_themes WHERE `+cond, arg).Scan(&m.ID, &m.Month, &m.Title, &m.Description)
	if errors.Is(err, sql.ErrNoRows) {
		return m, domain.ErrNotFound
	}
	return m, err
}

// SetMonthlyTheme creates or replaces the theme of m.Month (audited).
func (s *Store) SetMonthlyTheme(ctx context.Context, c store.Caller, m activity.MonthlyTheme) (activity.MonthlyTheme, error) {
	if err := m.Validate(); err != nil {
		return m, err
	}
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, err := monthlyTheme(ctx, t, `month = ?`, m.Month)
		switch {
		case errors.Is(err, domain.ErrNotFound):
			err = t.QueryRow(ctx, `INSERT INTO monthly_themes (month, title, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				m.Month, m.Title, m.Description, store.TS(c.Now), store.TS(c.Now)).Scan(&m.ID)
			if err != nil {
				return err
			}
			return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionCreate, "monthly_theme", m.Month, audit.ResultSuccess).WithStates(nil, m))
		case err != nil:
			return err
		}
		m.ID = before.ID
		if _, err := t.Exec(ctx, `UPDATE monthly_themes SET title = ?, description = ?, updated_at = ? WHERE id = ?`, m.Title, m.Description, store.TS(c.Now), m.ID); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUpdate, "monthly_theme", m.Month, audit.ResultSuccess).WithStates(before, m))
	})
	return m, err
}
