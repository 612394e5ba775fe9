package orglife_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/orglife"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

var now = storetest.Now

// branchWithMembers loads the small city and returns a branch with at
// least n members in good standing, and n of them.
func branchWithMembers(t *testing.T, s *stores.Set, n int) (int64, []int64) {
	t.Helper()
	ctx := context.Background()
	res := gen.Generate(gen.Options{Scale: gen.Small, Seed: 3, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), PasswordHash: "x"})
	if err := s.Bulk.LoadDataset(ctx, store.System(now, "test"), res.Dataset, "test"); err != nil {
		t.Fatal(err)
	}
	rows, err := s.DB.W.QueryContext(ctx, s.DB.D.Rebind(`SELECT m.party_org_id, m.id FROM members m JOIN party_orgs p ON p.id = m.party_org_id
		WHERE m.standing = 'registered' AND p.type = 'branch' AND p.status = 'active' ORDER BY m.party_org_id, m.id`))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	byOrg := map[int64][]int64{}
	for rows.Next() {
		var org, id int64
		if err := rows.Scan(&org, &id); err != nil {
			t.Fatal(err)
		}
		byOrg[org] = append(byOrg[org], id)
		if len(byOrg[org]) == n {
			return org, byOrg[org]
		}
	}
	t.Fatalf("no branch with %d members in good standing", n)
	return 0, nil
}

// TestCheckinInsertProbesHostKey: whether the member's org hosts the
// activity is one probe of activity_hosts' key. Written as IN lists, the
// guard built the list of hosts afresh at every execution (SQLite's "LIST
// SUBQUERY", an ephemeral table; PostgreSQL's hashed SubPlan), twice a
// check-in, on the writer's single connection. And on SQLite a check-in at
// a closed activity (the usual case) opens no temporary table at all: not
// for a RETURNING clause's rows, nor to copy the SELECT's rows because the
// count of guests reads attendances.
func TestCheckinInsertProbesHostKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		at := store.TS(now)
		for _, c := range []struct {
			name string
			q    string
			args []any
		}{
			{"closed", orglife.CheckinInsertHost, []any{1, "activity_code", at, nil, 1, 1}},
			{"open", orglife.CheckinInsertOpen, []any{1, "activity_code", at, nil, 1, 1, 1, 5}},
		} {
			text := planOf(t, s, c.q, c.args)
			for _, bad := range []string{"LIST SUBQUERY", "hashed SubPlan"} {
				if strings.Contains(text, bad) {
					t.Errorf("%s: the check-in's guard builds a list (%s):\n%s", c.name, bad, text)
				}
			}
			// SQLite: a search of the key by both columns; PostgreSQL: an
			// index condition on the member's own org.
			probe := "activity_hosts_1 (activity_id=? AND party_org_id=?)"
			if s.DB.D.Postgres() {
				probe = "party_org_id = m.party_org_id"
			}
			if !strings.Contains(text, probe) {
				t.Errorf("%s: no probe of activity_hosts' key (%s) in:\n%s", c.name, probe, text)
			}
		}
		if s.DB.D.Postgres() {
			return
		}
		ops, err := s.DB.W.QueryContext(ctx, "EXPLAIN "+orglife.CheckinInsertHost, 1, "activity_code", at, nil, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer ops.Close()
		for ops.Next() {
			var addr, p1, p2, p3 int64
			var opcode string
			var p4, p5, comment any
			if err := ops.Scan(&addr, &opcode, &p1, &p2, &p3, &p4, &p5, &comment); err != nil {
				t.Fatal(err)
			}
			// A table, not the index of values that the CHECK on kind uses.
			if opcode == "OpenEphemeral" && toString(p4) == "" {
				t.Errorf("the check-in's insert opens a temporary table (at %d)", addr)
			}
		}
	})
}

// planOf is the engine's plan of q, one line a step.
func planOf(t *testing.T, s *stores.Set, q string, args []any) string {
	t.Helper()
	explain := "EXPLAIN QUERY PLAN "
	if s.DB.D.Postgres() {
		explain = "EXPLAIN "
	}
	rows, err := s.DB.W.QueryContext(context.Background(), s.DB.D.Rebind(explain+q), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var plan []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, toString(vals[len(vals)-1]))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}

// spin keeps a processor busy for d.
func spin(d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end); {
	}
}

func toString(v any) string {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case string:
		return x
	}
	return ""
}

// TestCheckinGroupsUnderLoad (SQLite: its single writer commits check-ins
// in groups): members checking in at once, each request arriving a little
// after the last as they do over HTTP, share commits. Taking only the
// inserts already waiting, the writer committed every one alone here
// (two or three at 32 concurrent clients over HTTP), so nearly every
// check-in paid its own commit; it now lets the running requests reach the
// queue before it commits. Every check-in is still recorded once, with its
// own answer.
func TestCheckinGroupsUnderLoad(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	ctx := context.Background()
	const clients, rounds = 16, 8
	org, members := branchWithMembers(t, s, clients)
	var acts []int64
	for k := range rounds {
		a, err := s.Life.CreateActivity(ctx, store.System(now, "test"), activity.ActivityInput{PartyOrgID: org, Type: activity.ThemeDay,
			Title: "主题党日" + string(rune('A'+k)), StartsAt: now.Add(-10 * time.Minute), EndsAt: now.Add(time.Hour), Address: "会议室"})
		if err != nil {
			t.Fatal(err)
		}
		acts = append(acts, a.ID)
	}
	g0, i0 := s.Life.GroupCounts()
	var wg sync.WaitGroup
	errs := make(chan error, clients*rounds)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := rand.New(rand.NewPCG(uint64(c), 7))
			for _, a := range acts {
				// The rest of a request, processor work: reading it, the
				// session, decoding, the code's check, the answer.
				spin(time.Duration(100+rnd.IntN(400)) * time.Microsecond)
				out, err := s.Life.Checkin(ctx, orglife.CheckinRequest{ActivityID: a, MemberID: members[c], Method: activity.CheckinActivityCode,
					Now: now, Before: 30 * time.Minute, After: 30 * time.Minute})
				if err == nil && (out.ID == 0 || out.Repeat || out.Recognized) {
					err = &domain.ConflictError{Field: "checkin", Message: "unexpected answer"}
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	g1, i1 := s.Life.GroupCounts()
	groups, inserts := g1-g0, i1-i0
	if inserts != clients*rounds {
		t.Fatalf("%d inserts, want %d", inserts, clients*rounds)
	}
	var rows int64
	if err := s.DB.W.QueryRowContext(ctx, `SELECT COUNT(*) FROM attendances WHERE activity_id >= ?`, acts[0]).Scan(&rows); err != nil || rows != clients*rounds {
		t.Fatalf("%d attendances (%v), want %d", rows, err, clients*rounds)
	}
	if per := float64(inserts) / float64(groups); per < 2 {
		t.Errorf("%d check-ins in %d commits (%.1f a commit), want at least 2 a commit (one a commit without the yield; about 4 to 12 on a quiet machine)", inserts, groups, per)
	}
}

// TestCheckinQueuedAfterStopIsRefused: a check-in sent while the store
// closes is refused, never left waiting in the queue with no writer.
func TestCheckinQueuedAfterStopIsRefused(t *testing.T) {
	s := storetest.Open(t, "sqlite")
	ctx := context.Background()
	org, members := branchWithMembers(t, s, 1)
	a, err := s.Life.CreateActivity(ctx, store.System(now, "test"), activity.ActivityInput{PartyOrgID: org, Type: activity.ThemeDay,
		Title: "主题党日", StartsAt: now.Add(-10 * time.Minute), EndsAt: now.Add(time.Hour), Address: "会议室"})
	if err != nil {
		t.Fatal(err)
	}
	// Start the writer with one real check-in.
	if _, err := s.Life.Checkin(ctx, orglife.CheckinRequest{ActivityID: a.ID, MemberID: members[0], Method: activity.CheckinActivityCode,
		Now: now, Before: 30 * time.Minute, After: 30 * time.Minute}); err != nil {
		t.Fatal(err)
	}
	s.Life.StopGroupForTest()
	hung := 0
	const tries = 40
	for i := 0; i < tries; i++ {
		done := make(chan error, 1)
		go func() {
			_, _, err := s.Life.InsertCheckinForTest(ctx, false, a.ID, []any{a.ID, "activity_code", store.TS(now), nil, a.ID, members[0]})
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil {
				t.Fatal("a check-in after the writer stopped was accepted")
			}
		case <-time.After(200 * time.Millisecond):
			hung++
		}
	}
	if hung > 0 {
		t.Errorf("%d of %d check-ins queued after the writer stopped never returned (no context can end the wait on r.ok)", hung, tries)
	}
}

// TestCheckinHonoursTheDeadlineOnPostgres: on PostgreSQL a check-in at an
// open activity waits for the activity's row lock, and the point reads
// wait for a pool connection: the request's deadline ends both waits.
func TestCheckinHonoursTheDeadlineOnPostgres(t *testing.T) {
	if len(storetest.Engines()) < 2 {
		t.Skip("PostgreSQL: LIANXIN_TEST_POSTGRES is not set")
	}
	s := storetest.Open(t, "postgres")
	ctx := context.Background()
	org, members := branchWithMembers(t, s, 18)
	a, err := s.Life.CreateActivity(ctx, store.System(now, "test"), activity.ActivityInput{PartyOrgID: org, Type: activity.ThemeDay,
		Title: "开放式主题党日", StartsAt: now.Add(-10 * time.Minute), EndsAt: now.Add(time.Hour), Address: "会议室", Open: true, Capacity: 50})
	if err != nil {
		t.Fatal(err)
	}
	// Someone holds the activity's row (a stand-in for a server that stalls).
	const hold = 4 * time.Second
	locked := make(chan struct{})
	go func() {
		tx, err := s.DB.W.BeginTx(ctx, nil)
		if err != nil {
			t.Error(err)
			close(locked)
			return
		}
		if _, err := tx.Exec(`SELECT id FROM activities WHERE id = $1 FOR UPDATE`, a.ID); err != nil {
			t.Error(err)
		}
		close(locked)
		time.Sleep(hold)
		tx.Rollback()
	}()
	<-locked
	var wg sync.WaitGroup
	var mu sync.Mutex
	var slowest time.Duration
	for _, m := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			defer cancel()
			start := time.Now()
			s.Life.Checkin(c, orglife.CheckinRequest{ActivityID: a.ID, MemberID: m, Method: activity.CheckinActivityCode,
				Now: now, Before: 30 * time.Minute, After: 30 * time.Minute})
			mu.Lock()
			slowest = max(slowest, time.Since(start))
			mu.Unlock()
		}()
	}
	time.Sleep(500 * time.Millisecond)
	// A detached point read (as the session's on every request), 300 ms deadline.
	c, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	start := time.Now()
	var one int
	err = s.DB.Hot().QueryRow(c, `SELECT 1`).Scan(&one)
	read := time.Since(start)
	cancel()
	wg.Wait()
	t.Logf("check-ins with a 300 ms deadline took up to %v; a 300 ms point read took %v (err %v)", slowest, read, err)
	if slowest > 2*time.Second {
		t.Errorf("a check-in with a 300 ms deadline waited %v for the lock", slowest)
	}
	if read > 2*time.Second {
		t.Errorf("a point read with a 300 ms deadline waited %v for a pool connection", read)
	}
}
