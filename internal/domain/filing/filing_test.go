package filing

import (
	"strings"
	"testing"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

// 2026-11-27 10:00 in Chengdu.
var filingToday = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

func TestSecretaryFilingValidate(t *testing.T) {
	id := int64(7)
	appoint := func(mut func(*SecretaryFilingInput)) SecretaryFilingInput {
		in := SecretaryFilingInput{Kind: FilingAppointment, MemberID: &id, EffectiveOn: "2026-11-20", Method: "elected", MeetingOn: "2026-11-18"}
		mut(&in)
		return in
	}
	depart := func(mut func(*SecretaryFilingInput)) SecretaryFilingInput {
		in := SecretaryFilingInput{Kind: FilingDeparture, EffectiveOn: "2026-11-20", Reason: "transferred"}
		mut(&in)
		return in
	}
	for _, c := range []struct {
		name  string
		in    SecretaryFilingInput
		field string // "" = valid
		msg   string
	}{
		{"appointment ok", appoint(func(*SecretaryFilingInput) {}), "", ""},
		{"appointment 30 days ahead", appoint(func(in *SecretaryFilingInput) { in.EffectiveOn = "2026-12-27" }), "", ""},
		{"appointment 31 days ahead", appoint(func(in *SecretaryFilingInput) { in.EffectiveOn = "2026-12-28" }), "effective_on", "最多可提前30天"},
		{"before founding", appoint(func(in *SecretaryFilingInput) {
			in.EffectiveOn = "2019-12-31"
			in.MeetingOn = ""
			in.Method = "appointed"
		}), "effective_on", "不能早于党组织成立日期"},
		{"no member", appoint(func(in *SecretaryFilingInput) { in.MemberID = nil }), "member_id", "请选择新任书记"},
		{"no method", appoint(func(in *SecretaryFilingInput) { in.Method = "" }), "method", "产生方式"},
		{"elected needs meeting", appoint(func(in *SecretaryFilingInput) { in.MeetingOn = "" }), "meeting_on", "选举会议"},
		{"appointed needs no meeting", appoint(func(in *SecretaryFilingInput) { in.MeetingOn = ""; in.Method = "appointed" }), "", ""},
		{"bad date", appoint(func(in *SecretaryFilingInput) { in.EffectiveOn = "2026-02-30" }), "effective_on", "YYYY-MM-DD"},
		{"bad kind", SecretaryFilingInput{Kind: "promotion"}, "kind", "备案类型"},
		{"departure ok", depart(func(*SecretaryFilingInput) {}), "", ""},
		{"departure in future", depart(func(in *SecretaryFilingInput) { in.EffectiveOn = "2026-11-28" }), "effective_on", "不能晚于今天"},
		{"departure no reason", depart(func(in *SecretaryFilingInput) { in.Reason = "" }), "reason", "离任原因"},
		{"departure other needs note", depart(func(in *SecretaryFilingInput) { in.Reason = "other" }), "reason_note", "其他"},
	} {
		in := c.in
		err := in.Validate("2020-01-01", filingToday)
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		ve, ok := err.(*domain.ValidationError)
		if !ok || !strings.Contains(ve.Fields[c.field], c.msg) {
			t.Errorf("%s: want %s ~ %q, got %v", c.name, c.field, c.msg, err)
		}
	}
	// A departure carries no method, an appointment no reason.
	in := depart(func(in *SecretaryFilingInput) { in.Method = "elected" })
	if err := in.Validate("", filingToday); err != nil || in.Method != "" {
		t.Errorf("departure keeps a method: %v %q", err, in.Method)
	}
}

func TestCheckSecretaryCandidate(t *testing.T) {
	org, other := int64(5), int64(6)
	for _, c := range []struct {
		name             string
		found            bool
		status, standing string
		org              *int64
		ok               bool
	}{
		{"full member of the org", true, domain.MemberFull, domain.StandingRegistered, &org, true},
		{"unknown", false, "", "", nil, false},
		{"member of another org", true, domain.MemberFull, domain.StandingRegistered, &other, false},
		{"no org", true, domain.MemberFull, domain.StandingRegistered, nil, false},
		{"probationary", true, domain.MemberProbationary, domain.StandingRegistered, &org, false},
		{"transferred out", true, domain.MemberFull, "transferred", &org, false},
	} {
		err := CheckSecretaryCandidate("member_id", c.found, c.status, c.standing, c.org, org)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
		if err != nil && !strings.Contains(err.(*domain.ValidationError).Fields["member_id"], NotFullMemberMessage) {
			t.Errorf("%s: message %v", c.name, err)
		}
	}
}

func TestCanDecide(t *testing.T) {
	for _, c := range []struct {
		scope, org string
		want       bool
	}{
		{"/1/7/", "/1/7/42/", true},     // the superior
		{"/1/", "/1/7/42/", true},       // above the superior
		{"/", "/1/7/42/", true},         // the system
		{"/1/7/42/", "/1/7/42/", false}, // the org itself
		{"/1/8/", "/1/7/42/", false},    // another district
		{"/1/7/42/9/", "/1/7/42/", false},
	} {
		if got := CanDecide(c.scope, c.org); got != c.want {
			t.Errorf("CanDecide(%s, %s) = %v", c.scope, c.org, got)
		}
	}
}

func TestDecisionInput(t *testing.T) {
	d := DecisionInput{Reason: "  "}
	if err := d.ValidateReturn(); err == nil || err.(*domain.ValidationError).Fields["reason"] != "请填写退回原因" {
		t.Errorf("return without reason: %v", err)
	}
	d = DecisionInput{Reason: " 会议记录不完整 "}
	if err := d.ValidateReturn(); err != nil || d.Reason != "会议记录不完整" {
		t.Errorf("return: %v %q", err, d.Reason)
	}
}
