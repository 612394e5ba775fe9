package orglife

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lianxin/lianxin/internal/store"
)

// Group commit for check-ins (SQLite). Members arrive at a meeting together; each
// check-in is one guarded INSERT, but a transaction per INSERT would make
// every one pay a commit (on SQLite a WAL append of every page the row
// touched: the table and three indexes). One goroutine takes the inserts
// waiting while the previous transaction ran and commits them together.
// Each insert is still its own statement, so the capacity guard and the
// unique key decide each exactly as before.
//
// Taking only what waits made groups of two or three at 32 concurrent
// check-ins (the rest of a request costs more than its insert), so nearly
// every check-in still paid a commit. Under load — a group of several
// within the last busyFor, or an insert close on the heels of the last —
// the writer now lingers for the check-ins on their way: up to maxLinger,
// and only while they keep coming (pace). A member checking in alone is
// committed at once, as before (after one wait in vain, it lingers no more
// for busyFor).

// maxGroup bounds the inserts of one transaction.
const maxGroup = 128

// maxLinger is how long a group waits for more inserts under load: a few
// requests' worth of time, unnoticeable beside a phone's round trip.
const maxLinger = 2 * time.Millisecond

// busyFor is how long after a group of several the writer keeps lingering:
// a lull of a few milliseconds in a meeting's check-ins does not end it.
const busyFor = 100 * time.Millisecond

type groupCommit struct {
	once sync.Once
	reqs chan *insertReq
	done chan struct{}
	// linger overrides maxLinger (tests).
	linger time.Duration
	// groups and inserts count the committed groups and their inserts.
	groups, inserts atomic.Int64
}

type insertReq struct {
	args       []any
	open       bool      // guests may check in: whether this one is, is read back
	at         time.Time // when it was queued
	id         int64     // 0: nothing inserted
	recognized bool
	err        error
	ok         chan struct{}
}

// insertCheckin runs checkinInsert with args in the next group and returns
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
		go s.commitGroups()
	})
	r := &insertReq{args: args, open: open, at: time.Now(), ok: make(chan struct{})}
	select {
	case g.reqs <- r:
	case <-g.done:
		return 0, false, errors.New("store: closed")
	case <-ctx.Done():
		return 0, false, ctx.Err()
	}
	// Once queued the insert runs whatever the caller does next; waiting
	// for it keeps the answer true.
	<-r.ok
	return r.id, r.recognized, r.err
}

// insertCheckinNow runs one insert on PostgreSQL. At a closed activity the
// statement alone decides (the unique key stops a second row), so it runs
// by itself: one round trip instead of BEGIN, INSERT and COMMIT. At an open
// activity it first locks the activity's row in a transaction: under READ
// COMMITTED two guests inserting at once would each count the places before
// the other's row exists, so their check-ins of that activity take turns.
func (s *Store) insertCheckinNow(ctx context.Context, open bool, activityID int64, args []any) (int64, bool, error) {
	// Detached from the request, as the group's inserts are on SQLite: a
	// statement of a millisecond needs no watcher goroutines to cancel it.
	ctx = context.WithoutCancel(ctx)
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
	linger := g.linger
	if linger <= 0 {
		linger = maxLinger
	}
	timer := time.NewTimer(linger)
	timer.Stop()
	batch := make([]*insertReq, 0, maxGroup)
	// several: when a group last held more than one insert; futile: when
	// lingering last found nobody.
	var several, futile time.Time
	var p pace
	for {
		select {
		case r := <-g.reqs:
			batch = append(batch[:0], r)
		case <-g.done:
			// Closing: refuse whatever is still queued.
			for {
				select {
				case r := <-g.reqs:
					r.err = errors.New("store: closed")
					close(r.ok)
				default:
					return
				}
			}
		}
		now := time.Now()
		// An insert close on the heels of the last one: more may follow,
		// unless waiting for them has just been in vain (a member alone).
		followed := batch[0].at.Sub(p.last) < linger && now.Sub(futile) >= busyFor
		p.arrived(batch[0].at, linger)
	drain:
		for len(batch) < maxGroup {
			select {
			case r := <-g.reqs:
				batch = append(batch, r)
				p.arrived(r.at, linger)
			default:
				break drain
			}
		}
		if len(batch) > 1 || now.Sub(several) < busyFor || followed {
			// Until the linger is over, or the inserts stop coming — twice
			// their usual interval: then every client is waiting here, and
			// waiting longer would only leave the processors idle.
			deadline := now.Add(linger)
			timer.Reset(min(deadline.Sub(now), p.quiet()))
		wait:
			for len(batch) < maxGroup {
				select {
				case r := <-g.reqs:
					batch = append(batch, r)
					p.arrived(r.at, linger)
					timer.Reset(min(time.Until(deadline), p.quiet()))
				case <-timer.C:
					break wait
				case <-g.done:
					break wait
				}
			}
			timer.Stop()
			if len(batch) == 1 {
				futile = time.Now()
			}
		}
		if len(batch) > 1 {
			several = time.Now()
		}
		s.commitGroup(batch)
	}
}

// pace follows when inserts are queued.
type pace struct {
	last time.Time     // the last insert's
	gap  time.Duration // moving average of the interval, each at most the linger
}

func (p *pace) arrived(at time.Time, linger time.Duration) {
	if !p.last.IsZero() {
		d := min(max(at.Sub(p.last), 0), linger)
		p.gap += (d - p.gap) / 8
	}
	p.last = at
}

// quiet is how long without an insert ends a linger.
func (p *pace) quiet() time.Duration { return max(2*p.gap, 50*time.Microsecond) }

// commitGroup writes one group. A failing statement fails the whole group
// (nothing of it is written), and every caller gets the error.
func (s *Store) commitGroup(batch []*insertReq) {
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
			for _, r := range batch {
				r.id, r.recognized = 0, false
				insert := stmt(0, host)
				if r.open {
					insert = stmt(1, open)
				}
				res, err := insert.ExecContext(ctx, r.args...)
				if err != nil {
					return err
				}
				n, err := res.RowsAffected()
				if err != nil {
					return err
				}
				if n == 0 {
					continue // stopped by the guard or the unique key
				}
				if r.id, err = res.LastInsertId(); err != nil {
					return err
				}
				// At a closed activity the guard admits only the hosts'
				// members, so the row is no guest's.
				if r.open {
					var rec int
					if err := stmt(2, guest).QueryRowContext(ctx, r.id).Scan(&rec); err != nil {
						return err
					}
					r.recognized = rec == 1
				}
			}
			return nil
		})
	}
	s.group.groups.Add(1)
	s.group.inserts.Add(int64(len(batch)))
	for _, r := range batch {
		if err != nil {
			r.id, r.err = 0, err
		}
		close(r.ok)
	}
}

func (g *groupCommit) stop() {
	g.once.Do(func() { g.done = make(chan struct{}) })
	select {
	case <-g.done:
	default:
		close(g.done)
	}
}
