package partygroups_test

import (
	"context"
	"errors"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/partygroup"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

func member(t *testing.T, s *stores.Set, name, id string, org int64) int64 {
	t.Helper()
	m, err := s.Members.SaveMember(context.Background(), storetest.Sys(), 0, domain.MemberInput{Name: storetest.Ptr(name), IDNumber: storetest.Ptr(id),
		JoinedOn: storetest.Ptr("2015-07-01"), FullMemberOn: storetest.Ptr("2016-07-01"), Status: storetest.Ptr("full"), PartyOrgID: &org})
	if err != nil {
		t.Fatal(err)
	}
	return m.ID
}

func groupsOwed(t *testing.T, s *stores.Set, org int64) string {
	t.Helper()
	v, err := storetest.QueryString(context.Background(), s.DB, `SELECT CAST(party_groups AS TEXT) FROM party_orgs WHERE id = ?`, org)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestPartyGroups: staff set up a branch's 党小组 with a leader of the
// branch, assign its members, and dissolve it; the branch's count of
// active groups (which makes the ledger owe 党小组会) follows; a member moved
// to another Party org leaves the group; only branches have groups, and
// only inside the caller's scope.
func TestPartyGroups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := storetest.Tree(t, s)
		sys := storetest.Sys()
		branch := ids["a1x"]
		m1 := member(t, s, "张一", "510104199003070015", branch)
		m2 := member(t, s, "李二", "510107194910010012", branch)
		other := member(t, s, "王三", "510107199510010040", ids["a2"])

		if _, err := s.Groups.CreateGroup(ctx, sys, ids["a1"], partygroup.PartyGroupInput{Name: storetest.Ptr("第一党小组")}); !isField(err, "party_org_id") {
			t.Fatalf("a group of a committee: %v", err)
		}
		if _, err := s.Groups.CreateGroup(ctx, sys, branch, partygroup.PartyGroupInput{Name: storetest.Ptr("第一党小组"), LeaderMemberID: &other}); !isField(err, "leader_member_id") {
			t.Fatalf("a leader of another org: %v", err)
		}
		g, err := s.Groups.CreateGroup(ctx, sys, branch, partygroup.PartyGroupInput{Name: storetest.Ptr("第一党小组"), LeaderMemberID: &m1, FoundedOn: storetest.Ptr("2026-01-05")})
		if err != nil {
			t.Fatal(err)
		}
		if got := groupsOwed(t, s, branch); got != "1" {
			t.Fatalf("party_groups after a group: %s", got)
		}
		var ce *domain.ConflictError
		if _, err := s.Groups.CreateGroup(ctx, sys, branch, partygroup.PartyGroupInput{Name: storetest.Ptr("第一党小组")}); !errors.As(err, &ce) {
			t.Fatalf("a second group of one name: %v", err)
		}
		if _, err := s.Groups.SetGroupMembers(ctx, sys, g.ID, partygroup.PartyGroupMembers{MemberIDs: []int64{m1, other}}); !isField(err, "member_ids") {
			t.Fatalf("a member of another org: %v", err)
		}
		if _, err := s.Groups.SetGroupMembers(ctx, sys, g.ID, partygroup.PartyGroupMembers{MemberIDs: []int64{m2}}); !isField(err, "member_ids") {
			t.Fatalf("the leader left out: %v", err)
		}
		got, err := s.Groups.SetGroupMembers(ctx, sys, g.ID, partygroup.PartyGroupMembers{MemberIDs: []int64{m1, m2}})
		if err != nil || len(got) != 2 || got[0].GroupID == nil || got[1].GroupID == nil {
			t.Fatalf("members set: %+v %v", got, err)
		}
		views, err := s.Groups.ListGroups(ctx, sys.Scope, branch)
		if err != nil || len(views) != 1 || views[0].MemberCount != 2 || views[0].LeaderName != "张一" {
			t.Fatalf("list: %+v %v", views, err)
		}
		// Another district's staff see nothing of it.
		b, err := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids["b"])
		if err != nil {
			t.Fatal(err)
		}
		outside := sys
		outside.Scope = store.Scope{Path: b.Path}
		if _, err := s.Groups.ListGroups(ctx, outside.Scope, branch); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("listed outside the scope: %v", err)
		}
		if _, err := s.Groups.UpdateGroup(ctx, outside, g.ID, partygroup.PartyGroupInput{Name: storetest.Ptr("越权")}); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("renamed outside the scope: %v", err)
		}
		// A member transferred to another Party org leaves the group.
		a2 := ids["a2"]
		if _, err := s.Members.SaveMember(ctx, sys, m2, domain.MemberInput{PartyOrgID: &a2}); err != nil {
			t.Fatal(err)
		}
		if views, _ := s.Groups.ListGroups(ctx, sys.Scope, branch); views[0].MemberCount != 1 {
			t.Fatalf("a transferred member stays in the group: %+v", views)
		}
		if _, err := s.Groups.DissolveGroup(ctx, sys, g.ID, partygroup.PartyGroupDissolution{DissolvedOn: "2026-11-27"}); err != nil {
			t.Fatal(err)
		}
		if got := groupsOwed(t, s, branch); got != "0" {
			t.Fatalf("party_groups after the dissolution: %s", got)
		}
		if views, _ := s.Groups.ListGroups(ctx, sys.Scope, branch); views[0].MemberCount != 0 || views[0].Status != partygroup.StatusDissolved {
			t.Fatalf("dissolved group: %+v", views)
		}
		if h, err := s.DB.History(ctx, "party_group", g.ID); err != nil || len(h) != 3 {
			t.Fatalf("history: %d %v", len(h), err)
		}
	})
}

func isField(err error, field string) bool {
	var ve *domain.ValidationError
	return errors.As(err, &ve) && ve.Fields[field] != ""
}
