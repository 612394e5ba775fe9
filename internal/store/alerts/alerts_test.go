package alerts_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/alert"
	"github.com/lianxin/lianxin/internal/store"
	"github.com/lianxin/lianxin/internal/store/alerts"
	"github.com/lianxin/lianxin/internal/store/stores"
	"github.com/lianxin/lianxin/internal/store/storetest"
)

// alertsOf returns the alerts of the org by rule (status filter applied).
func alertsOf(t *testing.T, s *stores.Set, org int64, status string) map[alert.RuleCode]alerts.AlertView {
	t.Helper()
	items, _, err := s.Alerts.ListAlerts(context.Background(), store.ScopeAll, alerts.AlertFilter{PartyOrgID: org, Status: status, Page: store.Page{Size: 200}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[alert.RuleCode]alerts.AlertView{}
	for _, a := range items {
		out[a.Rule] = a
	}
	return out
}

func runAt(t *testing.T, s *stores.Set, day string) alerts.RunSummary {
	t.Helper()
	d, _ := domain.ParseDate(day)
	sum, err := s.Alerts.RunAlerts(context.Background(), store.System(d.Add(time.Hour), "test"), domain.Date(day), alerts.RunManual)
	if err != nil {
		t.Fatalf("run at %s: %v", day, err)
	}
	return sum
}

func addMember(t *testing.T, s *stores.Set, org int64, seq int, name string) {
	t.Helper()
	id := domain.MakeIDNumber("510104", time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), seq, true)
	if _, err := s.Members.SaveMember(context.Background(), storetest.Sys(), 0, domain.MemberInput{Name: storetest.Ptr(name), IDNumber: storetest.Ptr(id), JoinedOn: storetest.Ptr("2015-07-01"),
		FullMemberOn: storetest.Ptr("2016-07-01"), Status: storetest.Ptr("full"), PartyOrgID: storetest.Ptr(org)}); err != nil {
		t.Fatal(err)
	}
}

// TestAlertLifecycle follows one branch through a year of evaluations: the
// term reminder, the overdue term escalating, a too-small branch whose alert
// closes itself when a member joins, the workflow with its history, the
// automatic reopening of a resolved alert that got worse, tuning, and the
// refusal to rewrite history.
func TestAlertLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *stores.Set) {
		ctx := context.Background()
		ids := storetest.Tree(t, s)
		branch := ids["a1x"]
		// A term from 2023-06-01: three years, to 2026-06-01.
		if _, err := s.Registry.UpdatePartyOrg(ctx, storetest.Sys(), branch, domain.PartyOrgInput{TermStart: storetest.Ptr("2023-06-01"), SecretaryName: storetest.Ptr("李书记")}); err != nil {
			t.Fatal(err)
		}
		addMember(t, s, branch, 1, "王一")
		addMember(t, s, branch, 2, "王二")

		// The day before the first reminder (180 days before the end).
		runAt(t, s, "2025-12-02")
		got := alertsOf(t, s, branch, "current")
		if _, ok := got[alert.RuleTermEnding]; ok {
			t.Errorf("term_ending raised 181 days before the end")
		}
		few, ok := got[alert.RuleTooFewMembers]
		if !ok || few.Level != alert.LevelOrange || !strings.Contains(few.Reason, "正式党员 2 人") {
			t.Fatalf("too_few_members = %+v", few)
		}
		if few.OwnerOrgID != ids["a1"] || few.Since != "2025-12-02" {
			t.Errorf("owner %d since %s, want a1 and the first evaluation", few.OwnerOrgID, few.Since)
		}
		// On the day: yellow, reason with the end and the days left.
		runAt(t, s, "2025-12-03")
		ending := alertsOf(t, s, branch, "current")[alert.RuleTermEnding]
		if ending.Level != alert.LevelYellow || !strings.Contains(ending.Reason, "2026-06-01") || !strings.Contains(ending.Reason, "还有 180 天") {
			t.Fatalf("term_ending on the day = %+v", ending)
		}

		// A third full member: the size alert closes itself at the next run.
		addMember(t, s, branch, 3, "王三")
		sum := runAt(t, s, "2026-06-01")
		closed := alertsOf(t, s, branch, "closed")
		if c, ok := closed[alert.RuleTooFewMembers]; !ok || c.ClosedOn != "2026-06-01" || c.ID != few.ID {
			t.Fatalf("too_few_members not closed on 2026-06-01: %+v (run %+v)", closed, sum)
		}
		if e := alertsOf(t, s, branch, "current")[alert.RuleTermEnding]; e.Level != alert.LevelOrange || e.ID != ending.ID {
			t.Errorf("on the last day the reminder is %s (id %d, was %d), want orange on the same alert", e.Level, e.ID, ending.ID)
		}

		// The day after the end: the reminder goes, the overdue term comes.
		runAt(t, s, "2026-06-02")
		cur := alertsOf(t, s, branch, "current")
		if _, ok := cur[alert.RuleTermEnding]; ok {
			t.Errorf("term_ending still open after the end")
		}
		over := cur[alert.RuleTermOverdue]
		if over.Level != alert.LevelYellow || over.Since != "2026-06-02" || !strings.Contains(over.Reason, "已超期 1 天") {
			t.Fatalf("term_overdue = %+v", over)
		}

		// The workflow: resolve needs a note; acknowledge, resolve.
		c := storetest.Sys()
		if _, err := s.Alerts.ActOnAlert(ctx, c, over.ID, alert.AlertResolve, alerts.AlertAction{}); !isField(err, "note") {
			t.Errorf("resolve without a note: %v", err)
		}
		if _, err := s.Alerts.ActOnAlert(ctx, c, over.ID, alert.AlertAcknowledge, alerts.AlertAction{Note: "已联系支部"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Alerts.ActOnAlert(ctx, c, over.ID, alert.AlertAcknowledge, alerts.AlertAction{}); !isConflict(err) {
			t.Errorf("acknowledging twice: %v", err)
		}
		v, err := s.Alerts.ActOnAlert(ctx, c, over.ID, alert.AlertResolve, alerts.AlertAction{Note: "已报请延期，等待批复", Version: storetest.Ptr(over.Version + 1)})
		if err != nil || alert.AlertStatus(v.Status) != alert.AlertResolved {
			t.Fatalf("resolve: %+v %v", v, err)
		}
		// Still yellow at 89 days: stays resolved.
		runAt(t, s, "2026-08-29")
		if a := alertsOf(t, s, branch, "current")[alert.RuleTermOverdue]; alert.AlertStatus(a.Status) != alert.AlertResolved || a.Level != alert.LevelYellow {
			t.Errorf("at 89 days: %s %s, want resolved yellow", a.Status, a.Level)
		}
		// At 90 days it turns orange, worse than when resolved: reopened.
		runAt(t, s, "2026-08-30")
		a, err := s.Alerts.GetAlert(ctx, store.ScopeAll, over.ID)
		if err != nil {
			t.Fatal(err)
		}
		if alert.AlertStatus(a.Status) != alert.AlertOpen || a.Level != alert.LevelOrange {
			t.Fatalf("at 90 days: %s %s, want open orange", a.Status, a.Level)
		}
		var actions []string
		for _, e := range a.Events {
			actions = append(actions, e.Action)
		}
		if want := "raised acknowledged resolved level_changed"; !strings.HasPrefix(strings.Join(actions, " "), "raised acknowledged resolved") ||
			actions[len(actions)-1] != "reopened" {
			t.Errorf("events %v, want %s … reopened", actions, want)
		}

		// History is not rewritten.
		if _, err := s.Alerts.RunAlerts(ctx, storetest.Sys(), "2026-07-01", alerts.RunManual); !errors.Is(err, alerts.ErrRunBehind) {
			t.Errorf("a run dated before the last one: %v", err)
		}
		// But the past can be looked at.
		ev, err := s.Alerts.Evaluate(ctx, store.ScopeAll, "2025-06-01")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ev.Findings {
			if f.PartyOrgID == branch && (f.Rule == alert.RuleTermOverdue || f.Rule == alert.RuleTermEnding) {
				t.Errorf("on 2025-06-01 the term rules found %+v", f)
			}
		}

		// Tuning: out of range is a field error; switching off closes.
		if _, err := s.Alerts.UpdateAlertRule(ctx, storetest.Sys(), alert.RuleTermOverdue, alerts.RuleInput{Params: map[string]int{"red_days": 99999}}); !isField(err, "params.red_days") {
			t.Errorf("red_days 99999: %v", err)
		}
		if _, err := s.Alerts.UpdateAlertRule(ctx, storetest.Sys(), alert.RuleTermOverdue, alerts.RuleInput{Params: map[string]int{"orange_days": 10, "yellow_days": 20}}); !isField(err, "params.orange_days") {
			t.Errorf("orange below yellow: %v", err)
		}
		r, err := s.Alerts.UpdateAlertRule(ctx, storetest.Sys(), alert.RuleTermOverdue, alerts.RuleInput{Enabled: storetest.Ptr(false)})
		if err != nil || r.Enabled || r.Version != 1 {
			t.Fatalf("switch off: %+v %v", r, err)
		}
		if _, err := s.Alerts.UpdateAlertRule(ctx, storetest.Sys(), alert.RuleTermOverdue, alerts.RuleInput{Enabled: storetest.Ptr(true), Version: storetest.Ptr(0)}); !isConflict(err) {
			t.Errorf("a stale version: %v", err)
		}
		runAt(t, s, "2026-08-31")
		if _, ok := alertsOf(t, s, branch, "current")[alert.RuleTermOverdue]; ok {
			t.Errorf("a switched-off rule's alert is still open")
		}

		// Scope: b sees none of a's alerts; a's subtree sees them.
		for _, tc := range []struct {
			node string
			want bool
		}{{"b", false}, {"a", true}, {"a1x", true}} {
			o, err := s.Registry.GetPartyOrg(ctx, store.ScopeAll, ids[tc.node])
			if err != nil {
				t.Fatal(err)
			}
			items, total, err := s.Alerts.ListAlerts(ctx, store.Scope{Path: o.Path}, alerts.AlertFilter{Status: "all"})
			if err != nil {
				t.Fatal(err)
			}
			if (total > 0) != tc.want || len(items) != total && total <= 20 {
				t.Errorf("scope %s: %d alerts", tc.node, total)
			}
			if _, err := s.Alerts.GetAlert(ctx, store.Scope{Path: o.Path}, over.ID); (err == nil) != tc.want {
				t.Errorf("scope %s reading the alert: %v", tc.node, err)
			}
		}

		// The dashboard's trend counts the closed alert on its days only.
		st, err := s.Alerts.AlertStatsOf(ctx, store.ScopeAll, alerts.AlertFilter{}, "2026-08-31")
		if err != nil {
			t.Fatal(err)
		}
		if st.AsOf != "2026-08-31" || len(st.Trend) != alerts.TrendDays || st.Trend[len(st.Trend)-1].Date != "2026-08-31" {
			t.Fatalf("stats as of %s, %d points", st.AsOf, len(st.Trend))
		}
		byDay := map[domain.Date]int{}
		for _, p := range st.Trend {
			byDay[p.Date] = p.Total
		}
		// From 06-02 to 08-30 nothing came or went; on 08-31 the switched-off
		// rule's alert closed.
		if byDay["2026-06-03"] != byDay["2026-08-30"] || byDay["2026-08-30"]-byDay["2026-08-31"] != 1 {
			t.Errorf("trend: 06-03 %d, 08-30 %d, 08-31 %d", byDay["2026-06-03"], byDay["2026-08-30"], byDay["2026-08-31"])
		}
	})
}

func isField(err error, field string) bool {
	var v *domain.ValidationError
	if !errors.As(err, &v) {
		return false
	}
	_, ok := v.Fields[field]
	return ok
}

func isConflict(err error) bool {
	var c *domain.ConflictError
	return errors.As(err, &c)
}
