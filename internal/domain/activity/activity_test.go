package activity

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

// activityNow is 2026-11-27 10:00 in Chengdu.
var activityNow = time.Date(2026, 11, 27, 10, 0, 0, 0, domain.Shanghai)

func validActivityInput() ActivityInput {
	return ActivityInput{
		PartyOrgID: 42,
		Type:       ThemeDay,
		Title:      " 11月主题党日：学习贯彻全会精神 ",
		StartsAt:   time.Date(2026, 11, 28, 14, 30, 0, 0, domain.Shanghai),
		EndsAt:     time.Date(2026, 11, 28, 16, 30, 0, 0, domain.Shanghai),
		Address:    "锦江区红星路三段1号党群服务中心",
		Latitude:   ptr(30.657),
		Longitude:  ptr(104.081),
		Open:       true,
		Capacity:   30,
	}
}

func TestActivityInputValid(t *testing.T) {
	in := validActivityInput()
	if err := in.Validate(activityNow); err != nil {
		t.Fatal(err)
	}
	if in.Title != "11月主题党日：学习贯彻全会精神" || in.Status != ActivityPlanned {
		t.Errorf("normalized: %q %q", in.Title, in.Status)
	}
	// recorded after the fact, with minutes
	held := validActivityInput()
	held.StartsAt, held.EndsAt = activityNow.Add(-2*time.Hour), activityNow.Add(-time.Hour)
	held.Status, held.Minutes = ActivityHeld, "学习了……"
	if err := held.Validate(activityNow); err != nil {
		t.Fatal(err)
	}
	// started a minute ago and still running: may be marked held
	running := held
	running.StartsAt, running.EndsAt = activityNow.Add(-time.Minute), activityNow.Add(time.Hour)
	if err := running.Validate(activityNow); err != nil {
		t.Fatal(err)
	}
	joint := validActivityInput()
	joint.Type, joint.CoHostIDs = JointThemeDay, []int64{43, 44}
	if err := joint.Validate(activityNow); err != nil {
		t.Fatal(err)
	}
	if got := joint.Hosts(); len(got) != 3 || got[0] != 42 {
		t.Errorf("hosts %v", got)
	}
	q := validActivityInput()
	q.Type, q.Question = QuestionSolving, "小区停车难"
	if err := q.Validate(activityNow); err != nil {
		t.Fatal(err)
	}
	closed := validActivityInput()
	closed.Open, closed.Capacity, closed.Latitude, closed.Longitude = false, 0, nil, nil
	if err := closed.Validate(activityNow); err != nil {
		t.Fatal(err)
	}
}

func TestActivityInputInvalid(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*ActivityInput)
		field string
		msg   string
	}{
		{"type unknown", func(in *ActivityInput) { in.Type = "party" }, "type", "活动类型"},
		{"no host", func(in *ActivityInput) { in.PartyOrgID = 0 }, "party_org_id", "主办党组织"},
		{"co-host on a plain theme day", func(in *ActivityInput) { in.CoHostIDs = []int64{7} }, "co_host_ids", "联合主题党日"},
		{"joint without co-host", func(in *ActivityInput) { in.Type = JointThemeDay }, "co_host_ids", "至少"},
		{"joint co-host repeats host", func(in *ActivityInput) { in.Type, in.CoHostIDs = JointThemeDay, []int64{42} }, "co_host_ids", "重复"},
		{"joint co-host twice", func(in *ActivityInput) { in.Type, in.CoHostIDs = JointThemeDay, []int64{7, 7} }, "co_host_ids", "重复"},
		{"joint co-host invalid", func(in *ActivityInput) { in.Type, in.CoHostIDs = JointThemeDay, []int64{-1} }, "co_host_ids", "无效"},
		{"joint too many", func(in *ActivityInput) {
			in.Type = JointThemeDay
			for i := range MaxCoHosts + 1 {
				in.CoHostIDs = append(in.CoHostIDs, int64(100+i))
			}
		}, "co_host_ids", "20"},
		{"title empty", func(in *ActivityInput) { in.Title = "  " }, "title", "请填写活动名称"},
		{"title long", func(in *ActivityInput) { in.Title = strings.Repeat("题", 101) }, "title", "100"},
		{"theme long", func(in *ActivityInput) { in.Theme = strings.Repeat("题", 101) }, "theme", "100"},
		{"monthly theme on a meeting", func(in *ActivityInput) { in.Type, in.MonthlyThemeID = MembersMeeting, ptr(int64(3)) }, "monthly_theme_id", "主题党日"},
		{"start missing", func(in *ActivityInput) { in.StartsAt = time.Time{} }, "starts_at", "开始时间"},
		{"start ancient", func(in *ActivityInput) { in.StartsAt = time.Date(1926, 1, 1, 0, 0, 0, 0, domain.Shanghai) }, "starts_at", "2000"},
		{"start too far ahead", func(in *ActivityInput) {
			in.StartsAt, in.EndsAt = activityNow.AddDate(1, 1, 0), activityNow.AddDate(1, 1, 0).Add(time.Hour)
		}, "starts_at", "一年"},
		{"end missing", func(in *ActivityInput) { in.EndsAt = time.Time{} }, "ends_at", "结束时间"},
		{"end equals start", func(in *ActivityInput) { in.EndsAt = in.StartsAt }, "ends_at", "晚于开始"},
		{"end before start", func(in *ActivityInput) { in.EndsAt = in.StartsAt.Add(-time.Minute) }, "ends_at", "晚于开始"},
		{"too long", func(in *ActivityInput) { in.EndsAt = in.StartsAt.Add(MaxActivityDuration + time.Minute) }, "ends_at", "72"},
		{"address empty", func(in *ActivityInput) { in.Address = "" }, "address", "活动地点"},
		{"latitude alone", func(in *ActivityInput) { in.Longitude = nil }, "latitude", "同时"},
		{"latitude range", func(in *ActivityInput) { in.Latitude = ptr(90.5) }, "latitude", "-90"},
		{"latitude NaN", func(in *ActivityInput) { in.Latitude = ptr(math.NaN()) }, "latitude", "-90"},
		{"longitude range", func(in *ActivityInput) { in.Longitude = ptr(-180.01) }, "longitude", "-180"},
		{"open without capacity", func(in *ActivityInput) { in.Capacity = 0 }, "capacity", "至少1人"},
		{"capacity negative", func(in *ActivityInput) { in.Open, in.Capacity = false, -1 }, "capacity", "负数"},
		{"capacity huge", func(in *ActivityInput) { in.Capacity = MaxActivityCapacity + 1 }, "capacity", "10000"},
		{"agenda long", func(in *ActivityInput) { in.Agenda = strings.Repeat("议", 5001) }, "agenda", "5000"},
		{"held in the future", func(in *ActivityInput) { in.Status, in.Minutes = ActivityHeld, "记录" }, "status", "尚未开始"},
		{"held without minutes", func(in *ActivityInput) {
			in.StartsAt, in.EndsAt = activityNow.Add(-2*time.Hour), activityNow.Add(-time.Hour)
			in.Status = ActivityHeld
		}, "minutes", "会议记录"},
		{"created cancelled", func(in *ActivityInput) { in.Status = ActivityCancelled }, "status", "取消"},
		{"status unknown", func(in *ActivityInput) { in.Status = "done" }, "status", "planned"},
		{"question on a theme day", func(in *ActivityInput) { in.Question = "问题" }, "question", "党员出题"},
		{"outcome on a theme day", func(in *ActivityInput) { in.Outcome = "结果" }, "outcome", "党员出题"},
		{"question missing", func(in *ActivityInput) { in.Type = QuestionSolving }, "question", "请填写党员所出的题"},
		{"decision missing when held", func(in *ActivityInput) {
			in.Type, in.Question = QuestionSolving, "停车难"
			in.StartsAt, in.EndsAt = activityNow.Add(-2*time.Hour), activityNow.Add(-time.Hour)
			in.Status, in.Minutes = ActivityHeld, "记录"
		}, "decision", "支部所定的题"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := validActivityInput()
			c.edit(&in)
			err := in.Validate(activityNow)
			var ve *domain.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a ValidationError", err)
			}
			if msg, ok := ve.Fields[c.field]; !ok || !strings.Contains(msg, c.msg) {
				t.Fatalf("fields %v: want %s containing %q", ve.Fields, c.field, c.msg)
			}
			if len(ve.Fields) != 1 {
				t.Errorf("extra fields reported: %v", ve.Fields)
			}
		})
	}
}

func TestActivityTypes(t *testing.T) {
	seen := map[ActivityType]bool{}
	for _, i := range ActivityTypes {
		if seen[i.Code] || i.Name == "" {
			t.Errorf("type %q repeated or unnamed", i.Code)
		}
		seen[i.Code] = true
		// the fast switch agrees with the table
		if i.Code.Requirement() != i.Counts {
			t.Errorf("%s: Requirement() %q, table %q", i.Code, i.Code.Requirement(), i.Counts)
		}
		if ri := requirementIndex(i.Code); (ri < 0) != (i.Counts == "") || (ri >= 0 && Requirements[ri].Code != string(i.Counts)) {
			t.Errorf("%s: requirementIndex %d", i.Code, ri)
		}
	}
	if len(seen) != 14 {
		t.Errorf("%d types, issue 4 lists 14", len(seen))
	}
	// every requirement is fulfilled by the type of the same code (glossary)
	for _, r := range Requirements {
		if ActivityType(r.Code).Requirement() != Requirement(r.Code) || ActivityType(r.Code).Name() != r.Name {
			t.Errorf("requirement %s has no matching type", r.Code)
		}
	}
	if ActivityType("x").Name() != "x" || ActivityType("x").Requirement() != "" {
		t.Error("unknown type")
	}
}

func TestCheckStatusChange(t *testing.T) {
	for _, c := range []struct {
		from, to ActivityStatus
		ok       bool
	}{
		{ActivityPlanned, ActivityHeld, true},
		{ActivityPlanned, ActivityCancelled, true},
		{ActivityHeld, ActivityHeld, true},
		{ActivityHeld, ActivityPlanned, false},
		{ActivityHeld, ActivityCancelled, false},
		{ActivityCancelled, ActivityPlanned, false},
		{ActivityCancelled, ActivityHeld, false},
	} {
		if err := CheckStatusChange(c.from, c.to); (err == nil) != c.ok {
			t.Errorf("%s → %s: %v", c.from, c.to, err)
		}
	}
	if err := CheckStatusChange(ActivityHeld, ActivityPlanned); !strings.Contains(err.Error(), "已开展") {
		t.Errorf("message names the statuses: %v", err)
	}
}

func TestCancelInput(t *testing.T) {
	c := CancelInput{Reason: " 暴雨预警 "}
	if err := c.Validate(ActivityPlanned); err != nil || c.Reason != "暴雨预警" {
		t.Fatal(err, c.Reason)
	}
	if err := (&CancelInput{}).Validate(ActivityPlanned); err == nil || !strings.Contains(err.Error(), "取消原因") {
		t.Errorf("no reason: %v", err)
	}
	for _, st := range []ActivityStatus{ActivityHeld, ActivityCancelled} {
		if err := (&CancelInput{Reason: "x"}).Validate(st); err == nil || !strings.Contains(err.Error(), "计划中") {
			t.Errorf("%s: %v", st, err)
		}
	}
}

func TestMonthlyTheme(t *testing.T) {
	m := MonthlyTheme{Month: " 2026-11 ", Title: " 学习贯彻全会精神 "}
	if err := m.Validate(); err != nil || m.Month != "2026-11" {
		t.Fatal(err)
	}
	for _, month := range []string{"", "2026-13", "2026-1", "1999-12", "2100-01", "2026/11"} {
		m := MonthlyTheme{Month: month, Title: "主题"}
		if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "YYYY-MM") {
			t.Errorf("%q: %v", month, err)
		}
	}
	if err := (&MonthlyTheme{Month: "2026-11"}).Validate(); err == nil || !strings.Contains(err.Error(), "主题") {
		t.Errorf("no title: %v", err)
	}
}

func TestAttendanceInput(t *testing.T) {
	for _, c := range []struct {
		in    AttendanceInput
		field string
	}{
		{AttendanceInput{MemberID: 1, Kind: AttendPresent}, ""},
		{AttendanceInput{MemberID: 1, Kind: AttendLeave, Reason: " 出差 "}, ""},
		{AttendanceInput{MemberID: 1, Kind: AttendAbsent}, ""},
		{AttendanceInput{MemberID: 1, Kind: AttendAbsent, Reason: "联系不上"}, ""},
		{AttendanceInput{MemberID: 1, Kind: AttendLeave}, "reason"},
		{AttendanceInput{MemberID: 1, Kind: AttendLeave, Reason: strings.Repeat("事", 201)}, "reason"},
		{AttendanceInput{MemberID: 1, Kind: AttendPresent, Reason: "x"}, "reason"},
		{AttendanceInput{MemberID: 1, Kind: "late"}, "kind"},
		{AttendanceInput{Kind: AttendPresent}, "member_id"},
	} {
		err := c.in.Validate()
		if c.field == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.in, err)
			}
			continue
		}
		var ve *domain.ValidationError
		if !errors.As(err, &ve) || ve.Fields[c.field] == "" {
			t.Errorf("%+v: %v, want %s", c.in, err, c.field)
		}
	}
}

func TestCheckinAllowed(t *testing.T) {
	open := CheckinTarget{Status: ActivityPlanned, Hosts: []int64{42, 43}, Open: true, Capacity: 2, GuestsPresent: 1}
	if rec, err := CheckinAllowed(open, 43); err != nil || rec {
		t.Errorf("co-host member: %v %v", rec, err)
	}
	if rec, err := CheckinAllowed(open, 99); err != nil || !rec {
		t.Errorf("guest: %v %v", rec, err)
	}
	full := open
	full.GuestsPresent = 2
	if _, err := CheckinAllowed(full, 99); !errors.Is(err, domain.ErrConflict) || !strings.Contains(err.Error(), "名额") {
		t.Errorf("full: %v", err)
	}
	// a full open activity still admits its own members
	if rec, err := CheckinAllowed(full, 42); err != nil || rec {
		t.Errorf("own member at a full activity: %v %v", rec, err)
	}
	closed := CheckinTarget{Status: ActivityPlanned, Hosts: []int64{42}}
	if _, err := CheckinAllowed(closed, 99); !errors.Is(err, domain.ErrForbidden) || !strings.Contains(err.Error(), "不对其他党组织") {
		t.Errorf("closed: %v", err)
	}
	// a member without a Party org is nobody's member
	if _, err := CheckinAllowed(CheckinTarget{Hosts: []int64{0}}, 0); !errors.Is(err, domain.ErrForbidden) {
		t.Errorf("no org: %v", err)
	}
	cancelled := open
	cancelled.Status = ActivityCancelled
	if _, err := CheckinAllowed(cancelled, 42); !errors.Is(err, domain.ErrConflict) || !strings.Contains(err.Error(), "取消") {
		t.Errorf("cancelled: %v", err)
	}
}

func TestQuorum(t *testing.T) {
	for _, c := range []struct {
		entitled, present, required int
		met                         bool
	}{
		{0, 0, 1, false},
		{1, 1, 1, true},
		{2, 1, 2, false}, // half is not more than half
		{2, 2, 2, true},
		{3, 2, 2, true},
		{7, 3, 4, false},
		{7, 4, 4, true},
		{10, 5, 6, false},
		{10, 6, 6, true},
		{50, 26, 26, true},
		{5, 9, 3, true}, // more present than entitled is capped
		{-1, 0, 1, false},
	} {
		q := QuorumOf(c.entitled, c.present)
		if q.Required != c.required || q.Met != c.met || q.Present > q.Entitled {
			t.Errorf("QuorumOf(%d, %d) = %+v, want required %d met %v", c.entitled, c.present, q, c.required, c.met)
		}
	}
}

func TestRosterQuorumCountsFullMembersWithVotes(t *testing.T) {
	roster := []RosterEntry{
		{Status: domain.MemberFull, Kind: AttendPresent},
		{Status: domain.MemberFull, Kind: AttendPresent},
		{Status: domain.MemberFull, Kind: AttendLeave},
		{Status: domain.MemberFull},                                             // nothing recorded
		{Status: domain.MemberFull, VotingSuspended: true, Kind: AttendPresent}, // 留党察看: no vote
		{Status: domain.MemberProbationary, Kind: AttendPresent},                // no vote
		{Status: domain.MemberProbationary, Kind: AttendPresent},
	}
	// 4 entitled, 2 present: 2 is half, not more than half
	if q := RosterQuorum(roster); q.Entitled != 4 || q.Present != 2 || q.Required != 3 || q.Met {
		t.Errorf("%+v", q)
	}
	roster[2].Kind = AttendPresent
	if q := RosterQuorum(roster); !q.Met {
		t.Errorf("%+v", q)
	}
}

func TestAttendanceStats(t *testing.T) {
	roster := []RosterEntry{
		{Status: domain.MemberFull, Kind: AttendPresent},
		{Status: domain.MemberProbationary, Kind: AttendPresent},
		{Status: domain.MemberFull, Kind: AttendLeave},
		{Status: domain.MemberFull, Kind: AttendAbsent},
		{Status: domain.MemberFull},
		{Status: domain.MemberFull, Kind: AttendPresent},
	}
	s := AttendanceStatsOf(roster, 4)
	want := AttendanceStats{Expected: 6, Present: 3, Leave: 1, Absent: 2, Guests: 4, Rate: 50}
	if s != want {
		t.Errorf("%+v, want %+v", s, want)
	}
	if s := AttendanceStatsOf(nil, 2); s.Rate != 0 || s.Guests != 2 {
		t.Errorf("empty roster: %+v", s)
	}
	if s := AttendanceStatsOf(roster[:3], 0); s.Rate != 66.7 {
		t.Errorf("rounding: %v", s.Rate)
	}
}
