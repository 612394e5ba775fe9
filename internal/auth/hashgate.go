package auth

import (
	"github.com/lianxin/lianxin/internal/domain"

	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// HashGate bounds concurrent password hashing: width hashes at once and
// queue more waiting, each for at most wait; anything beyond is answered
// busy at once. The queue is ordered by standing, then arrival: an attempt
// from an address that has tried little (a real user) goes before those of
// an address that keeps trying (a flood), and when the queue is full it
// takes the place of the lowest-standing waiter, which is answered busy.
type HashGate struct {
	width int
	queue int
	wait  time.Duration

	mu      sync.Mutex
	running int
	waiters []*waiter // best first: higher standing, then earlier
	seq     uint64
}

type waiter struct {
	standing float64
	seq      uint64
	ready    chan error // nil: the slot is this waiter's; else it was displaced
	queued   bool
}

// NewHashGate returns a gate; width is at least 1, queue at least 0.
func NewHashGate(width, queue int, wait time.Duration) *HashGate {
	return &HashGate{width: max(1, width), queue: max(0, queue), wait: wait}
}

// Waiting is the number of attempts waiting for a slot.
func (g *HashGate) Waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.waiters)
}

// Enter takes a slot for an attempt of the given standing, waiting in the
// queue when all are taken. It fails with a domain.LimitBusy error when the
// queue is full of attempts standing as high or higher, when it is
// displaced, or when its wait runs out; with ctx's error when the client
// goes away. leave gives the slot back (to the best waiter, if any).
func (g *HashGate) Enter(ctx context.Context, standing float64) (leave func(), err error) {
	g.mu.Lock()
	if g.running < g.width && len(g.waiters) == 0 {
		g.running++
		g.mu.Unlock()
		return g.leave, nil
	}
	if len(g.waiters) >= g.queue {
		last := len(g.waiters) - 1
		if last < 0 || g.waiters[last].standing >= standing {
			g.mu.Unlock()
			return nil, g.busy()
		}
		low := g.waiters[last]
		g.waiters, low.queued = g.waiters[:last], false
		low.ready <- g.busy()
	}
	g.seq++
	w := &waiter{standing: standing, seq: g.seq, ready: make(chan error, 1), queued: true}
	i, _ := slices.BinarySearchFunc(g.waiters, w, func(a, b *waiter) int {
		switch {
		case a.standing > b.standing || a.standing == b.standing && a.seq < b.seq:
			return -1
		case a == b:
			return 0
		}
		return 1
	})
	g.waiters = slices.Insert(g.waiters, i, w)
	g.mu.Unlock()

	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	var gone error
	select {
	case err := <-w.ready:
		if err != nil {
			return nil, err
		}
		return g.leave, nil
	case <-timer.C:
		gone = g.busy()
	case <-ctx.Done():
		gone = ctx.Err()
	}
	g.mu.Lock()
	if w.queued {
		g.waiters = slices.DeleteFunc(g.waiters, func(x *waiter) bool { return x == w })
		w.queued = false
		g.mu.Unlock()
		return nil, gone
	}
	g.mu.Unlock()
	// Handed a slot or displaced just as the wait ended.
	if err := <-w.ready; err != nil {
		return nil, err
	}
	g.leave()
	return nil, gone
}

// leave passes the slot to the best waiter, or frees it.
func (g *HashGate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.waiters) == 0 {
		g.running--
		return
	}
	w := g.waiters[0]
	g.waiters, w.queued = g.waiters[1:], false
	w.ready <- nil
}

// busyRetry is when a refused attempt should come again: a queue full now
// drains within a few seconds.
const busyRetry = 3 * time.Second

func (g *HashGate) busy() *domain.LimitError {
	return &domain.LimitError{Limit: domain.LimitBusy, RetryAfter: busyRetry,
		Message: fmt.Sprintf("当前登录人数过多，服务器繁忙，请 %d 秒后再试", int(busyRetry/time.Second))}
}
