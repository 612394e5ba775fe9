package auth

import (
	"github.com/lianxin/lianxin/internal/domain"

	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// waitFor spins until cond holds (a goroutine reached a known state); it
// asserts nothing about time.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		if i > 10_000_000 {
			t.Fatal("condition never reached")
		}
		runtime.Gosched()
	}
}

func busy(err error) bool {
	var te *domain.LimitError
	return errors.As(err, &te) && te.Limit == domain.LimitBusy && te.RetrySeconds() >= 1 && te.Message != ""
}

// TestHashGate: width slots at once, queue more waiting, best standing
// first and in arrival order among equals; a full queue refuses at once an
// attempt standing no higher than its last, and gives the place of its
// last to one standing higher; a wait runs out busy; a client that goes
// away leaves the queue.
func TestHashGate(t *testing.T) {
	g := NewHashGate(2, 3, time.Hour)
	ctx := context.Background()
	var leaves []func()
	for i := 0; i < 2; i++ {
		leave, err := g.Enter(ctx, 0)
		if err != nil {
			t.Fatalf("slot %d: %v", i, err)
		}
		leaves = append(leaves, leave)
	}
	type outcome struct {
		name string
		err  error
	}
	got := make(chan outcome, 8)
	wait := func(name string, standing float64, queued int) {
		go func() {
			leave, err := g.Enter(ctx, standing)
			got <- outcome{name, err}
			if err == nil {
				leave()
			}
		}()
		waitFor(t, func() bool { return g.Waiting() == queued })
	}
	wait("a", 1, 1)
	wait("b", 5, 2)
	wait("c", 1, 3) // after a: same standing, later
	// Full of attempts standing 1 or more: another of standing 1 is refused at once.
	if _, err := g.Enter(ctx, 1); !busy(err) {
		t.Fatalf("beyond the queue: %v, want busy", err)
	}
	// One standing higher takes the place of the last (c), which is answered busy.
	wait("d", 3, 3)
	if o := <-got; o.name != "c" || !busy(o.err) {
		t.Fatalf("displaced: %+v", o)
	}
	if g.Waiting() != 3 {
		t.Fatalf("%d waiting, want 3", g.Waiting())
	}
	// Slots go to b (5), d (3), a (1) in that order: each gives its slot
	// back at once, so one freed slot serves them all.
	leaves[0]()
	for _, want := range []string{"b", "d", "a"} {
		if o := <-got; o.name != want || o.err != nil {
			t.Fatalf("served %+v, want %s", o, want)
		}
	}
	leaves[1]()
	// Free again: enters at once, twice.
	for i := 0; i < 2; i++ {
		leave, err := g.Enter(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer leave()
	}

	// A wait that runs out answers busy; a client gone answers its error.
	short := NewHashGate(1, 1, time.Millisecond)
	hold, _ := short.Enter(ctx, 0)
	if _, err := short.Enter(ctx, 0); !busy(err) {
		t.Fatalf("wait ran out: %v, want busy", err)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	long := NewHashGate(1, 1, time.Hour)
	holdLong, _ := long.Enter(ctx, 0)
	if _, err := long.Enter(gone, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("client gone: %v", err)
	}
	if long.Waiting() != 0 || short.Waiting() != 0 {
		t.Fatalf("waiting after leaving: %d %d", long.Waiting(), short.Waiting())
	}
	hold()
	holdLong()
	// With no queue at all, a taken slot means busy.
	none := NewHashGate(1, 0, time.Hour)
	h, _ := none.Enter(ctx, 0)
	if _, err := none.Enter(ctx, 100); !busy(err) {
		t.Fatalf("no queue: %v", err)
	}
	h()
}

// TestAddrLimiter: a burst per address, refilled at the rate; addresses
// are independent; IPv6 counts by /64; the tracked set stays bounded.
func TestAddrLimiter(t *testing.T) {
	l := &AddrLimiter{PerMinute: 6, Burst: 3, MaxAddrs: 4}
	t0 := time.Date(2026, 11, 27, 0, 30, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("10.0.0.1", t0); !ok {
			t.Fatalf("attempt %d of the burst refused", i+1)
		}
	}
	ok, retry := l.Allow("10.0.0.1", t0)
	if ok || retry != 10*time.Second {
		t.Fatalf("beyond the burst: %v, retry %s (want 10 s: 6 a minute)", ok, retry)
	}
	if ok, _ := l.Allow("10.0.0.2", t0); !ok {
		t.Fatal("another address refused")
	}
	if ok, _ := l.Allow("10.0.0.1", t0.Add(9*time.Second)); ok {
		t.Fatal("refilled too early")
	}
	if ok, _ := l.Allow("10.0.0.1", t0.Add(10*time.Second)); !ok {
		t.Fatal("not refilled after 10 s")
	}
	// A refill never exceeds the burst.
	later := t0.Add(time.Hour)
	for i := 0; i < 3; i++ {
		l.Allow("10.0.0.1", later)
	}
	if ok, _ := l.Allow("10.0.0.1", later); ok {
		t.Fatal("the bucket held more than its burst")
	}
	// One IPv6 subscriber (/64) is one bucket; another /64 is another.
	for i, a := range []string{"2001:db8:1:1::1", "2001:db8:1:1::2", "2001:db8:1:1:ffff::9"} {
		if ok, _ := l.Allow(a, t0); !ok {
			t.Fatalf("v6 attempt %d refused", i)
		}
	}
	if ok, _ := l.Allow("2001:db8:1:1::77", t0); ok {
		t.Fatal("a new address in the same /64 got a bucket of its own")
	}
	if ok, _ := l.Allow("2001:db8:1:2::1", t0); !ok {
		t.Fatal("another /64 refused")
	}
	// Bounded: full buckets are dropped when the limit is reached.
	for i := 0; i < 20; i++ {
		l.Allow("192.0.2."+string(rune('a'+i)), later)
		if n := l.Tracked(); n > 4 {
			t.Fatalf("%d addresses tracked, limit 4", n)
		}
	}
}

// TestThrottleAdmit: the 429's words and retry.
func TestThrottleAdmit(t *testing.T) {
	th := NewThrottle(ThrottleConfig{PerMinute: 2, Burst: 2})
	if th.Gate == nil || th.Gate.width != runtime.GOMAXPROCS(0) || th.Gate.queue != 8*runtime.GOMAXPROCS(0) {
		t.Fatalf("gate not sized by the machine: %+v", th.Gate)
	}
	now := time.Date(2026, 11, 27, 0, 30, 0, 0, time.UTC)
	// The standing is what the address has left: a second attempt stands lower.
	for want := 1.0; want >= 0; want-- {
		if standing, err := th.Admit("10.0.0.1", now); err != nil || standing != want {
			t.Fatalf("standing %v (%v), want %v", standing, err, want)
		}
	}
	_, err := th.Admit("10.0.0.1", now)
	var te *domain.LimitError
	if !errors.As(err, &te) || te.Limit != domain.LimitRate || te.RetrySeconds() != 30 || te.Message != "登录尝试过于频繁，请 30 秒后再试" {
		t.Fatalf("second attempt: %#v", err)
	}
	var none *Throttle
	if _, err := none.Admit("10.0.0.1", now); err != nil {
		t.Fatal("a nil throttle refused")
	}
}
