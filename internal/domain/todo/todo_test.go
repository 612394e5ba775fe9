package todo

import (
	"slices"
	"sort"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/alert"
)

func TestUrgencyOrder(t *testing.T) {
	// The list in the order the rule gives, each a different case.
	want := []Urgency{
		{Level: alert.LevelRed, Overdue: true, Since: "2026-03-01"},
		{Level: alert.LevelRed, Since: "2025-01-01"},
		{Level: alert.LevelRed, Since: "2026-01-01"},
		{Level: alert.LevelOrange, Overdue: true, Since: "2026-11-01"},
		{Level: alert.LevelOrange, Since: "2024-01-01"},
		{Level: alert.LevelYellow, Since: "2026-10-01"},
		{Overdue: true, Since: "2026-11-20"},
		{Since: "2020-01-01"},
		{Since: "2026-11-26"},
	}
	for i := range want {
		for j := range want {
			if got := want[i].Before(want[j]); got != (i < j) {
				t.Errorf("%+v before %+v: %v", want[i], want[j], got)
			}
		}
	}
	shuffled := []Urgency{want[5], want[8], want[0], want[3], want[7], want[1], want[6], want[4], want[2]}
	sort.SliceStable(shuffled, func(i, j int) bool { return shuffled[i].Before(shuffled[j]) })
	if !slices.Equal(shuffled, want) {
		t.Errorf("sorted %+v", shuffled)
	}
}

func TestRequestLevel(t *testing.T) {
	on := alert.RuleSetting{Enabled: true, Params: map[string]int{"yellow_days": 15, "orange_days": 30, "red_days": 60}}
	off := on
	off.Enabled = false
	for _, c := range []struct {
		submitted domain.Date
		s         alert.RuleSetting
		level     alert.AlertLevel
	}{
		{"2026-11-27", on, ""},
		{"2026-11-13", on, ""}, // 14 days
		{"2026-11-12", on, alert.LevelYellow},
		{"2026-10-29", on, alert.LevelYellow}, // 29 days
		{"2026-10-28", on, alert.LevelOrange},
		{"2026-09-29", on, alert.LevelOrange}, // 59 days
		{"2026-09-28", on, alert.LevelRed},
		{"2026-01-01", off, ""},
	} {
		u := RequestLevel(c.submitted, "2026-11-27", c.s)
		if u.Level != c.level || u.Overdue != (c.level != "") || u.Since != c.submitted {
			t.Errorf("%s: %+v, want %s", c.submitted, u, c.level)
		}
	}
}

func TestAlertGroup(t *testing.T) {
	if InAlerts(alert.RuleFilingPending) || !InAlerts(alert.RuleTermOverdue) || !AlertOverdue(alert.RuleTermOverdue) || AlertOverdue(alert.RuleTermEnding) {
		t.Error("the alert group's rules")
	}
}
