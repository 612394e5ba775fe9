package main

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
	leaseCoverage = "coverage_snapshot"
	leaseAlerts   = "alert_run"
)

// dailyJobs are the jobs every instance schedules and one instance runs
// each day (schedule.Daily): the coverage recomputation with its snapshot
// just after midnight in the city, then the alert evaluation at 01:00;
// each also at start when the day's is missing.
func dailyJobs(s *stores.Set, holder string, log *slog.Logger) []*schedule.Daily {
	coverage := &schedule.Daily{Name: leaseCoverage, At: 5 * time.Minute, Holder: holder, Store: s,
		Needed: func(ctx context.Context, now time.Time, day domain.Date) (bool, error) {
			stale, err := s.Registry.CoverageStale(ctx, now)
			if err != nil || stale {
				return true, err
			}
			has, err := s.Coverage.HasCoverageSnapshot(ctx, day)
			return !has, err
		},
		Run: func(ctx context.Context, now time.Time, day domain.Date) error {
			_, err := dailyCoverage(ctx, s, store.System(now, "coverage-job"))
			return err
		}}
	alerts := &schedule.Daily{Name: leaseAlerts, At: time.Hour, Holder: holder, Store: s,
		Needed: func(ctx context.Context, now time.Time, day domain.Date) (bool, error) {
			last, err := s.Alerts.LastAlertRun(ctx)
			return err == nil && (last == nil || last.AsOf < day), err
		},
		Run: func(ctx context.Context, now time.Time, day domain.Date) error {
			return runAlerts(ctx, s, log, now, day, alerts.RunSchedule)
		}}
	return []*schedule.Daily{coverage, alerts}
}

// runAlerts evaluates the rules as of day and logs what changed; a day
// behind the last evaluation (another instance evaluated a later day) is
// no failure.
func runAlerts(ctx context.Context, s *stores.Set, log *slog.Logger, now time.Time, day domain.Date, cause string) error {
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
			if err := runAlerts(ctx, s, log, now(), domain.DateOf(now()), alerts.RunImport); err != nil && ctx.Err() == nil {
				log.Warn("alert evaluation", "err", err)
			}
		}
	}
}
