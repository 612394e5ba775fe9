package alert

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
)

// The rules over organizational life, the registry, dissolved orgs and
// filings: each a pure function of facts the store gathers in bulk, so that
// they can be tested at any date without a database.

// LevelOf picks the level of a measured value against a rule's escalating
// thresholds ("" when below yellow). For a descending rule the value must
// fall below a threshold (a rate under 70% …); otherwise reach it.
func (d RuleDef) LevelOf(s RuleSetting, v float64) AlertLevel {
	st := d.Escalating
	y, o, r := float64(s.Params["yellow_"+st]), float64(s.Params["orange_"+st]), float64(s.Params["red_"+st])
	if d.Descending {
		switch {
		case v < r:
			return LevelRed
		case v < o:
			return LevelOrange
		case v < y:
			return LevelYellow
		}
		return ""
	}
	return escalate(int(v), int(y), int(o), int(r))
}

func ruleDef(code RuleCode) RuleDef {
	d, _ := RuleDefOf(code)
	return d
}

// MonthsBetween counts the whole months from one date to another (0 when
// to is earlier): 2026-01-31 → 2026-02-28 is 0, → 2026-03-01 is 1.
func MonthsBetween(from, to domain.Date) int {
	a, ok1 := domain.ParseDate(string(from))
	b, ok2 := domain.ParseDate(string(to))
	if !ok1 || !ok2 || b.Before(a) {
		return 0
	}
	n := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if b.Day() < a.Day() {
		n--
	}
	return max(n, 0)
}

// EvaluateMeetingsMissing: the periods of this year's ledger that ended
// without the required meeting.
func EvaluateMeetingsMissing(s RuleSetting, missing []activity.MissingItem) *Finding {
	if !s.Enabled || len(missing) == 0 {
		return nil
	}
	d := ruleDef(RuleMeetingsMissing)
	lvl := d.LevelOf(s, float64(len(missing)))
	if lvl == "" {
		return nil
	}
	var parts []string
	since := missing[0].End
	for i := 0; i < len(missing); {
		j := i
		var periods []string
		for ; j < len(missing) && missing[j].Requirement == missing[i].Requirement; j++ {
			periods = append(periods, missing[j].Period)
			if missing[j].End < since {
				since = missing[j].End
			}
		}
		parts = append(parts, fmt.Sprintf("%s缺 %d 次（%s）", activity.Requirements.Name(string(missing[i].Requirement)), j-i, strings.Join(periods, "、")))
		i = j
	}
	return &Finding{RuleMeetingsMissing, lvl, addDays(since, 1),
		fmt.Sprintf("本年度已到期未开展 %d 次：%s", len(missing), strings.Join(parts, "；"))}
}

// EvaluateNoActivity: months since the last held activity of any type, or
// since the org was founded when it has held none.
func EvaluateNoActivity(s RuleSetting, lastHeld domain.Date, lastType activity.ActivityType, founded domain.Date, today domain.Date) *Finding {
	if !s.Enabled {
		return nil
	}
	ref := lastHeld
	if ref == "" {
		ref = founded
	}
	if ref == "" || ref > today {
		return nil
	}
	months := MonthsBetween(ref, today)
	lvl := ruleDef(RuleNoActivity).LevelOf(s, float64(months))
	if lvl == "" {
		return nil
	}
	days := domain.DaysBetween(ref, today)
	why := fmt.Sprintf("成立（%s）以来未开展任何组织生活，已 %d 天", ref, days)
	if lastHeld != "" {
		why = fmt.Sprintf("最近一次组织生活（%s）于 %s 开展，已 %d 天（%d 个月）未开展任何活动", lastType.Name(), lastHeld, days, months)
	}
	return &Finding{RuleNoActivity, lvl, ref, why}
}

// AttendanceWindow is a branch's organizational life over the window of
// low_attendance: held activities with a roster, the roster places
// (members × activities) and the members present.
type AttendanceWindow struct {
	From, To   domain.Date
	Activities int
	Expected   int
	Present    int
	Leave      int
}

// EvaluateLowAttendance: the share of roster places taken over the window,
// once the branch held enough activities to judge.
func EvaluateLowAttendance(s RuleSetting, w AttendanceWindow) *Finding {
	if !s.Enabled || w.Activities < s.Params["min_activities"] || w.Expected == 0 {
		return nil
	}
	rate := domain.Percent(w.Present, w.Expected)
	lvl := ruleDef(RuleLowAttendance).LevelOf(s, rate)
	if lvl == "" {
		return nil
	}
	return &Finding{RuleLowAttendance, lvl, w.From, fmt.Sprintf("%s 至 %s 开展 %d 次活动，应到 %d 人次，实到 %d 人次（另请假 %d 人次），参会率 %.1f%%，低于 %d%%",
		w.From, w.To, w.Activities, w.Expected, w.Present, w.Leave, rate, s.Params[string(lvl)+"_percent"])}
}

// GoneOrganization is a covered organization whose registry status says it
// no longer exists where the Party org is.
type GoneOrganization struct {
	Name   string
	Status string
	Since  domain.Date // the registry record's last change
}

// EvaluateOrgDeregistered: an active Party org covering organizations
// that are deregistered, revoked or moved out.
func EvaluateOrgDeregistered(s RuleSetting, gone []GoneOrganization) *Finding {
	if !s.Enabled || len(gone) == 0 {
		return nil
	}
	since := gone[0].Since
	names := make([]string, 0, len(gone))
	for _, g := range gone {
		names = append(names, fmt.Sprintf("%s（%s）", g.Name, domain.OrgStatuses.Name(g.Status)))
		if g.Since < since {
			since = g.Since
		}
	}
	return &Finding{RuleOrgDeregistered, LevelOrange, since, "覆盖单位登记状态已为注销、吊销或迁出：" + strings.Join(names, "、") + "；党组织仍在运行"}
}

// EvaluateMembersOrphaned: a dissolved org still holding members.
func EvaluateMembersOrphaned(s RuleSetting, dissolvedOn domain.Date, members int) *Finding {
	if !s.Enabled || members == 0 {
		return nil
	}
	return &Finding{RuleMembersOrphaned, LevelRed, dissolvedOn, fmt.Sprintf("党组织已于 %s 撤销，仍有 %d 名党员的组织关系在本组织，应及时转接", dissolvedOn, members)}
}

// EvaluateFilingMissing: a secretary changed without an approved filing.
func EvaluateFilingMissing(s RuleSetting, unfiledSince domain.Date, secretary string, today domain.Date) *Finding {
	if !s.Enabled || unfiledSince == "" || unfiledSince > today {
		return nil
	}
	days := domain.DaysBetween(unfiledSince, today)
	lvl := ruleDef(RuleFilingMissing).LevelOf(s, float64(days))
	if lvl == "" {
		return nil
	}
	who := "书记已离任（空缺）"
	if secretary != "" {
		who = "书记变更为 " + secretary
	}
	return &Finding{RuleFilingMissing, lvl, unfiledSince, fmt.Sprintf("%s于 %s 登记，至今没有经批准的就任/离任备案，已 %d 天", who, unfiledSince, days)}
}

// PendingRequest is a filing or a 换届 request awaiting the superior.
type PendingRequest struct {
	What      string // "书记就任备案（张三）", "换届延期请示" …
	Submitted domain.Date
	Superior  string
}

// EvaluateFilingPending: a request the superior has not decided in time.
func EvaluateFilingPending(s RuleSetting, p PendingRequest, today domain.Date) *Finding {
	if !s.Enabled || p.Submitted == "" || p.Submitted > today {
		return nil
	}
	days := domain.DaysBetween(p.Submitted, today)
	lvl := ruleDef(RuleFilingPending).LevelOf(s, float64(days))
	if lvl == "" {
		return nil
	}
	return &Finding{RuleFilingPending, lvl, p.Submitted, fmt.Sprintf("%s于 %s 提交，上级党组织（%s）已 %d 天未审批", p.What, p.Submitted, p.Superior, days)}
}

// MemberLife is one member in good standing of a branch: since when they
// could take part (joined or moved in) and their last organizational life
// ("" when none on record).
type MemberLife struct {
	Name     string
	Joined   domain.Date
	LastLife domain.Date
}

// EvaluateMemberInactive: members of a branch with no organizational life
// for the rule's months, counted from their last one or from when they
// joined. A member is flagged only when the branch did hold activities
// since (lastHeld): a silent branch is the no_activity rule's, not its
// members' fault. The branch is alerted; nothing happens to the members.
func EvaluateMemberInactive(s RuleSetting, members []MemberLife, lastHeld domain.Date, today domain.Date) *Finding {
	if !s.Enabled || lastHeld == "" {
		return nil
	}
	d := ruleDef(RuleMemberInactive)
	type flagged struct {
		MemberLife
		ref    domain.Date
		months int
		level  AlertLevel
	}
	var out []flagged
	for _, m := range members {
		ref := m.LastLife
		if ref == "" {
			ref = m.Joined
		}
		if ref == "" || ref > today || lastHeld <= ref {
			continue
		}
		months := MonthsBetween(ref, today)
		if lvl := d.LevelOf(s, float64(months)); lvl != "" {
			out = append(out, flagged{m, ref, months, lvl})
		}
	}
	if len(out) == 0 {
		return nil
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ref < out[j].ref })
	worst, since := LevelYellow, out[0].ref
	if domain.DateWithheld(since) {
		since = domain.EarliestShownDate
	}
	for _, f := range out {
		if AlertLevels.Index(string(f.level)) > AlertLevels.Index(string(worst)) {
			worst = f.level
		}
	}
	red := 0
	for _, f := range out {
		if f.months >= s.Params["red_months"] {
			red++
		}
	}
	names := make([]string, 0, 5)
	more := "" // "甲、乙……戊等 7 人": no 、 before 等
	for i, f := range out {
		if i == 5 {
			more = fmt.Sprintf("等 %d 人", len(out))
			break
		}
		last := "最近一次 " + string(f.LastLife)
		if f.LastLife == "" {
			last = "入党或转入以来未参加"
		}
		if domain.DateWithheld(f.ref) {
			// Months since a joining date this early would give back the date
			// that member pages withhold (it narrows the ID number).
			names = append(names, fmt.Sprintf("%s（%s）", f.Name, last))
			continue
		}
		names = append(names, fmt.Sprintf("%s（%s，%d 个月）", f.Name, last, f.months))
	}
	why := fmt.Sprintf("%d 名党员连续 %d 个月以上未参加组织生活", len(out), s.Params["yellow_months"])
	if red > 0 {
		why += fmt.Sprintf("，其中 %d 名已满 %d 个月（党章第九条）", red, s.Params["red_months"])
	}
	return &Finding{RuleMemberInactive, worst, since, why + "：" + strings.Join(names, "、") + more + "。请党支部了解情况、教育提醒"}
}
