// Package todo is the rules of the to-do list (待办, issue 13): what waits
// on a member of staff, grouped by kind, and the order of urgency within
// each group.
package todo

import (
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/alert"
)

// Kind is a kind of work waiting.
type Kind string

const (
	// KindAlert: an alert the staff must handle — assigned to them, or
	// unassigned at their own Party org or at one they are the superior of
	// (the alert's owner).
	KindAlert Kind = "alert"
	// KindFiling and KindTermChange: a request of a Party org directly
	// under theirs, waiting for their decision (a higher level may decide
	// too, but it waits on the superior).
	KindFiling     Kind = "filing"
	KindTermChange Kind = "term_change"
	// KindReturned: their own Party org's request sent back by the
	// superior, to correct and resubmit.
	KindReturned Kind = "returned"
)

// Kinds lists the kinds in the order of the page when equally urgent.
var Kinds = domain.CodeList{
	{Code: string(KindAlert), Name: "防瘫预警"},
	{Code: string(KindFiling), Name: "待审批的书记备案"},
	{Code: string(KindTermChange), Name: "待审批的换届请示"},
	{Code: string(KindReturned), Name: "被退回的申请"},
}

// Urgency is how soon an item needs attention.
type Urgency struct {
	// Level is an alert's level, or a request's by the days it has waited
	// (RequestLevel); "" when none.
	Level alert.AlertLevel
	// Overdue: a deadline has passed (a term ended, a decision is late).
	Overdue bool
	// Since is when the item began to wait.
	Since domain.Date
}

var levelRank = map[alert.AlertLevel]int{alert.LevelRed: 3, alert.LevelOrange: 2, alert.LevelYellow: 1}

// Before reports whether u comes before v: red before orange before yellow
// before none, then overdue before due, then the oldest first.
func (u Urgency) Before(v Urgency) bool {
	if a, b := levelRank[u.Level], levelRank[v.Level]; a != b {
		return a > b
	}
	if u.Overdue != v.Overdue {
		return u.Overdue
	}
	return u.Since < v.Since
}

// AlertOverdue: the alert says a deadline has passed (换届超期).
func AlertOverdue(rule alert.RuleCode) bool { return rule == alert.RuleTermOverdue }

// InAlerts reports whether an alert of the rule belongs to the alert
// group: a decision that is late (filing_pending) waits in the request's
// own group, with the same level, and is not counted twice.
func InAlerts(rule alert.RuleCode) bool { return rule != alert.RuleFilingPending }

// RequestLevel is the level of a request waiting for a decision since
// submitted, by the filing_pending rule's thresholds (the city's setting):
// the level its alert has or will have; a request waiting past the first
// threshold is overdue.
func RequestLevel(submitted, today domain.Date, s alert.RuleSetting) Urgency {
	u := Urgency{Since: submitted}
	days := domain.DaysBetween(submitted, today)
	switch {
	case !s.Enabled:
	case days >= s.Params["red_days"]:
		u.Level = alert.LevelRed
	case days >= s.Params["orange_days"]:
		u.Level = alert.LevelOrange
	case days >= s.Params["yellow_days"]:
		u.Level = alert.LevelYellow
	}
	u.Overdue = u.Level != ""
	return u
}
