package orglife

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/lianxin/lianxin/internal/store"
)

// Group commit for check-ins (SQLite). Members arrive at a meeting together; each
// check-in is one guarded INSERT, but a transaction per INSERT would make
// every one pay a commit (on SQLite a WAL append of every page the row
// touched: the table and three indexes). One goroutine runs the inserts in
// one transaction as they arrive and commits when none is left. Each
// insert is still its own statement, so the capacity guard and the unique
// key decide each exactly as before.
//
// When none waits, the writer first yields the processor once: the
// requests that are running reach the queue and join the group. Without
// it (taking only what waited) groups held two or three inserts at 32
// concurrent check-ins, so nearly every check-in still paid a commit. A
// timed linger also gathered more, but left the processors idle once every
// client was waiting in the group; a yield costs nothing when no other
// goroutine is runnable, so a member checking in alone is committed at
// once.

// maxGroup bounds the inserts of one transaction.
const maxGroup = 128

type groupCommit struct {
	once sync.Once
	reqs chan *insertReq
	done chan struct{}
	// finished closes when the writer goroutine has returned.
	finished chan struct{}
	// groups and inserts count the committed groups and their inserts.
	groups, inserts atomic.Int64
	// mu orders queueing against the final refusal in stop: a sender
	// queues under the read lock unless closed, and stop, once the writer
	// has returned, sets closed and refuses what is left under the write
	// lock, so that no insert waits in the queue with nobody to run it.
	mu     sync.RWMutex
	closed bool
}

var errClosed = errors.New("store: closed")

type insertReq struct {
	args       []any
	open       bool  // guests may check in: whether this one is, is read back
	id         int64 // 0: nothing inserted
	recognized bool
	err        error
	ok         chan struct{}
}

// insertCheckin runs the check-in's insert with args in the next group and returns
// the new row's id and whether it is a guest's, or 0 when the guard or
// the unique key stopped it.
func (s *Store) insertCheckin(ctx context.Context, open bool, activityID int64, args []any) (int64, bool, error) {
	if s.db.D.Postgres() {
		// PostgreSQL runs concurrent inserts side by side on its pool; one
		// goroutine would serialize their round trips instead.
		return s.insertCheckinNow(ctx, open, activityID, args)
	}
	g := &s.group
	g.once.Do(func() {
		g.reqs = make(chan *insertReq, 4*maxGroup)
		g.done = make(chan struct{})
		g.finished = make(chan struct{})
		go func() {
			defer close(g.finished)
			s.commitGroups()
		}()
	})
	r := &insertReq{args: args, open: open, ok: make(chan struct{})}
	if err := g.queue(ctx, r); err != nil {
		return 0, false, err
	}
	// Once queued the insert runs whatever the caller does next; waiting
	// for it keeps the answer true.
	<-r.ok
	return r.id, r.recognized, r.err
}

// queue hands r to the writer, or says why not.
func (g *groupCommit) queue(ctx context.Context, r *insertReq) error {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.closed {
		return errClosed
	}
	select {
	case g.reqs <- r:
		return nil
	case <-g.done:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// insertCheckinNow runs one insert on PostgreSQL. At a closed activity the
// statement alone decides (the unique key stops a second row), so it runs
// by itself: one round trip instead of BEGIN, INSERT and COMMIT. At an open
// activity it first locks the activity's row in a transaction: under READ
// COMMITTED two guests inserting at once would each count the places before
// the other's row exists, so their check-ins of that activity take turns.
func (s *Store) insertCheckinNow(ctx context.Context, open bool, activityID int64, args []any) (int64, bool, error) {
	// Not detached (store.DB.Detach): at an open activity the insert waits
	// for the activity's row lock, which the request's deadline must bound.
	insert, err := s.db.HotWrite(ctx, checkinInsert(open)+returning)
	if err != nil {
		return 0, false, err
	}
	var id int64
	var rec int
	scan := func(row *sql.Row) error {
		err := row.Scan(&id, &rec)
		if errors.Is(err, sql.ErrNoRows) {
			id = 0
			return nil
		}
		return err
	}
	if !open {
		err = scan(insert.QueryRowContext(ctx, args...))
		return id, rec == 1, err
	}
	err = s.db.Write(ctx, func(t *store.Tx) error {
		if _, err := t.Exec(ctx, `SELECT id FROM activities WHERE id = ?`+s.db.D.ForUpdate(), activityID); err != nil {
			return err
		}
		return scan(t.SQL.StmtContext(ctx, insert).QueryRowContext(ctx, args...))
	})
	return id, rec == 1, err
}

func (s *Store) commitGroups() {
	g := &s.group
	batch := make([]*insertReq, 0, maxGroup)
	for {
		select {
		case r := <-g.reqs:
			batch = append(batch[:0], r)
		case <-g.done:
			// Closing: refuse whatever is still queued.
			for {
				select {
				case r := <-g.reqs:
					r.err = errClosed
					close(r.ok)
				default:
					return
				}
			}
		}
		batch = s.commitGroup(batch)
	}
}

// commitGroup writes the group that batch[0] starts, with every insert that
// arrives while it runs, and returns the group. A failing statement fails
// the whole group (nothing of it is written), and every caller gets the
// error.
func (s *Store) commitGroup(batch []*insertReq) []*insertReq {
	g := &s.group
	ctx := context.Background()
	var host, open, guest *sql.Stmt
	host, err := s.db.HotWrite(ctx, checkinInsertHost)
	if err == nil {
		open, err = s.db.HotWrite(ctx, checkinInsertOpen)
	}
	if err == nil {
		guest, err = s.db.HotWrite(ctx, `SELECT recognized FROM attendances WHERE id = ?`)
	}
	if err == nil {
		err = s.db.Write(ctx, func(t *store.Tx) error {
			// The statements on the transaction's connection, each once.
			var inTx [3]*sql.Stmt
			stmt := func(i int, st *sql.Stmt) *sql.Stmt {
				if inTx[i] == nil {
					inTx[i] = t.SQL.StmtContext(ctx, st)
				}
				return inTx[i]
			}
			for i := 0; ; i++ {
				if i == len(batch) {
					r := g.next(len(batch))
					if r == nil {
						return nil
					}
					batch = append(batch, r)
				}
				r := batch[i]
				insert := stmt(0, host)
				if r.open {
					insert = stmt(1, open)
				}
				if err := insertOne(ctx, insert, stmt(2, guest), r); err != nil {
					return err
				}
			}
		})
	}
	g.groups.Add(1)
	g.inserts.Add(int64(len(batch)))
	for _, r := range batch {
		if err != nil {
			r.id, r.err = 0, err
		}
		close(r.ok)
	}
	return batch
}

// next returns an insert for a group of n: one waiting, or one queued by
// the goroutines that run while the writer yields; nil ends the group.
func (g *groupCommit) next(n int) *insertReq {
	if n >= maxGroup {
		return nil
	}
	for yielded := false; ; yielded = true {
		select {
		case r := <-g.reqs:
			return r
		default:
		}
		if yielded {
			return nil
		}
		runtime.Gosched()
	}
}

// insertOne runs one insert of the group and records its answer.
func insertOne(ctx context.Context, insert, guest *sql.Stmt, r *insertReq) error {
	r.id, r.recognized = 0, false
	res, err := insert.ExecContext(ctx, r.args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return err // n == 0: stopped by the guard or the unique key
	}
	if r.id, err = res.LastInsertId(); err != nil {
		return err
	}
	// At a closed activity the guard admits only the hosts' members, so the
	// row is no guest's.
	if r.open {
		var rec int
		if err := guest.QueryRowContext(ctx, r.id).Scan(&rec); err != nil {
			return err
		}
		r.recognized = rec == 1
	}
	return nil
}

// stop refuses new inserts and waits for the writer to finish its batch,
// so that the connections close after its last commit; what was queued
// after the writer's last look is refused too.
func (g *groupCommit) stop() {
	g.once.Do(func() { g.done = make(chan struct{}) })
	select {
	case <-g.done:
	default:
		close(g.done)
	}
	if g.finished != nil {
		<-g.finished
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.closed = true
	for {
		select {
		case r := <-g.reqs:
			r.err = errClosed
			close(r.ok)
		default:
			return
		}
	}
}
