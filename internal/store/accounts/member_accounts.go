package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/pii"
)

// Members' own accounts. Staff issue an activation code for a member; the
// member's first login gives the phone number or ID number, the code and a
// new password, which creates the account (role member, linked by
// users.member_id, username "m" + member id). Later logins give the phone
// number or ID number, found through the blind indexes: no phone or ID
// number is stored in plain text for logging in.

// ActivationLifetime is how long an activation code stays valid.
const ActivationLifetime = 7 * 24 * time.Hour

// maxActivationFailures voids a code after this many wrong tries: 8
// characters of 31 leave 2^39 guesses, and five are all anyone gets.
const maxActivationFailures = 5

// activationAlphabet leaves out 0/O, 1/I/L: the code is read aloud or off
// a slip of paper.
const activationAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// MemberUsername is the internal username of a member's account.
func MemberUsername(memberID int64) string { return "m" + strconv.FormatInt(memberID, 10) }

// Activation is an issued code, shown once.
type Activation struct {
	MemberID  int64     `json:"member_id"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
	// HasAccount: the member already has an account; the code resets its
	// password.
	HasAccount bool `json:"has_account"`
}

func hashActivation(code string) string {
	h := sha256.Sum256([]byte("lianxin/activation/" + code))
	return hex.EncodeToString(h[:])
}

func newActivationCode() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = activationAlphabet[int(b[i])%len(activationAlphabet)]
	}
	return string(b), nil
}

// IssueActivation makes a new activation code for a member in scope (it
// replaces any earlier one). The member must be in good standing, held by
// a Party org, and have a phone number or ID number to log in with.
func (s *Store) IssueActivation(ctx context.Context, c store.Caller, memberID int64) (Activation, error) {
	code, err := newActivationCode()
	if err != nil {
		return Activation{}, err
	}
	out := Activation{MemberID: memberID, Code: code, ExpiresAt: c.Now.Add(ActivationLifetime)}
	err = s.db.Write(ctx, func(t *store.Tx) error {
		m, err := s.members.MemberTx(ctx, t, c.Scope, memberID)
		if err != nil {
			return err
		}
		if m.Standing != domain.StandingRegistered {
			return domain.FieldError("member_id", "党籍状态为“"+domain.MemberStandings.Name(m.Standing)+"”的党员不能开通账号")
		}
		if m.PartyOrgID == nil {
			return domain.FieldError("member_id", "该党员没有所在党组织，不能开通账号")
		}
		var n int
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE member_id = ?`, memberID).Scan(&n); err != nil {
			return err
		}
		out.HasAccount = n > 0
		if _, err := t.Exec(ctx, `DELETE FROM member_activations WHERE member_id = ?`, memberID); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `INSERT INTO member_activations (member_id, code_hash, expires_at, issued_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			memberID, hashActivation(code), store.TS(out.ExpiresAt), store.NullInt(c.Actor.UserID), store.TS(c.Now)); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionIssueCode, "member", strconv.FormatInt(memberID, 10), audit.ResultSuccess))
	})
	return out, err
}

// memberByLogin finds the member a phone number or ID number names.
func (s *Store) memberByLogin(ctx context.Context, q store.Querier, login string) (int64, error) {
	var col string
	var idx []byte
	switch name := domain.ClassifyLogin(login); name.Kind {
	case domain.LoginPhone:
		col, idx = "phone_index", s.db.PII.Index(pii.KindPhone, name.Value)
	case domain.LoginIDNumber:
		col, idx = "id_number_index", s.db.PII.Index(pii.KindIDNumber, name.Value)
	default:
		return 0, domain.ErrNotFound
	}
	// Two members may share a phone (a family's): such a phone logs nobody
	// in, the ID number still does.
	rows, err := q.Query(ctx, `SELECT id FROM members WHERE `+col+` = ? LIMIT 2`, idx)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		return 0, domain.ErrNotFound
	}
	return ids[0], nil
}

// UserByLogin finds an account by username, or a member's account by the
// member's phone number or ID number.
func (s *Store) UserByLogin(ctx context.Context, login string) (UserView, error) {
	u, err := s.UserByUsername(ctx, login)
	if !errors.Is(err, domain.ErrNotFound) {
		return u, err
	}
	id, err := s.memberByLogin(ctx, s.db.Pool(), login)
	if err != nil {
		return u, err
	}
	u, err = scanUser(s.db.QueryRow(ctx, `SELECT `+userCols+userFrom+` WHERE u.member_id = ?`, id))
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

// ActivationRefused explains a refused activation without saying whether
// the member exists.
var ActivationRefused = domain.FieldError("code", "手机号/身份证号或激活码不正确，或激活码已过期；请联系所在党组织重新获取")

// ActivateMember checks a login and an activation code and sets the
// member's password, creating the account on first use. It returns the
// account's id. Wrong codes count; the fifth voids the code.
func (s *Store) ActivateMember(ctx context.Context, now time.Time, login, code, passwordHash string, actor audit.Actor) (int64, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	var userID int64
	var refused bool
	err := s.db.Write(ctx, func(t *store.Tx) error {
		memberID, err := s.memberByLogin(ctx, t, login)
		if errors.Is(err, domain.ErrNotFound) {
			refused = true
			return nil
		}
		if err != nil {
			return err
		}
		var hash, expires string
		var failures int
		err = t.QueryRow(ctx, `SELECT code_hash, expires_at, failures FROM member_activations WHERE member_id = ?`, memberID).Scan(&hash, &expires, &failures)
		if errors.Is(err, sql.ErrNoRows) {
			refused = true
			return nil
		}
		if err != nil {
			return err
		}
		if failures >= maxActivationFailures || now.After(store.ParseTS(expires)) ||
			subtle.ConstantTimeCompare([]byte(hash), []byte(hashActivation(code))) != 1 {
			refused = true
			_, err := t.Exec(ctx, `UPDATE member_activations SET failures = failures + 1 WHERE member_id = ?`, memberID)
			return err
		}
		var name, standing string
		var org sql.NullInt64
		if err := t.QueryRow(ctx, `SELECT name, standing, party_org_id FROM members WHERE id = ?`, memberID).Scan(&name, &standing, &org); err != nil {
			return err
		}
		if standing != domain.StandingRegistered || !org.Valid {
			refused = true
			return nil
		}
		if userID, err = s.setMemberAccount(ctx, t, now, memberID, name, org.Int64, passwordHash); err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `DELETE FROM member_activations WHERE member_id = ?`, memberID); err != nil {
			return err
		}
		actor.UserID = userID
		actor.Username = MemberUsername(memberID)
		return s.db.AppendAudit(ctx, t, audit.New(now, actor, audit.ActionActivate, "user", strconv.FormatInt(userID, 10), audit.ResultSuccess))
	})
	if err == nil && refused {
		return 0, ActivationRefused
	}
	return userID, err
}

// setMemberAccount creates the member's account (role member) or, when it
// exists, sets its password and Party org. It returns the account's id.
func (s *Store) setMemberAccount(ctx context.Context, t *store.Tx, now time.Time, memberID int64, name string, org int64, passwordHash string) (int64, error) {
	defer s.sessionCache.Clear()
	var userID int64
	err := t.QueryRow(ctx, `SELECT id FROM users WHERE member_id = ?`, memberID).Scan(&userID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = t.QueryRow(ctx, `INSERT INTO users (username, display_name, party_org_id, password_hash, password_changed_at, must_change_password, created_at, updated_at, member_id)
			VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id`, MemberUsername(memberID), name, org, passwordHash, store.TS(now), store.TS(now), store.TS(now), memberID).Scan(&userID)
		if err != nil {
			return 0, err
		}
		return userID, s.SetRoles(ctx, t, userID, []domain.Role{domain.RoleMember})
	case err != nil:
		return 0, err
	}
	_, err = t.Exec(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = 0, failed_logins = 0,
		locked_until = NULL, party_org_id = ?, updated_at = ?, version = version + 1 WHERE id = ?`, passwordHash, store.TS(now), org, store.TS(now), userID)
	if err != nil {
		return 0, err
	}
	return userID, s.clearLoginFailures(ctx, t, userID, nil, now)
}

// SetMemberAccount gives a member in the caller's scope an account with the
// given password hash, for the command line and the benchmarks (staff use
// activation codes). Audited.
func (s *Store) SetMemberAccount(ctx context.Context, c store.Caller, memberID int64, passwordHash string) (UserView, error) {
	var id int64
	err := s.db.Write(ctx, func(t *store.Tx) error {
		m, err := s.members.MemberTx(ctx, t, c.Scope, memberID)
		if err != nil {
			return err
		}
		if m.PartyOrgID == nil || m.Standing != domain.StandingRegistered {
			return domain.FieldError("member_id", "只有在册且有所在党组织的党员可以开通账号")
		}
		if id, err = s.setMemberAccount(ctx, t, c.Now, memberID, m.Name, *m.PartyOrgID, passwordHash); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionActivate, "user", strconv.FormatInt(id, 10), audit.ResultSuccess))
	})
	if err != nil {
		return UserView{}, err
	}
	return s.GetUser(ctx, store.ScopeAll, id)
}
