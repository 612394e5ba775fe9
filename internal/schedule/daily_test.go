package schedule

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

func sh(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDueAndNext(t *testing.T) {
	d := &Daily{At: time.Hour, Retry: 10 * time.Minute}
	for _, c := range []struct {
		now   string
		start bool
		day   domain.Date
		due   bool
		next  string
	}{
		{"2026-03-10 00:30", false, "", false, "2026-03-10 00:40"},
		{"2026-03-10 00:30", true, "2026-03-10", true, "2026-03-10 00:40"},
		{"2026-03-10 00:55", false, "", false, "2026-03-10 01:00"},
		{"2026-03-10 01:00", false, "2026-03-10", true, "2026-03-10 01:10"},
		{"2026-03-10 23:55", false, "2026-03-10", true, "2026-03-11 00:05"},
	} {
		day, due := d.Due(sh(c.now), c.start)
		if day != c.day || due != c.due {
			t.Errorf("Due(%s, start=%v) = %s %v, want %s %v", c.now, c.start, day, due, c.day, c.due)
		}
		if got := d.Next(sh(c.now)); !got.Equal(sh(c.next)) {
			t.Errorf("Next(%s) = %s, want %s", c.now, got.In(domain.Shanghai).Format("2006-01-02 15:04"), c.next)
		}
	}
	// A day's At still ahead is the next tick when no retry comes sooner.
	d.Retry = 24 * time.Hour
	if got := d.Next(sh("2026-03-10 00:30")); !got.Equal(sh("2026-03-10 01:00")) {
		t.Errorf("Next without retry: %s", got)
	}
	if got := d.Next(sh("2026-03-10 01:00")); !got.Equal(sh("2026-03-11 01:00")) {
		t.Errorf("Next at At: %s", got)
	}
}

func engines(t *testing.T, fn func(t *testing.T, a, b *stores.Set)) {
	for _, eng := range storetest.Engines() {
		t.Run(eng, func(t *testing.T) {
			a, b := storetest.OpenTwice(t, eng)
			fn(t, a, b)
		})
	}
}

// TestTwoInstancesRaceForOneDay: two schedulers on two connections tick at
// once for the same day, at start and again later; the job runs once.
func TestTwoInstancesRaceForOneDay(t *testing.T) {
	engines(t, func(t *testing.T, a, b *stores.Set) {
		var runs atomic.Int32
		job := func(s *stores.Set, holder string) *Daily {
			return &Daily{Name: "race", At: time.Hour, Holder: holder, Store: s,
				Run: func(ctx context.Context, now time.Time, day domain.Date) error { runs.Add(1); return nil }}
		}
		ja, jb := job(a, "a#1"), job(b, "b#1")
		now := sh("2026-03-10 00:20")
		for round := 0; round < 5; round++ {
			var wg sync.WaitGroup
			ran := make([]bool, 2)
			errs := make([]error, 2)
			for i, j := range []*Daily{ja, jb} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ran[i], errs[i] = j.Tick(t.Context(), now, round == 0)
				}()
			}
			wg.Wait()
			if errs[0] != nil || errs[1] != nil {
				t.Fatal(errs)
			}
			if round == 0 && ran[0] == ran[1] {
				t.Fatalf("start: ran %v, want exactly one", ran)
			}
			now = now.Add(40 * time.Minute) // past At, then on through the day
		}
		l, err := a.GetDailyLease(t.Context(), "race")
		if err != nil || runs.Load() != 1 || l.Runs != 1 || l.DoneDay != "2026-03-10" {
			t.Fatalf("runs %d, lease %+v %v", runs.Load(), l, err)
		}
		// The next day runs again, once.
		next := sh("2026-03-11 01:30")
		ra, _ := ja.Tick(t.Context(), next, false)
		rb, _ := jb.Tick(t.Context(), next, false)
		if ra == rb || runs.Load() != 2 {
			t.Fatalf("next day: %v %v, runs %d", ra, rb, runs.Load())
		}
	})
}

// TestDeadHolderIsTakenOver: an instance that took the day and died holds it
// until the lease expires; then another instance runs the day. A failed
// run lets the day go at once.
func TestDeadHolderIsTakenOver(t *testing.T) {
	engines(t, func(t *testing.T, a, b *stores.Set) {
		now := sh("2026-03-10 02:00")
		if ok, err := a.TakeDailyLease(t.Context(), "job", "dead#1", "2026-03-10", now, time.Hour); !ok || err != nil {
			t.Fatalf("take: %v %v", ok, err)
		}
		var runs int
		fail := errors.New("boom")
		var err error
		j := &Daily{Name: "job", At: time.Hour, Holder: "b#1", Store: b, TTL: time.Hour,
			Run: func(ctx context.Context, now time.Time, day domain.Date) error { runs++; return err }}
		if ran, e := j.Tick(t.Context(), now.Add(30*time.Minute), false); ran || e != nil || runs != 0 {
			t.Fatalf("ran under a live lease: %v %v %d", ran, e, runs)
		}
		err = fail
		if ran, e := j.Tick(t.Context(), now.Add(time.Hour), false); ran || !errors.Is(e, fail) || runs != 1 {
			t.Fatalf("after expiry, failing: %v %v %d", ran, e, runs)
		}
		err = nil
		if ran, e := j.Tick(t.Context(), now.Add(time.Hour+time.Minute), false); !ran || e != nil || runs != 2 {
			t.Fatalf("retry after a failure: %v %v %d", ran, e, runs)
		}
		l, _ := b.GetDailyLease(t.Context(), "job")
		if l.DoneBy != "b#1" || l.Runs != 1 || l.DoneDay != "2026-03-10" {
			t.Fatalf("lease %+v", l)
		}
		// The dead holder coming back cannot record the day a second time.
		if ok, _ := a.FinishDailyLease(t.Context(), "job", "dead#1", "2026-03-10", now.Add(2*time.Hour), true); ok {
			t.Fatal("a stale holder finished the day")
		}
	})
}

// TestNotNeededIsDoneWithoutRun: a day whose work was done by other means
// (a command-line run) is recorded done without running.
func TestNotNeededIsDoneWithoutRun(t *testing.T) {
	engines(t, func(t *testing.T, a, b *stores.Set) {
		runs := 0
		j := &Daily{Name: "job", At: time.Hour, Holder: "a#1", Store: a,
			Needed: func(ctx context.Context, now time.Time, day domain.Date) (bool, error) { return false, nil },
			Run:    func(ctx context.Context, now time.Time, day domain.Date) error { runs++; return nil }}
		if ran, err := j.Tick(t.Context(), sh("2026-03-10 09:00"), true); ran || err != nil || runs != 0 {
			t.Fatalf("%v %v %d", ran, err, runs)
		}
		l, _ := b.GetDailyLease(t.Context(), "job")
		if l.DoneDay != "2026-03-10" || l.Runs != 0 {
			t.Fatalf("lease %+v", l)
		}
	})
}
