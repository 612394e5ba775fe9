package accounts

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain/account"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// UserView is an account with the name of its scope node.
type UserView struct {
	domain.User
	PartyOrgName string   `json:"party_org_name"`
	PartyOrgPath string   `json:"party_org_path"`
	RoleNames    []string `json:"role_names"`
	// TOTPEnabled: the account logs in with a one-time password besides
	// its password (totp.go).
	TOTPEnabled bool `json:"totp_enabled"`
}

const userCols = `u.id, u.username, u.display_name, u.party_org_id, u.password_hash, u.password_changed_at, u.must_change_password,
	u.failed_logins, u.locked_until, u.disabled, u.last_login_at, u.created_at, u.version, p.name, p.path, u.member_id,
	CASE WHEN EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = u.id AND t.enabled_at IS NOT NULL) THEN 1 ELSE 0 END`

const userFrom = ` FROM users u JOIN party_orgs p ON p.id = u.party_org_id`

func scanUser(r interface{ Scan(...any) error }) (UserView, error) {
	var v UserView
	var changed, created string
	var locked, last sql.NullString
	var must, disabled, totp int
	var member sql.NullInt64
	err := r.Scan(&v.ID, &v.Username, &v.DisplayName, &v.PartyOrgID, &v.PasswordHash, &changed, &must,
		&v.FailedLogins, &locked, &disabled, &last, &created, &v.Version, &v.PartyOrgName, &v.PartyOrgPath, &member, &totp)
	if err != nil {
		return v, err
	}
	if member.Valid {
		v.MemberID = &member.Int64
	}
	v.PasswordChangedAt, v.CreatedAt = store.ParseTS(changed), store.ParseTS(created)
	v.LockedUntil, v.LastLoginAt = store.ParseTSPtr(locked), store.ParseTSPtr(last)
	v.MustChangePassword, v.Disabled, v.TOTPEnabled = must == 1, disabled == 1, totp == 1
	return v, nil
}

func (s *Store) loadRoles(ctx context.Context, q store.Querier, users []UserView) error {
	if len(users) == 0 {
		return nil
	}
	idx := map[int64]int{}
	var args []any
	var marks []string
	for i := range users {
		idx[users[i].ID] = i
		args = append(args, users[i].ID)
		marks = append(marks, "?")
		users[i].Roles = []domain.Role{}
		users[i].RoleNames = []string{}
	}
	rows, err := q.Query(ctx, `SELECT user_id, role FROM user_roles WHERE user_id IN (`+strings.Join(marks, ",")+`) ORDER BY user_id, role`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r domain.Role
		if err := rows.Scan(&id, &r); err != nil {
			return err
		}
		u := &users[idx[id]]
		u.Roles = append(u.Roles, r)
	}
	for i := range users {
		sortRoles(users[i].Roles)
		for _, r := range users[i].Roles {
			users[i].RoleNames = append(users[i].RoleNames, r.Name())
		}
	}
	return rows.Err()
}

// sortRoles orders roles as domain.Roles lists them.
func sortRoles(rs []domain.Role) {
	rank := map[domain.Role]int{}
	for i, r := range domain.Roles {
		rank[r.Code] = i
	}
	sort.Slice(rs, func(i, j int) bool { return rank[rs[i]] < rank[rs[j]] })
}

// UserByUsername finds an account for login (unscoped: the login decides).
func (s *Store) UserByUsername(ctx context.Context, username string) (UserView, error) {
	u, err := scanUser(s.db.QueryRow(ctx, `SELECT `+userCols+userFrom+` WHERE u.username = ?`, username))
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.ErrNotFound
	}
	if err != nil {
		return u, err
	}
	us := []UserView{u}
	err = s.loadRoles(ctx, s.db.Pool(), us)
	return us[0], err
}

// GetUser returns an account whose scope node lies inside sc.
func (s *Store) GetUser(ctx context.Context, sc store.Scope, id int64) (UserView, error) {
	return s.getUser(ctx, s.db.Pool(), sc, id)
}

// UserFilter selects accounts.
type UserFilter struct {
	Q          string
	Role       string
	PartyOrgID *int64
	Status     string // active, locked, disabled
	Now        time.Time
	store.Page
}

// ListUsers returns accounts whose scope node lies inside sc.
func (s *Store) ListUsers(ctx context.Context, sc store.Scope, f UserFilter) ([]UserView, int, error) {
	lo, hi := sc.Bounds()
	where := []string{"p.path >= ? AND p.path < ?"}
	args := []any{lo, hi}
	if q := strings.TrimSpace(f.Q); q != "" {
		pat := "%" + store.EscapeLike(q) + "%"
		where = append(where, "(u.username "+s.db.D.Like()+" ? ESCAPE '\\' OR u.display_name "+s.db.D.Like()+" ? ESCAPE '\\')")
		args = append(args, pat, pat)
	}
	if f.Role != "" {
		where = append(where, "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ?)")
		args = append(args, f.Role)
	}
	if f.PartyOrgID != nil {
		where = append(where, "u.party_org_id = ?")
		args = append(args, *f.PartyOrgID)
	}
	switch f.Status {
	case "active":
		where = append(where, "u.disabled = 0 AND (u.locked_until IS NULL OR u.locked_until <= ?)")
		args = append(args, store.TS(f.Now))
	case "locked":
		where = append(where, "u.locked_until > ?")
		args = append(args, store.TS(f.Now))
	case "disabled":
		where = append(where, "u.disabled = 1")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*)`+userFrom+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.db.QueryRows(ctx, `SELECT `+userCols+userFrom+cond+` ORDER BY u.username LIMIT ? OFFSET ?`, append(args, f.Limit(), f.Offset())...)
	if err != nil {
		return nil, 0, err
	}
	out := []UserView{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, s.loadRoles(ctx, s.db.Pool(), out)
}

// UserCounts are the account figures of the home page.
type UserCounts struct {
	Total    int `json:"total"`
	Locked   int `json:"locked"`
	Disabled int `json:"disabled"`
}

// CountUsers counts the accounts inside a scope.
func (s *Store) CountUsers(ctx context.Context, sc store.Scope, now time.Time) (UserCounts, error) {
	lo, hi := sc.Bounds()
	var c UserCounts
	err := s.db.QueryRow(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN u.locked_until > ? THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(u.disabled), 0)`+userFrom+` WHERE p.path >= ? AND p.path < ?`, store.TS(now), lo, hi).Scan(&c.Total, &c.Locked, &c.Disabled)
	return c, err
}

// NewUser is an account to create.
type NewUser struct {
	Username     string
	DisplayName  string
	PartyOrgID   int64
	Roles        []domain.Role
	PasswordHash string
	// MustChange forces a password change at first login (set when an
	// administrator chose the password).
	MustChange bool
}

// userAudit is the state of an account as the audit trail records it
// (without the password hash).
type userAudit struct {
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	PartyOrgID  int64         `json:"party_org_id"`
	Roles       []domain.Role `json:"roles"`
	Disabled    bool          `json:"disabled"`
}

func auditUser(u domain.User) userAudit {
	return userAudit{u.Username, u.DisplayName, u.PartyOrgID, u.Roles, u.Disabled}
}

// CreateUser adds an account bound to a node inside the caller's scope.
func (s *Store) CreateUser(ctx context.Context, c store.Caller, n NewUser) (domain.User, error) {
	u := domain.User{Username: n.Username, DisplayName: strings.TrimSpace(n.DisplayName), PartyOrgID: n.PartyOrgID, Roles: n.Roles,
		PasswordChangedAt: c.Now, MustChangePassword: n.MustChange, CreatedAt: c.Now, Version: 1}
	if c.Account() {
		if err := account.CheckGrant(c.Roles, nil, n.Roles); err != nil {
			return u, err
		}
	}
	err := s.db.Write(ctx, func(t *store.Tx) error {
		org, err := s.registry.GetPartyOrgTx(ctx, t, c.Scope, n.PartyOrgID)
		if errors.Is(err, domain.ErrNotFound) {
			return domain.FieldError("party_org_id", "所选党组织不存在或不在您的管理范围内")
		}
		if err != nil {
			return err
		}
		if org.Status != domain.StatusActive {
			return domain.FieldError("party_org_id", "所选党组织已撤销")
		}
		err = t.QueryRow(ctx, `INSERT INTO users (username, display_name, party_org_id, password_hash, password_changed_at, must_change_password, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Username, u.DisplayName, u.PartyOrgID, n.PasswordHash, store.TS(c.Now), store.BoolInt(n.MustChange), store.TS(c.Now), store.TS(c.Now)).Scan(&u.ID)
		if store.IsUniqueViolation(err) {
			return &domain.ConflictError{Field: "username", Message: "用户名已被使用：" + u.Username}
		}
		if err != nil {
			return err
		}
		if err := s.SetRoles(ctx, t, u.ID, u.Roles); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionCreate, "user", store.Itoa64(u.ID), audit.ResultSuccess).WithStates(nil, auditUser(u)))
	})
	return u, err
}

func (s *Store) SetRoles(ctx context.Context, t *store.Tx, id int64, roles []domain.Role) error {
	defer s.sessionCache.Clear()
	if _, err := t.Exec(ctx, `DELETE FROM user_roles WHERE user_id = ?`, id); err != nil {
		return err
	}
	for _, r := range roles {
		if _, err := t.Exec(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, id, string(r)); err != nil {
			return err
		}
	}
	return nil
}

// UserChange is an edit of an account; nil fields stay as they are.
type UserChange struct {
	DisplayName *string
	Disabled    *bool
	Roles       []domain.Role // nil: unchanged
	PartyOrgID  *int64
	Version     *int
}

// UpdateUser edits an account inside the scope. The caller decides which
// fields the actor may change (duties are separated by the auth layer); an
// account acting is further bound by account.CheckManageAccount (no 三员
// account changes another) and account.CheckGrant (who assigns which role).
func (s *Store) UpdateUser(ctx context.Context, c store.Caller, id int64, ch UserChange) (UserView, error) {
	defer s.sessionCache.Clear()
	var after UserView
	err := s.db.Write(ctx, func(t *store.Tx) error {
		before, err := s.getUser(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if err := s.checkAccountRules(c, before, ch.Roles); err != nil {
			return err
		}
		if ch.Version != nil && *ch.Version != before.Version {
			return &domain.ConflictError{Field: "version", Message: "该账号已被他人修改，请刷新后重试"}
		}
		after = before
		action := audit.ActionUpdate
		if ch.DisplayName != nil {
			after.DisplayName = strings.TrimSpace(*ch.DisplayName)
		}
		if ch.Disabled != nil {
			after.Disabled = *ch.Disabled
		}
		if ch.PartyOrgID != nil && *ch.PartyOrgID != before.PartyOrgID {
			org, err := s.registry.GetPartyOrgTx(ctx, t, c.Scope, *ch.PartyOrgID)
			if errors.Is(err, domain.ErrNotFound) {
				return domain.FieldError("party_org_id", "所选党组织不存在或不在您的管理范围内")
			}
			if err != nil {
				return err
			}
			if org.Status != domain.StatusActive {
				return domain.FieldError("party_org_id", "所选党组织已撤销")
			}
			after.PartyOrgID, after.PartyOrgName, after.PartyOrgPath = org.ID, org.Name, org.Path
			action = audit.ActionGrant
		}
		if ch.Roles != nil {
			after.Roles = ch.Roles
			action = audit.ActionGrant
		}
		if reflect.DeepEqual(auditUser(before.User), auditUser(after.User)) {
			return nil // nothing changes: no new version, no audit record
		}
		after.Version = before.Version + 1
		if _, err := t.Exec(ctx, `UPDATE users SET display_name = ?, disabled = ?, party_org_id = ?, updated_at = ?, version = ? WHERE id = ?`,
			after.DisplayName, store.BoolInt(after.Disabled), after.PartyOrgID, store.TS(c.Now), after.Version, id); err != nil {
			return err
		}
		if ch.Roles != nil {
			if err := s.SetRoles(ctx, t, id, ch.Roles); err != nil {
				return err
			}
		}
		if after.Disabled && !before.Disabled {
			if _, err := t.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, action, "user", store.Itoa64(id), audit.ResultSuccess).WithStates(auditUser(before.User), auditUser(after.User)))
	})
	if err != nil {
		return after, err
	}
	return s.GetUser(ctx, store.ScopeAll, id)
}

// checkAccountRules applies the account rules to an account acting on
// target (roles: the roles it would set, nil when unchanged). The shell is
// not bound: it creates and recovers the 三员 accounts.
func (s *Store) checkAccountRules(c store.Caller, target UserView, roles []domain.Role) error {
	if !c.Account() {
		return nil
	}
	if err := account.CheckManageAccount(target.Roles, c.Actor.UserID == target.ID); err != nil {
		return err
	}
	if roles != nil {
		return account.CheckGrant(c.Roles, target.Roles, roles)
	}
	return nil
}

func (s *Store) getUser(ctx context.Context, q store.Querier, sc store.Scope, id int64) (UserView, error) {
	lo, hi := sc.Bounds()
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userCols+userFrom+` WHERE u.id = ? AND p.path >= ? AND p.path < ?`, id, lo, hi))
	if errors.Is(err, sql.ErrNoRows) {
		return u, domain.ErrNotFound
	}
	if err != nil {
		return u, err
	}
	us := []UserView{u}
	err = s.loadRoles(ctx, q, us)
	return us[0], err
}

// SetPassword stores a new password hash for an account inside the scope.
// mustChange is set when an administrator reset it. Every session of the
// account ends, except keepSession (the one that changed its own password).
// The replaced hash joins the account's password history.
func (s *Store) SetPassword(ctx context.Context, c store.Caller, id int64, hash string, mustChange bool, action, keepSession string) error {
	defer s.sessionCache.Clear()
	return s.db.Write(ctx, func(t *store.Tx) error {
		u, err := s.getUser(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if err := s.checkAccountRules(c, u, nil); err != nil {
			return err
		}
		if err := s.keepPasswordHistory(ctx, t, c.Now, u); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?`,
			hash, store.TS(c.Now), store.BoolInt(mustChange), store.TS(c.Now), id); err != nil {
			return err
		}
		if err := s.clearLoginFailures(ctx, t, id, nil, c.Now); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, id, keepSession); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, action, "user", store.Itoa64(id), audit.ResultSuccess))
	})
}

// UnlockUser clears an account's locks and failure counts, from every address.
func (s *Store) UnlockUser(ctx context.Context, c store.Caller, id int64) error {
	defer s.sessionCache.Clear()
	return s.db.Write(ctx, func(t *store.Tx) error {
		u, err := s.getUser(ctx, t, c.Scope, id)
		if err != nil {
			return err
		}
		if err := s.checkAccountRules(c, u, nil); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `UPDATE users SET updated_at = ? WHERE id = ?`, store.TS(c.Now), id); err != nil {
			return err
		}
		if err := s.clearLoginFailures(ctx, t, id, nil, c.Now); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionUnlock, "user", store.Itoa64(id), audit.ResultSuccess))
	})
}
