package domain

import (
	"strings"
	"testing"
	"time"
)

// day parses a date of any year (ParseDate accepts only MinYear–MaxYear).
func day(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(s)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

func TestAddYearsClampsLeapDay(t *testing.T) {
	for _, c := range []struct {
		from  string
		years int
		want  string
	}{
		{"2024-02-29", 3, "2027-02-28"},
		{"2024-02-29", 4, "2028-02-29"},
		{"2023-11-27", 5, "2028-11-27"},
		{"2026-01-31", 3, "2029-01-31"},
	} {
		if got := AddYears(day(c.from), c.years).Format(DateLayout); got != c.want {
			t.Errorf("AddYears(%s, %d) = %s, want %s", c.from, c.years, got, c.want)
		}
	}
}

func TestNewPartyOrgDefaultsTermByType(t *testing.T) {
	for typ, want := range map[PartyOrgType]int{Committee: 5, GeneralBranch: 3, Branch: 3, JointBranch: 3, TemporaryBranch: 0, IndustryCommittee: 5} {
		o := NewPartyOrg(PartyOrgInput{Type: ptr(string(typ))})
		if o.TermYears != want {
			t.Errorf("%s: default term %d, want %d", typ, o.TermYears, want)
		}
	}
}

func TestPartyOrgValidate(t *testing.T) {
	today := day("2026-11-27")
	valid := func() PartyOrg {
		return NewPartyOrg(PartyOrgInput{Name: ptr("成都某科技有限公司党支部"), Type: ptr("branch"), Region: ptr("510104"), TermStart: ptr("2024-02-29"), FoundedOn: ptr("2020-01-01")})
	}
	o := valid()
	if err := o.Validate(today); err != nil {
		t.Fatal(err)
	}
	if o.TermEnd != "2027-02-28" {
		t.Errorf("term end %s", o.TermEnd)
	}
	cases := []struct {
		name  string
		edit  func(*PartyOrg)
		field string
	}{
		{"empty name", func(o *PartyOrg) { o.Name = "" }, "name"},
		{"long name", func(o *PartyOrg) { o.Name = strings.Repeat("党", 101) }, "name"},
		{"unknown type", func(o *PartyOrg) { o.Type = "cell" }, "type"},
		{"no region", func(o *PartyOrg) { o.Region = "" }, "region"},
		{"bad founding date", func(o *PartyOrg) { o.FoundedOn = "2023-02-29" }, "founded_on"},
		{"future founding", func(o *PartyOrg) { o.FoundedOn = "2027-01-01" }, "founded_on"},
		{"term before founding", func(o *PartyOrg) { o.TermStart = "2019-12-31" }, "term_start"},
		{"future term", func(o *PartyOrg) { o.TermStart = "2026-11-28" }, "term_start"},
		{"term of 2 years", func(o *PartyOrg) { o.TermYears = 2 }, "term_years"},
		{"term of 6 years", func(o *PartyOrg) { o.TermYears = 6 }, "term_years"},
		{"start without length", func(o *PartyOrg) { o.TermYears = 0 }, "term_years"},
	}
	for _, c := range cases {
		o := valid()
		c.edit(&o)
		err := o.Validate(today)
		ve, ok := err.(*ValidationError)
		if !ok || ve.Fields[c.field] == "" {
			t.Errorf("%s: got %v, want a message for %s", c.name, err, c.field)
		}
	}
}

func TestTermState(t *testing.T) {
	o := PartyOrg{Status: StatusActive, TermEnd: "2027-02-28"}
	for _, c := range []struct{ today, want string }{
		{"2026-11-27", TermOK},
		{"2026-11-30", TermDueSoon}, // 90 days before the end
		{"2027-02-28", TermDueSoon}, // the last day of the term
		{"2027-03-01", TermOverdue},
	} {
		if got := o.TermState(day(c.today)); got != c.want {
			t.Errorf("%s: %s, want %s", c.today, got, c.want)
		}
	}
	o.Status = StatusDissolved
	if got := o.TermState(day("2030-01-01")); got != TermNone {
		t.Errorf("dissolved org has term state %s", got)
	}
}

func TestPlacement(t *testing.T) {
	wc := &PartyOrg{Type: WorkCommittee, Status: StatusActive}
	br := &PartyOrg{Type: Branch, Status: StatusActive}
	gb := &PartyOrg{Type: GeneralBranch, Status: StatusActive}
	for _, c := range []struct {
		child  PartyOrgType
		parent *PartyOrg
		ok     bool
	}{
		{IndustryCommittee, wc, true},
		{Branch, wc, true},
		{Branch, gb, true},
		{Branch, br, false}, // branches are leaves
		{Committee, gb, false},
		{WorkCommittee, nil, true},
		{Branch, nil, false},
		{WorkCommittee, wc, true},
	} {
		o := &PartyOrg{Type: c.child}
		if err := o.ValidatePlacement(c.parent); (err == nil) != c.ok {
			t.Errorf("%s under %v: %v", c.child, c.parent, err)
		}
	}
	dissolved := &PartyOrg{Type: WorkCommittee, Status: StatusDissolved}
	if err := (&PartyOrg{Type: Branch}).ValidatePlacement(dissolved); err == nil {
		t.Error("placed under a dissolved org")
	}
}

func TestDissolveInput(t *testing.T) {
	o := &PartyOrg{Status: StatusActive, FoundedOn: "2020-05-01"}
	today := day("2026-11-27")
	for _, c := range []struct {
		in    DissolveInput
		field string
	}{
		{DissolveInput{"2026-11-01", "企业注销"}, ""},
		{DissolveInput{"2026-13-01", "企业注销"}, "dissolved_on"},
		{DissolveInput{"2026-12-01", "企业注销"}, "dissolved_on"},
		{DissolveInput{"2020-04-30", "企业注销"}, "dissolved_on"},
		{DissolveInput{"2026-11-01", "  "}, "reason"},
	} {
		err := c.in.Validate(o, today)
		if c.field == "" {
			if err != nil {
				t.Errorf("%v: %v", c.in, err)
			}
			continue
		}
		if ve, ok := err.(*ValidationError); !ok || ve.Fields[c.field] == "" {
			t.Errorf("%v: got %v, want field %s", c.in, err, c.field)
		}
	}
	// 00:30 in Chengdu on 28 November is still the 27th in UTC: the 28th is today.
	justAfterMidnight := time.Date(2026, 11, 27, 16, 30, 0, 0, time.UTC)
	if err := (&DissolveInput{"2026-11-28", "企业注销"}).Validate(o, justAfterMidnight); err != nil {
		t.Errorf("dissolving on Chengdu's today just after midnight: %v", err)
	}
}

func TestRoles(t *testing.T) {
	for _, c := range []struct {
		roles []Role
		ok    bool
	}{
		{[]Role{RoleCityStaff}, true},
		{[]Role{RoleDistrictStaff, RoleOrgStaff}, true},
		{[]Role{RoleSysAdmin}, true},
		{[]Role{RoleSysAdmin, RoleAuditor}, false},
		{[]Role{RoleSecAdmin, RoleCityStaff}, false},
		{[]Role{}, false},
		{[]Role{"root"}, false},
		{[]Role{RoleOrgStaff, RoleOrgStaff}, false},
	} {
		if err := ValidateRoles(c.roles); (err == nil) != c.ok {
			t.Errorf("%v: %v", c.roles, err)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	s := DefaultSecuritySettings
	for _, c := range []struct {
		pw string
		ok bool
	}{
		{"Lianxin@2026", true},
		{"lianxin2026A", true},
		{"Short1!", false},
		{"alllowercase", false},
		{"lowercase123", false},
		{"P@ssw0rd", false}, // common
		{"Has space1A", false},
		{"Jinjiang@2026", false}, // contains the username
	} {
		err := s.CheckPassword("password", c.pw, "jinjiang")
		if (err == nil) != c.ok {
			t.Errorf("%q: %v", c.pw, err)
		}
	}
}

func TestSecuritySettingsValidate(t *testing.T) {
	if err := DefaultSecuritySettings.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := DefaultSecuritySettings
	bad.IdleTimeoutMinutes = 60
	bad.LockoutThreshold = 1
	ve, ok := bad.Validate().(*ValidationError)
	if !ok || ve.Fields["idle_timeout_minutes"] == "" || ve.Fields["lockout_threshold"] == "" {
		t.Fatalf("got %v", ve)
	}
}

func TestBaseRegions(t *testing.T) {
	rs := BaseRegions()
	districts, zones := 0, 0
	seen := map[string]bool{}
	for _, r := range rs {
		if seen[r.Code] {
			t.Errorf("duplicate code %s", r.Code)
		}
		seen[r.Code] = true
		switch r.Level {
		case LevelDistrict:
			districts++
			if len(r.Code) != 6 || r.Code[:4] != "5101" {
				t.Errorf("district %s has code %s", r.Name, r.Code)
			}
		case LevelFunctionalZone:
			zones++
		}
	}
	if districts != 20 || zones != 3 {
		t.Fatalf("%d districts, %d functional zones", districts, zones)
	}
	for _, c := range []struct{ code, name string }{{"510116", "双流区"}, {"510117", "郫都区"}, {"510118", "新津区"}, {"510185", "简阳市"}, {"510181", "都江堰市"}} {
		found := false
		for _, r := range rs {
			found = found || r.Code == c.code && r.Name == c.name
		}
		if !found {
			t.Errorf("%s %s missing", c.code, c.name)
		}
	}
}

func TestNormalizedIdentifiers(t *testing.T) {
	if u, err := ParseUSCC("９１５１ ０１００ ｍａ６ｃ ａｂ１２６ｗ", nil); err != nil || u.Code != "91510100MA6CAB126W" {
		t.Errorf("full-width USCC: %+v %v", u, err)
	}
	if n, err := ParseIDNumber("５１０１０４ １９９００３０７ ００１５", day("2026-11-27")); err != nil || n.Number != "510104199003070015" {
		t.Errorf("full-width ID number: %+v %v", n, err)
	}
}

func TestMadeIdentifiersParse(t *testing.T) {
	for i, body := range []string{"MA6CAB12", "00000000", "ZZ123XYA", "12345678"} {
		code := MakeUSCC("91", "510104", strings.ReplaceAll(strings.ReplaceAll(body, "Z", "Y"), "X", "W"))
		u, err := ParseUSCC(code, nil)
		if err != nil || len(u.Warnings) > 0 || u.Kind != "enterprise" {
			t.Errorf("%d %s: %+v %v", i, code, u, err)
		}
	}
	for _, male := range []bool{true, false} {
		for seq := 0; seq < 600; seq += 97 {
			num := MakeIDNumber("510104", day("1988-02-29"), seq, male)
			n, err := ParseIDNumber(num, day("2026-11-27"))
			if err != nil || n.Male != male || n.Birth.Format(DateLayout) != "1988-02-29" {
				t.Errorf("%s: %+v %v", num, n, err)
			}
		}
	}
}
