package activity

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

func TestActivitySettingsValidate(t *testing.T) {
	def := DefaultActivitySettings()
	if def.CheckinBeforeMinutes != 30 || def.CheckinAfterMinutes != 30 || def.Frequencies != DefaultComplianceSettings() {
		t.Errorf("defaults: %+v", def)
	}
	if def.CheckinBefore() != 30*time.Minute || def.CheckinAfter() != 30*time.Minute {
		t.Errorf("durations: %v %v", def.CheckinBefore(), def.CheckinAfter())
	}
	for _, c := range []struct {
		name   string
		mut    func(*ActivitySettings)
		fields map[string]string // nil = valid
	}{
		{"defaults", func(*ActivitySettings) {}, nil},
		{"no margins", func(a *ActivitySettings) { a.CheckinBeforeMinutes, a.CheckinAfterMinutes = 0, 0 }, nil},
		{"a day each way", func(a *ActivitySettings) { a.CheckinBeforeMinutes, a.CheckinAfterMinutes = 1440, 1440 }, nil},
		{"before negative", func(a *ActivitySettings) { a.CheckinBeforeMinutes = -1 },
			map[string]string{"checkin_before_minutes": "开始前可签到的分钟数应在0到1440之间"}},
		{"before over a day", func(a *ActivitySettings) { a.CheckinBeforeMinutes = 1441 },
			map[string]string{"checkin_before_minutes": "开始前可签到的分钟数应在0到1440之间"}},
		{"after negative", func(a *ActivitySettings) { a.CheckinAfterMinutes = -1 },
			map[string]string{"checkin_after_minutes": "结束后可签到的分钟数应在0到1440之间"}},
		{"after over a day", func(a *ActivitySettings) { a.CheckinAfterMinutes = 1441 },
			map[string]string{"checkin_after_minutes": "结束后可签到的分钟数应在0到1440之间"}},
		{"bad ledger named under frequencies", func(a *ActivitySettings) {
			a.Frequencies.PartyLecture, a.Frequencies.CommitteeMinFullMembers = "weekly", 2
		}, map[string]string{
			"frequencies.party_lecture":              "党课的频次应为每月、每季度、每半年、每年或不考核",
			"frequencies.committee_min_full_members": "设立支委会的正式党员人数应在3到50之间（条例规定为7人）",
		}},
		{"everything wrong at once", func(a *ActivitySettings) {
			a.CheckinBeforeMinutes, a.CheckinAfterMinutes, a.Frequencies.ThemeDay = 5000, -5, ""
		}, map[string]string{
			"checkin_before_minutes": "开始前可签到的分钟数应在0到1440之间",
			"checkin_after_minutes":  "结束后可签到的分钟数应在0到1440之间",
			"frequencies.theme_day":  "主题党日的频次应为每月、每季度、每半年、每年或不考核",
		}},
	} {
		a := DefaultActivitySettings()
		c.mut(&a)
		err := a.Validate()
		if c.fields == nil {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != len(c.fields) {
			t.Errorf("%s: want %v, got %v", c.name, c.fields, err)
			continue
		}
		for f, m := range c.fields {
			if ve.Fields[f] != m {
				t.Errorf("%s: %s = %q, want %q", c.name, f, ve.Fields[f], m)
			}
		}
	}
}

// TestCheckinWindow checks the window's edges, to the nanosecond, for the
// default margins, none, and the widest.
func TestCheckinWindow(t *testing.T) {
	start := time.Date(2026, 6, 1, 1, 0, 0, 0, time.UTC) // 09:00 in Chengdu
	end := start.Add(2 * time.Hour)
	const (
		open    = ""
		early   = "early"
		closed  = "closed"
		nanosec = time.Nanosecond
	)
	for _, c := range []struct {
		name          string
		before, after int // minutes
		at            time.Time
		want          string
		msg           string
	}{
		{"an instant before it opens", 30, 30, start.Add(-30*time.Minute - nanosec), early, "签到尚未开始：活动开始前30分钟起可以签到"},
		{"as it opens", 30, 30, start.Add(-30 * time.Minute), open, ""},
		{"at the start", 30, 30, start, open, ""},
		{"during", 30, 30, start.Add(time.Hour), open, ""},
		{"at the end", 30, 30, end, open, ""},
		{"as it closes", 30, 30, end.Add(30 * time.Minute), open, ""},
		{"an instant after it closes", 30, 30, end.Add(30*time.Minute + nanosec), closed, "活动已结束，签到已关闭"},
		{"no margins: before the start", 0, 0, start.Add(-nanosec), early, "签到尚未开始：活动开始前0分钟起可以签到"},
		{"no margins: at the start", 0, 0, start, open, ""},
		{"no margins: at the end", 0, 0, end, open, ""},
		{"no margins: after the end", 0, 0, end.Add(nanosec), closed, "活动已结束，签到已关闭"},
		{"a day ahead", 1440, 0, start.Add(-24 * time.Hour), open, ""},
		{"more than a day ahead", 1440, 0, start.Add(-24*time.Hour - time.Minute), early, "活动开始前1440分钟起"},
		{"a day after", 0, 1440, end.Add(24 * time.Hour), open, ""},
	} {
		st := ActivitySettings{CheckinBeforeMinutes: c.before, CheckinAfterMinutes: c.after}
		w := st.CheckinWindow(start, end)
		if !w.Opens().Equal(start.Add(-time.Duration(c.before)*time.Minute)) || !w.Closes().Equal(end.Add(time.Duration(c.after)*time.Minute)) {
			t.Errorf("%s: window %v – %v", c.name, w.Opens(), w.Closes())
		}
		err := w.Check(c.at)
		if w.Contains(c.at) != (c.want == open) {
			t.Errorf("%s: contains %v", c.name, w.Contains(c.at))
		}
		if c.want == open {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		var ge *domain.GoneError
		if !errors.As(err, &ge) || !errors.Is(err, domain.ErrGone) {
			t.Errorf("%s: want gone, got %v", c.name, err)
			continue
		}
		if !strings.Contains(ge.Message, c.msg) {
			t.Errorf("%s: %q, want %q", c.name, ge.Message, c.msg)
		}
	}
}

// TestCheckinWindowCheckMark: before the window opens only a leave may be
// recorded; from its opening on, and after it closes, every mark.
func TestCheckinWindowCheckMark(t *testing.T) {
	start := time.Date(2026, 6, 1, 1, 0, 0, 0, time.UTC)
	w := DefaultActivitySettings().CheckinWindow(start, start.Add(time.Hour))
	early := w.Opens().Add(-time.Nanosecond)
	for _, c := range []struct {
		kind AttendanceKind
		at   time.Time
		bad  bool
	}{
		{AttendLeave, early.Add(-48 * time.Hour), false},
		{AttendLeave, early, false},
		{AttendPresent, early, true},
		{AttendAbsent, early, true},
		{AttendPresent, w.Opens(), false},
		{AttendAbsent, w.Opens(), false},
		{AttendPresent, w.Closes().Add(72 * time.Hour), false},
		{AttendAbsent, w.Closes().Add(72 * time.Hour), false},
	} {
		err := w.CheckMark(c.kind, c.at)
		if !c.bad {
			if err != nil {
				t.Errorf("%s at %v: %v", c.kind, c.at, err)
			}
			continue
		}
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Fields["kind"] != "活动尚未开始，只能登记请假" {
			t.Errorf("%s at %v: want the kind refused, got %v", c.kind, c.at, err)
		}
	}
}
