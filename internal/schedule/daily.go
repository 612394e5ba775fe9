// Package schedule runs the server's daily jobs once a day across every
// instance that shares the database: each run is decided by a lease in the
// database (store.TakeDailyLease), never by the instance's own memory, and
// every decision takes the time as an argument so that it can be tested at
// any instant.
package schedule

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// Defaults of a Daily job.
const (
	// DefaultTTL bounds one run: past it the holder is taken for dead and
	// another instance may run the day (a city's coverage run takes about a
	// minute).
	DefaultTTL = 30 * time.Minute
	// DefaultRetry is how often an instance looks again for a day whose run
	// is not done (its holder died or failed).
	DefaultRetry = 10 * time.Minute
)

// Daily is a job run once a day: on start when the day's work is not done,
// and from At (time of day, Asia/Shanghai) on.
type Daily struct {
	Name   string        // the lease's name
	At     time.Duration // time of day from which the day's run is due
	Holder string        // this process, unique among instances (see Holder)
	Store  *stores.Set
	// Needed reports whether the day's work is still to do (a command-line
	// run may have done it); nil: always.
	Needed func(ctx context.Context, now time.Time, day domain.Date) (bool, error)
	Run    func(ctx context.Context, now time.Time, day domain.Date) error
	TTL    time.Duration // default DefaultTTL
	Retry  time.Duration // default DefaultRetry
}

// Holder names this process for leases: the instance's name and a random
// suffix, so that a restarted instance is not taken for its dead self.
func Holder(instance string) string {
	b := make([]byte, 4)
	rand.Read(b)
	return instance + "#" + hex.EncodeToString(b)
}

// Due returns the day whose run is due at now, if any: today once At has
// passed, or at start (a server started at any hour catches up the day).
func (d *Daily) Due(now time.Time, start bool) (domain.Date, bool) {
	t := now.In(domain.Shanghai)
	midnight := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, domain.Shanghai)
	if !start && t.Before(midnight.Add(d.At)) {
		return "", false
	}
	return domain.DateOf(t), true
}

// Next returns when to tick after now: the next At, or sooner, every
// Retry, to take over a day whose holder died.
func (d *Daily) Next(now time.Time) time.Time {
	t := now.In(domain.Shanghai)
	at := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, domain.Shanghai).Add(d.At)
	if !at.After(t) {
		at = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, domain.Shanghai).Add(d.At)
	}
	if r := now.Add(d.retry()); r.Before(at) {
		return r
	}
	return at
}

func (d *Daily) retry() time.Duration {
	if d.Retry > 0 {
		return d.Retry
	}
	return DefaultRetry
}

func (d *Daily) ttl() time.Duration {
	if d.TTL > 0 {
		return d.TTL
	}
	return DefaultTTL
}

// Tick runs the due day's job unless some instance has done it or is
// doing it, and reports whether this call ran it. A failed run lets the
// lease go so that the next tick of any instance tries again.
func (d *Daily) Tick(ctx context.Context, now time.Time, start bool) (bool, error) {
	day, due := d.Due(now, start)
	if !due {
		return false, nil
	}
	ok, err := d.Store.TakeDailyLease(ctx, d.Name, d.Holder, day, now, d.ttl())
	if err != nil || !ok {
		return false, err
	}
	needed := true
	if d.Needed != nil {
		needed, err = d.Needed(ctx, now, day)
	}
	if err == nil && needed {
		err = d.Run(ctx, now, day)
	}
	if err != nil {
		// The run's own error matters; a failed release only delays the
		// retry until the lease expires.
		_ = d.Store.ReleaseDailyLease(context.WithoutCancel(ctx), d.Name, d.Holder, day, now)
		return false, err
	}
	_, err = d.Store.FinishDailyLease(ctx, d.Name, d.Holder, day, now, needed)
	return needed, err
}

// Loop ticks at start, then at Next, until ctx ends.
func (d *Daily) Loop(ctx context.Context, now func() time.Time, log *slog.Logger) {
	tick := func(start bool) {
		ran, err := d.Tick(ctx, now(), start)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("daily job", "job", d.Name, "err", err)
		case ran:
			log.Info("daily job ran", "job", d.Name, "holder", d.Holder)
		}
	}
	tick(true)
	for {
		t := now()
		timer := time.NewTimer(d.Next(t).Sub(t))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
			tick(false)
		}
	}
}
