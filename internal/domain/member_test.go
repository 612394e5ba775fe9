package domain

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

var memberToday = day("2026-11-27")

// 510104199003070015: male, born 1990-03-07.
func validMemberInput() MemberInput {
	return MemberInput{
		Name:         ptr(" 李四 "),
		Ethnicity:    ptr("01"),
		IDNumber:     ptr(" 5101 0419 9003 0700 15 "),
		Phone:        ptr("+86 138-0000-1234"),
		Education:    ptr("bachelor"),
		JoinedOn:     ptr("2012-07-01"),
		FullMemberOn: ptr("2013-07-01"),
		Status:       ptr("full"),
		PartyOrgID:   ptr(int64(5)),
		EmployerID:   ptr(int64(11)),
		Job:          ptr("工程师"),
		GigType:      ptr("rider"),
	}
}

func TestMemberValidDerivesBirthAndGender(t *testing.T) {
	m := NewMember(validMemberInput())
	if err := m.Validate(memberToday); err != nil {
		t.Fatal(err)
	}
	if m.IDNumber != "510104199003070015" || m.BirthDate != "1990-03-07" || m.Gender != "male" {
		t.Errorf("derived: %q %q %q", m.IDNumber, m.BirthDate, m.Gender)
	}
	if m.Phone != "13800001234" || m.Name != "李四" || m.Standing != StandingRegistered {
		t.Errorf("normalized: %q %q %q", m.Phone, m.Name, m.Standing)
	}
	f := NewMember(MemberInput{Name: ptr("王芳"), IDNumber: ptr("11010519491231002x"), JoinedOn: ptr("1975-05-04"), Status: ptr("probationary")})
	if err := f.Validate(memberToday); err != nil {
		t.Fatal(err)
	}
	if f.Gender != "female" || f.BirthDate != "1949-12-31" || f.IDNumber != "11010519491231002X" {
		t.Errorf("derived: %q %q %q", f.Gender, f.BirthDate, f.IDNumber)
	}
	// 15-digit numbers are upgraded
	g := NewMember(MemberInput{Name: ptr("赵六"), IDNumber: ptr("510104900307001"), JoinedOn: ptr("2010-01-01"), Status: ptr("probationary")})
	if err := g.Validate(memberToday); err != nil {
		t.Fatal(err)
	}
	if len(g.IDNumber) != 18 || g.BirthDate != "1990-03-07" || g.Gender != "male" {
		t.Errorf("15-digit: %q %q %q", g.IDNumber, g.BirthDate, g.Gender)
	}
}

func TestMemberInvalid(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*MemberInput)
		field string
		msg   string
	}{
		{"name empty", func(in *MemberInput) { in.Name = ptr("") }, "name", "请填写姓名"},
		{"name long", func(in *MemberInput) { in.Name = ptr(strings.Repeat("名", 31)) }, "name", "30"},
		{"id missing", func(in *MemberInput) { in.IDNumber = ptr("") }, "id_number", "请填写"},
		{"id check", func(in *MemberInput) { in.IDNumber = ptr("510104199003070010") }, "id_number", "校验位错误"},
		{"id impossible date", func(in *MemberInput) { in.IDNumber = ptr("510104202302290012") }, "id_number", "不是有效日期"},
		{"gender unknown", func(in *MemberInput) { in.Gender = ptr("m") }, "gender", "male"},
		{"gender contradicts", func(in *MemberInput) { in.Gender = ptr("female") }, "gender", "号码中的性别为男"},
		{"birth contradicts", func(in *MemberInput) { in.BirthDate = ptr("1990-03-08") }, "birth_date", "1990-03-07"},
		{"birth bad", func(in *MemberInput) { in.BirthDate = ptr("1990-02-30") }, "birth_date", "YYYY-MM-DD"},
		{"ethnicity", func(in *MemberInput) { in.Ethnicity = ptr("57") }, "ethnicity", "民族"},
		{"education", func(in *MemberInput) { in.Education = ptr("phd") }, "education", "学历"},
		{"phone short", func(in *MemberInput) { in.Phone = ptr("1380000123") }, "phone", "11位"},
		{"phone prefix", func(in *MemberInput) { in.Phone = ptr("12800001234") }, "phone", "11位"},
		{"phone letters", func(in *MemberInput) { in.Phone = ptr("1380000123a") }, "phone", "11位"},
		{"joined missing", func(in *MemberInput) { in.JoinedOn = ptr("") }, "joined_on", "请填写入党日期"},
		{"joined future", func(in *MemberInput) {
			in.JoinedOn = ptr("2026-11-28")
			in.Status = ptr("probationary")
			in.FullMemberOn = ptr("")
		}, "joined_on", "晚于今天"},
		// The message does not give back the birth date (issue 11).
		{"joined before 18", func(in *MemberInput) { in.JoinedOn = ptr("2008-03-06") }, "joined_on", "入党时须年满十八岁"},
		{"status", func(in *MemberInput) { in.Status = ptr("") }, "status", "党员类别"},
		{"full without date", func(in *MemberInput) { in.FullMemberOn = ptr("") }, "full_member_on", "转正日期"},
		{"full too early", func(in *MemberInput) { in.FullMemberOn = ptr("2013-06-30") }, "full_member_on", "2013-07-01"},
		{"full future", func(in *MemberInput) { in.FullMemberOn = ptr("2027-01-01") }, "full_member_on", "晚于今天"},
		{"probationary with date", func(in *MemberInput) { in.Status = ptr("probationary") }, "full_member_on", "预备党员"},
		{"standing unknown", func(in *MemberInput) { in.Standing = ptr("lost") }, "standing", "党籍状态"},
		{"standing date missing", func(in *MemberInput) { in.Standing = ptr("deceased") }, "standing_on", "去世"},
		{"standing date on registered", func(in *MemberInput) { in.StandingOn = ptr("2020-01-01") }, "standing_on", "在册"},
		{"standing before joining", func(in *MemberInput) { in.Standing = ptr("transferred_out"); in.StandingOn = ptr("2012-06-30") }, "standing_on", "早于入党"},
		{"standing future", func(in *MemberInput) { in.Standing = ptr("suspended"); in.StandingOn = ptr("2026-12-01") }, "standing_on", "晚于今天"},
		{"party org", func(in *MemberInput) { in.PartyOrgID = ptr(int64(-1)) }, "party_org_id", "无效"},
		{"employer", func(in *MemberInput) { in.EmployerID = ptr(int64(-1)) }, "employer_id", "无效"},
		{"job long", func(in *MemberInput) { in.Job = ptr(strings.Repeat("工", 51)) }, "job", "50"},
		{"post long", func(in *MemberInput) { in.Post = ptr(strings.Repeat("职", 51)) }, "post", "50"},
		{"mobile without place", func(in *MemberInput) { in.Mobile = ptr(true) }, "mobile_place", "流动去向"},
		{"place without mobile", func(in *MemberInput) { in.MobilePlace = ptr("深圳") }, "mobile_place", "非流动"},
		{"gig type", func(in *MemberInput) { in.GigType = ptr("pilot") }, "gig_type", "新就业群体"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := validMemberInput()
			c.edit(&in)
			m := NewMember(in)
			err := m.Validate(memberToday)
			ve, ok := err.(*ValidationError)
			if !ok {
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

func TestMemberValidEdges(t *testing.T) {
	for name, edit := range map[string]func(*MemberInput){
		"joined on 18th birthday":   func(in *MemberInput) { in.JoinedOn = ptr("2008-03-07"); in.FullMemberOn = ptr("2009-03-07") },
		"full exactly one year":     func(in *MemberInput) {},
		"given birth/gender agree":  func(in *MemberInput) { in.BirthDate = ptr("1990-03-07"); in.Gender = ptr("male") },
		"deceased with date":        func(in *MemberInput) { in.Standing = ptr("deceased"); in.StandingOn = ptr("2025-01-01") },
		"mobile with place":         func(in *MemberInput) { in.Mobile = ptr(true); in.MobilePlace = ptr("广东省深圳市") },
		"no party org, no employer": func(in *MemberInput) { in.PartyOrgID = ptr(int64(0)); in.EmployerID = ptr(int64(0)) },
		"optional fields empty": func(in *MemberInput) {
			in.Phone, in.Ethnicity, in.Education, in.GigType = ptr(""), ptr(""), ptr(""), ptr("")
		},
		"phone 0086 and full-width": func(in *MemberInput) { in.Phone = ptr("0086１３９００００１２３４") },
	} {
		in := validMemberInput()
		edit(&in)
		m := NewMember(in)
		if err := m.Validate(memberToday); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"138 0000 1234": "13800001234", "+86-13800001234": "13800001234", "8613800001234": "13800001234",
		"(+86)13800001234": "13800001234", "１３８００００１２３４": "13800001234", "13800001234": "13800001234",
	} {
		if got := NormalizePhone(in); got != want || !ValidPhone(got) {
			t.Errorf("NormalizePhone(%q) = %q", in, got)
		}
	}
	for _, bad := range []string{"", "1380000123", "23800001234", "11800001234", "138000012345"} {
		if ValidPhone(bad) {
			t.Errorf("ValidPhone(%q)", bad)
		}
	}
}

func TestMemberApplyPatch(t *testing.T) {
	m := NewMember(validMemberInput())
	if err := m.Validate(memberToday); err != nil {
		t.Fatal(err)
	}
	before := m
	MemberInput{}.Apply(&m)
	if !reflect.DeepEqual(m, before) {
		t.Fatal("an empty input changed the member")
	}
	// a new ID number re-derives birth date and gender
	MemberInput{IDNumber: ptr("51010719951001018X"), JoinedOn: ptr("2016-01-01"), FullMemberOn: ptr("2017-01-01")}.Apply(&m)
	if err := m.Validate(memberToday); err != nil {
		t.Fatal(err)
	}
	if m.BirthDate != "1995-10-01" || m.Gender != "female" {
		t.Errorf("not re-derived: %q %q", m.BirthDate, m.Gender)
	}
	if m.Name != before.Name || m.Phone != before.Phone || *m.PartyOrgID != 5 {
		t.Error("a field not named in the patch changed")
	}
	// a new ID number with a contradicting gender is rejected
	m2 := m
	MemberInput{IDNumber: ptr("510104199003070015"), Gender: ptr("female")}.Apply(&m2)
	if err := m2.Validate(memberToday); err == nil || !strings.Contains(err.Error(), "gender") {
		t.Errorf("got %v", err)
	}
	// standing out and back; mobility on and off
	MemberInput{Standing: ptr("transferred_out"), StandingOn: ptr("2024-05-01"), Mobile: ptr(true), MobilePlace: ptr("重庆")}.Apply(&m)
	if err := m.Validate(memberToday); err != nil {
		t.Fatal(err)
	}
	MemberInput{Standing: ptr("registered"), Mobile: ptr(false), PartyOrgID: ptr(int64(0))}.Apply(&m)
	if m.StandingOn != "" || m.MobilePlace != "" || m.PartyOrgID != nil {
		t.Errorf("not cleared: %q %q %v", m.StandingOn, m.MobilePlace, m.PartyOrgID)
	}
	if err := m.Validate(memberToday); err != nil {
		t.Fatal(err)
	}
}

func TestMemberJSONNeverCarriesPlainPII(t *testing.T) {
	m := NewMember(validMemberInput())
	if err := m.Validate(memberToday); err != nil {
		t.Fatal(err)
	}
	if m.IDNumber == "" || m.Phone == "" || m.BirthDate == "" {
		t.Fatal("the member has no personal data to leak")
	}
	b, _ := json.Marshal(m)
	s := string(b)
	// The entity encodes no personal data at all: masked or plain, it is the
	// read models' (internal/store/members).
	for _, leak := range []string{"510104199003070015", "13800001234", `"id_number"`, `"phone"`, `"birth_date"`, "1990"} {
		if strings.Contains(s, leak) {
			t.Fatalf("%s in JSON: %s", leak, s)
		}
	}
	// and the input side decodes the plain values
	var in MemberInput
	if err := json.Unmarshal([]byte(`{"id_number":"510104199003070015","phone":"13800001234"}`), &in); err != nil || *in.IDNumber == "" || *in.Phone == "" {
		t.Fatal("input does not decode id_number/phone")
	}
}

func TestCheckPartyOrgOrEmployer(t *testing.T) {
	for _, c := range []struct {
		org, employer, ok bool
	}{
		{true, true, true},
		{true, false, true},
		{false, true, true},
		{false, false, false},
	} {
		err := CheckPartyOrgOrEmployer(c.org, c.employer)
		if c.ok {
			if err != nil {
				t.Errorf("org %v employer %v: %v", c.org, c.employer, err)
			}
			continue
		}
		ve, isVE := err.(*ValidationError)
		if !isVE || len(ve.Fields) != 1 || ve.Fields["party_org_id"] != PartyOrgOrEmployerMessage {
			t.Errorf("org %v employer %v: want party_org_id refused, got %v", c.org, c.employer, err)
		}
	}
}
