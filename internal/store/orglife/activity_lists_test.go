package orglife_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/orglife"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// keptFacts compares what migration 0025's triggers keep with the same
// read from scratch: the counts per day, type and status, and each host
// row's start and role.
func keptFacts(t *testing.T, s *stores.Set) {
	t.Helper()
	ctx := context.Background()
	read := func(q string) []string {
		rows, err := s.DB.QueryRows(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var a, b, c string
			var n int
			if err := rows.Scan(&a, &b, &c, &n); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s %s %s %d", a, b, c, n))
		}
		return out
	}
	kept := read(`SELECT start_date, type, status, n FROM activity_counts WHERE n <> 0 ORDER BY 1, 2, 3`)
	scratch := read(`SELECT start_date, type, status, COUNT(*) FROM activities GROUP BY start_date, type, status ORDER BY 1, 2, 3`)
	if !slices.Equal(kept, scratch) {
		t.Errorf("kept counts\n%v\nfrom scratch\n%v", kept, scratch)
	}
	bad := read(`SELECT CAST(h.activity_id AS TEXT), CAST(h.party_org_id AS TEXT), COALESCE(h.starts_at, 'null'), COALESCE(h.co_host, -1)
		FROM activity_hosts h JOIN activities a ON a.id = h.activity_id
		WHERE h.starts_at IS NULL OR h.starts_at <> a.starts_at OR h.co_host IS NULL
			OR h.co_host <> CASE WHEN h.party_org_id = a.party_org_id THEN 0 ELSE 1 END`)
	if len(bad) > 0 {
		t.Errorf("host rows that are not their activity's: %v", bad)
	}
}

// TestActivityListFactsKept: creating, moving, re-hosting, holding and
// cancelling activities keeps the hosts' starts and roles and the counts
// per day on both engines, and the lists read through them count a joint
// activity once in every scope that holds a host.
func TestActivityListFactsKept(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := storetest.Tree(t, s)
		branch := func(name, parent string) int64 {
			o, err := s.Registry.CreatePartyOrg(ctx, storetest.Sys(), storetest.Ptr(ids[parent]),
				domain.PartyOrgInput{Name: storetest.Ptr(name), Type: storetest.Ptr("branch"), Region: storetest.Ptr("510104")})
			if err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		a1x, a2x, bx := ids["a1x"], branch("a2x", "a2"), branch("bx", "b")
		at := func(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 0, 0, 0, domain.Shanghai) }
		create := func(in activity.ActivityInput) orglife.ActivityView {
			t.Helper()
			v, err := s.Life.CreateActivity(ctx, storetest.Sys(), in)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		plain := create(activity.ActivityInput{PartyOrgID: a1x, Type: activity.ThemeDay, Title: "主题党日", StartsAt: at(5, 9), EndsAt: at(5, 11), Address: "会议室", Status: activity.ActivityPlanned})
		joint := activity.ActivityInput{PartyOrgID: a1x, CoHostIDs: []int64{a2x, bx}, Type: activity.JointThemeDay, Title: "联合主题党日",
			StartsAt: at(6, 9), EndsAt: at(6, 11), Address: "党群服务中心", Status: activity.ActivityPlanned}
		j := create(joint)
		// Early in the morning in Chengdu: the day before in UTC.
		early := create(activity.ActivityInput{PartyOrgID: bx, Type: activity.PartyLecture, Title: "党课", StartsAt: at(7, 7), EndsAt: at(7, 8), Address: "会议室", Status: activity.ActivityPlanned})
		keptFacts(t, s)

		// Moved a day and re-hosted: 青羊 (b) now hosts it, a1x co-hosts.
		joint.PartyOrgID, joint.CoHostIDs = bx, []int64{a1x, a2x}
		joint.StartsAt, joint.EndsAt = at(8, 14), at(8, 16)
		if _, err := s.Life.UpdateActivity(ctx, storetest.Sys(), j.ID, joint, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Life.CancelActivity(ctx, storetest.Sys(), plain.ID, activity.CancelInput{Reason: "改期"}); err != nil {
			t.Fatal(err)
		}
		keptFacts(t, s)

		scope := func(name string) store.Scope {
			o, err := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids[name])
			if err != nil {
				t.Fatal(err)
			}
			return store.Scope{Path: o.Path}
		}
		for _, c := range []struct {
			who  string
			from string
			want []int64
		}{
			{"root", "2026-12-01", []int64{j.ID, early.ID, plain.ID}},
			{"a", "2026-12-01", []int64{j.ID, plain.ID}}, // a1x and a2x co-host: once
			{"b", "2026-12-01", []int64{j.ID, early.ID}},
			{"a2", "2026-12-01", []int64{j.ID}},
			{"b", "2026-12-07", []int64{j.ID, early.ID}},
			{"b", "2026-12-08", []int64{j.ID}},
		} {
			got, total, err := s.Life.ListActivities(ctx, scope(c.who), orglife.ActivityFilter{From: c.from, To: "2026-12-31", Desc: true})
			var gotIDs []int64
			for _, v := range got {
				gotIDs = append(gotIDs, v.ID)
			}
			if err != nil || total != len(c.want) || !slices.Equal(gotIDs, c.want) {
				t.Errorf("%s from %s: %v (total %d) %v, want %v", c.who, c.from, gotIDs, total, err, c.want)
			}
		}
		days, err := s.Life.ActivityCalendar(ctx, scope("a"), orglife.ActivityFilter{From: "2026-12-05", To: "2026-12-08"}, 3)
		if err != nil || len(days) != 4 || days[0].Total != 1 || days[1].Total != 0 || days[3].Total != 1 || days[3].Items[0].ID != j.ID {
			t.Errorf("a's calendar: %+v %v", days, err)
		}
		days, err = s.Life.ActivityCalendar(ctx, scope("root"), orglife.ActivityFilter{From: "2026-12-05", To: "2026-12-08", Status: "planned"}, 3)
		if err != nil || len(days) != 4 || days[0].Total != 0 || days[2].Total != 1 || days[2].Items[0].ID != early.ID || days[3].Total != 1 {
			t.Errorf("the city's calendar of planned activities: %+v %v", days, err)
		}
	})
}
