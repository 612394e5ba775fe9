package alert

import (
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

func setting(t *testing.T, code RuleCode) RuleSetting {
	t.Helper()
	d, ok := RuleDefOf(code)
	if !ok {
		t.Fatalf("no rule %s", code)
	}
	return d.DefaultSetting()
}

// TestStructuralRulesAtThresholds checks each structural rule the day
// before, on and after its thresholds.
func TestStructuralRulesAtThresholds(t *testing.T) {
	active := func(f OrgAlertFacts) OrgAlertFacts {
		f.Status = domain.StatusActive
		if f.Type == "" {
			f.Type = domain.Branch
		}
		return f
	}
	for _, c := range []struct {
		name  string
		rule  RuleCode
		facts OrgAlertFacts
		today domain.Date
		want  AlertLevel // "" for no finding
		says  string
	}{
		{"vacant 29 days", RuleSecretaryVacant, OrgAlertFacts{SecretaryVacantSince: "2026-10-29"}, "2026-11-27", "", ""},
		{"vacant 30 days", RuleSecretaryVacant, OrgAlertFacts{SecretaryVacantSince: "2026-10-28"}, "2026-11-27", LevelYellow, "已 30 天"},
		{"vacant 90 days", RuleSecretaryVacant, OrgAlertFacts{SecretaryVacantSince: "2026-08-29"}, "2026-11-27", LevelOrange, "2026-08-29"},
		{"vacant 180 days", RuleSecretaryVacant, OrgAlertFacts{SecretaryVacantSince: "2026-05-31"}, "2026-11-27", LevelRed, "180 天"},
		{"term ends today", RuleTermOverdue, OrgAlertFacts{TermEnd: "2026-11-27"}, "2026-11-27", "", ""},
		{"term ended yesterday", RuleTermOverdue, OrgAlertFacts{TermEnd: "2026-11-26"}, "2026-11-27", LevelYellow, "超期 1 天"},
		{"term overdue 180 days", RuleTermOverdue, OrgAlertFacts{TermEnd: "2026-05-31"}, "2026-11-27", LevelRed, "2026-05-31"},
		{"postponed, not yet due", RuleTermOverdue, OrgAlertFacts{TermEnd: "2026-05-31", PostponedTo: "2027-05-31"}, "2026-11-27", "", ""},
		{"postponement overdue", RuleTermOverdue, OrgAlertFacts{TermEnd: "2025-05-31", PostponedTo: "2026-11-20"}, "2026-11-27", LevelYellow, "经批准延期"},
		{"term ends in 181 days", RuleTermEnding, OrgAlertFacts{TermEnd: "2027-05-27"}, "2026-11-27", "", ""},
		{"term ends in 180 days", RuleTermEnding, OrgAlertFacts{TermEnd: "2027-05-26"}, "2026-11-27", LevelYellow, "还有 180 天"},
		{"term ends in 30 days", RuleTermEnding, OrgAlertFacts{TermEnd: "2026-12-27"}, "2026-11-27", LevelOrange, "还有 30 天"},
		{"term ended: overdue, not ending", RuleTermEnding, OrgAlertFacts{TermEnd: "2026-11-26"}, "2026-11-27", "", ""},
		{"3 full members", RuleTooFewMembers, OrgAlertFacts{FullMembers: 3}, "2026-11-27", "", ""},
		{"2 full members", RuleTooFewMembers, OrgAlertFacts{FullMembers: 2}, "2026-11-27", LevelOrange, "正式党员 2 人"},
		{"2 in a committee: not a branch", RuleTooFewMembers, OrgAlertFacts{Type: domain.Committee, FullMembers: 2}, "2026-11-27", "", ""},
		{"6 full, no committee", RuleNoCommittee, OrgAlertFacts{FullMembers: 6}, "2026-11-27", "", ""},
		{"7 full, no committee", RuleNoCommittee, OrgAlertFacts{FullMembers: 7}, "2026-11-27", LevelYellow, "正式党员 7 人"},
		{"7 full with a committee", RuleNoCommittee, OrgAlertFacts{FullMembers: 7, HasCommittee: true}, "2026-11-27", "", ""},
		{"50 members", RuleTooManyMembers, OrgAlertFacts{Members: 50}, "2026-11-27", "", ""},
		{"51 members", RuleTooManyMembers, OrgAlertFacts{Members: 51}, "2026-11-27", LevelYellow, "党员 51 人"},
		{"joint branch of 5", RuleJointBranchTooWide, OrgAlertFacts{Type: domain.JointBranch, CoveredOrganizations: 5}, "2026-11-27", "", ""},
		{"joint branch of 6", RuleJointBranchTooWide, OrgAlertFacts{Type: domain.JointBranch, CoveredOrganizations: 6}, "2026-11-27", LevelYellow, "覆盖 6 个单位"},
		{"a branch of 6: not joint", RuleJointBranchTooWide, OrgAlertFacts{CoveredOrganizations: 6}, "2026-11-27", "", ""},
	} {
		got := EvaluateStructural(c.rule, setting(t, c.rule), active(c.facts), c.today)
		switch {
		case c.want == "" && got != nil:
			t.Errorf("%s: unexpected %+v", c.name, *got)
		case c.want != "" && got == nil:
			t.Errorf("%s: no finding, want %s", c.name, c.want)
		case got != nil && (got.Level != c.want || !strings.Contains(got.Reason+" "+string(got.Since), c.says)):
			t.Errorf("%s: %+v, want %s saying %q", c.name, *got, c.want, c.says)
		}
	}
	// Switched off, or the org dissolved: nothing.
	s := setting(t, RuleTooFewMembers)
	s.Enabled = false
	if f := EvaluateStructural(RuleTooFewMembers, s, active(OrgAlertFacts{FullMembers: 1}), "2026-11-27"); f != nil {
		t.Errorf("disabled rule found %+v", *f)
	}
	if f := EvaluateStructural(RuleTooFewMembers, setting(t, RuleTooFewMembers), OrgAlertFacts{Type: domain.Branch, Status: domain.StatusDissolved, FullMembers: 1}, "2026-11-27"); f != nil {
		t.Errorf("dissolved org found %+v", *f)
	}
}

func TestRuleSettingValidation(t *testing.T) {
	d, _ := RuleDefOf(RuleSecretaryVacant)
	ok := RuleSetting{Enabled: true, Params: map[string]int{"yellow_days": 10}}
	if err := d.Validate(&ok); err != nil || ok.Params["red_days"] != 180 {
		t.Fatalf("partial tuning: %v %+v", err, ok.Params)
	}
	for _, c := range []struct {
		params map[string]int
		field  string
	}{
		{map[string]int{"yellow_days": 0}, "params.yellow_days"},
		{map[string]int{"red_days": 99999}, "params.red_days"},
		{map[string]int{"weeks": 3}, "params.weeks"},
		{map[string]int{"yellow_days": 100, "orange_days": 50}, "params.orange_days"},
	} {
		s := RuleSetting{Enabled: true, Params: c.params}
		err := d.Validate(&s)
		ve, isVE := err.(*domain.ValidationError)
		if !isVE || ve.Fields[c.field] == "" {
			t.Errorf("%v: %v, want an error on %s", c.params, err, c.field)
		}
	}
	e, _ := RuleDefOf(RuleTermEnding)
	bad := RuleSetting{Enabled: true, Params: map[string]int{"yellow_days": 30, "orange_days": 180}}
	if err := e.Validate(&bad); err == nil {
		t.Error("term_ending: orange earlier than yellow accepted")
	}
	for _, r := range Rules {
		s := r.DefaultSetting()
		if err := r.Validate(&s); err != nil {
			t.Errorf("%s: defaults invalid: %v", r.Code, err)
		}
		if r.Name == "" || r.Basis == "" || r.Description == "" {
			t.Errorf("%s: name, description and basis are required", r.Code)
		}
	}
}

// TestLifeRuleSettingValidation: the rules over organizational life,
// filings and members validate their defaults, fill what a tuning leaves
// out, and refuse thresholds that get milder as the level rises — for
// low_attendance, where a lower rate is worse, that means a higher one.
func TestLifeRuleSettingValidation(t *testing.T) {
	for _, code := range []RuleCode{RuleMeetingsMissing, RuleNoActivity, RuleLowAttendance, RuleOrgDeregistered,
		RuleMembersOrphaned, RuleFilingMissing, RuleMemberInactive, RuleFilingPending} {
		d, ok := RuleDefOf(code)
		if !ok {
			t.Fatalf("no rule %s in the catalogue", code)
		}
		s := d.DefaultSetting()
		if err := d.Validate(&s); err != nil {
			t.Errorf("%s: defaults invalid: %v", code, err)
		}
		if !s.Enabled || len(s.Params) != len(d.Params) {
			t.Errorf("%s: default setting %+v, want enabled with %d params", code, s, len(d.Params))
		}
	}
	la, _ := RuleDefOf(RuleLowAttendance)
	partial := RuleSetting{Enabled: true, Params: map[string]int{"yellow_percent": 80}}
	if err := la.Validate(&partial); err != nil || partial.Params["window_days"] != 90 || partial.Params["min_activities"] != 2 || partial.Params["red_percent"] != 30 {
		t.Errorf("low_attendance partial tuning: %v %+v", err, partial.Params)
	}
	equal := RuleSetting{Enabled: true, Params: map[string]int{"yellow_percent": 60, "orange_percent": 60, "red_percent": 60}}
	if err := la.Validate(&equal); err != nil {
		t.Errorf("low_attendance: equal thresholds refused: %v", err)
	}
	for _, c := range []struct {
		rule   RuleCode
		params map[string]int
		field  string
		says   string
	}{
		{RuleLowAttendance, map[string]int{"yellow_percent": 50, "orange_percent": 60, "red_percent": 30}, "params.orange_percent", "橙色阈值不能高于黄色阈值"},
		{RuleLowAttendance, map[string]int{"yellow_percent": 70, "orange_percent": 50, "red_percent": 55}, "params.red_percent", "红色阈值不能高于橙色阈值"},
		{RuleLowAttendance, map[string]int{"window_days": 7}, "params.window_days", "统计期应在30到365天之间"},
		{RuleLowAttendance, map[string]int{"min_activities": 0}, "params.min_activities", "统计期内最少活动次数应在1到20次之间"},
		{RuleLowAttendance, map[string]int{"yellow_percent": 101}, "params.yellow_percent", "参会率低于（黄色）应在1到100%之间"},
		{RuleNoActivity, map[string]int{"yellow_months": 4, "orange_months": 3}, "params.orange_months", "橙色阈值不能低于黄色阈值"},
		{RuleNoActivity, map[string]int{"red_months": 25}, "params.red_months", "应在1到24个月之间"},
		{RuleMemberInactive, map[string]int{"orange_months": 5, "red_months": 4}, "params.red_months", "红色阈值不能低于橙色阈值"},
		{RuleMeetingsMissing, map[string]int{"yellow_missing": 0}, "params.yellow_missing", "缺项次数（黄色）应在1到100次之间"},
		{RuleFilingMissing, map[string]int{"yellow_days": 40}, "params.orange_days", "橙色阈值不能低于黄色阈值"},
		{RuleFilingPending, map[string]int{"yellow_days": 0}, "params.yellow_days", "应在1到365天之间"},
		{RuleOrgDeregistered, map[string]int{"days": 3}, "params.days", "没有参数 days"},
		{RuleMembersOrphaned, map[string]int{"members": 1}, "params.members", "没有参数 members"},
	} {
		d, _ := RuleDefOf(c.rule)
		s := RuleSetting{Enabled: true, Params: c.params}
		err := d.Validate(&s)
		ve, isVE := err.(*domain.ValidationError)
		if !isVE || !strings.Contains(ve.Fields[c.field], c.says) {
			t.Errorf("%s %v: %v, want %q on %s", c.rule, c.params, err, c.says, c.field)
		}
	}
}
