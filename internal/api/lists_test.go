package api_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/api/apitest"
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/orglife"
)

// Issue 13's lists: the activities of a date range and the calendar answer
// every level with exactly what its scope holds.

// accountScope is the data scope of a generated account.
func accountScope(t *testing.T, e *apitest.Env, username string) store.Scope {
	t.Helper()
	var path string
	err := e.Store.DB.QueryRow(context.Background(), (`SELECT p.path FROM users u JOIN party_orgs p ON p.id = u.party_org_id WHERE u.username = ?`), username).Scan(&path)
	if err != nil {
		t.Fatal(err)
	}
	return store.Scope{Path: path}
}

// activitiesTruth is the activities with a host in the scope starting on
// the city dates from..to, newest first, as the issue defines them: read by
// the stored start date and an EXISTS over every host, not the way the
// store reads them.
func activitiesTruth(t *testing.T, e *apitest.Env, sc store.Scope, from, to string) []int64 {
	return activitiesTruthWhere(t, e, sc, from, to, "")
}

// activitiesTruthWhere is activitiesTruth with one more condition on a.
func activitiesTruthWhere(t *testing.T, e *apitest.Env, sc store.Scope, from, to, cond string, args ...any) []int64 {
	t.Helper()
	lo, hi := sc.Bounds()
	if cond != "" {
		cond = " AND " + cond
	}
	rows, err := e.Store.DB.QueryRows(context.Background(), `SELECT a.id FROM activities a
		WHERE a.start_date >= ? AND a.start_date <= ? AND EXISTS (SELECT 1 FROM activity_hosts h JOIN party_orgs p ON p.id = h.party_org_id
			WHERE h.activity_id = a.id AND p.path >= ? AND p.path < ?)`+cond+`
		ORDER BY a.starts_at DESC, a.id DESC`, append([]any{from, to, lo, hi}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

type activityPage struct {
	Items []struct {
		ID int64 `json:"id"`
	} `json:"items"`
	Total int `json:"total"`
}

// pagedActivities reads every page of a list query.
func pagedActivities(t *testing.T, c *apitest.Client, query string) ([]int64, int) {
	t.Helper()
	var ids []int64
	total := -1
	for page := 1; ; page++ {
		var p activityPage
		r := c.Do("GET", fmt.Sprintf("/api/v1/activities?%s&page=%d&page_size=50", query, page), nil)
		if r.Status != 200 {
			t.Fatalf("%s page %d: %d %s", query, page, r.Status, r.Body)
		}
		r.JSON(t, &p)
		if total >= 0 && p.Total != total {
			t.Fatalf("the total moved from %d to %d", total, p.Total)
		}
		total = p.Total
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if len(p.Items) < 50 {
			return ids, total
		}
	}
}

// TestActivitiesOfARangeAtEveryLevel is the contract point: GET
// /activities?from=&to= returns every activity of the range visible to the
// caller, paged, whatever the caller's level; a joint activity hosted from
// two districts is in both, once; moving an activity moves it between
// ranges.
func TestActivitiesOfARangeAtEveryLevel(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		// A joint 主题党日 of a 锦江区 branch and a 青羊区 branch on the
		// range's last day (its main host in 青羊区).
		jin := accountScope(t, e, "branch")
		var qingyangBranch int64
		qlo, qhi := accountScope(t, e, "qingyang").Bounds()
		if err := e.Store.DB.QueryRow(ctx, (`SELECT id FROM party_orgs WHERE type = 'branch' AND status = 'active'
			AND path >= ? AND path < ? ORDER BY id LIMIT 1`), qlo, qhi).Scan(&qingyangBranch); err != nil {
			t.Fatal(err)
		}
		var branchID int64
		if err := e.Store.DB.QueryRow(ctx, (`SELECT id FROM party_orgs WHERE path = ?`), jin.Path).Scan(&branchID); err != nil {
			t.Fatal(err)
		}
		in := activity.ActivityInput{PartyOrgID: qingyangBranch, CoHostIDs: []int64{branchID}, Type: activity.JointThemeDay,
			Title: "联合主题党日：两区党员共学", StartsAt: time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC),
			Address: "锦江区党群服务中心", Status: activity.ActivityPlanned}
		joint, err := e.Store.Life.CreateActivity(ctx, store.System(e.Now(), "test"), in)
		if err != nil {
			t.Fatal(err)
		}

		const from, to = "2026-11-01", "2026-11-30"
		for _, who := range []string{"city", "jinjiang", "qingyang", "committee", "branch"} {
			sc := accountScope(t, e, who)
			want := activitiesTruth(t, e, sc, from, to)
			got, total := pagedActivities(t, e.Login(who), "from="+from+"&to="+to)
			if total != len(want) || !slices.Equal(got, want) {
				t.Errorf("%s: %d activities (total %d), want %d", who, len(got), total, len(want))
			}
			if len(want) == 0 {
				t.Errorf("%s: the generated city has no activity in %s..%s in this scope", who, from, to)
			}
			hasJoint := slices.Contains(got, joint.ID)
			if wantJoint := who == "city" || who == "jinjiang" || who == "qingyang" || who == "branch"; hasJoint != wantJoint {
				t.Errorf("%s sees the joint activity: %v", who, hasJoint)
			}
		}
		// Filtered: by type (the city's kept counts, a district's hosts
		// joined to their activities), by status and title, by one host.
		for _, c := range []struct {
			who, query, cond string
			args             []any
		}{
			{"city", "type=theme_day", "a.type = ?", []any{"theme_day"}},
			{"city", "status=held&type=party_lecture", "a.status = ? AND a.type = ?", []any{"held", "party_lecture"}},
			{"city", "q=" + url.QueryEscape("主题党日"), "a.title LIKE ?", []any{"%主题党日%"}},
			{"jinjiang", "type=theme_day", "a.type = ?", []any{"theme_day"}},
			{"jinjiang", "status=planned", "a.status = ?", []any{"planned"}},
			{"jinjiang", fmt.Sprintf("party_org_id=%d", branchID), "a.id IN (SELECT activity_id FROM activity_hosts WHERE party_org_id = ?)", []any{branchID}},
			{"qingyang", fmt.Sprintf("party_org_id=%d", branchID), "a.id IN (SELECT activity_id FROM activity_hosts WHERE party_org_id = ?)", []any{branchID}},
		} {
			want := activitiesTruthWhere(t, e, accountScope(t, e, c.who), from, to, c.cond, c.args...)
			got, total := pagedActivities(t, e.Login(c.who), "from="+from+"&to="+to+"&"+c.query)
			if total != len(want) || !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("%s %s: %d activities (total %d), want %d", c.who, c.query, len(got), total, len(want))
			}
		}
		// The city's list without a range, oldest first, and its total.
		var all activityPage
		e.Login("city").Do("GET", "/api/v1/activities?sort=starts_at&page_size=5", nil).JSON(t, &all)
		var n int
		if err := e.Store.DB.QueryRow(ctx, `SELECT COUNT(*) FROM activities`).Scan(&n); err != nil || all.Total != n {
			t.Errorf("the city's total %d, want %d (%v)", all.Total, n, err)
		}

		// Moved to the next month: out of November for everyone.
		in.StartsAt, in.EndsAt = in.StartsAt.AddDate(0, 0, 2), in.EndsAt.AddDate(0, 0, 2)
		if _, err := e.Store.Life.UpdateActivity(ctx, store.System(e.Now(), "test"), joint.ID, in, nil); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"city", "branch"} {
			if got, _ := pagedActivities(t, e.Login(who), "from="+from+"&to="+to); slices.Contains(got, joint.ID) {
				t.Errorf("%s: the moved activity is still listed in November", who)
			}
			if got, _ := pagedActivities(t, e.Login(who), "from=2026-12-02&to=2026-12-02"); !slices.Contains(got, joint.ID) {
				t.Errorf("%s: the moved activity is not listed on its new day", who)
			}
		}
	})
}

// TestActivityCalendar: every visible day with its count in the caller's
// scope and its first activities by start, for city staff as for a branch;
// bad requests name their field.
func TestActivityCalendar(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		const from, to = "2026-10-26", "2026-12-06" // six weeks around November
		for _, who := range []string{"city", "jinjiang", "branch"} {
			sc := accountScope(t, e, who)
			var days []orglife.CalendarDay
			r := e.Login(who).Do("GET", "/api/v1/activities/calendar?from="+from+"&to="+to+"&per_day=2", nil)
			if r.Status != 200 {
				t.Fatalf("%s: %d %s", who, r.Status, r.Body)
			}
			r.JSON(t, &days)
			if len(days) != 42 || days[0].Date != from || days[41].Date != to {
				t.Fatalf("%s: %d days", who, len(days))
			}
			crowded := 0
			for _, d := range days {
				want := activitiesTruth(t, e, sc, string(d.Date), string(d.Date))
				slices.Reverse(want) // first by start
				if d.Total != len(want) {
					t.Errorf("%s %s: %d activities, want %d", who, d.Date, d.Total, len(want))
				}
				var got []int64
				for _, it := range d.Items {
					got = append(got, it.ID)
					if domain.DateOf(it.StartsAt) != d.Date || it.Title == "" || it.TypeName == "" {
						t.Errorf("%s %s: item %+v", who, d.Date, it)
					}
				}
				if !slices.Equal(got, want[:min(2, len(want))]) {
					t.Errorf("%s %s: first %v, want %v", who, d.Date, got, want[:min(2, len(want))])
				}
				if d.Total > 2 {
					crowded++
				}
			}
			if who == "city" && crowded == 0 {
				t.Errorf("the city's calendar has no crowded day")
			}
		}
		city := e.Login("city")
		for q, field := range map[string]string{
			"to=2026-11-30":                            "from",
			"from=2026-11-30":                          "to",
			"from=2026-11-01&to=2027-01-05":            "to",
			"from=2026-11-30&to=2026-11-01":            "to",
			"from=2026-11-31&to=2026-12-01":            "from",
			"from=2026-11-01&to=2026-11-30&per_day=11": "per_day",
		} {
			r := city.Do("GET", "/api/v1/activities/calendar?"+q, nil)
			if r.Status != 400 || r.ErrorField(t, field) == "" {
				t.Errorf("%s: %d %s, want 400 naming %s", q, r.Status, r.Body, field)
			}
		}
	})
}
