package domain

import (
	"strings"
	"testing"
	"time"
)

func fieldMsg(err error, field string) string {
	if ve, ok := err.(*ValidationError); ok {
		return ve.Fields[field]
	}
	return ""
}

func TestTermStateCountsThePostponement(t *testing.T) {
	o := PartyOrg{Status: StatusActive, TermStart: "2023-06-30", TermYears: 3, TermEnd: "2026-06-30"}
	if s := o.TermState(filingToday); s != TermOverdue {
		t.Fatalf("without postponement: %s", s)
	}
	o.PostponedTo = "2027-03-31"
	if s := o.TermState(filingToday); s != TermOK {
		t.Errorf("postponed to 2027-03-31 on 2026-11-27: %s", s)
	}
	o.PostponedTo = "2027-01-31"
	if s := o.TermState(filingToday); s != TermDueSoon {
		t.Errorf("postponed to 2027-01-31: %s", s)
	}
	cur := CurrentTerm(&o, filingToday)
	if cur.Deadline != "2027-01-31" || cur.DaysLeft == nil || *cur.DaysLeft != 65 || cur.State != TermDueSoon {
		t.Errorf("current term %+v", cur)
	}
	// An earlier postponement date than the end never shortens the term.
	if d := TermDeadline("2026-06-30", "2026-01-01"); d != "2026-06-30" {
		t.Errorf("deadline %s", d)
	}
	if cur := CurrentTerm(&PartyOrg{Status: StatusActive}, filingToday); cur.State != TermNone || cur.DaysLeft != nil {
		t.Errorf("no term: %+v", cur)
	}
}

func TestTermInput(t *testing.T) {
	o := PartyOrg{Type: Branch, FoundedOn: "2018-03-01"}
	in := TermInput{StartOn: "2024-05-10", EndOn: "2024-05-09"}
	if _, _, err := in.Validate(&o, filingToday); fieldMsg(err, "end_on") != "任期届满日期不能早于开始日期" {
		t.Errorf("end before start: %v", err)
	}
	in = TermInput{StartOn: "2024-05-10"}
	if y, end, err := in.Validate(&o, filingToday); err != nil || y != 3 || end != "2027-05-10" {
		t.Errorf("default years: %d %s %v", y, end, err)
	}
	in = TermInput{StartOn: "2024-05-10", EndOn: "2027-05-09"}
	if y, end, err := in.Validate(&o, filingToday); err != nil || y != 3 || end != "2027-05-09" {
		t.Errorf("end given: %d %s %v", y, end, err)
	}
	in = TermInput{StartOn: "2024-05-10", EndOn: "2025-05-09"}
	if _, _, err := in.Validate(&o, filingToday); !strings.Contains(fieldMsg(err, "end_on"), "3至5年") {
		t.Errorf("one-year term: %v", err)
	}
	in = TermInput{StartOn: "2024-05-10", Years: ptr(6)}
	if _, _, err := in.Validate(&o, filingToday); fieldMsg(err, "years") == "" {
		t.Errorf("six years: %v", err)
	}
	in = TermInput{StartOn: "2017-05-10", Years: ptr(3)}
	if _, _, err := in.Validate(&o, filingToday); !strings.Contains(fieldMsg(err, "start_on"), "成立日期") {
		t.Errorf("before founding: %v", err)
	}
	in = TermInput{StartOn: "2026-11-28", Years: ptr(3)}
	if _, _, err := in.Validate(&o, filingToday); fieldMsg(err, "start_on") == "" {
		t.Errorf("in the future: %v", err)
	}
}

func TestTermChangeLimit(t *testing.T) {
	o := PartyOrg{Status: StatusActive, TermStart: "2023-06-30", TermYears: 3, TermEnd: "2026-06-30"}
	for _, c := range []struct {
		name    string
		in      TermChangeInput
		over    bool
		field   string
		message string
	}{
		{"postpone within a year", TermChangeInput{Kind: TermPostpone, NewDate: "2027-06-30", Reason: "企业改制"}, false, "", ""},
		{"postpone a day beyond", TermChangeInput{Kind: TermPostpone, NewDate: "2027-07-01", Reason: "企业改制"}, true, "new_date",
			"延期一般不超过1年（最晚 2027-06-30）；确需超过请勾选确认"},
		{"postpone beyond, confirmed", TermChangeInput{Kind: TermPostpone, NewDate: "2027-07-01", Reason: "企业改制", ConfirmOverLimit: true}, true, "", ""},
		{"postpone to the past", TermChangeInput{Kind: TermPostpone, NewDate: "2026-08-01", Reason: "x"}, false, "new_date", "晚于今天"},
		{"postpone before the end", TermChangeInput{Kind: TermPostpone, NewDate: "2026-06-01", Reason: "x"}, false, "new_date", "晚于本届任期届满日期"},
		{"no reason", TermChangeInput{Kind: TermPostpone, NewDate: "2027-01-01"}, false, "reason", "请填写申请理由"},
		{"bad kind", TermChangeInput{Kind: "cancel", NewDate: "2027-01-01", Reason: "x"}, false, "kind", "申请类型"},
		{"advance within a year", TermChangeInput{Kind: TermAdvance, NewDate: "2025-07-01", Reason: "合并"}, false, "", ""},
		{"advance beyond a year", TermChangeInput{Kind: TermAdvance, NewDate: "2025-06-29", Reason: "合并"}, true, "new_date", "提前一般不超过1年（最早 2025-06-30）"},
		{"advance after the end", TermChangeInput{Kind: TermAdvance, NewDate: "2026-07-01", Reason: "合并"}, false, "new_date", "早于本届任期届满日期"},
	} {
		in := c.in
		over, err := in.Validate(&o, filingToday)
		if over != c.over {
			t.Errorf("%s: over %v", c.name, over)
		}
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		} else if !strings.Contains(fieldMsg(err, c.field), c.message) {
			t.Errorf("%s: want %s ~ %q, got %v", c.name, c.field, c.message, err)
		}
	}
	in := TermChangeInput{Kind: TermPostpone, NewDate: "2027-01-01", Reason: "x"}
	if _, err := in.Validate(&PartyOrg{Status: StatusActive}, filingToday); !strings.Contains(fieldMsg(err, "party_org_id"), "尚未登记本届任期") {
		t.Errorf("no term: %v", err)
	}
}

func TestElectionValidate(t *testing.T) {
	o := PartyOrg{Type: Branch, Status: StatusActive, FoundedOn: "2018-01-01", TermStart: "2023-06-30", TermYears: 3, TermEnd: "2026-06-30"}
	seats := func(ids ...int64) []CommitteeSeat {
		var out []CommitteeSeat
		for i, id := range ids {
			post := "member"
			if i == 0 {
				post = "secretary"
			}
			out = append(out, CommitteeSeat{MemberID: id, Post: post})
		}
		return out
	}
	ok := func() ElectionInput {
		return ElectionInput{HeldOn: "2026-11-20", Method: "member_meeting", ExpectedVoters: 10, PresentVoters: 9, Committee: seats(1, 2, 3)}
	}
	in := ok()
	years, end, err := in.Validate(&o, filingToday)
	if err != nil || years != 3 || end != "2029-11-20" || in.SecretaryMemberID == nil || *in.SecretaryMemberID != 1 {
		t.Fatalf("valid election: %d %s %v %v", years, end, err, in.SecretaryMemberID)
	}
	for _, c := range []struct {
		name  string
		mut   func(*ElectionInput)
		field string
		msg   string
	}{
		{"quorum exactly 4/5 is not more", func(in *ElectionInput) { in.PresentVoters = 8 }, "present_voters", QuorumMessage},
		{"more present than expected", func(in *ElectionInput) { in.PresentVoters = 11 }, "present_voters", "不能多于"},
		{"in the future", func(in *ElectionInput) { in.HeldOn = "2026-11-28" }, "held_on", "不能晚于今天"},
		{"before the current term", func(in *ElectionInput) { in.HeldOn = "2023-06-01" }, "held_on", "本届任期开始日期"},
		{"unknown method", func(in *ElectionInput) { in.Method = "vote" }, "method", "选举方式"},
		{"two members", func(in *ElectionInput) { in.Committee = seats(1, 2) }, "committee", "3至7人"},
		{"eight members", func(in *ElectionInput) { in.Committee = seats(1, 2, 3, 4, 5, 6, 7, 8) }, "committee", "3至7人"},
		{"duplicate", func(in *ElectionInput) { in.Committee = seats(1, 2, 2) }, "committee[2].member_id", "重复"},
		{"two secretaries", func(in *ElectionInput) {
			in.Committee = seats(1, 2, 3)
			in.Committee[1].Post = "secretary"
		}, "committee[1].post", "不一致"},
		{"secretary not elected", func(in *ElectionInput) { in.SecretaryMemberID = ptr(int64(9)); in.Committee[0].Post = "member" }, "secretary_member_id", "当选的委员"},
		{"years", func(in *ElectionInput) { in.Years = ptr(2) }, "years", "3至5年"},
	} {
		in := ok()
		c.mut(&in)
		_, _, err := in.Validate(&o, filingToday)
		if !strings.Contains(fieldMsg(err, c.field), c.msg) {
			t.Errorf("%s: want %s ~ %q, got %v", c.name, c.field, c.msg, err)
		}
	}
	// A 党委 may elect up to 9; its term is 5 years.
	p := PartyOrg{Type: Committee, Status: StatusActive}
	in = ok()
	in.Committee = seats(1, 2, 3, 4, 5, 6, 7, 8, 9)
	if years, _, err := in.Validate(&p, filingToday); err != nil || years != 5 {
		t.Errorf("committee of nine: %d %v", years, err)
	}
	if !ElectionQuorum(5, 5) || ElectionQuorum(5, 4) || !ElectionQuorum(100, 81) || ElectionQuorum(100, 80) {
		t.Error("ElectionQuorum")
	}
}

// filingToday is 2026-11-27 10:00 in Chengdu.
var filingToday = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
