package coverage_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/coverage"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// covFixture is a hand-built city: root → a → a1 → a1x (a branch), root → b.
// Organizations (all 存续, default target: ≥ 50 employees, social orgs, 规模以上):
//
//	covered  100 employees, managed by a1, covered by a1x   → in scope, org-covered
//	worked   100 employees, managed by a1, an instructor    → in scope, work-covered
//	bare     100 employees, managed by a1                   → in scope, uncovered
//	small      5 employees, managed by a1                   → out of scope, uncovered
//	other    200 employees, managed by b                    → in scope, uncovered
type covFixture struct {
	ids  map[string]int64
	orgs map[string]int64
}

func newCovFixture(t *testing.T, s *stores.Set) covFixture {
	t.Helper()
	ctx := context.Background()
	f := covFixture{ids: storetest.Tree(t, s), orgs: map[string]int64{}}
	for i, o := range []struct {
		key       string
		employees int
		manager   string
	}{{"covered", 100, "a1"}, {"worked", 100, "a1"}, {"bare", 100, "a1"}, {"small", 5, "a1"}, {"other", 200, "b"}} {
		code := domain.MakeUSCC("91", "510104", fmt.Sprintf("MA6C%04d", i))
		v, err := s.Registry.SaveOrganization(ctx, storetest.Sys(), 0, domain.OrganizationInput{USCC: storetest.Ptr(code), Name: storetest.Ptr("成都" + o.key + "有限公司"),
			Region: storetest.Ptr("510104"), Industry: storetest.Ptr("I"), Employees: storetest.Ptr(o.employees), AreaManagerID: storetest.Ptr(f.ids[o.manager]),
			RegisteredOn: storetest.Ptr("2020-01-01")}, nil)
		if err != nil {
			t.Fatalf("%s: %v", o.key, err)
		}
		f.orgs[o.key] = v.ID
	}
	if err := s.Registry.AddCover(ctx, storetest.Sys(), f.orgs["covered"], registry.CoverInput{PartyOrgID: f.ids["a1x"], Since: "2021-03-01"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Registry.CreateAssignment(ctx, storetest.Sys(), f.orgs["worked"], registry.AssignmentInput{Person: storetest.Ptr("王指导"), Role: storetest.Ptr("instructor"), From: storetest.Ptr("2026-01-01")}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f covFixture) scope(t *testing.T, s *stores.Set, name string) store.Scope {
	t.Helper()
	p, err := s.Registry.GetPartyOrg(context.Background(), store.ScopeAll, f.ids[name])
	if err != nil {
		t.Fatal(err)
	}
	return store.Scope{Path: p.Path}
}

func stateOf(t *testing.T, s *stores.Set, id int64) (string, bool) {
	t.Helper()
	st, _, _, in, _, err := storetest.Materialized(context.Background(), s.DB, id)
	if err != nil {
		t.Fatal(err)
	}
	return st, in
}

func wantState(t *testing.T, s *stores.Set, id int64, state string, inScope bool) {
	t.Helper()
	if st, in := stateOf(t, s, id); st != state || in != inScope {
		t.Errorf("organization %d: state %s in scope %v, want %s %v", id, st, in, state, inScope)
	}
}

func TestCoverageSummaryHandComputed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		f := newCovFixture(t, s)
		for _, c := range []struct {
			scope string
			want  [5]int // organizations, in scope, org, work, uncovered
		}{{"root", [5]int{5, 4, 1, 1, 2}}, {"a", [5]int{4, 3, 1, 1, 1}}, {"b", [5]int{1, 1, 0, 0, 1}}, {"a2", [5]int{}}} {
			sum, err := s.Coverage.CoverageSummary(ctx, store.Caller{Now: now, Scope: f.scope(t, s, c.scope)}, coverage.CoverageFilter{})
			if err != nil {
				t.Fatal(err)
			}
			got := [5]int{sum.Organizations, sum.InScope, sum.OrgCovered, sum.WorkCovered, sum.Uncovered}
			if got != c.want {
				t.Errorf("scope %s: %v, want %v", c.scope, got, c.want)
			}
		}
		rows, err := s.Coverage.CoverageBreakdown(ctx, f.scope(t, s, "root"), coverage.ByIndustry, coverage.CoverageFilter{})
		if err != nil || len(rows) != 1 || rows[0].Key != "I" || rows[0].Total != 5 || rows[0].InScope.Uncovered != 2 || rows[0].Name == "I" {
			t.Errorf("by industry: %+v %v", rows, err)
		}
		list, total, err := s.Coverage.ListUncovered(ctx, store.Caller{Now: now, Scope: f.scope(t, s, "a")}, coverage.UncoveredFilter{})
		if err != nil || total != 1 || len(list) != 1 || list[0].ID != f.orgs["bare"] || list[0].AreaManagerName != "a1" {
			t.Fatalf("uncovered in a: %+v %d %v", list, total, err)
		}
		// Registered 2020-01-01, never covered: uncovered since then.
		if list[0].Since != "2020-01-01" || list[0].DaysUncovered != 2522 {
			t.Errorf("since %s, %d days", list[0].Since, list[0].DaysUncovered)
		}
	})
}

func TestCoverageKeptTrueByEveryWriter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		f := newCovFixture(t, s)
		wantState(t, s, f.orgs["covered"], "org_covered", true)
		wantState(t, s, f.orgs["worked"], "work_covered", true)
		wantState(t, s, f.orgs["small"], "uncovered", false)

		t.Run("organization edit", func(t *testing.T) {
			if _, err := s.Registry.SaveOrganization(ctx, storetest.Sys(), f.orgs["bare"], domain.OrganizationInput{Employees: storetest.Ptr(10)}, nil); err != nil {
				t.Fatal(err)
			}
			wantState(t, s, f.orgs["bare"], "uncovered", false)
		})
		t.Run("cover added and removed", func(t *testing.T) {
			if err := s.Registry.AddCover(ctx, storetest.Sys(), f.orgs["small"], registry.CoverInput{PartyOrgID: f.ids["a1x"]}); err != nil {
				t.Fatal(err)
			}
			wantState(t, s, f.orgs["small"], "org_covered", false)
			// a1x now covers two organizations: joint for both.
			if _, by, _, _, _, _ := storetest.Materialized(ctx, s.DB, f.orgs["covered"]); by != "joint" {
				t.Errorf("covered by %q, want joint", by)
			}
			if err := s.Registry.RemoveCover(ctx, storetest.Sys(), f.orgs["small"], f.ids["a1x"]); err != nil {
				t.Fatal(err)
			}
			wantState(t, s, f.orgs["small"], "uncovered", false)
			if _, by, _, _, _, _ := storetest.Materialized(ctx, s.DB, f.orgs["covered"]); by != "own" {
				t.Errorf("covered by %q, want own again", by)
			}
		})
		t.Run("assignment ended", func(t *testing.T) {
			list, err := s.Coverage.GetOrganizationCoverage(ctx, storetest.Sys(), f.orgs["worked"])
			if err != nil || len(list.Assignments) != 1 {
				t.Fatal(list, err)
			}
			if _, err := s.Registry.UpdateAssignment(ctx, storetest.Sys(), list.Assignments[0].ID, registry.AssignmentInput{To: storetest.Ptr("2026-11-01")}); err != nil {
				t.Fatal(err)
			}
			wantState(t, s, f.orgs["worked"], "uncovered", true)
		})
		t.Run("Party org founding date", func(t *testing.T) {
			bx, err := s.Registry.CreatePartyOrg(ctx, storetest.Sys(), storetest.Ptr(f.ids["b"]), domain.PartyOrgInput{Name: storetest.Ptr("bx"), Type: storetest.Ptr("branch"), Region: storetest.Ptr("510104"), FoundedOn: storetest.Ptr("2025-01-01")})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Registry.AddCover(ctx, storetest.Sys(), f.orgs["other"], registry.CoverInput{PartyOrgID: bx.ID}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Registry.UpdatePartyOrg(ctx, storetest.Sys(), bx.ID, domain.PartyOrgInput{FoundedOn: storetest.Ptr("2024-06-01")}); err != nil {
				t.Fatal(err)
			}
			if st, _, since, _, _, _ := storetest.Materialized(ctx, s.DB, f.orgs["other"]); st != "org_covered" || since != "2024-06-01" {
				t.Errorf("other: %s since %s, want org_covered since the new founding date", st, since)
			}
		})
		t.Run("target setting", func(t *testing.T) {
			st := domain.DefaultCoverageSettings()
			st.Target.MinEmployees = 3
			if _, err := s.Registry.SetCoverageSettings(ctx, storetest.Sys(), st); err != nil {
				t.Fatal(err)
			}
			wantState(t, s, f.orgs["small"], "uncovered", true)
		})
		t.Run("Party org dissolved", func(t *testing.T) {
			if _, err := s.Registry.DissolvePartyOrg(ctx, storetest.Sys(), f.ids["a1x"], domain.DissolveInput{DissolvedOn: "2026-11-20", Reason: "企业注销"}); err != nil {
				t.Fatal(err)
			}
			wantState(t, s, f.orgs["covered"], "uncovered", true)
			if _, _, since, _, _, _ := storetest.Materialized(ctx, s.DB, f.orgs["covered"]); since != "2026-11-20" {
				t.Errorf("uncovered since %q, want the dissolution day", since)
			}
		})
		t.Run("raw writes then RefreshCoverage", func(t *testing.T) {
			if err := storetest.RawExec(ctx, s.DB, `UPDATE organizations SET cov_state = 'work_covered', cov_in_scope = 0`); err != nil {
				t.Fatal(err)
			}
			if err := s.Registry.RefreshCoverage(ctx, now, []int64{f.orgs["bare"]}); err != nil {
				t.Fatal(err)
			}
			wantState(t, s, f.orgs["bare"], "uncovered", true)
			wantState(t, s, f.orgs["small"], "work_covered", false) // not asked for
			if err := s.Registry.RefreshCoverage(ctx, now, nil); err != nil {
				t.Fatal(err)
			}
			wantState(t, s, f.orgs["small"], "uncovered", true)
		})
	})
}

func TestCoverageFollowsTheDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		f := newCovFixture(t, s)
		a, err := s.Registry.CreateAssignment(ctx, storetest.Sys(), f.orgs["bare"], registry.AssignmentInput{Person: storetest.Ptr("李联络"), Role: storetest.Ptr("liaison"), From: storetest.Ptr("2026-11-01"), To: storetest.Ptr("2026-11-30")})
		if err != nil || a.ID == 0 {
			t.Fatal(err)
		}
		wantState(t, s, f.orgs["bare"], "work_covered", true)
		later := now.AddDate(0, 0, 5)
		if stale, err := s.Registry.CoverageStale(ctx, now); err != nil || stale {
			t.Fatalf("stale today: %v %v", stale, err)
		}
		if stale, err := s.Registry.CoverageStale(ctx, later); err != nil || !stale {
			t.Fatalf("not stale five days on: %v %v", stale, err)
		}
		if err := s.Registry.RefreshCoverage(ctx, later, nil); err != nil {
			t.Fatal(err)
		}
		wantState(t, s, f.orgs["bare"], "uncovered", true)
		if _, _, since, _, on, _ := storetest.Materialized(ctx, s.DB, f.orgs["bare"]); since != "2026-12-01" || on != "2026-12-02" {
			t.Errorf("since %s computed %s", since, on)
		}
		if stale, _ := s.Registry.CoverageStale(ctx, later); stale {
			t.Error("still stale after the full refresh")
		}
	})
}

func TestCoverageSettingsValidatedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := storetest.Tree(t, s)
		bad := domain.DefaultCoverageSettings()
		bad.Target.MinEmployees = -1
		bad.MaxTransitDays = 9999
		bad.AcceptedUSCC = []string{"abc"}
		_, err := s.Registry.SetCoverageSettings(ctx, storetest.Sys(), bad)
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Fields["target.min_employees"] == "" || ve.Fields["max_transit_days"] == "" || ve.Fields["accepted_uscc"] == "" {
			t.Fatalf("want three field errors, got %v", err)
		}
		// A code with a wrong check character is refused until listed.
		good := domain.MakeUSCC("91", "510104", "MA6C0009")
		wrong := good[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(indexOf(good[17])+1)%31])
		in := domain.OrganizationInput{USCC: storetest.Ptr(wrong), Name: storetest.Ptr("成都例外有限公司"), Region: storetest.Ptr("510104"), Industry: storetest.Ptr("I"), AreaManagerID: storetest.Ptr(ids["a1"])}
		if _, err := s.Registry.SaveOrganization(ctx, storetest.Sys(), 0, in, nil); err == nil {
			t.Fatal("wrong check character accepted")
		}
		st := domain.DefaultCoverageSettings()
		st.AcceptedUSCC = []string{" " + wrong[:10] + " " + wrong[10:]} // normalized on the way in
		saved, err := s.Registry.SetCoverageSettings(ctx, storetest.Sys(), st)
		if err != nil || saved.AcceptedUSCC[0] != wrong {
			t.Fatalf("%v %v", saved.AcceptedUSCC, err)
		}
		if _, err := s.Registry.SaveOrganization(ctx, storetest.Sys(), 0, in, nil); err != nil {
			t.Fatalf("listed code refused: %v", err)
		}
		events, _, err := s.ListAudit(ctx, store.AuditFilter{ObjectType: "settings", ObjectID: "coverage", Page: store.Page{Size: 10}})
		if err != nil || len(events) != 1 || events[0].Action != "settings_change" {
			t.Fatalf("audit: %+v %v", events, err)
		}
	})
}

func indexOf(c byte) int {
	for i, x := range []byte("0123456789ABCDEFGHJKLMNPQRTUWXY") {
		if x == c {
			return i
		}
	}
	return 0
}

func TestCoverageSnapshotIdempotentPerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		f := newCovFixture(t, s)
		for i := 0; i < 2; i++ {
			n, err := s.Coverage.WriteCoverageSnapshot(ctx, storetest.Sys())
			if err != nil || n != 3 { // root, a, b
				t.Fatalf("snapshot: %d %v", n, err)
			}
		}
		root := store.Caller{Now: now, Scope: f.scope(t, s, "root")}
		tr, err := s.Coverage.CoverageTrend(ctx, root, "", 30)
		if err != nil || len(tr.Points) != 1 || tr.PartyOrgID != f.ids["root"] || tr.Points[0].InScope.Uncovered != 2 {
			t.Fatalf("trend: %+v %v", tr, err)
		}
		// Today's point is live: an instructor assigned after the snapshot
		// moves it at once, while the stored snapshot keeps its figure.
		if _, err := s.Registry.CreateAssignment(ctx, storetest.Sys(), f.orgs["bare"], registry.AssignmentInput{Person: storetest.Ptr("李指导"), Role: storetest.Ptr("instructor"), From: storetest.Ptr("2026-11-27")}); err != nil {
			t.Fatal(err)
		}
		if tr, _ := s.Coverage.CoverageTrend(ctx, root, "", 30); len(tr.Points) != 1 || tr.Points[0].InScope.Uncovered != 1 || tr.Points[0].InScope.WorkCovered != 2 {
			t.Fatalf("live today: %+v", tr.Points)
		}
		// Backfill fills the days without a snapshot, and not today again.
		n, err := s.Coverage.BackfillCoverageSnapshots(ctx, now, 10)
		if err != nil || n != 27 {
			t.Fatalf("backfill wrote %d: %v", n, err)
		}
		tr, _ = s.Coverage.CoverageTrend(ctx, root, "", 30)
		if len(tr.Points) != 10 {
			t.Fatalf("%d points", len(tr.Points))
		}
		// Ten days ago the first instructor (from 2026-01-01) was already
		// there, the second not yet.
		if p := tr.Points[0]; p.Day != "2026-11-18" || p.InScope.WorkCovered != 1 || p.InScope.OrgCovered != 1 {
			t.Errorf("first point %+v", p)
		}
		// A caller below the snapshot nodes sees no trend.
		if tr, _ := s.Coverage.CoverageTrend(ctx, store.Caller{Now: now, Scope: f.scope(t, s, "a1")}, "", 30); len(tr.Points) != 0 || tr.Note == "" {
			t.Errorf("a1 sees %+v", tr)
		}
		if tr, _ := s.Coverage.CoverageTrend(ctx, store.Caller{Now: now.Add(48 * time.Hour), Scope: f.scope(t, s, "b")}, "", 30); tr.PartyOrgID != f.ids["b"] {
			t.Errorf("b sees %+v", tr)
		}
	})
}
