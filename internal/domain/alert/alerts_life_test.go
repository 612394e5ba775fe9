package alert

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
)

// The rules over organizational life, the registry, dissolved orgs and
// filings, each on hand-built facts the day before, on and after its
// thresholds. "Today" is 2026-11-27 throughout unless a case says otherwise.

const lifeToday domain.Date = "2026-11-27"

// tuned is a rule's default setting with some parameters changed.
func tuned(t *testing.T, code RuleCode, params map[string]int) RuleSetting {
	t.Helper()
	s := setting(t, code)
	for k, v := range params {
		s.Params[k] = v
	}
	d, _ := RuleDefOf(code)
	if err := d.Validate(&s); err != nil {
		t.Fatalf("%s: tuning %v invalid: %v", code, params, err)
	}
	return s
}

func off(t *testing.T, code RuleCode) RuleSetting {
	t.Helper()
	s := setting(t, code)
	s.Enabled = false
	return s
}

// finding is what a case expects: no finding when Level is "", else the
// level, the start date and substrings the reason must state.
type finding struct {
	Level AlertLevel
	Since domain.Date
	Says  []string
	// Not lists substrings the reason must not contain.
	Not []string
}

func none() finding { return finding{} }

func want(l AlertLevel, since domain.Date, says ...string) finding {
	return finding{Level: l, Since: since, Says: says}
}

func checkFinding(t *testing.T, name string, rule RuleCode, got *Finding, w finding) {
	t.Helper()
	switch {
	case w.Level == "" && got != nil:
		t.Errorf("%s: unexpected %+v", name, *got)
		return
	case w.Level != "" && got == nil:
		t.Errorf("%s: no finding, want %s", name, w.Level)
		return
	case got == nil:
		return
	}
	if got.Rule != rule || got.Level != w.Level || got.Since != w.Since {
		t.Errorf("%s: rule %s level %s since %q, want %s %s since %q", name, got.Rule, got.Level, got.Since, rule, w.Level, w.Since)
	}
	for _, s := range w.Says {
		if !strings.Contains(got.Reason, s) {
			t.Errorf("%s: reason %q does not say %q", name, got.Reason, s)
		}
	}
	for _, s := range w.Not {
		if strings.Contains(got.Reason, s) {
			t.Errorf("%s: reason %q should not say %q", name, got.Reason, s)
		}
	}
}

func TestMonthsBetween(t *testing.T) {
	for _, c := range []struct {
		from, to domain.Date
		want     int
	}{
		{"2026-01-15", "2026-01-15", 0},
		{"2026-01-15", "2026-02-14", 0},
		{"2026-01-15", "2026-02-15", 1},
		{"2025-12-15", "2026-01-15", 1},  // across the year
		{"2025-11-27", "2026-11-27", 12}, // a year
		{"2026-01-31", "2026-02-28", 0},  // a month end is not a whole month
		{"2026-01-31", "2026-03-01", 1},
		{"2026-01-31", "2026-03-30", 1},
		{"2026-01-31", "2026-03-31", 2},
		{"2024-01-31", "2024-02-29", 0}, // leap year
		{"2024-01-29", "2024-02-29", 1},
		{"2024-02-29", "2025-02-28", 11},
		{"2024-02-29", "2025-03-01", 12},
		{"2024-02-29", "2028-02-29", 48},
		{"2026-03-01", "2026-02-01", 0}, // to before from
		{"2026-03-01", "2026-02-28", 0},
		{"2026-11-27", "2025-11-27", 0},
		{"", "2026-01-01", 0},           // not a date
		{"2026-02-30", "2026-05-01", 0}, // not a calendar date
	} {
		if got := MonthsBetween(c.from, c.to); got != c.want {
			t.Errorf("MonthsBetween(%s, %s) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
}

func TestAddMonths(t *testing.T) {
	for _, c := range []struct {
		d    domain.Date
		n    int
		want domain.Date
	}{
		{"2026-11-27", -3, "2026-08-27"},
		{"2026-01-15", -1, "2025-12-15"},
		{"2026-12-15", 1, "2027-01-15"},
		{"2026-05-31", 0, "2026-05-31"},
		{"2026-01-31", 1, "2026-02-28"}, // clamped to the month's end
		{"2024-01-31", 1, "2024-02-29"}, // leap year
		{"2026-03-31", -1, "2026-02-28"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2026-05-31", -1, "2026-04-30"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2026-08-31", -6, "2026-02-28"},
		{"2026-02-28", 1, "2026-03-28"}, // not moved to the month's end
		{"x", 3, "x"},                   // not a date: unchanged
	} {
		if got := domain.AddMonths(c.d, c.n); got != c.want {
			t.Errorf("domain.AddMonths(%s, %d) = %s, want %s", c.d, c.n, got, c.want)
		}
	}
}

// TestMonthsAgree: the store selects inactive members with AddMonths
// (last life before today minus n months) and the rule counts them with
// MonthsBetween; the two must agree on every day, month ends and leap
// years included: MonthsBetween(ref, today) >= n exactly when
// ref <= domain.AddMonths(today, -n).
func TestMonthsAgree(t *testing.T) {
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for today := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); today.Year() < 2026; today = today.AddDate(0, 0, 1) {
		if d := today.Day(); d > 3 && d < 27 {
			continue // month edges are where the two could part
		}
		td := domain.Date(today.Format(domain.DateLayout))
		for _, n := range []int{1, 2, 3, 6, 12} {
			cut := domain.AddMonths(td, -n)
			for ref := start; !ref.After(today); ref = ref.AddDate(0, 0, 1) {
				rd := domain.Date(ref.Format(domain.DateLayout))
				if (MonthsBetween(rd, td) >= n) != (rd <= cut) {
					t.Fatalf("today %s, n %d, ref %s: MonthsBetween %d, AddMonths %s", td, n, rd, MonthsBetween(rd, td), cut)
				}
			}
		}
	}
}

func TestLevelOf(t *testing.T) {
	up := ruleDef(RuleNoActivity) // 2, 3, 6 months
	for v, w := range map[float64]AlertLevel{0: "", 1: "", 2: LevelYellow, 3: LevelOrange, 5: LevelOrange, 6: LevelRed, 24: LevelRed} {
		if got := up.LevelOf(up.DefaultSetting(), v); got != w {
			t.Errorf("no_activity LevelOf(%v) = %q, want %q", v, got, w)
		}
	}
	down := ruleDef(RuleLowAttendance) // below 70, 50, 30 %
	for v, w := range map[float64]AlertLevel{100: "", 70: "", 69.9: LevelYellow, 50: LevelYellow, 49.9: LevelOrange, 30: LevelOrange, 29.9: LevelRed, 0: LevelRed} {
		if got := down.LevelOf(down.DefaultSetting(), v); got != w {
			t.Errorf("low_attendance LevelOf(%v) = %q, want %q", v, got, w)
		}
	}
}

func TestMeetingsMissing(t *testing.T) {
	month := func(m int) activity.MissingItem {
		start := time.Date(2026, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		return activity.MissingItem{Requirement: activity.ReqCommitteeMeeting, Period: fmt.Sprintf("2026-%02d", m), Start: domain.Date(start.Format(domain.DateLayout)), End: domain.Date(start.AddDate(0, 1, -1).Format(domain.DateLayout))}
	}
	q1 := func(r activity.Requirement) activity.MissingItem {
		return activity.MissingItem{Requirement: r, Period: "2026-Q1", Start: "2026-01-01", End: "2026-03-31"}
	}
	months := func(ms ...int) []activity.MissingItem {
		var out []activity.MissingItem
		for _, m := range ms {
			out = append(out, month(m))
		}
		return out
	}
	def := setting(t, RuleMeetingsMissing) // 2, 4, 8 missing
	for _, c := range []struct {
		name    string
		s       RuleSetting
		missing []activity.MissingItem
		want    finding
	}{
		{"nothing missing", def, nil, none()},
		{"1 missing: below yellow", def, months(1), none()},
		{"2 missing: yellow", def, months(1, 2), want(LevelYellow, "2026-02-01", "本年度已到期未开展 2 次", "支委会缺 2 次（2026-01、2026-02）")},
		{"3 missing: still yellow", def, months(3, 4, 5), want(LevelYellow, "2026-04-01", "支委会缺 3 次（2026-03、2026-04、2026-05）")},
		// Grouped per requirement; the earliest gap is not the first listed.
		{"4 missing over 3 requirements: orange", def,
			append([]activity.MissingItem{q1(activity.ReqMembersMeeting)}, append(months(1, 2), q1(activity.ReqPartyLecture))...),
			want(LevelOrange, "2026-02-01", "本年度已到期未开展 4 次：支部党员大会缺 1 次（2026-Q1）；支委会缺 2 次（2026-01、2026-02）；党课缺 1 次（2026-Q1）")},
		{"7 missing: orange", def, months(1, 2, 3, 4, 5, 6, 7), want(LevelOrange, "2026-02-01", "已到期未开展 7 次")},
		{"8 missing: red", def, months(1, 2, 3, 4, 5, 6, 7, 8), want(LevelRed, "2026-02-01", "支委会缺 8 次（2026-01、", "2026-08）")},
		{"tuned: 1 missing is yellow", tuned(t, RuleMeetingsMissing, map[string]int{"yellow_missing": 1, "orange_missing": 2, "red_missing": 3}),
			[]activity.MissingItem{q1(activity.ReqPartyLecture)}, want(LevelYellow, "2026-04-01", "党课缺 1 次（2026-Q1）")},
		{"tuned: 3 missing is red", tuned(t, RuleMeetingsMissing, map[string]int{"yellow_missing": 1, "orange_missing": 2, "red_missing": 3}),
			months(6, 7, 8), want(LevelRed, "2026-07-01", "已到期未开展 3 次")},
		{"switched off", off(t, RuleMeetingsMissing), months(1, 2, 3, 4, 5, 6, 7, 8), none()},
	} {
		checkFinding(t, c.name, RuleMeetingsMissing, EvaluateMeetingsMissing(c.s, c.missing), c.want)
	}
}

func TestNoActivity(t *testing.T) {
	def := setting(t, RuleNoActivity) // 2, 3, 6 months
	fast := tuned(t, RuleNoActivity, map[string]int{"yellow_months": 1, "orange_months": 2, "red_months": 3})
	for _, c := range []struct {
		name              string
		s                 RuleSetting
		lastHeld, founded domain.Date
		want              finding
	}{
		{"held 1 month ago", def, "2026-10-27", "2020-01-01", none()},
		{"day before yellow", def, "2026-09-28", "2020-01-01", none()},
		{"2 months: yellow", def, "2026-09-27", "2020-01-01", want(LevelYellow, "2026-09-27", "最近一次组织生活（主题党日）于 2026-09-27 开展，已 61 天（2 个月）未开展任何活动")},
		{"day before orange", def, "2026-08-28", "2020-01-01", want(LevelYellow, "2026-08-28", "已 91 天（2 个月）")},
		{"3 months: orange", def, "2026-08-27", "2020-01-01", want(LevelOrange, "2026-08-27", "于 2026-08-27 开展，已 92 天（3 个月）")},
		{"day before red", def, "2026-05-28", "2020-01-01", want(LevelOrange, "2026-05-28", "（5 个月）")},
		{"6 months: red", def, "2026-05-27", "2020-01-01", want(LevelRed, "2026-05-27", "于 2026-05-27 开展，已 184 天（6 个月）")},
		{"years: red", def, "2024-01-10", "2020-01-01", want(LevelRed, "2024-01-10", "（34 个月）")},
		// Nothing held: counted from the founding.
		{"founded 2 months less a day ago", def, "", "2026-09-28", none()},
		{"founded 2 months ago, nothing held", def, "", "2026-09-27", want(LevelYellow, "2026-09-27", "成立（2026-09-27）以来未开展任何组织生活，已 61 天")},
		{"founded 6 months ago, nothing held", def, "", "2026-05-27", want(LevelRed, "2026-05-27", "成立（2026-05-27）以来")},
		{"founded after today", def, "", "2026-12-01", none()},
		{"no date at all", def, "", "", none()},
		// The last activity counts, not the founding.
		{"old org, recent activity", def, "2026-11-01", "2010-01-01", none()},
		{"tuned: 1 month yellow", fast, "2026-10-27", "2020-01-01", want(LevelYellow, "2026-10-27", "（1 个月）")},
		{"tuned: day before yellow", fast, "2026-10-28", "2020-01-01", none()},
		{"tuned: 3 months red", fast, "2026-08-27", "2020-01-01", want(LevelRed, "2026-08-27", "（3 个月）")},
		{"switched off", off(t, RuleNoActivity), "2024-01-01", "2020-01-01", none()},
	} {
		checkFinding(t, c.name, RuleNoActivity, EvaluateNoActivity(c.s, c.lastHeld, activity.ThemeDay, c.founded, lifeToday), c.want)
	}
}

func TestLowAttendance(t *testing.T) {
	def := setting(t, RuleLowAttendance) // below 70, 50, 30 %; at least 2 activities
	strict := tuned(t, RuleLowAttendance, map[string]int{"yellow_percent": 90, "orange_percent": 80, "red_percent": 60, "min_activities": 1})
	win := func(acts, expected, present, leave int) AttendanceWindow {
		return AttendanceWindow{From: "2026-08-30", To: lifeToday, Activities: acts, Expected: expected, Present: present, Leave: leave}
	}
	for _, c := range []struct {
		name string
		s    RuleSetting
		w    AttendanceWindow
		want finding
	}{
		{"too few activities to judge", def, win(1, 10, 0, 0), none()},
		{"no roster places", def, win(3, 0, 0, 0), none()},
		{"full attendance", def, win(2, 20, 20, 0), none()},
		{"exactly 70%: not below", def, win(2, 20, 14, 0), none()},
		{"65%: yellow", def, win(2, 20, 13, 1), want(LevelYellow, "2026-08-30",
			"2026-08-30 至 2026-11-27 开展 2 次活动，应到 20 人次，实到 13 人次（另请假 1 人次），参会率 65.0%，低于 70%")},
		{"one decimal", def, win(3, 30, 20, 2), want(LevelYellow, "2026-08-30", "参会率 66.7%", "另请假 2 人次")},
		{"exactly 50%: still yellow", def, win(4, 40, 20, 0), want(LevelYellow, "2026-08-30", "参会率 50.0%")},
		{"49.9%: orange", def, win(10, 1000, 499, 0), want(LevelOrange, "2026-08-30", "参会率 49.9%")},
		{"exactly 30%: still orange", def, win(2, 20, 6, 0), want(LevelOrange, "2026-08-30", "参会率 30.0%")},
		{"25%: red", def, win(2, 20, 5, 0), want(LevelRed, "2026-08-30", "实到 5 人次", "参会率 25.0%")},
		{"nobody came: red", def, win(5, 50, 0, 3), want(LevelRed, "2026-08-30", "参会率 0.0%")},
		// The rate is judged as shown, to one decimal: 69.95% shows as
		// 70.0%, which is not below 70%.
		{"69.95% rounds to 70.0%", def, win(10, 2000, 1399, 0), none()},
		{"69.9%: yellow", def, win(10, 1000, 699, 0), want(LevelYellow, "2026-08-30", "参会率 69.9%")},
		{"tuned: one activity is enough", strict, win(1, 10, 8, 0), want(LevelYellow, "2026-08-30", "开展 1 次活动", "参会率 80.0%，低于 90%")},
		{"tuned: exactly 90%", strict, win(1, 10, 9, 0), none()},
		{"tuned: orange", strict, win(1, 10, 7, 0), want(LevelOrange, "2026-08-30", "参会率 70.0%")},
		{"tuned: red", strict, win(1, 10, 5, 0), want(LevelRed, "2026-08-30", "参会率 50.0%")},
		{"switched off", off(t, RuleLowAttendance), win(5, 50, 0, 0), none()},
	} {
		checkFinding(t, c.name, RuleLowAttendance, EvaluateLowAttendance(c.s, c.w), c.want)
	}
}

func TestOrgDeregistered(t *testing.T) {
	def := setting(t, RuleOrgDeregistered)
	gone := []GoneOrganization{
		{"成都甲科技有限公司", domain.OrgDeregistered, "2026-06-01"},
		{"成都乙商贸有限公司", domain.OrgMovedOut, "2026-03-15"},
		{"成都丙餐饮有限公司", domain.OrgRevoked, "2026-09-09"},
	}
	for _, c := range []struct {
		name string
		s    RuleSetting
		gone []GoneOrganization
		want finding
	}{
		{"none gone", def, nil, none()},
		{"one deregistered", def, gone[:1], want(LevelOrange, "2026-06-01", "覆盖单位登记状态已为注销、吊销或迁出：成都甲科技有限公司（注销）；党组织仍在运行")},
		// Since is the earliest change, wherever it is listed.
		{"three gone", def, gone, want(LevelOrange, "2026-03-15", "成都甲科技有限公司（注销）、成都乙商贸有限公司（迁出）、成都丙餐饮有限公司（吊销）")},
		{"switched off", off(t, RuleOrgDeregistered), gone, none()},
	} {
		checkFinding(t, c.name, RuleOrgDeregistered, EvaluateOrgDeregistered(c.s, c.gone), c.want)
	}
}

func TestMembersOrphaned(t *testing.T) {
	def := setting(t, RuleMembersOrphaned)
	for _, c := range []struct {
		name    string
		s       RuleSetting
		members int
		want    finding
	}{
		{"no member left", def, 0, none()},
		{"one member left", def, 1, want(LevelRed, "2026-05-01", "党组织已于 2026-05-01 撤销，仍有 1 名党员的组织关系在本组织，应及时转接")},
		{"twelve left", def, 12, want(LevelRed, "2026-05-01", "仍有 12 名党员")},
		{"switched off", off(t, RuleMembersOrphaned), 12, none()},
	} {
		checkFinding(t, c.name, RuleMembersOrphaned, EvaluateMembersOrphaned(c.s, "2026-05-01", c.members), c.want)
	}
}

func TestFilingMissing(t *testing.T) {
	def := setting(t, RuleFilingMissing) // 15, 30, 60 days
	sameDay := tuned(t, RuleFilingMissing, map[string]int{"yellow_days": 0, "orange_days": 7, "red_days": 14})
	for _, c := range []struct {
		name      string
		s         RuleSetting
		since     domain.Date
		secretary string
		want      finding
	}{
		{"nothing unfiled", def, "", "张三", none()},
		{"unfiled since tomorrow", def, "2026-11-28", "张三", none()},
		{"14 days", def, "2026-11-13", "张三", none()},
		{"15 days: yellow", def, "2026-11-12", "张三", want(LevelYellow, "2026-11-12", "书记变更为 张三于 2026-11-12 登记，至今没有经批准的就任/离任备案，已 15 天")},
		{"29 days", def, "2026-10-29", "张三", want(LevelYellow, "2026-10-29", "已 29 天")},
		{"30 days: orange, post vacant", def, "2026-10-28", "", want(LevelOrange, "2026-10-28", "书记已离任（空缺）于 2026-10-28 登记", "已 30 天")},
		{"59 days", def, "2026-09-29", "李四", want(LevelOrange, "2026-09-29", "已 59 天")},
		{"60 days: red", def, "2026-09-28", "李四", want(LevelRed, "2026-09-28", "书记变更为 李四", "已 60 天")},
		{"tuned: the same day", sameDay, lifeToday, "王五", want(LevelYellow, lifeToday, "已 0 天")},
		{"tuned: 14 days red", sameDay, "2026-11-13", "王五", want(LevelRed, "2026-11-13", "已 14 天")},
		{"switched off", off(t, RuleFilingMissing), "2026-01-01", "张三", none()},
	} {
		checkFinding(t, c.name, RuleFilingMissing, EvaluateFilingMissing(c.s, c.since, c.secretary, lifeToday), c.want)
	}
}

func TestFilingPending(t *testing.T) {
	def := setting(t, RuleFilingPending) // 15, 30, 60 days
	quick := tuned(t, RuleFilingPending, map[string]int{"yellow_days": 5, "orange_days": 10, "red_days": 20})
	req := func(what string, at domain.Date) PendingRequest {
		return PendingRequest{What: what, Submitted: at, Superior: "锦江区两新组织党委"}
	}
	for _, c := range []struct {
		name string
		s    RuleSetting
		p    PendingRequest
		want finding
	}{
		{"no submission date", def, req("书记就任备案（张三）", ""), none()},
		{"submitted after today", def, req("书记就任备案（张三）", "2026-11-30"), none()},
		{"submitted today", def, req("书记就任备案（张三）", lifeToday), none()},
		{"14 days", def, req("书记就任备案（张三）", "2026-11-13"), none()},
		{"15 days: yellow", def, req("书记就任备案（张三）", "2026-11-12"), want(LevelYellow, "2026-11-12", "书记就任备案（张三）于 2026-11-12 提交，上级党组织（锦江区两新组织党委）已 15 天未审批")},
		{"30 days: orange", def, req("换届延期请示", "2026-10-28"), want(LevelOrange, "2026-10-28", "换届延期请示于 2026-10-28 提交", "已 30 天未审批")},
		{"59 days", def, req("换届延期请示", "2026-09-29"), want(LevelOrange, "2026-09-29", "已 59 天")},
		{"60 days: red", def, req("提前换届请示", "2026-09-28"), want(LevelRed, "2026-09-28", "提前换届请示", "已 60 天未审批")},
		{"tuned: 4 days", quick, req("书记离任备案（李四）", "2026-11-23"), none()},
		{"tuned: 5 days yellow", quick, req("书记离任备案（李四）", "2026-11-22"), want(LevelYellow, "2026-11-22", "书记离任备案（李四）", "已 5 天")},
		{"tuned: 20 days red", quick, req("书记离任备案（李四）", "2026-11-07"), want(LevelRed, "2026-11-07", "已 20 天")},
		{"switched off", off(t, RuleFilingPending), req("换届延期请示", "2026-01-01"), none()},
	} {
		checkFinding(t, c.name, RuleFilingPending, EvaluateFilingPending(c.s, c.p, lifeToday), c.want)
	}
}

func TestMemberInactive(t *testing.T) {
	def := setting(t, RuleMemberInactive) // 3, 5, 6 months
	fast := tuned(t, RuleMemberInactive, map[string]int{"yellow_months": 1, "orange_months": 2, "red_months": 3})
	life := func(name string, last domain.Date) MemberLife { return MemberLife{name, "2015-07-01", last} }
	const held domain.Date = "2026-11-20" // the branch's last roster activity
	var many []MemberLife
	for i, n := range []string{"赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七"} {
		many = append(many, life(n, domain.Date(fmt.Sprintf("2026-0%d-10", i+1))))
	}
	for _, c := range []struct {
		name     string
		s        RuleSetting
		members  []MemberLife
		lastHeld domain.Date
		want     finding
	}{
		{"nobody", def, nil, held, none()},
		{"attended the last activity", def, []MemberLife{life("张三", held)}, held, none()},
		{"day before yellow", def, []MemberLife{life("张三", "2026-08-28")}, held, none()},
		{"3 months: yellow", def, []MemberLife{life("张三", "2026-08-27")}, held, finding{LevelYellow, "2026-08-27",
			[]string{"1 名党员连续 3 个月以上未参加组织生活：张三（最近一次 2026-08-27，3 个月）。请党支部了解情况、教育提醒"}, []string{"其中", "等"}}},
		{"day before orange", def, []MemberLife{life("张三", "2026-06-28")}, held, want(LevelYellow, "2026-06-28", "张三（最近一次 2026-06-28，4 个月）")},
		{"5 months: orange", def, []MemberLife{life("张三", "2026-06-27")}, held, finding{LevelOrange, "2026-06-27", []string{"张三（最近一次 2026-06-27，5 个月）"}, []string{"其中"}}},
		{"day before red", def, []MemberLife{life("张三", "2026-05-28")}, held, want(LevelOrange, "2026-05-28", "5 个月")},
		{"6 months: red", def, []MemberLife{life("张三", "2026-05-27")}, held, want(LevelRed, "2026-05-27",
			"1 名党员连续 3 个月以上未参加组织生活，其中 1 名已满 6 个月（党章第九条）：张三（最近一次 2026-05-27，6 个月）")},
		// No life on record: counted from joining.
		{"joined 3 months less a day ago", def, []MemberLife{{"王五", "2026-08-28", ""}}, held, none()},
		{"joined 3 months ago, no life", def, []MemberLife{{"王五", "2026-08-27", ""}}, held, want(LevelYellow, "2026-08-27", "王五（入党或转入以来未参加，3 个月）")},
		{"joined after today", def, []MemberLife{{"王五", "2026-12-01", ""}}, held, none()},
		// Joined before EarliestShownDate: neither the months nor the since
		// give the withheld date back.
		{"joined 1950, no life", def, []MemberLife{{"王五", "1950-03-01", ""}}, held, finding{LevelRed, domain.EarliestShownDate,
			[]string{"王五（入党或转入以来未参加）"}, []string{"个月）", "1950"}}},
		{"no dates at all", def, []MemberLife{{"王五", "", ""}}, held, none()},
		// A silent branch is no_activity's: the member is not to blame.
		{"branch held nothing since", def, []MemberLife{life("张三", "2026-05-01")}, "2026-05-01", none()},
		{"branch silent even longer", def, []MemberLife{life("张三", "2026-05-01")}, "2026-04-30", none()},
		{"branch never held anything", def, []MemberLife{{"王五", "2020-01-01", ""}}, "", none()},
		{"branch held one activity since", def, []MemberLife{life("张三", "2026-05-01")}, "2026-05-02", want(LevelRed, "2026-05-01", "张三（最近一次 2026-05-01，6 个月）")},
		// Several: the worst member's level, the longest silence first.
		{"worst member decides", def, []MemberLife{life("甲", "2026-08-01"), life("乙", "2026-04-15"), life("丙", "2026-06-01"), life("丁", "2026-11-01")}, held,
			finding{LevelRed, "2026-04-15", []string{"3 名党员连续 3 个月以上未参加组织生活，其中 1 名已满 6 个月", "：乙（最近一次 2026-04-15，7 个月）、丙（最近一次 2026-06-01，5 个月）、甲（最近一次 2026-08-01，3 个月）。"}, []string{"丁", "等"}}},
		{"five named in full", def, many[:5], held, finding{LevelRed, "2026-01-10",
			[]string{"5 名党员", "其中 5 名已满 6 个月", "赵一（最近一次 2026-01-10，10 个月）", "周五（最近一次 2026-05-10，6 个月）。"}, []string{"等"}}},
		{"more than five collapse", def, many, held, finding{LevelRed, "2026-01-10",
			[]string{"7 名党员", "其中 5 名已满 6 个月", "赵一（最近一次 2026-01-10，10 个月）", "周五（最近一次 2026-05-10，6 个月）等 7 人。"}, []string{"吴六", "郑七"}}},
		{"tuned: 1 month yellow", fast, []MemberLife{life("张三", "2026-10-27")}, held, want(LevelYellow, "2026-10-27", "连续 1 个月以上", "张三（最近一次 2026-10-27，1 个月）")},
		{"tuned: day before yellow", fast, []MemberLife{life("张三", "2026-10-28")}, held, none()},
		{"tuned: 3 months red", fast, []MemberLife{life("张三", "2026-08-27")}, held, want(LevelRed, "2026-08-27", "其中 1 名已满 3 个月")},
		{"switched off", off(t, RuleMemberInactive), many, held, none()},
	} {
		checkFinding(t, c.name, RuleMemberInactive, EvaluateMemberInactive(c.s, c.members, c.lastHeld, lifeToday), c.want)
	}
}
