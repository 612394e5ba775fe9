package app_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/app"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/schedule"
)

func TestOptionsRefuseAQueueSmallerThanAFile(t *testing.T) {
	_, err := app.New(context.Background(), nil, app.Options{DataDir: t.TempDir(), ImportMaxMB: 80, ImportQueueMB: 60})
	if err == nil || !strings.Contains(err.Error(), "--import-queue-mb") {
		t.Fatalf("New = %v, want the queue bound refused", err)
	}
}

// The daily jobs are due on a fresh day, run, and are then no longer
// needed that day; the next day they are due again.
func TestDailyJobsOnTheirDays(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		log := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
		jobs := app.DailyJobs(e.Store, schedule.Holder("test"), log)
		if len(jobs) != 2 || jobs[0].Name != app.LeaseCoverage || jobs[1].Name != app.LeaseAlerts {
			t.Fatalf("jobs: %+v", jobs)
		}
		for _, day := range []time.Time{e.Now().Add(24 * time.Hour), e.Now().Add(48 * time.Hour)} {
			d := domain.DateOf(day)
			for _, j := range jobs {
				need, err := j.Needed(ctx, day, d)
				if err != nil || !need {
					t.Fatalf("%s on %s: needed %v, %v; want due", j.Name, d, need, err)
				}
				if err := j.Run(ctx, day, d); err != nil {
					t.Fatalf("%s on %s: %v", j.Name, d, err)
				}
				if need, err := j.Needed(ctx, day, d); err != nil || need {
					t.Fatalf("%s on %s after its run: needed %v, %v", j.Name, d, need, err)
				}
			}
		}
		last, err := e.Store.Alerts.LastAlertRun(ctx)
		if err != nil || last == nil || last.AsOf != domain.DateOf(e.Now().Add(48*time.Hour)) {
			t.Fatalf("last alert run %+v, %v", last, err)
		}
	})
}

// A session idle past the security setting's timeout is purged: the
// client is logged out.
func TestPurgeSessionsLogsOutTheIdle(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		c := e.Login("jinjiang")
		if r := c.Do("GET", "/api/v1/me", nil); r.Status != 200 {
			t.Fatalf("session: %d", r.Status)
		}
		ctx := context.Background()
		if err := app.PurgeSessions(ctx, e.Store, e.Now()); err != nil {
			t.Fatal(err)
		}
		if r := c.Do("GET", "/api/v1/me", nil); r.Status != 200 {
			t.Fatalf("a fresh session was purged: %d", r.Status)
		}
		st, err := e.Store.SecuritySettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		later := e.Now().Add(time.Duration(st.IdleTimeoutMinutes+1) * time.Minute)
		if err := app.PurgeSessions(ctx, e.Store, later); err != nil {
			t.Fatal(err)
		}
		if r := c.Do("GET", "/api/v1/me", nil); r.Status != 401 {
			t.Fatalf("an idle session survived the purge: %d", r.Status)
		}
	})
}

// A periodic job runs at its interval with the injected clock, logs a
// failure and goes on, and stops with its context.
func TestPeriodicLoop(t *testing.T) {
	var logs bytes.Buffer
	var runs atomic.Int32
	fixed := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	var seen atomic.Value
	p := &app.Periodic{Name: "probe", Every: 5 * time.Millisecond, Log: slog.New(slog.NewTextHandler(&logs, nil)),
		Run: func(ctx context.Context, now time.Time) error {
			seen.Store(now)
			if runs.Add(1) == 1 {
				return errors.New("first run fails")
			}
			return nil
		}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Loop(ctx, func() time.Time { return fixed }); close(done) }()
	for runs.Load() < 3 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if got := seen.Load().(time.Time); !got.Equal(fixed) {
		t.Errorf("the job saw %v, want the injected clock's %v", got, fixed)
	}
	if !strings.Contains(logs.String(), "first run fails") {
		t.Errorf("the failure was not logged: %q", logs.String())
	}
}
