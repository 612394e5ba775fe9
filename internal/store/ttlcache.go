package store

import (
	"sync"
	"time"
)

// ttlCache keeps values read from the database for a short while on the
// hottest paths: a session with its account (every request) and an
// activity's check-in facts (every check-in). Writes through this instance
// clear it at once; another instance's writes are seen within cacheTTL.
// That bound is the price of the check-in throughput, and it is stated in
// docs/ARCHITECTURE.md.
type TTLCache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]ttlEntry[V]
}

type ttlEntry[V any] struct {
	v  V
	at time.Time
}

// cacheTTL bounds the age of a cached value.
const cacheTTL = time.Second

// maxCached bounds a cache's entries; past it the cache starts over.
const maxCached = 100000

func (c *TTLCache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || time.Since(e.at) > cacheTTL {
		var zero V
		return zero, false
	}
	return e.v, true
}

func (c *TTLCache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCached {
		c.m = map[K]ttlEntry[V]{}
	}
	c.m[k] = ttlEntry[V]{v, time.Now()}
}

func (c *TTLCache[K, V]) Clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

func (c *TTLCache[K, V]) Del(k K) {
	c.mu.Lock()
	delete(c.m, k)
	c.mu.Unlock()
}
