package auth

import (
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
	var te *ThrottleError
	return errors.As(err, &te) && te.Busy && te.RetrySeconds() >= 1 && te.Message != ""
}

// TestHashGate: width slots at once, queue more waiting in arrival order,
// anything beyond answered busy at once; a full wait runs out busy; a
// client that goes away leaves the queue.
func TestHashGate(t *testing.T) {
	g := NewHashGate(2, 2, time.Hour)
	ctx := context.Background()
	var leaves []func()
	for i := 0; i < 2; i++ {
		leave, err := g.Enter(ctx)
		if err != nil {
			t.Fatalf("slot %d: %v", i, err)
		}
		leaves = append(leaves, leave)
	}
	// Two wait, in order.
	order := make(chan int, 2)
	for i := 0; i < 2; i++ {
		go func() {
			leave, err := g.Enter(ctx)
			if err != nil {
				order <- -1
				return
			}
			order <- i
			leave()
		}()
		waitFor(t, func() bool { return g.Waiting() == i+1 })
	}
	// The queue is full: the fifth is refused without waiting.
	if _, err := g.Enter(ctx); !busy(err) {
		t.Fatalf("beyond the queue: %v, want busy", err)
	}
	if g.Waiting() != 2 {
		t.Fatalf("a refused attempt stayed in the queue: %d waiting", g.Waiting())
	}
	leaves[0]()
	if first := <-order; first != 0 {
		t.Fatalf("the queue is served out of order: %d first", first)
	}
	if second := <-order; second != 1 {
		t.Fatalf("second: %d", second)
	}
	leaves[1]()
	// Free again: enters at once, twice.
	for i := 0; i < 2; i++ {
		leave, err := g.Enter(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer leave()
	}

	// A wait that runs out answers busy; a client gone answers its error.
	short := NewHashGate(1, 1, time.Millisecond)
	hold, _ := short.Enter(ctx)
	if _, err := short.Enter(ctx); !busy(err) {
		t.Fatalf("wait ran out: %v, want busy", err)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	long := NewHashGate(1, 1, time.Hour)
	holdLong, _ := long.Enter(ctx)
	if _, err := long.Enter(gone); !errors.Is(err, context.Canceled) {
		t.Fatalf("client gone: %v", err)
	}
	if long.Waiting() != 0 || short.Waiting() != 0 {
		t.Fatalf("waiting after leaving: %d %d", long.Waiting(), short.Waiting())
	}
	hold()
	holdLong()
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
	th := NewThrottle(ThrottleConfig{PerMinute: 2, Burst: 1})
	if th.Gate == nil || cap(th.Gate.slots) != runtime.GOMAXPROCS(0) || th.Gate.queue != int64(8*runtime.GOMAXPROCS(0)) {
		t.Fatalf("gate not sized by the machine: %+v", th.Gate)
	}
	now := time.Date(2026, 11, 27, 0, 30, 0, 0, time.UTC)
	if err := th.Admit("10.0.0.1", now); err != nil {
		t.Fatal(err)
	}
	err := th.Admit("10.0.0.1", now)
	var te *ThrottleError
	if !errors.As(err, &te) || te.Busy || te.RetrySeconds() != 30 || te.Message != "登录尝试过于频繁，请 30 秒后再试" {
		t.Fatalf("second attempt: %#v", err)
	}
	var none *Throttle
	if err := none.Admit("10.0.0.1", now); err != nil {
		t.Fatal("a nil throttle refused")
	}
}
