package orglife

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"github.com/lianxin/lianxin/internal/store"
)

// Group commit for check-ins (SQLite). Members arrive at a meeting together; each
// check-in is one guarded INSERT, but a transaction per INSERT would make
// every one pay a commit (on SQLite a WAL append of every page the row
// touched: the table and three indexes). One goroutine takes the inserts
// waiting while the previous transaction ran and commits them together:
// under load a transaction carries dozens, alone it carries one and costs
// what it did before. Each insert is still its own statement, so the
// capacity guard and the unique key decide each exactly as before.

// maxGroup bounds the inserts of one transaction.
const maxGroup = 128

type groupCommit struct {
	once sync.Once
	reqs chan *insertReq
	done chan struct{}
	// finished closes when the writer goroutine has returned.
	finished chan struct{}
}

type insertReq struct {
	args       []any
	id         int64 // 0: nothing inserted
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
		g.finished = make(chan struct{})
		go func() {
			defer close(g.finished)
			s.commitGroups()
		}()
	})
	r := &insertReq{args: args, ok: make(chan struct{})}
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

// insertCheckinNow runs one insert in its own transaction. At an open
// activity it first locks the activity's row: under READ COMMITTED two
// guests inserting at once would each count the places before the other's
// row exists, so their check-ins of that activity take turns.
func (s *Store) insertCheckinNow(ctx context.Context, open bool, activityID int64, args []any) (int64, bool, error) {
	insert, err := s.db.HotWrite(ctx, checkinInsert)
	if err != nil {
		return 0, false, err
	}
	var id int64
	var rec int
	err = s.db.Write(ctx, func(t *store.Tx) error {
		if open {
			if _, err := t.Exec(ctx, `SELECT id FROM activities WHERE id = ?`+s.db.D.ForUpdate(), activityID); err != nil {
				return err
			}
		}
		err := t.SQL.StmtContext(ctx, insert).QueryRowContext(ctx, args...).Scan(&id, &rec)
		if errors.Is(err, sql.ErrNoRows) {
			id = 0
			return nil
		}
		return err
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
					r.err = errors.New("store: closed")
					close(r.ok)
				default:
					return
				}
			}
		}
	drain:
		for len(batch) < maxGroup {
			select {
			case r := <-g.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		s.commitGroup(batch)
	}
}

// commitGroup writes one group. A failing statement fails the whole group
// (nothing of it is written), and every caller gets the error.
func (s *Store) commitGroup(batch []*insertReq) {
	ctx := context.Background()
	insert, err := s.db.HotWrite(ctx, checkinInsert)
	if err == nil {
		err = s.db.Write(ctx, func(t *store.Tx) error {
			st := t.SQL.StmtContext(ctx, insert)
			for _, r := range batch {
				var rec int
				r.id = 0
				err := st.QueryRowContext(ctx, r.args...).Scan(&r.id, &rec)
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return err
				}
				r.recognized = rec == 1
			}
			return nil
		})
	}
	for _, r := range batch {
		if err != nil {
			r.id, r.err = 0, err
		}
		close(r.ok)
	}
}

// stop refuses new inserts and waits for the writer to finish its batch,
// so that the connections close after its last commit.
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
}
