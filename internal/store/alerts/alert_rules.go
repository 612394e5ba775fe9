package alerts

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// The city's tuning of the alert rules: a row per rule that was changed,
// the catalogue's defaults for the others. Tuning takes effect at the next
// evaluation, without a new binary.

// RuleView is a rule of the catalogue with the city's tuning.
type RuleView struct {
	alert.RuleDef
	Enabled   bool           `json:"enabled"`
	Values    map[string]int `json:"values"`
	UpdatedAt *string        `json:"updated_at"`
	Version   int            `json:"version"`
}

// RuleInput changes a rule: nil leaves a part unchanged; params may name
// only some parameters.
type RuleInput struct {
	Enabled *bool          `json:"enabled"`
	Params  map[string]int `json:"params"`
	Version *int           `json:"version"`
}

// AlertRules returns every rule of the catalogue with its tuning.
func (s *Store) AlertRules(ctx context.Context) ([]RuleView, error) {
	return alertRules(ctx, s.db.Pool())
}

func alertRules(ctx context.Context, q store.Querier) ([]RuleView, error) {
	rows, err := q.Query(ctx, `SELECT code, enabled, params, updated_at, version FROM alert_rules`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type row struct {
		enabled bool
		params  map[string]int
		at      string
		version int
	}
	saved := map[alert.RuleCode]row{}
	for rows.Next() {
		var code, params string
		var r row
		if err := rows.Scan(&code, &r.enabled, &params, &r.at, &r.version); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(params), &r.params); err != nil {
			return nil, err
		}
		saved[alert.RuleCode(code)] = r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]RuleView, 0, len(alert.Rules))
	for _, d := range alert.Rules {
		v := RuleView{RuleDef: d, Enabled: true, Values: d.DefaultSetting().Params}
		if r, ok := saved[d.Code]; ok {
			v.Enabled, v.Version = r.enabled, r.version
			at := r.at
			v.UpdatedAt = &at
			for k, val := range r.params {
				if _, known := v.Values[k]; known {
					v.Values[k] = val
				}
			}
		}
		out = append(out, v)
	}
	return out, nil
}

// Setting is the view as the engine's RuleSetting.
func (v RuleView) Setting() alert.RuleSetting {
	return alert.RuleSetting{Enabled: v.Enabled, Params: v.Values}
}

// UpdateAlertRule tunes or switches one rule (city staff), with a version
// check, history and audit.
func (s *Store) UpdateAlertRule(ctx context.Context, c store.Caller, code alert.RuleCode, in RuleInput) (RuleView, error) {
	def, ok := alert.RuleDefOf(code)
	if !ok {
		return RuleView{}, domain.ErrNotFound
	}
	var out RuleView
	err := s.db.Write(ctx, func(t *store.Tx) error {
		all, err := alertRules(ctx, t)
		if err != nil {
			return err
		}
		var before RuleView
		for _, r := range all {
			if r.Code == code {
				before = r
			}
		}
		if in.Version != nil && *in.Version != before.Version {
			return &domain.ConflictError{Field: "version", Message: "该规则已被他人修改，请刷新后重试"}
		}
		next := alert.RuleSetting{Enabled: before.Enabled, Params: map[string]int{}}
		for k, v := range before.Values {
			next.Params[k] = v
		}
		if in.Enabled != nil {
			next.Enabled = *in.Enabled
		}
		for k, v := range in.Params {
			next.Params[k] = v
		}
		if err := def.Validate(&next); err != nil {
			return err
		}
		params, _ := json.Marshal(next.Params)
		out = before
		out.Enabled, out.Values, out.Version = next.Enabled, next.Params, before.Version+1
		at := store.TS(c.Now)
		out.UpdatedAt = &at
		var res sql.Result
		if before.Version == 0 {
			res, err = t.Exec(ctx, `INSERT INTO alert_rules (code, enabled, params, updated_at, updated_by, version) VALUES (?, ?, ?, ?, ?, 1)`,
				string(code), store.BoolInt(next.Enabled), string(params), at, store.NullID(c.Actor.UserID))
		} else {
			res, err = t.Exec(ctx, `UPDATE alert_rules SET enabled = ?, params = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE code = ? AND version = ?`,
				store.BoolInt(next.Enabled), string(params), at, store.NullID(c.Actor.UserID), string(code), before.Version)
		}
		if store.IsUniqueViolation(err) {
			return &domain.ConflictError{Field: "version", Message: "该规则已被他人修改，请刷新后重试"}
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &domain.ConflictError{Field: "version", Message: "该规则已被他人修改，请刷新后重试"}
		}
		type state struct {
			Enabled bool           `json:"enabled"`
			Params  map[string]int `json:"params"`
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUpdate, "alert_rule", string(code), audit.ResultSuccess).
			WithStates(state{before.Enabled, before.Values}, state{next.Enabled, next.Params}))
	})
	if errors.Is(err, sql.ErrNoRows) {
		return out, domain.ErrNotFound
	}
	return out, err
}
