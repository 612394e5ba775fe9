package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

// Daily leases: a job that must run once a day across every instance of a
// deployment (the coverage snapshot, the alert run) is run by whoever takes
// the day's lease. Taking is one conditional UPDATE, so of two instances
// racing exactly one succeeds; the winner records the day done, or lets the
// lease go (or die with it, then expire) so that another instance retries.

// DailyLease is the record of a daily job.
type DailyLease struct {
	Name      string      `json:"name"`
	Holder    string      `json:"holder"`
	Day       domain.Date `json:"day"` // the day the holder took the lease for
	ExpiresAt time.Time   `json:"expires_at"`
	DoneDay   domain.Date `json:"done_day"` // the last day whose run completed
	DoneBy    string      `json:"done_by"`
	DoneAt    time.Time   `json:"done_at"`
	Runs      int         `json:"runs"` // runs completed under the lease, ever
}

// TakeDailyLease takes the lease of the job name for day until now+ttl,
// unless the day's run is done or another holder's lease for the day is
// still running. It reports whether holder now has it.
func (s *DB) TakeDailyLease(ctx context.Context, name, holder string, day domain.Date, now time.Time, ttl time.Duration) (bool, error) {
	var n int64
	err := s.Write(ctx, func(t *Tx) error {
		if _, err := t.Exec(ctx, `INSERT INTO daily_leases (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, name); err != nil {
			return err
		}
		r, err := t.Exec(ctx, `UPDATE daily_leases SET holder = ?, day = ?, expires_at = ?
			WHERE name = ? AND done_day < ? AND (day < ? OR expires_at <= ?)`,
			holder, string(day), TS(now.Add(ttl)), name, string(day), string(day), TS(now))
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	return n == 1, err
}

// FinishDailyLease records the day done by holder (ran: with a run of its
// own, else found done by other means); false when the holder no longer had
// the lease (it expired and another instance took it).
func (s *DB) FinishDailyLease(ctx context.Context, name, holder string, day domain.Date, now time.Time, ran bool) (bool, error) {
	var n int64
	err := s.Write(ctx, func(t *Tx) error {
		r, err := t.Exec(ctx, `UPDATE daily_leases SET done_day = ?, done_by = ?, done_at = ?, runs = runs + ?, expires_at = ?
			WHERE name = ? AND holder = ? AND day = ? AND done_day < ?`, string(day), holder, TS(now), BoolInt(ran), TS(now), name, holder, string(day), string(day))
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	return n == 1, err
}

// ReleaseDailyLease lets the day's lease go without a run (it failed), so
// that any instance may take it again at once.
func (s *DB) ReleaseDailyLease(ctx context.Context, name, holder string, day domain.Date, now time.Time) error {
	return s.Write(ctx, func(t *Tx) error {
		_, err := t.Exec(ctx, `UPDATE daily_leases SET expires_at = ? WHERE name = ? AND holder = ? AND day = ? AND done_day < ?`,
			TS(now), name, holder, string(day), string(day))
		return err
	})
}

// GetDailyLease returns the record of the job name (zero before its first
// lease).
func (s *DB) GetDailyLease(ctx context.Context, name string) (DailyLease, error) {
	l := DailyLease{Name: name}
	var day, done, expires, doneAt string
	err := s.QueryRow(ctx, `SELECT holder, day, expires_at, done_day, done_by, done_at, runs FROM daily_leases WHERE name = ?`, name).
		Scan(&l.Holder, &day, &expires, &done, &l.DoneBy, &doneAt, &l.Runs)
	if errors.Is(err, sql.ErrNoRows) {
		return l, nil
	}
	l.Day, l.DoneDay, l.ExpiresAt, l.DoneAt = domain.Date(day), domain.Date(done), ParseTS(expires), ParseTS(doneAt)
	return l, err
}
