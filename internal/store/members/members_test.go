package members_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/members"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// Issue 12: through every way a member leaves the members store, masked or
// recorded, built from a save with known personal data (a creation and an
// edit of the number and the phone), no plain value shows; the reveal and
// the plain export give them back whole.
func TestNoPlainValueLeavesMasked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		sys := store.System(time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC), "test")
		root, err := s.Registry.CreatePartyOrg(ctx, sys, nil, domain.PartyOrgInput{Name: storetest.Ptr("两新工委"), Type: storetest.Ptr("work_committee"), Region: storetest.Ptr("510104")})
		if err != nil {
			t.Fatal(err)
		}
		org, err := s.Registry.CreatePartyOrg(ctx, sys, &root.ID, domain.PartyOrgInput{Name: storetest.Ptr("某支部"), Type: storetest.Ptr("branch"), Region: storetest.Ptr("510104")})
		if err != nil {
			t.Fatal(err)
		}
		// Joined before 1952: the dates are withheld when shown.
		first := domain.MakeIDNumber("510104", time.Date(1930, 3, 7, 0, 0, 0, 0, time.UTC), 1, true)
		second := domain.MakeIDNumber("510104", time.Date(1931, 3, 7, 0, 0, 0, 0, time.UTC), 2, true)
		m, err := s.Members.SaveMember(ctx, sys, 0, domain.MemberInput{Name: storetest.Ptr("王史"), IDNumber: storetest.Ptr(first), Phone: storetest.Ptr("13800001234"),
			JoinedOn: storetest.Ptr("1950-07-01"), FullMemberOn: storetest.Ptr("1951-07-01"), Status: storetest.Ptr("full"), PartyOrgID: storetest.Ptr(org.ID)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Members.SaveMember(ctx, sys, m.ID, domain.MemberInput{IDNumber: storetest.Ptr(second), Phone: storetest.Ptr("13900005678")}); err != nil {
			t.Fatal(err)
		}
		plain := []string{first, "13800001234", second, "13900005678", "1930-03-07", "1931-03-07", "19300307", "19310307", first[6:14], second[6:14]}

		var out []any
		got, err := s.Members.GetMember(ctx, store.ScopeAll, m.ID)
		out = append(out, got, err)
		list, _, err := s.Members.ListMembers(ctx, store.ScopeAll, members.MemberFilter{})
		out = append(out, list, err)
		err = s.Members.EachMember(ctx, store.ScopeAll, members.MemberFilter{}, func(v members.MemberView) error { out = append(out, v); return nil })
		out = append(out, err)
		hist, err := s.Members.MemberHistory(ctx, store.ScopeAll, m.ID)
		out = append(out, hist, err)
		b, _ := json.Marshal(out)
		// The states the trail stores, as stored (the auditor's reading masks
		// again on top).
		rows, err := s.DB.QueryRows(ctx, `SELECT COALESCE(before_json, ''), COALESCE(after_json, '') FROM audit_events WHERE object_type = 'member'`)
		if err != nil {
			t.Fatal(err)
		}
		states := 0
		for rows.Next() {
			var before, after string
			if err := rows.Scan(&before, &after); err != nil {
				t.Fatal(err)
			}
			b = append(append(b, before...), after...)
			states += len(after)
		}
		rows.Close()
		text := string(b)
		for _, p := range plain {
			if strings.Contains(text, p) {
				t.Errorf("%s leaves masked: %s", p, text)
			}
		}
		for _, mask := range []string{"510104********" + second[14:], "139****5678", `"withheld"`} {
			if !strings.Contains(text, mask) {
				t.Errorf("%s missing: %s", mask, text)
			}
		}
		if states == 0 || len(list) != 1 || len(hist) != 2 {
			t.Fatalf("nothing to look at: %d states, %d members, %d history entries", states, len(list), len(hist))
		}

		r, err := s.Members.RevealMember(ctx, sys, m.ID)
		if err != nil || r.IDNumber != second || r.Phone != "13900005678" || r.BirthDate != "1931-03-07" || r.JoinedOn != "1950-07-01" {
			t.Fatalf("reveal: %+v %v", r, err)
		}
		var rows2 []members.RevealedMember
		if err := s.Members.EachRevealedMember(ctx, store.ScopeAll, members.MemberFilter{}, func(v members.RevealedMember) error {
			rows2 = append(rows2, v)
			return nil
		}); err != nil || len(rows2) != 1 || rows2[0].IDNumber != r.IDNumber || rows2[0].Phone != r.Phone || rows2[0].BirthDate != r.BirthDate {
			t.Fatalf("plain export: %+v %v", rows2, err)
		}
	})
}
