package alert

import (
	"strings"
	"unicode/utf8"

	"github.com/lianxin/lianxin/internal/domain"
)

// The workflow of an alert: the statuses staff move it through (assign,
// acknowledge, resolve, reopen) and the engine's own steps (a resolved alert
// that got worse opens again; one whose cause is gone closes). The store
// loads the alert, asks here, and writes what it is told.

// AlertStatus is where an alert stands.
type AlertStatus string

// The statuses. AlertClosed is the engine's (the cause is gone); the others
// are the workflow's.
const (
	AlertOpen         AlertStatus = "open"
	AlertAcknowledged AlertStatus = "acknowledged"
	AlertResolved     AlertStatus = "resolved"
	AlertClosed       AlertStatus = "closed"
)

// AlertStatuses names the statuses.
var AlertStatuses = domain.CodeList{
	{Code: string(AlertOpen), Name: "待处理"},
	{Code: string(AlertAcknowledged), Name: "已确认"},
	{Code: string(AlertResolved), Name: "已处置"},
	{Code: string(AlertClosed), Name: "已消除"},
}

// Current: the alert still stands (the lists' default shows these).
func (s AlertStatus) Current() bool { return s != AlertClosed }

// Waiting: the alert waits for someone (the to-do count): open or
// acknowledged, not yet resolved.
func (s AlertStatus) Waiting() bool { return s == AlertOpen || s == AlertAcknowledged }

// AlertAction is a step staff take on an alert (the routes' last segment).
type AlertAction string

// The workflow's steps.
const (
	AlertAssign      AlertAction = "assign"
	AlertAcknowledge AlertAction = "acknowledge"
	AlertResolve     AlertAction = "resolve"
	AlertReopen      AlertAction = "reopen"
)

// AlertActions lists the steps, in the order a page offers them.
var AlertActions = []AlertAction{AlertAssign, AlertAcknowledge, AlertResolve, AlertReopen}

// AlertActionNames names the steps, in AlertActions' order.
var AlertActionNames = domain.CodeList{
	{Code: string(AlertAssign), Name: "分配"},
	{Code: string(AlertAcknowledge), Name: "确认"},
	{Code: string(AlertResolve), Name: "处置"},
	{Code: string(AlertReopen), Name: "重新打开"},
}

// StatusSteps lists the steps an alert in Status may take.
type StatusSteps struct {
	Status  AlertStatus   `json:"status"`
	Actions []AlertAction `json:"actions"`
}

// AlertStatusSteps is, for every status, the steps a page offers: those
// Apply allows when the step carries what it needs (an assignee, a note),
// but an assignment only while the alert waits for someone (Apply accepts
// assigning a resolved alert; nobody is asked to do anything with it).
func AlertStatusSteps() []StatusSteps {
	full := AlertStep{HasAssignee: true, Note: "-"}
	out := make([]StatusSteps, 0, len(AlertStatuses))
	for _, st := range AlertStatuses {
		s := AlertStatus(st.Code)
		steps := StatusSteps{Status: s, Actions: []AlertAction{}}
		for _, a := range AlertActions {
			if _, err := s.Apply(a, full); err == nil && (a != AlertAssign || s.Waiting()) {
				steps.Actions = append(steps.Actions, a)
			}
		}
		out = append(out, steps)
	}
	return out
}

// The events of an alert's history: the engine's and the workflow's.
const (
	AlertEventRaised       = "raised"
	AlertEventLevelChanged = "level_changed"
	AlertEventAssigned     = "assigned"
	AlertEventAcknowledged = "acknowledged"
	AlertEventResolved     = "resolved"
	AlertEventReopened     = "reopened"
	AlertEventClosed       = "closed"
)

// AlertEvents names the events of an alert's history.
var AlertEvents = domain.CodeList{
	{Code: AlertEventRaised, Name: "产生预警"},
	{Code: AlertEventLevelChanged, Name: "等级变化"},
	{Code: AlertEventAssigned, Name: "分配"},
	{Code: AlertEventAcknowledged, Name: "确认"},
	{Code: AlertEventResolved, Name: "处置"},
	{Code: AlertEventReopened, Name: "重新打开"},
	{Code: AlertEventClosed, Name: "原因消除，自动关闭"},
}

// Event is the history entry a step writes ("" for an unknown step).
func (a AlertAction) Event() string {
	switch a {
	case AlertAssign:
		return AlertEventAssigned
	case AlertAcknowledge:
		return AlertEventAcknowledged
	case AlertResolve:
		return AlertEventResolved
	case AlertReopen:
		return AlertEventReopened
	}
	return ""
}

// MaxAlertNote bounds the note of a step, in characters.
const MaxAlertNote = 500

// AlertNote trims the note of a step and checks its length.
func AlertNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxAlertNote {
		return note, domain.FieldError("note", "说明不能超过500个字")
	}
	return note, nil
}

// AlertStep is what a step carries besides its action: whether an assignee
// was named (whether that account may take it is the store's check) and the
// note, trimmed (AlertNote).
type AlertStep struct {
	HasAssignee bool
	Note        string
}

// Apply decides one step on an alert in status s: the status it moves to,
// or why not. A closed alert takes no step; an assignment keeps the status;
// a resolution needs a note; only a resolved alert reopens. An unknown
// action is ErrNotFound (no such route).
func (s AlertStatus) Apply(a AlertAction, step AlertStep) (AlertStatus, error) {
	if s == AlertClosed {
		return s, &domain.ConflictError{Field: "status", Message: "该预警的原因已消除，已自动关闭，无需处理"}
	}
	switch a {
	case AlertAssign:
		if !step.HasAssignee {
			return s, domain.FieldError("assignee_id", "请选择负责人")
		}
		return s, nil
	case AlertAcknowledge:
		if s != AlertOpen {
			return s, &domain.ConflictError{Field: "status", Message: "只有待处理的预警可以确认"}
		}
		return AlertAcknowledged, nil
	case AlertResolve:
		if step.Note == "" {
			return s, domain.FieldError("note", "请填写处置情况")
		}
		if s == AlertResolved {
			return s, &domain.ConflictError{Field: "status", Message: "该预警已处置"}
		}
		return AlertResolved, nil
	case AlertReopen:
		if s != AlertResolved {
			return s, &domain.ConflictError{Field: "status", Message: "只有已处置的预警可以重新打开"}
		}
		return AlertOpen, nil
	}
	return s, domain.ErrNotFound
}

// ResolvedAt is what an alert at level remembers, after step a, as the
// level it was resolved at (the engine reopens it when it gets worse):
// the level on a resolution, none on a reopening; set false when the step
// leaves it as it was.
func (a AlertAction) ResolvedAt(level AlertLevel) (at AlertLevel, set bool) {
	switch a {
	case AlertResolve:
		return level, true
	case AlertReopen:
		return "", true
	}
	return "", false
}

// AlertReopenedNote is the history's note when the engine reopens an alert.
const AlertReopenedNote = "处置后情况加重，自动重新打开"

// AlertClosedNote is the history's note when the engine closes an alert.
const AlertClosedNote = "原因已消除，自动关闭"

// Rank orders the levels, mildest first (yellow 0 … red 2; -1 for none).
func (l AlertLevel) Rank() int { return AlertLevels.Index(string(l)) }

// Reassess is the engine's step on an alert it finds again at level: a
// resolved alert that got worse than the level it was resolved at opens
// again (reopened true); any other keeps its status.
func (s AlertStatus) Reassess(resolvedAt, level AlertLevel) (next AlertStatus, reopened bool) {
	if s == AlertResolved && level.Rank() > resolvedAt.Rank() {
		return AlertOpen, true
	}
	return s, false
}
