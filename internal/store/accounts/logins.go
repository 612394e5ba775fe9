package accounts

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// Login failures and locks (migration 0014): one row per login name and
// client address, one with ip = '' per name across addresses. The rule is
// domain.LockPolicy; this file loads, asks it, writes.

const allAddresses = ""

// AccountKey is the login key of an account: every name it is reached by
// (username, phone, ID number) counts together.
func AccountKey(userID int64) string { return "u:" + store.Itoa64(userID) }

// NameKey is the login key of a typed name that is no account. Only a hash
// is kept: people type passwords and ID numbers into the username field.
func NameKey(login string) string {
	sum := sha256.Sum256([]byte("lianxin-login\x00" + login))
	return "n:" + hex.EncodeToString(sum[:16])
}

// accountOf returns the account id of an AccountKey.
func accountOf(key string) (int64, bool) {
	id, err := strconv.ParseInt(strings.TrimPrefix(key, "u:"), 10, 64)
	return id, strings.HasPrefix(key, "u:") && err == nil
}

// LoginFailures returns a login key's count from ip and across addresses.
func (s *Store) LoginFailures(ctx context.Context, key, ip string) (pair, account domain.LoginFailures, err error) {
	rows, err := s.db.QueryRows(ctx, `SELECT ip, failures, since, locked_until FROM login_failures WHERE login_key = ? AND ip IN (?, ?)`, key, ip, allAddresses)
	if err != nil {
		return pair, account, err
	}
	defer rows.Close()
	for rows.Next() {
		var at string
		f, err := scanFailures(rows, &at)
		if err != nil {
			return pair, account, err
		}
		if at == allAddresses {
			account = f
		} else {
			pair = f
		}
	}
	return pair, account, rows.Err()
}

func scanFailures(r interface{ Scan(...any) error }, ip *string) (domain.LoginFailures, error) {
	var f domain.LoginFailures
	var since, until sql.NullString
	if err := r.Scan(ip, &f.Failures, &since, &until); err != nil {
		return f, err
	}
	if since.Valid && since.String != "" {
		f.Since = store.ParseTS(since.String)
	}
	f.LockedUntil = store.ParseTSPtr(until)
	return f, nil
}

// RecordLoginFailure counts one failure of key from ip under the policy and
// appends e, in one transaction (so that two instances counting at once
// lose nothing). It returns the lock in force after it: one set by this
// failure, or one another attempt set meanwhile.
func (s *Store) RecordLoginFailure(ctx context.Context, e audit.Event, key, ip string, p domain.LockPolicy, now time.Time) (lock domain.LoginLock, locked bool, err error) {
	err = s.db.Write(ctx, func(t *store.Tx) error {
		for _, at := range []string{ip, allAddresses} {
			if _, err := t.Exec(ctx, `INSERT INTO login_failures (login_key, ip, updated_at) VALUES (?, ?, ?) ON CONFLICT (login_key, ip) DO NOTHING`, key, at, store.TS(now)); err != nil {
				return err
			}
		}
		var pair, account domain.LoginFailures
		for _, at := range []string{ip, allAddresses} {
			var got string
			f, err := scanFailures(t.QueryRow(ctx, `SELECT ip, failures, since, locked_until FROM login_failures WHERE login_key = ? AND ip = ?`+s.db.D.ForUpdate(), key, at), &got)
			if err != nil {
				return err
			}
			if at == allAddresses {
				account = f
			} else {
				pair = f
			}
		}
		var fresh bool
		pair, account, lock, fresh = p.Fail(pair, account, now)
		if !fresh {
			lock, locked = domain.LockOf(pair, account, now)
		} else {
			locked = true
		}
		for _, row := range []struct {
			ip string
			f  domain.LoginFailures
		}{{ip, pair}, {allAddresses, account}} {
			var since any
			if !row.f.Since.IsZero() {
				since = store.TS(row.f.Since)
			}
			if _, err := t.Exec(ctx, `UPDATE login_failures SET failures = ?, since = ?, locked_until = ?, updated_at = ? WHERE login_key = ? AND ip = ?`,
				row.f.Failures, since, tsPtr(row.f.LockedUntil), store.TS(now), key, row.ip); err != nil {
				return err
			}
		}
		if fresh {
			where := "此地址"
			if lock.Account {
				where = "所有地址"
			}
			e.Reason += "；" + where + "已锁定至 " + lock.Until.In(domain.Shanghai).Format("2006-01-02 15:04")
		}
		if err := s.mirrorLock(ctx, t, key, now); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, e)
	})
	return
}

// mirrorLock copies an account's lock state into users (failed_logins: the
// count across addresses in its current window; locked_until: the latest
// lock in force from any address), which the administrators' pages read.
func (s *Store) mirrorLock(ctx context.Context, t *store.Tx, key string, now time.Time) error {
	id, ok := accountOf(key)
	if !ok {
		return nil
	}
	// Read in the transaction: another connection could wait for this one.
	st := domain.DefaultSecuritySettings
	if err := store.GetSetting(ctx, t, store.SecurityKey, &st); err != nil {
		return err
	}
	_, err := t.Exec(ctx, `UPDATE users SET
		failed_logins = COALESCE((SELECT failures FROM login_failures WHERE login_key = ? AND ip = '' AND since > ?), 0),
		locked_until = (SELECT MAX(locked_until) FROM login_failures WHERE login_key = ? AND locked_until > ?)
		WHERE id = ?`, key, store.TS(now.Add(-st.LockPolicy().Window)), key, store.TS(now), id)
	return err
}

// clearLoginFailures forgets an account's failures: from one address (a
// success there), or from every address (ip nil: an unlock or a new password).
func (s *Store) clearLoginFailures(ctx context.Context, t *store.Tx, userID int64, ip *string, now time.Time) error {
	key := AccountKey(userID)
	q, args := `DELETE FROM login_failures WHERE login_key = ?`, []any{key}
	if ip != nil {
		q, args = q+` AND ip = ?`, append(args, *ip)
	}
	if _, err := t.Exec(ctx, q, args...); err != nil {
		return err
	}
	return s.mirrorLock(ctx, t, key, now)
}

// PurgeLoginFailures removes counts untouched since before and no longer
// locking at now.
func (s *Store) PurgeLoginFailures(ctx context.Context, now, before time.Time) (int64, error) {
	res, err := s.db.W.ExecContext(ctx, s.db.D.Rebind(`DELETE FROM login_failures WHERE updated_at < ? AND (locked_until IS NULL OR locked_until <= ?)`), store.TS(before), store.TS(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// LoginSuccess records a login and opens its session in one transaction;
// the account's failures from the session's address are forgotten (the
// count across addresses runs out with its window).
func (s *Store) LoginSuccess(ctx context.Context, e audit.Event, sess Session) error {
	return s.db.Write(ctx, func(t *store.Tx) error {
		if err := s.openSession(ctx, t, sess); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, e)
	})
}

// openSession records a login in t: the account's last login, its
// failures from the session's address forgotten, the session row. The
// password-only login and the second factor's both end here.
func (s *Store) openSession(ctx context.Context, t *store.Tx, sess Session) error {
	if _, err := t.Exec(ctx, `UPDATE users SET last_login_at = ? WHERE id = ?`, store.TS(sess.CreatedAt), sess.UserID); err != nil {
		return err
	}
	if err := s.clearLoginFailures(ctx, t, sess.UserID, &sess.IP, sess.CreatedAt); err != nil {
		return err
	}
	_, err := t.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		sess.TokenHash, sess.UserID, store.TS(sess.CreatedAt), store.TS(sess.LastSeenAt), store.TS(sess.ExpiresAt), sess.IP, sess.UserAgent)
	return err
}

func tsPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return store.TS(*t)
}
