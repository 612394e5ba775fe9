package auth

import (
	"github.com/lianxin/lianxin/internal/domain"

	"context"
	"fmt"
	"math"
	"net/netip"
	"runtime"
	"sync"
	"time"
)

// Flood control of the password routes (issue 11, finding 6). An argon2id
// check takes 64 MiB and most of a core for a tenth of a second: unbounded,
// a few dozen concurrent bogus logins exhaust the server's memory and every
// real login waits behind them. Two bounds:
//   - the HashGate lets at most as many hashes run as the machine has cores,
//     and a few more wait for a short while, the attempts of addresses that
//     have tried least first; beyond that an attempt is answered at once,
//     without hashing (503 busy);
//   - the AddrLimiter gives each client address a bucket of attempts that
//     refills steadily (429 beyond it): one address cannot hold the gate,
//     while a whole office behind one NAT address still logs in at 8:30.
// Both are in memory per instance: they protect the instance's own CPU and
// memory. The lockout that must hold across instances lives in the database.

// AddrLimiter is a token bucket per client address: Burst attempts at once,
// refilled at PerMinute. IPv6 addresses count by their /64, which one
// subscriber holds whole.
type AddrLimiter struct {
	PerMinute int
	Burst     int
	// MaxAddrs bounds the addresses tracked; past it, full buckets (which
	// hold no state) are dropped, and if that is not enough, all of them.
	MaxAddrs int

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

// Allow takes one attempt from addr's bucket at now, or reports how long
// until the next one is available.
func (l *AddrLimiter) Allow(addr string, now time.Time) (bool, time.Duration) {
	_, ok, retry := l.Take(addr, now)
	return ok, retry
}

// Take is Allow that also returns the attempts left in the bucket.
func (l *AddrLimiter) Take(addr string, now time.Time) (left float64, ok bool, retry time.Duration) {
	key := addrKey(addr)
	rate := float64(l.PerMinute) / 60 // tokens per second
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buckets == nil {
		l.buckets = map[string]*bucket{}
	}
	b, ok := l.buckets[key]
	if !ok {
		l.prune(now, rate)
		b = &bucket{tokens: float64(l.Burst), at: now}
		l.buckets[key] = b
	}
	if now.After(b.at) {
		b.tokens = math.Min(float64(l.Burst), b.tokens+now.Sub(b.at).Seconds()*rate)
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return b.tokens, true, 0
	}
	if rate <= 0 {
		return 0, false, time.Hour
	}
	return 0, false, time.Duration((1 - b.tokens) / rate * float64(time.Second))
}

// Tracked is the number of addresses with a bucket.
func (l *AddrLimiter) Tracked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

func (l *AddrLimiter) prune(now time.Time, rate float64) {
	if l.MaxAddrs <= 0 || len(l.buckets) < l.MaxAddrs {
		return
	}
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*rate >= float64(l.Burst) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.MaxAddrs {
		clear(l.buckets)
	}
}

// addrKey is the bucket of an address: itself, or its /64 for IPv6.
func addrKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

// Throttle is the flood control Login, Activate and the password change
// share. A nil Throttle lets everything through (tests and tools).
type Throttle struct {
	Gate     *HashGate
	Attempts *AddrLimiter
}

// ThrottleConfig sizes a Throttle.
type ThrottleConfig struct {
	Width     int           // hashes at once; default GOMAXPROCS
	Queue     int           // hashes waiting; default 8 × Width
	Wait      time.Duration // longest wait in the queue; default 2 s
	PerMinute int           // attempts per address and minute; default 60
	Burst     int           // attempts an address may make at once; default PerMinute
}

// NewThrottle returns a Throttle, with defaults for zero fields. The
// defaults let 60 people behind one NAT address log in within a minute and
// one every second after; a flood from one address hashes once a second.
func NewThrottle(c ThrottleConfig) *Throttle {
	if c.Width <= 0 {
		c.Width = runtime.GOMAXPROCS(0)
	}
	if c.Queue <= 0 {
		c.Queue = 8 * c.Width
	}
	if c.Wait <= 0 {
		c.Wait = 2 * time.Second
	}
	if c.PerMinute <= 0 {
		c.PerMinute = 60
	}
	if c.Burst <= 0 {
		c.Burst = c.PerMinute
	}
	return &Throttle{Gate: NewHashGate(c.Width, c.Queue, c.Wait),
		Attempts: &AddrLimiter{PerMinute: c.PerMinute, Burst: c.Burst, MaxAddrs: 100_000}}
}

// signedIn is the standing of a signed-in caller's password check (the
// password change): ahead of every anonymous attempt.
var signedIn = math.Inf(1)

// Admit takes one attempt of the address at now (429 beyond its bucket)
// and returns its standing in the hashing queue: the attempts the address
// has left, so that a real user's login goes before a flood's.
func (t *Throttle) Admit(addr string, now time.Time) (float64, error) {
	if t == nil || t.Attempts == nil {
		return 0, nil
	}
	left, ok, retry := t.Attempts.Take(addr, now)
	if ok {
		return left, nil
	}
	e := &domain.LimitError{Limit: domain.LimitRate, RetryAfter: retry}
	e.Message = fmt.Sprintf("登录尝试过于频繁，请 %d 秒后再试", e.RetrySeconds())
	return 0, e
}

// enter takes a hashing slot (see HashGate.Enter).
func (t *Throttle) enter(ctx context.Context, standing float64) (func(), error) {
	if t == nil || t.Gate == nil {
		return func() {}, nil
	}
	return t.Gate.Enter(ctx, standing)
}

// checkPassword is CheckPassword through the gate.
func (s *Service) checkPassword(ctx context.Context, standing float64, pw, encoded string) (bool, error) {
	leave, err := s.Throttle.enter(ctx, standing)
	if err != nil {
		return false, err
	}
	defer leave()
	return CheckPassword(pw, encoded)
}

// hashPassword is HashPassword through the gate.
func (s *Service) hashPassword(ctx context.Context, standing float64, pw string) (string, error) {
	leave, err := s.Throttle.enter(ctx, standing)
	if err != nil {
		return "", err
	}
	defer leave()
	return HashPassword(pw, s.Params)
}
