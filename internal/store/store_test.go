package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/registry"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

var now = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

func sys() store.Caller { return store.System(now, "test") }

// tree builds root → a → a1, a2 and root → b; returns their ids by name.
func tree(t *testing.T, s *stores.Set) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	ids := map[string]int64{}
	mk := func(name, parent, typ string) {
		var pid *int64
		if parent != "" {
			pid = ptr(ids[parent])
		}
		o, err := s.Registry.CreatePartyOrg(ctx, sys(), pid, domain.PartyOrgInput{Name: ptr(name), Type: ptr(typ), Region: ptr("510104")})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		ids[name] = o.ID
	}
	mk("root", "", "work_committee")
	mk("a", "root", "work_committee")
	mk("b", "root", "work_committee")
	mk("a1", "a", "industry_committee")
	mk("a2", "a", "industry_committee")
	mk("a1x", "a1", "branch")
	return ids
}

func TestMigrateIsIdempotentAndRefusesNewerSchema(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		n, err := s.Migrate(ctx, now)
		if err != nil || n != 0 {
			t.Fatalf("second migrate ran %d: %v", n, err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
		if err := store.ExecForTest(ctx, s.DB, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '')`); err != nil {
			t.Fatal(err)
		}
		var tooNew *store.ErrSchemaTooNew
		if err := s.CheckSchema(ctx); !errors.As(err, &tooNew) || !strings.Contains(err.Error(), "999") {
			t.Fatalf("CheckSchema: %v", err)
		}
		if _, err := s.Migrate(ctx, now); !errors.As(err, &tooNew) {
			t.Fatalf("Migrate on a newer schema: %v", err)
		}
	})
}

// A migration whose version is missing runs even when a higher one is
// recorded: two branches each add one (0005 and 0006), and a database
// migrated on one branch gets the other's after the merge.
func TestMigrateAppliesAMissingLowerVersion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		for _, q := range []string{`DROP TABLE coverage_assignments`, `DROP TABLE party_org_covers`, `DELETE FROM schema_migrations WHERE version = 4`} {
			if err := store.ExecForTest(ctx, s.DB, q); err != nil {
				t.Fatal(err)
			}
		}
		var behind *store.ErrSchemaBehind
		if err := s.CheckSchema(ctx); !errors.As(err, &behind) {
			t.Fatalf("CheckSchema with 0004 missing: %v", err)
		}
		if n, err := s.Migrate(ctx, now); err != nil || n != 1 {
			t.Fatalf("migrate ran %d: %v", n, err)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
		if err := store.ExecForTest(ctx, s.DB, `INSERT INTO party_org_covers (party_org_id, organization_id) SELECT 1, 1 WHERE 1 = 0`); err != nil {
			t.Fatalf("0004's table is back: %v", err)
		}
	})
}

func TestScopeIsASubtree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := tree(t, s)
		a, err := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids["a"])
		if err != nil {
			t.Fatal(err)
		}
		sc := store.Scope{Path: a.Path}
		items, total, err := s.Registry.ListPartyOrgs(ctx, sc, registry.PartyOrgFilter{Page: store.Page{Size: 50}})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, o := range items {
			names = append(names, o.Name)
		}
		if total != 4 || strings.Join(names, ",") != "a,a1,a1x,a2" {
			t.Fatalf("scope a sees %d: %v", total, names)
		}
		if _, err := s.Registry.GetPartyOrg(ctx, sc, ids["b"]); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("b visible from a: %v", err)
		}
		if _, err := s.Registry.GetPartyOrg(ctx, sc, ids["root"]); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("the parent is visible from a: %v", err)
		}
		// A scope with id 1 must not see id 10's subtree ("/1/" vs "/10/").
		for i := 0; i < 12; i++ {
			if _, err := s.Registry.CreatePartyOrg(ctx, sys(), ptr(ids["root"]), domain.PartyOrgInput{Name: ptr(fmt.Sprint("n", i)), Type: ptr("work_committee"), Region: ptr("510104")}); err != nil {
				t.Fatal(err)
			}
		}
		b, _ := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids["b"])
		_, total, err = s.Registry.ListPartyOrgs(ctx, store.Scope{Path: b.Path}, registry.PartyOrgFilter{})
		if err != nil || total != 1 {
			t.Fatalf("scope b sees %d: %v", total, err)
		}
		// An unbound scope sees nothing.
		if _, total, _ := s.Registry.ListPartyOrgs(ctx, store.Scope{}, registry.PartyOrgFilter{}); total != 0 {
			t.Fatalf("empty scope sees %d", total)
		}
		// under and parent_id filters stay inside the scope.
		_, total, _ = s.Registry.ListPartyOrgs(ctx, sc, registry.PartyOrgFilter{Under: ptr(ids["b"])})
		if total != 0 {
			t.Fatalf("under=b from scope a sees %d", total)
		}
		_, total, _ = s.Registry.ListPartyOrgs(ctx, sc, registry.PartyOrgFilter{Under: ptr(ids["a1"])})
		if total != 2 {
			t.Fatalf("under=a1 sees %d", total)
		}
	})
}

func TestMoveRewritesSubtree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := tree(t, s)
		if _, err := s.Registry.MovePartyOrg(ctx, sys(), ids["a1"], ids["b"]); err != nil {
			t.Fatal(err)
		}
		b, _ := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids["b"])
		x, _ := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids["a1x"])
		if x.Path != fmt.Sprintf("%s%d/%d/", b.Path, ids["a1"], ids["a1x"]) || x.Depth != b.Depth+2 {
			t.Fatalf("grandchild path %s depth %d after move under %s", x.Path, x.Depth, b.Path)
		}
		for _, c := range []struct {
			node, parent string
		}{{"b", "a1x"}, {"b", "b"}, {"root", "b"}} {
			_, err := s.Registry.MovePartyOrg(ctx, sys(), ids[c.node], ids[c.parent])
			var ve *domain.ValidationError
			if !errors.As(err, &ve) || ve.Fields["parent_id"] == "" {
				t.Errorf("move %s under %s: %v", c.node, c.parent, err)
			}
		}
		h, err := s.Registry.PartyOrgHistory(ctx, store.ScopeAll, ids["a1"])
		if err != nil || len(h) != 2 || h[0].Action != "move" || h[0].Changes["parent_id"].From == nil {
			t.Fatalf("history %+v %v", h, err)
		}
	})
}

func TestWritesAreAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := tree(t, s)
		// A duplicate sibling name fails as a conflict and leaves no trace:
		// no node, no history, no audit record.
		before, _, _ := s.ListAudit(ctx, store.AuditFilter{})
		_, err := s.Registry.CreatePartyOrg(ctx, sys(), ptr(ids["a"]), domain.PartyOrgInput{Name: ptr("a1"), Type: ptr("industry_committee"), Region: ptr("510104")})
		if !errors.Is(err, domain.ErrConflict) {
			t.Fatalf("duplicate name: %v", err)
		}
		after, _, _ := s.ListAudit(ctx, store.AuditFilter{})
		if len(after) != len(before) {
			t.Fatalf("audit grew on a failed write")
		}
		if n, _ := s.Bulk.CountAllPartyOrgs(ctx); n != 6 {
			t.Fatalf("%d orgs", n)
		}
		// An unknown region is refused naming the field.
		_, err = s.Registry.CreatePartyOrg(ctx, sys(), ptr(ids["a"]), domain.PartyOrgInput{Name: ptr("z"), Type: ptr("branch"), Region: ptr("999999")})
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Fields["region"] == "" {
			t.Fatalf("unknown region: %v", err)
		}
	})
}

func TestAuditTrailIsAppendOnlyAndVerifiable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		tree(t, s)
		res, err := s.VerifyAudit(ctx)
		if err != nil || !res.OK || res.Checked != 6 {
			t.Fatalf("verify intact: %+v %v", res, err)
		}
		if err := store.ExecForTest(ctx, s.DB, `UPDATE audit_events SET reason = 'x' WHERE id = 3`); err == nil {
			t.Fatal("the database allowed an audit record to be edited")
		}
		if err := store.ExecForTest(ctx, s.DB, `DELETE FROM audit_events WHERE id = 3`); err == nil {
			t.Fatal("the database allowed an audit record to be deleted")
		}
		// Someone with raw database access removes the guard and edits a record.
		store.DropAuditGuardForTest(ctx, t, s.DB)
		if err := store.ExecForTest(ctx, s.DB, `UPDATE audit_events SET after_json = '{"name":"forged"}' WHERE id = 3`); err != nil {
			t.Fatal(err)
		}
		res, err = s.VerifyAudit(ctx)
		if err != nil || res.OK || res.BrokenID != 3 {
			t.Fatalf("verify after tampering: %+v %v", res, err)
		}
	})
}

func TestAuditChainUnderConcurrentWrites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := tree(t, s)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := s.Registry.CreatePartyOrg(ctx, sys(), ptr(ids["b"]), domain.PartyOrgInput{Name: ptr(fmt.Sprint("并发", i)), Type: ptr("branch"), Region: ptr("510104")})
				if err == nil && i%4 == 0 {
					err = s.Audit(ctx, audit.New(now, audit.Actor{Username: "x"}, audit.ActionLoginFailed, "user", "", audit.ResultFailure))
				}
				errs <- err
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		res, err := s.VerifyAudit(ctx)
		if err != nil || !res.OK || res.Checked != 6+40+10 {
			t.Fatalf("verify: %+v %v", res, err)
		}
	})
}

func TestAuditFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := tree(t, s)
		c := sys()
		c.Actor.Username = "city"
		c.Now = now.Add(time.Hour)
		if _, err := s.Registry.UpdatePartyOrg(ctx, c, ids["a1"], domain.PartyOrgInput{SecretaryName: ptr("王芳")}); err != nil {
			t.Fatal(err)
		}
		evs, total, err := s.ListAudit(ctx, store.AuditFilter{Username: "city", Action: "update", ObjectType: "party_org", ObjectID: fmt.Sprint(ids["a1"]), From: now.Add(30 * time.Minute)})
		// The auditor reads the secretary's name masked (issue 11).
		if err != nil || total != 1 || !strings.Contains(evs[0].After, `"secretary_name":"王*"`) || strings.Contains(evs[0].Before, "王") {
			t.Fatalf("%d %+v %v", total, evs, err)
		}
		_, total, _ = s.ListAudit(ctx, store.AuditFilter{Username: "city", To: now.Add(30 * time.Minute)})
		if total != 0 {
			t.Fatalf("time filter: %d", total)
		}
	})
}

// TestConcurrentMoveAndCreate: children created while their parent's
// subtree moves always get the parent's final path.
func TestConcurrentMoveAndCreate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := tree(t, s)
		var wg sync.WaitGroup
		errs := make(chan error, 30)
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := s.Registry.CreatePartyOrg(ctx, sys(), ptr(ids["a1"]), domain.PartyOrgInput{Name: ptr(fmt.Sprint("子", i)), Type: ptr("branch"), Region: ptr("510104")})
				errs <- err
			}(i)
			if i%5 == 0 {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					to := ids["b"]
					if i%10 == 0 {
						to = ids["a"]
					}
					_, err := s.Registry.MovePartyOrg(ctx, sys(), ids["a1"], to)
					var ve *domain.ValidationError
					if errors.As(err, &ve) { // "already there": a valid outcome of the race
						err = nil
					}
					errs <- err
				}(i)
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		a1, _ := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids["a1"])
		items, total, err := s.Registry.ListPartyOrgs(ctx, store.ScopeAll, registry.PartyOrgFilter{ParentID: ptr(ids["a1"]), Page: store.Page{Size: 100}})
		if err != nil || total != 21 {
			t.Fatalf("%d children: %v", total, err)
		}
		for _, c := range items {
			if c.Path != fmt.Sprintf("%s%d/", a1.Path, c.ID) {
				t.Errorf("child %s has path %s under %s", c.Name, c.Path, a1.Path)
			}
		}
	})
}

// TestWholeTreeScope checks the shortcut for a scope that holds every Party
// org (no scope condition at all): it must see exactly what the scope
// condition would, and stop applying once a Party org exists outside it.
func TestWholeTreeScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := tree(t, s)
		if err := s.Registry.EnsureBaseRegions(ctx); err != nil {
			t.Fatal(err)
		}
		register := func(i int, manager int64) {
			t.Helper()
			uscc := domain.MakeUSCC("91", "510104", fmt.Sprintf("MA6C%04d", i))
			if _, err := s.Registry.SaveOrganization(ctx, sys(), 0, domain.OrganizationInput{USCC: ptr(uscc), Name: ptr(fmt.Sprint("测试组织", i)),
				Region: ptr("510104"), Industry: ptr("I"), AreaManagerID: ptr(manager)}, nil); err != nil {
				t.Fatal(err)
			}
			id := domain.MakeIDNumber("510104", time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), i, true)
			if _, err := s.Members.SaveMember(ctx, sys(), 0, domain.MemberInput{Name: ptr(fmt.Sprint("王", i)), IDNumber: ptr(id), JoinedOn: ptr("2015-07-01"),
				FullMemberOn: ptr("2016-07-01"), Status: ptr("full"), PartyOrgID: ptr(manager)}); err != nil {
				t.Fatal(err)
			}
		}
		register(1, ids["a1x"])
		register(2, ids["b"])
		counts := func(name string) (orgs, mems, byName int) {
			t.Helper()
			o, err := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids[name])
			if err != nil {
				t.Fatal(err)
			}
			sc := store.Scope{Path: o.Path}
			_, orgs, err = s.Registry.ListOrganizations(ctx, sc, registry.OrganizationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			_, mems, err = s.Members.ListMembers(ctx, sc, members.MemberFilter{})
			if err != nil {
				t.Fatal(err)
			}
			_, byName, err = s.Members.ListMembers(ctx, sc, members.MemberFilter{Q: "王"})
			if err != nil {
				t.Fatal(err)
			}
			return orgs, mems, byName
		}
		if o, m, n := counts("root"); o != 2 || m != 2 || n != 2 {
			t.Fatalf("root sees %d organizations, %d mems, %d by name", o, m, n)
		}
		if o, m, n := counts("a"); o != 1 || m != 1 || n != 1 {
			t.Fatalf("a sees %d organizations, %d mems, %d by name", o, m, n)
		}
		// A second root: the first no longer holds the whole tree.
		other, err := s.Registry.CreatePartyOrg(ctx, sys(), nil, domain.PartyOrgInput{Name: ptr("other"), Type: ptr("work_committee"), Region: ptr("510104")})
		if err != nil {
			t.Fatal(err)
		}
		ids["other"] = other.ID
		register(3, other.ID)
		if o, m, n := counts("root"); o != 2 || m != 2 || n != 2 {
			t.Fatalf("with a second root, root sees %d organizations, %d mems, %d by name", o, m, n)
		}
		if _, total, _ := s.Registry.ListOrganizations(ctx, store.ScopeAll, registry.OrganizationFilter{}); total != 3 {
			t.Fatalf("the whole tree has %d organizations", total)
		}
	})
}
