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

var now = storetest.Now

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
		if err := storetest.RawExec(ctx, s.DB, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '')`); err != nil {
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
			if err := storetest.RawExec(ctx, s.DB, q); err != nil {
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
		if err := storetest.RawExec(ctx, s.DB, `INSERT INTO party_org_covers (party_org_id, organization_id) SELECT 1, 1 WHERE 1 = 0`); err != nil {
			t.Fatalf("0004's table is back: %v", err)
		}
	})
}

func TestScopeIsASubtree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := storetest.Tree(t, s)
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
			if _, err := s.Registry.CreatePartyOrg(ctx, storetest.Sys(), storetest.Ptr(ids["root"]), domain.PartyOrgInput{Name: storetest.Ptr(fmt.Sprint("n", i)), Type: storetest.Ptr("work_committee"), Region: storetest.Ptr("510104")}); err != nil {
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
		_, total, _ = s.Registry.ListPartyOrgs(ctx, sc, registry.PartyOrgFilter{Under: storetest.Ptr(ids["b"])})
		if total != 0 {
			t.Fatalf("under=b from scope a sees %d", total)
		}
		_, total, _ = s.Registry.ListPartyOrgs(ctx, sc, registry.PartyOrgFilter{Under: storetest.Ptr(ids["a1"])})
		if total != 2 {
			t.Fatalf("under=a1 sees %d", total)
		}
	})
}

func TestWritesAreAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := storetest.Tree(t, s)
		// A duplicate sibling name fails as a conflict and leaves no trace:
		// no node, no history, no audit record.
		before, _, _ := s.ListAudit(ctx, store.AuditFilter{})
		_, err := s.Registry.CreatePartyOrg(ctx, storetest.Sys(), storetest.Ptr(ids["a"]), domain.PartyOrgInput{Name: storetest.Ptr("a1"), Type: storetest.Ptr("industry_committee"), Region: storetest.Ptr("510104")})
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
		_, err = s.Registry.CreatePartyOrg(ctx, storetest.Sys(), storetest.Ptr(ids["a"]), domain.PartyOrgInput{Name: storetest.Ptr("z"), Type: storetest.Ptr("branch"), Region: storetest.Ptr("999999")})
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Fields["region"] == "" {
			t.Fatalf("unknown region: %v", err)
		}
	})
}

func TestAuditTrailIsAppendOnlyAndVerifiable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		storetest.Tree(t, s)
		res, err := s.VerifyAudit(ctx)
		if err != nil || !res.OK || res.Checked != 6 {
			t.Fatalf("verify intact: %+v %v", res, err)
		}
		if err := storetest.RawExec(ctx, s.DB, `UPDATE audit_events SET reason = 'x' WHERE id = 3`); err == nil {
			t.Fatal("the database allowed an audit record to be edited")
		}
		if err := storetest.RawExec(ctx, s.DB, `DELETE FROM audit_events WHERE id = 3`); err == nil {
			t.Fatal("the database allowed an audit record to be deleted")
		}
		// Someone with raw database access removes the guard and edits a record.
		storetest.DropAuditGuard(ctx, t, s.DB)
		if err := storetest.RawExec(ctx, s.DB, `UPDATE audit_events SET after_json = '{"name":"forged"}' WHERE id = 3`); err != nil {
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
		ids := storetest.Tree(t, s)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, err := s.Registry.CreatePartyOrg(ctx, storetest.Sys(), storetest.Ptr(ids["b"]), domain.PartyOrgInput{Name: storetest.Ptr(fmt.Sprint("并发", i)), Type: storetest.Ptr("branch"), Region: storetest.Ptr("510104")})
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
		ids := storetest.Tree(t, s)
		c := storetest.Sys()
		c.Actor.Username = "city"
		c.Now = now.Add(time.Hour)
		if _, err := s.Registry.UpdatePartyOrg(ctx, c, ids["a1"], domain.PartyOrgInput{SecretaryName: storetest.Ptr("王芳")}); err != nil {
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

// TestWholeTreeScope checks the shortcut for a scope that holds every Party
// org (no scope condition at all): it must see exactly what the scope
// condition would, and stop applying once a Party org exists outside it.
func TestWholeTreeScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := storetest.Tree(t, s)
		if err := s.Registry.EnsureBaseRegions(ctx); err != nil {
			t.Fatal(err)
		}
		register := func(i int, manager int64) {
			t.Helper()
			uscc := domain.MakeUSCC("91", "510104", fmt.Sprintf("MA6C%04d", i))
			if _, err := s.Registry.SaveOrganization(ctx, storetest.Sys(), 0, domain.OrganizationInput{USCC: storetest.Ptr(uscc), Name: storetest.Ptr(fmt.Sprint("测试组织", i)),
				Region: storetest.Ptr("510104"), Industry: storetest.Ptr("I"), AreaManagerID: storetest.Ptr(manager)}, nil); err != nil {
				t.Fatal(err)
			}
			id := domain.MakeIDNumber("510104", time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), i, true)
			if _, err := s.Members.SaveMember(ctx, storetest.Sys(), 0, domain.MemberInput{Name: storetest.Ptr(fmt.Sprint("王", i)), IDNumber: storetest.Ptr(id), JoinedOn: storetest.Ptr("2015-07-01"),
				FullMemberOn: storetest.Ptr("2016-07-01"), Status: storetest.Ptr("full"), PartyOrgID: storetest.Ptr(manager)}); err != nil {
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
		other, err := s.Registry.CreatePartyOrg(ctx, storetest.Sys(), nil, domain.PartyOrgInput{Name: storetest.Ptr("other"), Type: storetest.Ptr("work_committee"), Region: storetest.Ptr("510104")})
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
