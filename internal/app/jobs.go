package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/schedule"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/alerts"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// Lease names of the daily jobs (daily_leases.name).
const (
	LeaseCoverage = "coverage_snapshot"
	LeaseAlerts   = "alert_run"
)

// DailyJobs are the jobs every instance schedules and one instance runs
// each day (schedule.Daily): the coverage recomputation with its snapshot
// just after midnight in the city, then the alert evaluation at 01:00;
// each also at start when the day's is missing.
func DailyJobs(s *stores.Set, holder string, log *slog.Logger) []*schedule.Daily {
	coverage := &schedule.Daily{Name: LeaseCoverage, At: 5 * time.Minute, Holder: holder, Store: s,
		Needed: func(ctx context.Context, now time.Time, day domain.Date) (bool, error) {
			stale, err := s.Registry.CoverageStale(ctx, now)
			if err != nil || stale {
				return true, err
			}
			has, err := s.Coverage.HasCoverageSnapshot(ctx, day)
			return !has, err
		},
		Run: func(ctx context.Context, now time.Time, day domain.Date) error {
			_, err := DailyCoverage(ctx, s, store.System(now, "coverage-job"))
			return err
		}}
	alertRun := &schedule.Daily{Name: LeaseAlerts, At: time.Hour, Holder: holder, Store: s,
		Needed: func(ctx context.Context, now time.Time, day domain.Date) (bool, error) {
			last, err := s.Alerts.LastAlertRun(ctx)
			return err == nil && (last == nil || last.AsOf < day), err
		},
		Run: func(ctx context.Context, now time.Time, day domain.Date) error {
			return RunAlerts(ctx, s, log, now, day, alerts.RunSchedule)
		}}
	return []*schedule.Daily{coverage, alertRun}
}

// DailyCoverage is the daily coverage job: recompute every organization
// (states move with dates), then record the day's snapshot. It returns the
// snapshot's node count.
func DailyCoverage(ctx context.Context, s *stores.Set, c store.Caller) (int, error) {
	if err := s.Registry.RefreshCoverage(ctx, c.Now, nil); err != nil {
		return 0, err
	}
	return s.Coverage.WriteCoverageSnapshot(ctx, c)
}

// RunAlerts evaluates the rules as of day and logs what changed; a day
// behind the last evaluation (another instance evaluated a later day) is
// no failure.
func RunAlerts(ctx context.Context, s *stores.Set, log *slog.Logger, now time.Time, day domain.Date, cause string) error {
	sum, err := s.Alerts.RunAlerts(ctx, store.System(now, "alert-job"), day, cause)
	if errors.Is(err, alerts.ErrRunBehind) {
		return nil
	}
	if err != nil {
		return err
	}
	log.Info("alerts evaluated", "as_of", day, "cause", cause, "raised", sum.Raised, "closed", sum.Closed, "open", sum.OpenTotal, "ms", int(sum.Millis))
	return nil
}

// alertsAfterImports re-evaluates the alerts shortly after an import of
// this instance changed rows (kick, coalesced): not a daily job, so not
// leased; the engine's row lock serializes it with the other instances'.
func alertsAfterImports(ctx context.Context, s *stores.Set, log *slog.Logger, now func() time.Time, kick <-chan struct{}) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-kick:
			if err := RunAlerts(ctx, s, log, now(), domain.DateOf(now()), alerts.RunImport); err != nil && ctx.Err() == nil {
				log.Warn("alert evaluation", "err", err)
			}
		}
	}
}

// Periodic is a job every instance runs on its own at an interval: work
// that is harmless to repeat (purging what expired, an SQLite's upkeep).
type Periodic struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context, now time.Time) error
	Log   *slog.Logger
}

// Loop runs the job every Every until ctx ends; a failure is logged and the
// next tick tries again.
func (p *Periodic) Loop(ctx context.Context, now func() time.Time) {
	t := time.NewTicker(p.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := p.Run(ctx, now()); err != nil && ctx.Err() == nil {
				p.Log.Warn(p.Name, "err", err)
			}
		}
	}
}

// PeriodicJobs are the sessions' purge (every ten minutes: expired and idle
// sessions, login failure counts untouched for a day and locking nothing)
// and the database's upkeep (hourly; store.DB.Upkeep, nothing on PostgreSQL).
func PeriodicJobs(s *stores.Set, log *slog.Logger) []*Periodic {
	return []*Periodic{
		{Name: "purge sessions", Every: 10 * time.Minute, Log: log, Run: func(ctx context.Context, now time.Time) error {
			return PurgeSessions(ctx, s, now)
		}},
		{Name: "sqlite upkeep", Every: time.Hour, Log: log, Run: func(ctx context.Context, _ time.Time) error {
			return s.Upkeep(ctx)
		}},
	}
}

// PurgeSessions removes the sessions expired or idle at now (the idle
// timeout is a security setting) and the login failure counts untouched for
// a day that lock nothing.
func PurgeSessions(ctx context.Context, s *stores.Set, now time.Time) error {
	st, err := s.SecuritySettings(ctx)
	if err != nil {
		return err
	}
	if _, err := s.Accounts.PurgeSessions(ctx, now, now.Add(-time.Duration(st.IdleTimeoutMinutes)*time.Minute)); err != nil {
		return err
	}
	_, err = s.Accounts.PurgeLoginFailures(ctx, now, now.Add(-24*time.Hour))
	return err
}
