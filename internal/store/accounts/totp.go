package accounts

import (
	"context"
	"database/sql"
	"encoding/base32"
	"errors"
	"time"

	"github.com/lianxin/lianxin/internal/domain/account"
	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// The second login factor: which roles need it (a setting), each account's
// authenticator (user_totp), its recovery codes, and the logins waiting for
// a code (login_challenges). The codes themselves are checked by the auth
// layer (internal/totp); the store makes each acceptance happen once, in
// the transaction that records it, whichever instance serves it.

const SecondFactorKey = "second_factor"

// kindTOTPSecret binds the encrypted secrets to their column (pii.Encrypt).
const kindTOTPSecret = "totp_secret"

var secretText = base32.StdEncoding.WithPadding(base32.NoPadding)

// SecondFactorSettings returns the roles that must use a second factor
// (the defaults until the 安全管理员 sets them).
func (s *Store) SecondFactorSettings(ctx context.Context) (account.SecondFactorSettings, error) {
	out := account.DefaultSecondFactorSettings()
	return out, s.db.CachedSetting(ctx, SecondFactorKey, &out)
}

// SetSecondFactorSettings stores validated settings and audits the change.
func (s *Store) SetSecondFactorSettings(ctx context.Context, c store.Caller, next account.SecondFactorSettings) error {
	if err := next.Validate(); err != nil {
		return err
	}
	before, err := s.SecondFactorSettings(ctx)
	if err != nil {
		return err
	}
	defer s.db.ForgetSetting(SecondFactorKey)
	return s.db.Write(ctx, func(t *store.Tx) error {
		if err := store.PutSetting(ctx, t, SecondFactorKey, next, c.Now); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionSettingsChange, "settings", SecondFactorKey, audit.ResultSuccess).WithStates(before, next))
	})
}

// TOTP is an account's authenticator.
type TOTP struct {
	Secret       []byte // the raw key, decrypted
	Enabled      bool   // false while the enrolment waits for its first code
	EnabledAt    *time.Time
	LastStep     int64 // the newest accepted time step
	RecoveryLeft int   // unused recovery codes
}

// TOTP returns an account's authenticator, or domain.ErrNotFound.
func (s *Store) TOTP(ctx context.Context, userID int64) (TOTP, error) {
	var out TOTP
	var ct []byte
	var enabled sql.NullString
	err := s.db.QueryRow(ctx, `SELECT secret, enabled_at, last_step,
		(SELECT COUNT(*) FROM totp_recovery_codes r WHERE r.user_id = t.user_id AND r.used_at IS NULL)
		FROM user_totp t WHERE t.user_id = ?`, userID).Scan(&ct, &enabled, &out.LastStep, &out.RecoveryLeft)
	if errors.Is(err, sql.ErrNoRows) {
		return out, domain.ErrNotFound
	}
	if err != nil {
		return out, err
	}
	text, err := s.db.PII.Decrypt(kindTOTPSecret, ct)
	if err != nil {
		return out, err
	}
	if out.Secret, err = secretText.DecodeString(text); err != nil {
		return out, err
	}
	out.EnabledAt = store.ParseTSPtr(enabled)
	out.Enabled = out.EnabledAt != nil
	return out, nil
}

// BeginTOTP stores a new secret that waits for its first code, replacing
// an earlier unconfirmed one. An enabled authenticator stays: ConflictError.
func (s *Store) BeginTOTP(ctx context.Context, userID int64, secret []byte, now time.Time) error {
	ct, err := s.db.PII.Encrypt(kindTOTPSecret, secretText.EncodeToString(secret))
	if err != nil {
		return err
	}
	return s.db.Write(ctx, func(t *store.Tx) error {
		res, err := t.Exec(ctx, `INSERT INTO user_totp (user_id, secret, enabled_at, last_step, created_at) VALUES (?, ?, NULL, 0, ?)
			ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, last_step = 0, created_at = excluded.created_at
			WHERE user_totp.enabled_at IS NULL`, userID, ct, store.TS(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errTOTPEnabled
		}
		return nil
	})
}

var errTOTPEnabled = &domain.ConflictError{Message: "您已启用双因素认证；如需更换手机，请先停用再重新绑定"}

// ErrStepUsed: a code of this time step (or a later one) was accepted
// already, here or on another instance.
var ErrStepUsed = errors.New("store: the one-time password's step was used already")

// ErrNoRecoveryCode: no unused recovery code of the account has this hash.
var ErrNoRecoveryCode = errors.New("store: no such unused recovery code")

// useStep records step as the account's newest accepted one, or answers
// ErrStepUsed when it is not newer than the stored one.
func useStep(ctx context.Context, t *store.Tx, userID, step int64) error {
	res, err := t.Exec(ctx, `UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ? AND enabled_at IS NOT NULL`, step, userID, step)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrStepUsed
	}
	return nil
}

func putRecoveryCodes(ctx context.Context, t *store.Tx, userID int64, hashes []string) error {
	if _, err := t.Exec(ctx, `DELETE FROM totp_recovery_codes WHERE user_id = ?`, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := t.Exec(ctx, `INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
			return err
		}
	}
	return nil
}

// EnableTOTP confirms an enrolment with its first code's step and stores the
// hashes of new recovery codes, replacing any earlier ones.
func (s *Store) EnableTOTP(ctx context.Context, c store.Caller, userID, step int64, recoveryHashes []string) error {
	defer s.sessionCache.Clear()
	return s.db.Write(ctx, func(t *store.Tx) error {
		res, err := t.Exec(ctx, `UPDATE user_totp SET enabled_at = ?, last_step = ? WHERE user_id = ? AND enabled_at IS NULL AND last_step < ?`,
			store.TS(c.Now), step, userID, step)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &domain.ConflictError{Field: "code", Message: "绑定已失效或已完成，请刷新后重试"}
		}
		if err := putRecoveryCodes(ctx, t, userID, recoveryHashes); err != nil {
			return err
		}
		e := audit.New(c.Now, c.Actor, audit.ActionTOTPEnable, "user", store.Itoa64(userID), audit.ResultSuccess)
		e.Reason = "动态口令（TOTP）"
		return s.db.AppendAudit(ctx, t, e)
	})
}

// RenewRecoveryCodes replaces an account's recovery codes; step is the step
// of the code that authorized it.
func (s *Store) RenewRecoveryCodes(ctx context.Context, c store.Caller, userID, step int64, recoveryHashes []string) error {
	return s.db.Write(ctx, func(t *store.Tx) error {
		if err := useStep(ctx, t, userID, step); err != nil {
			return err
		}
		if err := putRecoveryCodes(ctx, t, userID, recoveryHashes); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionRecoveryCodes, "user", store.Itoa64(userID), audit.ResultSuccess))
	})
}

// DisableOwnTOTP removes the caller's own authenticator; step is the step
// of the code that authorized it. The caller's sessions go on.
func (s *Store) DisableOwnTOTP(ctx context.Context, c store.Caller, userID, step int64) error {
	defer s.sessionCache.Clear()
	return s.db.Write(ctx, func(t *store.Tx) error {
		if err := useStep(ctx, t, userID, step); err != nil {
			return err
		}
		if err := deleteTOTP(ctx, t, userID); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionTOTPDisable, "user", store.Itoa64(userID), audit.ResultSuccess))
	})
}

// ResetTOTP removes the authenticator of an account inside the caller's
// scope (the 安全管理员's reset, or the shell's): its recovery codes, its
// sessions and its pending logins go with it, so whoever held the lost phone
// or a stolen session is out. The caller decides who may reset whom.
func (s *Store) ResetTOTP(ctx context.Context, c store.Caller, userID int64) error {
	defer s.sessionCache.Clear()
	return s.db.Write(ctx, func(t *store.Tx) error {
		target, err := s.getUser(ctx, t, c.Scope, userID)
		if err != nil {
			return err
		}
		// As every change of an account: no 三员 account's by another (the
		// shell's reset is not bound).
		if err := s.checkAccountRules(c, target, nil); err != nil {
			return err
		}
		var n int
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM user_totp WHERE user_id = ?`, userID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &domain.ConflictError{Message: "该账号尚未启用双因素认证，无需重置"}
		}
		if err := deleteTOTP(ctx, t, userID); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM sessions WHERE user_id = ?`, `DELETE FROM login_challenges WHERE user_id = ?`} {
			if _, err := t.Exec(ctx, q, userID); err != nil {
				return err
			}
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionTOTPReset, "user", store.Itoa64(userID), audit.ResultSuccess))
	})
}

func deleteTOTP(ctx context.Context, t *store.Tx, userID int64) error {
	for _, q := range []string{`DELETE FROM totp_recovery_codes WHERE user_id = ?`, `DELETE FROM user_totp WHERE user_id = ?`} {
		if _, err := t.Exec(ctx, q, userID); err != nil {
			return err
		}
	}
	return nil
}

// LoginChallenge is a login whose password was right and that waits for
// its second factor.
type LoginChallenge struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	Attempts  int
	IP        string
	UserAgent string
}

// CreateLoginChallenge stores a pending login. An account has one at a
// time (a new password entry replaces the last), and expired ones of every
// account are swept on the way.
func (s *Store) CreateLoginChallenge(ctx context.Context, ch LoginChallenge) error {
	return s.db.Write(ctx, func(t *store.Tx) error {
		if _, err := t.Exec(ctx, `DELETE FROM login_challenges WHERE user_id = ? OR expires_at <= ?`, ch.UserID, store.TS(ch.CreatedAt)); err != nil {
			return err
		}
		_, err := t.Exec(ctx, `INSERT INTO login_challenges (token_hash, user_id, created_at, expires_at, attempts, ip, user_agent) VALUES (?, ?, ?, ?, 0, ?, ?)`,
			ch.TokenHash, ch.UserID, store.TS(ch.CreatedAt), store.TS(ch.ExpiresAt), ch.IP, ch.UserAgent)
		return err
	})
}

// LoginChallengeByHash returns a pending login unexpired at now, or
// domain.ErrNotFound.
func (s *Store) LoginChallengeByHash(ctx context.Context, hash string, now time.Time) (LoginChallenge, error) {
	var ch LoginChallenge
	var created, expires string
	err := s.db.QueryRow(ctx, `SELECT token_hash, user_id, created_at, expires_at, attempts, ip, user_agent FROM login_challenges WHERE token_hash = ? AND expires_at > ?`,
		hash, store.TS(now)).Scan(&ch.TokenHash, &ch.UserID, &created, &expires, &ch.Attempts, &ch.IP, &ch.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return ch, domain.ErrNotFound
	}
	ch.CreatedAt, ch.ExpiresAt = store.ParseTS(created), store.ParseTS(expires)
	return ch, err
}

// ChallengeAttempt counts a wrong code against a pending login and deletes
// it at max attempts (the password must then be typed again).
func (s *Store) ChallengeAttempt(ctx context.Context, hash string, max int) (spent bool, err error) {
	err = s.db.Write(ctx, func(t *store.Tx) error {
		var n int
		err := t.QueryRow(ctx, `UPDATE login_challenges SET attempts = attempts + 1 WHERE token_hash = ? RETURNING attempts`, hash).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			spent = true
			return nil
		}
		if err != nil {
			return err
		}
		if n >= max {
			spent = true
			_, err = t.Exec(ctx, `DELETE FROM login_challenges WHERE token_hash = ?`, hash)
		}
		return err
	})
	return spent, err
}

// DeleteLoginChallenge drops a pending login (a locked or disabled account).
func (s *Store) DeleteLoginChallenge(ctx context.Context, hash string) error {
	_, err := s.db.W.ExecContext(ctx, s.db.D.Rebind(`DELETE FROM login_challenges WHERE token_hash = ?`), hash)
	return err
}

// SecondFactorProof is what completed a login: a one-time password's time
// step, or the hash of a recovery code.
type SecondFactorProof struct {
	Step         int64
	RecoveryHash string
}

// CompleteLogin finishes a pending login in one transaction: the challenge
// is consumed (domain.ErrNotFound if another request or instance did so
// first, or it expired), the proof used up (ErrStepUsed, ErrNoRecoveryCode),
// the account's failure count cleared and the session opened, with events.
func (s *Store) CompleteLogin(ctx context.Context, hash string, proof SecondFactorProof, sess Session, events ...audit.Event) error {
	return s.db.Write(ctx, func(t *store.Tx) error {
		res, err := t.Exec(ctx, `DELETE FROM login_challenges WHERE token_hash = ? AND user_id = ? AND expires_at > ?`, hash, sess.UserID, store.TS(sess.CreatedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return domain.ErrNotFound
		}
		if proof.RecoveryHash != "" {
			res, err := t.Exec(ctx, `UPDATE totp_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
				store.TS(sess.CreatedAt), sess.UserID, proof.RecoveryHash)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return ErrNoRecoveryCode
			}
		} else if err := useStep(ctx, t, sess.UserID, proof.Step); err != nil {
			return err
		}
		if err := s.openSession(ctx, t, sess); err != nil {
			return err
		}
		for _, e := range events {
			if err := s.db.AppendAudit(ctx, t, e); err != nil {
				return err
			}
		}
		return nil
	})
}
