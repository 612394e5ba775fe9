package coverage_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/gen"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/coverage"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

var now = storetest.Now

// TestKeptCountsEqualScratch: after the load of a generated city and after
// every write of a random sequence — organizations and members saved,
// imported (one batch rolled back), covering links added and removed,
// assignments, Party orgs dissolved, the campaign target changed — the
// counts kept by the writers (migration 0018) equal a count from scratch,
// and the city's coverage summary read from them equals the one scanned
// from the tables.
func TestKeptCountsEqualScratch(t *testing.T) {
	res := gen.Generate(gen.Options{Scale: gen.Small, Seed: 3, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), PasswordHash: "x"})
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		sys := store.System(now, "test")
		if err := s.Bulk.LoadDataset(ctx, sys, res.Dataset, "test"); err != nil {
			t.Fatal(err)
		}
		w := &walk{t: t, s: s, rnd: rand.New(rand.NewPCG(7, 11)), sys: sys}
		w.check("after the load")
		// The load folds the counts: one row per key (on PostgreSQL each
		// change would otherwise stay a row of its own).
		for _, table := range []string{"organization_counts", "member_counts"} {
			key, _ := registry.ScratchCounts(table)
			got, err := storetest.QueryInts(ctx, s.DB, `SELECT COUNT(*), (SELECT COUNT(*) FROM (SELECT DISTINCT `+key+` FROM `+table+`) k) FROM `+table, 2)
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != got[1] {
				t.Errorf("%s after the load: %d rows for %d keys", table, got[0], got[1])
			}
		}
		w.load()
		steps := []struct {
			name string
			fn   func() error
		}{
			{"create organization", w.createOrganization},
			{"edit organization", w.editOrganization},
			{"add cover", w.addCover},
			{"remove cover", w.removeCover},
			{"assignment", w.assign},
			{"create member", w.createMember},
			{"edit member", w.editMember},
			{"import organizations", w.importOrganizations},
			{"import members", w.importMembers},
			{"import rolled back", w.importRolledBack},
			{"dissolve Party org", w.dissolve},
		}
		done := map[string]int{}
		for i := 0; i < 120; i++ {
			st := steps[w.rnd.IntN(len(steps))]
			err := st.fn()
			var ve *domain.ValidationError
			var ce *domain.ConflictError
			switch {
			case err == nil:
				done[st.name]++
			case errors.As(err, &ve), errors.As(err, &ce), errors.Is(err, domain.ErrNotFound):
				// A write the rules refuse changes nothing either.
			default:
				t.Fatalf("step %d, %s: %v", i, st.name, err)
			}
			w.check(fmt.Sprintf("step %d, %s", i, st.name))
		}
		t.Logf("writes done: %v", done)
		for _, st := range steps {
			if done[st.name] == 0 {
				t.Errorf("no %s succeeded in the sequence: %v", st.name, done)
			}
		}
		// A change of the campaign target recomputes every organization.
		settings, err := s.Registry.CoverageSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		settings.Target.MinEmployees++
		if _, err := s.Registry.SetCoverageSettings(ctx, sys, settings); err != nil {
			t.Fatal(err)
		}
		w.check("after the target changed")
	})
}

// walk is a random sequence of writes over a loaded city.
type walk struct {
	t        *testing.T
	s        *stores.Set
	rnd      *rand.Rand
	sys      store.Caller
	managers []int64 // Party orgs managing organizations
	branches []int64 // active grassroots Party orgs
	orgs     []int64
	members  []int64
	seq      int
}

func (w *walk) ids(q string, args ...any) []int64 {
	w.t.Helper()
	rows, err := w.s.QueryRows(context.Background(), q, args...)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			w.t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

func (w *walk) load() {
	w.managers = w.ids(`SELECT DISTINCT area_manager_id FROM organizations ORDER BY 1`)
	w.branches = w.ids(`SELECT id FROM party_orgs WHERE status = 'active' AND type IN ('branch', 'general_branch', 'committee') ORDER BY id`)
	w.orgs = w.ids(`SELECT id FROM organizations ORDER BY id`)
	w.members = w.ids(`SELECT id FROM members ORDER BY id`)
	if len(w.managers) == 0 || len(w.branches) == 0 || len(w.orgs) == 0 || len(w.members) == 0 {
		w.t.Fatalf("the generated city lacks data: %d managers, %d branches, %d orgs, %d members", len(w.managers), len(w.branches), len(w.orgs), len(w.members))
	}
}

func pick(r *rand.Rand, ids []int64) int64 { return ids[r.IntN(len(ids))] }

func (w *walk) orgInput() domain.OrganizationInput {
	w.seq++
	employees := []int{3, 30, 80, 500}[w.rnd.IntN(4)]
	return domain.OrganizationInput{USCC: storetest.Ptr(domain.MakeUSCC("91", "510104", fmt.Sprintf("MA7K%04d", w.seq))), Name: storetest.Ptr(fmt.Sprint("随机组织", w.seq)),
		Region: storetest.Ptr("510104"), Industry: storetest.Ptr("I"), Employees: storetest.Ptr(employees), AreaManagerID: storetest.Ptr(pick(w.rnd, w.managers)), RegisteredOn: storetest.Ptr("2020-01-01")}
}

func (w *walk) createOrganization() error {
	o, err := w.s.Registry.SaveOrganization(context.Background(), w.sys, 0, w.orgInput(), nil)
	if err == nil {
		w.orgs = append(w.orgs, o.ID)
	}
	return err
}

func (w *walk) editOrganization() error {
	in := domain.OrganizationInput{}
	switch w.rnd.IntN(3) {
	case 0:
		in.Employees = storetest.Ptr([]int{3, 80, 500}[w.rnd.IntN(3)])
	case 1:
		in.Status = storetest.Ptr([]string{domain.OrgActive, domain.OrgDeregistered}[w.rnd.IntN(2)])
	default:
		in.AreaManagerID = storetest.Ptr(pick(w.rnd, w.managers))
	}
	_, err := w.s.Registry.SaveOrganization(context.Background(), w.sys, pick(w.rnd, w.orgs), in, nil)
	return err
}

func (w *walk) addCover() error {
	return w.s.Registry.AddCover(context.Background(), w.sys, pick(w.rnd, w.orgs), registry.CoverInput{PartyOrgID: pick(w.rnd, w.branches)})
}

func (w *walk) removeCover() error {
	links := w.ids(`SELECT organization_id * 1000000 + party_org_id FROM party_org_covers ORDER BY 1`)
	if len(links) == 0 {
		return domain.ErrNotFound
	}
	l := pick(w.rnd, links)
	return w.s.Registry.RemoveCover(context.Background(), w.sys, l/1000000, l%1000000)
}

func (w *walk) assign() error {
	from := []string{"2025-01-01", "2026-11-01", "2027-03-01"}[w.rnd.IntN(3)]
	_, err := w.s.Registry.CreateAssignment(context.Background(), w.sys, pick(w.rnd, w.orgs),
		registry.AssignmentInput{Person: storetest.Ptr("李指导"), Role: storetest.Ptr("instructor"), From: storetest.Ptr(from)})
	return err
}

func (w *walk) memberInput() domain.MemberInput {
	w.seq++
	in := domain.MemberInput{Name: storetest.Ptr(fmt.Sprint("随机", w.seq)), IDNumber: storetest.Ptr(domain.MakeIDNumber("510104", time.Date(1985, 3, 1, 0, 0, 0, 0, time.UTC), w.seq, w.seq%2 == 0)),
		JoinedOn: storetest.Ptr("2015-07-01"), FullMemberOn: storetest.Ptr("2016-07-01"), Status: storetest.Ptr(domain.MemberFull)}
	if w.rnd.IntN(4) == 0 {
		in.EmployerID = storetest.Ptr(pick(w.rnd, w.orgs)) // held by no Party org
	} else {
		in.PartyOrgID = storetest.Ptr(pick(w.rnd, w.branches))
	}
	return in
}

func (w *walk) createMember() error {
	m, err := w.s.Members.SaveMember(context.Background(), w.sys, 0, w.memberInput())
	if err == nil {
		w.members = append(w.members, m.ID)
	}
	return err
}

func (w *walk) editMember() error {
	in := domain.MemberInput{}
	switch w.rnd.IntN(3) {
	case 0:
		in.PartyOrgID = storetest.Ptr(pick(w.rnd, w.branches))
	case 1:
		if w.rnd.IntN(2) == 0 {
			in.Standing, in.StandingOn = storetest.Ptr(domain.StandingTransferredOut), storetest.Ptr("2026-10-01")
		} else {
			in.Standing = storetest.Ptr(domain.StandingRegistered)
		}
	default:
		in.Status, in.FullMemberOn = storetest.Ptr(domain.MemberProbationary), storetest.Ptr("")
	}
	_, err := w.s.Members.SaveMember(context.Background(), w.sys, pick(w.rnd, w.members), in)
	return err
}

func (w *walk) importOrganizations() error {
	rows := []registry.ImportOrgRow{{Row: 2, In: w.orgInput()}, {Row: 3, In: w.orgInput(), Covers: []int64{pick(w.rnd, w.branches)}}}
	_, err := w.s.Registry.ImportOrganizations(context.Background(), w.sys, store.ImportBatch{}, rows)
	return err
}

func (w *walk) importMembers() error {
	rows := []members.ImportMemberRow{{Row: 2, In: w.memberInput()}, {Row: 3, In: w.memberInput()}}
	_, err := w.s.Members.ImportMembers(context.Background(), w.sys, store.ImportBatch{}, rows)
	return err
}

// importRolledBack writes a batch whose transaction fails at the end: its
// counts must go with it.
func (w *walk) importRolledBack() error {
	rows := []members.ImportMemberRow{{Row: 2, In: w.memberInput()}}
	_, err := w.s.Members.ImportMembers(context.Background(), w.sys, store.ImportBatch{BeforeCommit: func() error { return errRollback }}, rows)
	if errors.Is(err, errRollback) {
		return nil
	}
	if err == nil {
		err = errors.New("the batch committed")
	}
	return err
}

var errRollback = errors.New("rolled back on purpose")

func (w *walk) dissolve() error {
	// A leaf, so that no child is left under a dissolved Party org.
	leaves := w.ids(`SELECT p.id FROM party_orgs p WHERE p.status = 'active' AND p.type = 'branch'
		AND NOT EXISTS (SELECT 1 FROM party_orgs c WHERE c.parent_id = p.id AND c.status = 'active') ORDER BY p.id`)
	if len(leaves) == 0 {
		return domain.ErrNotFound
	}
	id := pick(w.rnd, leaves)
	_, err := w.s.Registry.DissolvePartyOrg(context.Background(), w.sys, id, domain.DissolveInput{DissolvedOn: "2026-11-20", Reason: "测试撤销"})
	if err == nil {
		w.branches = w.ids(`SELECT id FROM party_orgs WHERE status = 'active' AND type IN ('branch', 'general_branch', 'committee') ORDER BY id`)
	}
	return err
}

// check compares the kept counts with a count from scratch, and the city's
// summary from them with the scanned one.
func (w *walk) check(when string) {
	w.t.Helper()
	ctx := context.Background()
	for _, table := range []string{"organization_counts", "member_counts"} {
		key, scratch := registry.ScratchCounts(table)
		kept := w.tally(`SELECT ` + key + `, SUM(n) FROM ` + table + ` GROUP BY ` + key + ` HAVING SUM(n) <> 0`)
		want := w.tally(scratch)
		if !reflect.DeepEqual(kept, want) {
			diff := map[string][2]int64{}
			for k := range want {
				if kept[k] != want[k] {
					diff[k] = [2]int64{kept[k], want[k]}
				}
			}
			for k := range kept {
				if kept[k] != want[k] {
					diff[k] = [2]int64{kept[k], want[k]}
				}
			}
			w.t.Fatalf("%s: %s differs from a count from scratch (key: [kept, counted]): %v", when, table, diff)
		}
	}
	var root string
	if err := w.s.QueryRow(ctx, `SELECT path FROM party_orgs WHERE parent_id IS NULL`).Scan(&root); err != nil {
		w.t.Fatal(err)
	}
	c := store.Caller{Now: now, Scope: store.Scope{Path: root}}
	got, err := w.s.Coverage.CoverageSummary(ctx, c, coverage.CoverageFilter{})
	if err != nil {
		w.t.Fatal(err)
	}
	want, err := w.s.Coverage.ScannedSummary(ctx, c, coverage.CoverageFilter{})
	if err != nil {
		w.t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		w.t.Fatalf("%s: the city's summary from the counts\n%+v\nscanned\n%+v", when, got, want)
	}
}

// tally reads rows of key columns and a count into a map keyed by the
// columns' text.
func (w *walk) tally(q string) map[string]int64 {
	w.t.Helper()
	rows, err := w.s.QueryRows(context.Background(), q)
	if err != nil {
		w.t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := map[string]int64{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			w.t.Fatal(err)
		}
		var n int64
		if _, err := fmt.Sscan(fmt.Sprint(vals[len(vals)-1]), &n); err != nil {
			w.t.Fatalf("count %v: %v", vals[len(vals)-1], err)
		}
		out[fmt.Sprintln(vals[:len(vals)-1]...)] = n
	}
	if err := rows.Err(); err != nil {
		w.t.Fatal(err)
	}
	return out
}

// TestRecountsTakeTurns (PostgreSQL): two full recomputations side by
// side, on a day already stamped with no state to change, each correct a
// drift of the kept counts; the second waits for the first, so the drift
// is corrected once, not twice (it would come back with the other sign).
func TestRecountsTakeTurns(t *testing.T) {
	res := gen.Generate(gen.Options{Scale: gen.Small, Seed: 3, Today: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), PasswordHash: "x"})
	if len(storetest.Engines()) < 2 {
		t.Skip("PostgreSQL: LIANXIN_TEST_POSTGRES is not set")
	}
	s := storetest.Open(t, "postgres")
	ctx := context.Background()
	sys := store.System(now, "test")
	if err := s.Bulk.LoadDataset(ctx, sys, res.Dataset, "test"); err != nil {
		t.Fatal(err)
	}
	if err := s.Registry.RefreshCoverage(ctx, now, nil); err != nil { // stamps every row today
		t.Fatal(err)
	}
	// A drift (a restore, a hand edit, a trigger dropped by a future table rebuild).
	storetest.Exec(t, s, `INSERT INTO organization_counts (cov_in_scope, cov_state, n) VALUES (1, 'uncovered', 5)`)
	inR1 := make(chan struct{})
	r2done := make(chan error, 1)
	go func() {
		<-inR1
		r2done <- s.Registry.RefreshCoverage(ctx, now, nil)
	}()
	err := s.DB.Write(ctx, func(tx *store.Tx) error {
		if err := s.Registry.RefreshCoverageTx(ctx, tx, now, nil); err != nil {
			return err
		}
		close(inR1)
		time.Sleep(time.Second) // R2 computes its correction meanwhile
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-r2done; err != nil {
		t.Fatal(err)
	}
	w := &walk{t: t, s: s, rnd: rand.New(rand.NewPCG(1, 2)), sys: sys}
	w.check("after two recomputations side by side")
}
