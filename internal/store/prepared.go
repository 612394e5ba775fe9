package store

import (
	"context"
	"database/sql"
	"sync"
)

// Prepared statements for the hottest paths (a session's resolution, a
// check-in): parsing the SQL costs modernc's SQLite more than running it
// (a quarter of a check-in's CPU before this cache). database/sql
// re-prepares a statement on each connection it meets, so one *sql.Stmt
// serves the whole pool. Only fixed query texts belong here; the cache
// never shrinks.
type stmtCache struct {
	mu sync.Mutex
	m  map[stmtKey]*sql.Stmt
}

type stmtKey struct {
	db *sql.DB
	q  string
}

func (s *DB) prepared(ctx context.Context, db *sql.DB, q string) (*sql.Stmt, error) {
	k := stmtKey{db, q}
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if st, ok := s.stmts.m[k]; ok {
		return st, nil
	}
	st, err := db.PrepareContext(ctx, s.D.Rebind(q))
	if err != nil {
		return nil, err
	}
	if s.stmts.m == nil {
		s.stmts.m = map[stmtKey]*sql.Stmt{}
	}
	s.stmts.m[k] = st
	return st, nil
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// Hot is the read pool as a querier whose statements are prepared once.
// Its statements are point reads by key that take microseconds; on SQLite
// they run detached from the request's cancellation (Detach).
func (s *DB) Hot() Querier { return hotPool{s} }

// Detach returns the context a hot statement runs with. On SQLite that is
// ctx without its cancellation: with a cancellable context database/sql
// starts a goroutine to watch each result set and the driver another to
// interrupt the statement, more work than a point read, while a read in WAL
// mode never waits for a lock and a write waits at most the busy timeout.
// On PostgreSQL a statement can wait for a row lock or a stalled server
// while it holds one of the pool's connections, so the request's deadline
// and cancellation must reach it: ctx as it is.
func (s *DB) Detach(ctx context.Context) context.Context {
	if s.D.Postgres() {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

type hotPool struct{ s *DB }

func (h hotPool) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx = h.s.Detach(ctx)
	st, err := h.s.prepared(ctx, h.s.r, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (h hotPool) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	ctx = h.s.Detach(ctx)
	st, err := h.s.prepared(ctx, h.s.r, q)
	if err != nil {
		// Unprepared, so that the caller meets the same error on Scan.
		return h.s.r.QueryRowContext(ctx, h.s.D.Rebind(q), args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// hotWrite prepares a fixed statement of write transactions. Call it
// before the transaction begins: on SQLite the writer has one connection,
// which the transaction holds. tx.StmtContext then reuses the statement
// prepared on that connection.
func (s *DB) HotWrite(ctx context.Context, q string) (*sql.Stmt, error) {
	return s.prepared(ctx, s.W, q)
}
