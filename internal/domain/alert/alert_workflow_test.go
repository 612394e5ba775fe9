package alert

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

// TestAlertStatusApply walks every status through every step, with and
// without what a step needs.
func TestAlertStatusApply(t *testing.T) {
	full := AlertStep{HasAssignee: true, Note: "已督促换届"}
	const (
		ok       = ""
		conflict = "conflict"
		field    = "field"
		notFound = "not found"
	)
	for _, c := range []struct {
		from AlertStatus
		act  AlertAction
		step AlertStep
		want AlertStatus
		err  string // ok, conflict, field or not found
		msg  string // part of the message
	}{
		{AlertOpen, AlertAssign, full, AlertOpen, ok, ""},
		{AlertOpen, AlertAssign, AlertStep{Note: "x"}, AlertOpen, field, "请选择负责人"},
		{AlertOpen, AlertAcknowledge, AlertStep{}, AlertAcknowledged, ok, ""},
		{AlertOpen, AlertResolve, full, AlertResolved, ok, ""},
		{AlertOpen, AlertResolve, AlertStep{HasAssignee: true}, AlertOpen, field, "请填写处置情况"},
		{AlertOpen, AlertReopen, full, AlertOpen, conflict, "只有已处置的预警可以重新打开"},

		{AlertAcknowledged, AlertAssign, full, AlertAcknowledged, ok, ""},
		{AlertAcknowledged, AlertAcknowledge, full, AlertAcknowledged, conflict, "只有待处理的预警可以确认"},
		{AlertAcknowledged, AlertResolve, full, AlertResolved, ok, ""},
		{AlertAcknowledged, AlertResolve, AlertStep{}, AlertAcknowledged, field, "请填写处置情况"},
		{AlertAcknowledged, AlertReopen, full, AlertAcknowledged, conflict, "只有已处置的预警可以重新打开"},

		// The API assigns a resolved alert too (the web offers only reopen).
		{AlertResolved, AlertAssign, full, AlertResolved, ok, ""},
		{AlertResolved, AlertAcknowledge, full, AlertResolved, conflict, "只有待处理的预警可以确认"},
		{AlertResolved, AlertResolve, full, AlertResolved, conflict, "该预警已处置"},
		// The missing note is named before the state.
		{AlertResolved, AlertResolve, AlertStep{}, AlertResolved, field, "请填写处置情况"},
		{AlertResolved, AlertReopen, AlertStep{}, AlertOpen, ok, ""},

		// A closed alert takes nothing, whatever the step carries.
		{AlertClosed, AlertAssign, full, AlertClosed, conflict, "原因已消除，已自动关闭"},
		{AlertClosed, AlertAssign, AlertStep{}, AlertClosed, conflict, "原因已消除，已自动关闭"},
		{AlertClosed, AlertAcknowledge, full, AlertClosed, conflict, "原因已消除，已自动关闭"},
		{AlertClosed, AlertResolve, AlertStep{}, AlertClosed, conflict, "原因已消除，已自动关闭"},
		{AlertClosed, AlertReopen, full, AlertClosed, conflict, "原因已消除，已自动关闭"},
		{AlertClosed, "delete", full, AlertClosed, conflict, "原因已消除，已自动关闭"},

		{AlertOpen, "delete", full, AlertOpen, notFound, ""},
	} {
		name := string(c.from) + " " + string(c.act)
		got, err := c.from.Apply(c.act, c.step)
		if got != c.want {
			t.Errorf("%s: status %q, want %q", name, got, c.want)
		}
		switch c.err {
		case ok:
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
		case conflict:
			var ce *domain.ConflictError
			if !errors.As(err, &ce) || ce.Field != "status" || !strings.Contains(ce.Message, c.msg) {
				t.Errorf("%s: want a conflict on status ~ %q, got %v", name, c.msg, err)
			}
		case field:
			var ve *domain.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || !strings.Contains(ve.Summary(), c.msg) {
				t.Errorf("%s: want one field error ~ %q, got %v", name, c.msg, err)
			}
		case notFound:
			if !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("%s: want not found, got %v", name, err)
			}
		}
	}
}

func TestAlertStepFields(t *testing.T) {
	_, err := AlertOpen.Apply(AlertAssign, AlertStep{})
	if ve := (*domain.ValidationError)(nil); !errors.As(err, &ve) || ve.Fields["assignee_id"] == "" {
		t.Errorf("assign without assignee: %v", err)
	}
	_, err = AlertOpen.Apply(AlertResolve, AlertStep{})
	if ve := (*domain.ValidationError)(nil); !errors.As(err, &ve) || ve.Fields["note"] == "" {
		t.Errorf("resolve without note: %v", err)
	}
}

func TestAlertNote(t *testing.T) {
	for _, c := range []struct {
		in, want string
		bad      bool
	}{
		{"", "", false},
		{"  已处理 \n", "已处理", false},
		{strings.Repeat("字", 500), strings.Repeat("字", 500), false},
		{" " + strings.Repeat("字", 500) + " ", strings.Repeat("字", 500), false},
		{strings.Repeat("字", 501), "", true},
	} {
		got, err := AlertNote(c.in)
		if c.bad {
			if ve := (*domain.ValidationError)(nil); !errors.As(err, &ve) || ve.Fields["note"] != "说明不能超过500个字" {
				t.Errorf("%d runes: want the note refused, got %v", len([]rune(c.in)), err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("AlertNote(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestAlertActionEventAndResolvedAt(t *testing.T) {
	for _, c := range []struct {
		act   AlertAction
		event string
		at    AlertLevel
		set   bool
	}{
		{AlertAssign, AlertEventAssigned, "", false},
		{AlertAcknowledge, AlertEventAcknowledged, "", false},
		{AlertResolve, AlertEventResolved, LevelOrange, true},
		{AlertReopen, AlertEventReopened, "", true},
		{"delete", "", "", false},
	} {
		if got := c.act.Event(); got != c.event {
			t.Errorf("%s: event %q, want %q", c.act, got, c.event)
		}
		if at, set := c.act.ResolvedAt(LevelOrange); at != c.at || set != c.set {
			t.Errorf("%s: resolved at %q %v, want %q %v", c.act, at, set, c.at, c.set)
		}
	}
	if len(AlertActions) != 4 {
		t.Errorf("actions: %v", AlertActions)
	}
	for i, a := range AlertActions {
		if a.Event() == "" || !AlertEvents.Has(a.Event()) {
			t.Errorf("%s has no named event", a)
		}
		if AlertActionNames[i].Code != string(a) {
			t.Errorf("action names: %v, want the order of %v", AlertActionNames, AlertActions)
		}
	}
}

// TestAlertStatusSteps: what a page offers per status, as Apply decides it.
func TestAlertStatusSteps(t *testing.T) {
	want := map[AlertStatus][]AlertAction{
		AlertOpen:         {AlertAssign, AlertAcknowledge, AlertResolve},
		AlertAcknowledged: {AlertAssign, AlertResolve},
		AlertResolved:     {AlertReopen},
		AlertClosed:       {},
	}
	got := AlertStatusSteps()
	if len(got) != len(want) {
		t.Fatalf("steps of %d statuses, want %d", len(got), len(want))
	}
	for _, g := range got {
		if !slices.Equal(g.Actions, want[g.Status]) {
			t.Errorf("%s: %v, want %v", g.Status, g.Actions, want[g.Status])
		}
	}
}

// TestAlertReassess: only a resolved alert reopens, and only when its level
// rises above the level it was resolved at.
func TestAlertReassess(t *testing.T) {
	for _, c := range []struct {
		from       AlertStatus
		resolvedAt AlertLevel
		level      AlertLevel
		want       AlertStatus
		reopened   bool
	}{
		{AlertResolved, LevelYellow, LevelYellow, AlertResolved, false},
		{AlertResolved, LevelYellow, LevelOrange, AlertOpen, true},
		{AlertResolved, LevelYellow, LevelRed, AlertOpen, true},
		{AlertResolved, LevelOrange, LevelYellow, AlertResolved, false},
		{AlertResolved, LevelOrange, LevelOrange, AlertResolved, false},
		{AlertResolved, LevelRed, LevelRed, AlertResolved, false},
		// Resolved before the level was remembered: any level is worse.
		{AlertResolved, "", LevelYellow, AlertOpen, true},
		{AlertOpen, LevelYellow, LevelRed, AlertOpen, false},
		{AlertAcknowledged, "", LevelRed, AlertAcknowledged, false},
	} {
		got, reopened := c.from.Reassess(c.resolvedAt, c.level)
		if got != c.want || reopened != c.reopened {
			t.Errorf("%s at %q → %q: %q %v, want %q %v", c.from, c.resolvedAt, c.level, got, reopened, c.want, c.reopened)
		}
	}
}

func TestAlertStatusKinds(t *testing.T) {
	for _, c := range []struct {
		s                AlertStatus
		current, waiting bool
	}{
		{AlertOpen, true, true},
		{AlertAcknowledged, true, true},
		{AlertResolved, true, false},
		{AlertClosed, false, false},
	} {
		if c.s.Current() != c.current || c.s.Waiting() != c.waiting {
			t.Errorf("%s: current %v waiting %v", c.s, c.s.Current(), c.s.Waiting())
		}
		if AlertStatuses.Name(string(c.s)) == "" {
			t.Errorf("%s has no name", c.s)
		}
	}
	if len(AlertStatuses) != 4 {
		t.Errorf("statuses: %v", AlertStatuses)
	}
	if LevelYellow.Rank() != 0 || LevelOrange.Rank() != 1 || LevelRed.Rank() != 2 || AlertLevel("").Rank() != -1 {
		t.Error("level ranks")
	}
}
