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
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/domain/todo"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/alerts"
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
					if string(domain.DateOf(it.StartsAt)) != d.Date || it.Title == "" || it.TypeName == "" {
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

// todoAnswer is GET /todo.
type todoAnswer struct {
	Counts map[string]int `json:"counts"`
	Groups []todoGroup    `json:"groups"`
}

type todoGroup struct {
	Kind  string     `json:"kind"`
	Name  string     `json:"name"`
	Count int        `json:"count"`
	Items []todoItem `json:"items"`
}

type todoItem struct {
	Kind         string `json:"kind"`
	ID           int64  `json:"id"`
	Title        string `json:"title"`
	PartyOrgID   int64  `json:"party_org_id"`
	PartyOrgName string `json:"party_org_name"`
	Detail       string `json:"detail"`
	Level        string `json:"level"`
	Overdue      bool   `json:"overdue"`
	Since        string `json:"since"`
	AssignedToMe bool   `json:"assigned_to_me"`
}

// group returns the group of a kind (empty when none waits).
func (t todoAnswer) group(kind string) todoGroup {
	for _, g := range t.Groups {
		if g.Kind == kind {
			return g
		}
	}
	return todoGroup{Kind: kind}
}

// ids are the group's items' ids.
func (g todoGroup) ids() []int64 {
	var out []int64
	for _, it := range g.Items {
		out = append(out, it.ID)
	}
	return out
}

// superiorStaff logs in an account (created here) of the staff of the
// org's superior Party org.
func superiorStaff(t *testing.T, e *apitest.Env, org int64) *apitest.Client {
	t.Helper()
	ctx := context.Background()
	o, err := e.Store.Registry.GetPartyOrg(ctx, store.ScopeAll, org)
	if err != nil || o.ParentID == nil {
		t.Fatalf("the superior of %d: %v", org, err)
	}
	name := fmt.Sprintf("superior%d", *o.ParentID)
	if _, err := e.Store.Accounts.UserByUsername(ctx, name); err != nil {
		if _, err := e.Store.Accounts.CreateUser(ctx, store.System(apitest.Start, "test"), accounts.NewUser{Username: name, DisplayName: "上级干事",
			PartyOrgID: *o.ParentID, Roles: []domain.Role{domain.RoleCommitteeStaff}, PasswordHash: e.Data.Users[0].PasswordHash}); err != nil {
			t.Fatal(err)
		}
	}
	return e.Login(name)
}

// waitingTruth counts, by its own definition, the current alerts waiting on
// an account of a Party org's staff: assigned to it, or unassigned at the
// org or owned by it, a late decision (filing_pending) aside; and every
// current alert in its scope (what the old badge counted).
func waitingTruth(t *testing.T, e *apitest.Env, username string) (waiting, all int, node, user int64) {
	t.Helper()
	ctx := context.Background()
	u, err := e.Store.Accounts.UserByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	lo, hi := accountScope(t, e, username).Bounds()
	err = e.Store.DB.QueryRow(ctx, `SELECT
		(SELECT COUNT(*) FROM alerts WHERE path >= ? AND path < ? AND status IN ('open', 'acknowledged') AND rule <> 'filing_pending'
			AND (assignee_id = ? OR (assignee_id IS NULL AND (owner_org_id = ? OR party_org_id = ?)))),
		(SELECT COUNT(*) FROM alerts WHERE path >= ? AND path < ? AND status IN ('open', 'acknowledged'))`,
		lo, hi, u.ID, u.PartyOrgID, u.PartyOrgID, lo, hi).Scan(&waiting, &all)
	if err != nil {
		t.Fatal(err)
	}
	return waiting, all, u.PartyOrgID, u.ID
}

func urgencyOf(it todoItem) todo.Urgency {
	return todo.Urgency{Level: alert.AlertLevel(it.Level), Overdue: it.Overdue, Since: domain.Date(it.Since)}
}

// TestTodoWaitsOnMe is defect 9: the to-do counts what waits on the
// account — not every alert of its scope (the city's badge said 99+ for
// 1,311) — by kind, each kind the same count as its list filtered with
// waiting=true, most urgent first within and across kinds; an alert
// assigned to the account joins it, one assigned to someone else leaves.
func TestTodoWaitsOnMe(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		ctx := context.Background()
		if _, err := e.Store.Alerts.RunAlerts(ctx, store.System(e.Now(), "test"), domain.DateOf(e.Now()), alerts.RunManual); err != nil {
			t.Fatal(err)
		}
		check := func(who string) todoAnswer {
			t.Helper()
			want, all, _, _ := waitingTruth(t, e, who)
			c := e.Login(who)
			var td todoAnswer
			c.Do("GET", "/api/v1/todo", nil).JSON(t, &td)
			var counts map[string]int
			c.Do("GET", "/api/v1/todo/counts", nil).JSON(t, &counts)
			if td.Counts["alerts"] != want || td.group("alert").Count != want || counts["alerts"] != want {
				t.Errorf("%s: %d alerts waiting (group %d), want %d", who, td.Counts["alerts"], td.group("alert").Count, want)
			}
			if who == "city" && (want >= all || all == 0) {
				t.Errorf("the city: %d waiting of %d current alerts", want, all)
			}
			sum := 0
			for i, g := range td.Groups {
				sum += g.Count
				if g.Count == 0 || len(g.Items) == 0 || len(g.Items) > 10 || len(g.Items) > g.Count || g.Name == "" {
					t.Errorf("%s: group %+v", who, g)
					continue
				}
				for j := 1; j < len(g.Items); j++ {
					if urgencyOf(g.Items[j]).Before(urgencyOf(g.Items[j-1])) {
						t.Errorf("%s %s: item %d (%+v) before %d (%+v)", who, g.Kind, j, g.Items[j], j-1, g.Items[j-1])
					}
				}
				if i > 0 && urgencyOf(g.Items[0]).Before(urgencyOf(td.Groups[i-1].Items[0])) {
					t.Errorf("%s: group %s before %s", who, g.Kind, td.Groups[i-1].Kind)
				}
			}
			if sum != td.Counts["total"] || counts["total"] != sum {
				t.Errorf("%s: groups %d, total %d, badge %d", who, sum, td.Counts["total"], counts["total"])
			}
			var list struct{ Total int }
			c.Do("GET", "/api/v1/alerts?waiting=true&sort=urgency&page_size=10", nil).JSON(t, &list)
			if list.Total != want {
				t.Errorf("%s: /alerts?waiting=true has %d, the to-do %d", who, list.Total, want)
			}
			return td
		}
		for _, who := range []string{"city", "jinjiang", "committee", "branch"} {
			check(who)
		}

		// A red alert deep in 锦江区, owned by a committee: not 锦江区's,
		// until it is assigned to the 锦江区 account.
		_, _, jjNode, jjUser := waitingTruth(t, e, "jinjiang")
		lo, hi := accountScope(t, e, "jinjiang").Bounds()
		var deep int64
		if err := e.Store.DB.QueryRow(ctx, `SELECT id FROM alerts WHERE path >= ? AND path < ? AND status = 'open' AND owner_org_id <> ? AND party_org_id <> ?
			AND rule <> 'filing_pending' ORDER BY id LIMIT 1`, lo, hi, jjNode, jjNode).Scan(&deep); err != nil {
			t.Fatal(err)
		}
		jinjiang := e.Login("jinjiang")
		if slices.Contains(check("jinjiang").group("alert").ids(), deep) {
			t.Fatalf("a committee's alert waits on 锦江区")
		}
		var a alerts.AlertView
		jinjiang.Do("GET", fmt.Sprintf("/api/v1/alerts/%d", deep), nil).JSON(t, &a)
		if r := jinjiang.Do("POST", fmt.Sprintf("/api/v1/alerts/%d/assign", deep), map[string]any{"assignee_id": jjUser, "version": a.Version}); r.Status != 200 {
			t.Fatalf("assign: %d %s", r.Status, r.Body)
		}
		var mine todoItem
		for _, it := range check("jinjiang").group("alert").Items {
			if it.ID == deep {
				mine = it
			}
		}
		if mine.ID != deep || !mine.AssignedToMe {
			// Beyond the first ten only if ten more urgent ones wait.
			var page struct{ Items []alerts.AlertView }
			jinjiang.Do("GET", "/api/v1/alerts?waiting=true&page_size=200", nil).JSON(t, &page)
			found := false
			for _, x := range page.Items {
				found = found || x.ID == deep
			}
			if !found {
				t.Errorf("the alert assigned to 锦江区 does not wait on it")
			}
		}
	})
}
