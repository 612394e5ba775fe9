package domain

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// birthWindowCandidates counts, for each value the check character can take,
// the birth dates from 1900-01-01 to last whose digits bring the ID number's
// weighted sum to it: the candidates left when everything but the birth date
// is known (region, sequence and check character: the region and sequence
// only shift which class is the right one, so the smallest class counts).
func birthWindowCandidates(last time.Time) int {
	var classes [11]int
	for d := time.Date(MinBirthYear, 1, 1, 0, 0, 0, 0, time.UTC); !d.After(last); d = d.AddDate(0, 0, 1) {
		digits := d.Format("20060102")
		sum := 0
		for i := range 8 {
			sum += int(digits[i]-'0') * idWeights[6+i]
		}
		classes[sum%11]++
	}
	least := classes[0]
	for _, n := range classes {
		least = min(least, n)
	}
	return least
}

func TestEarliestShownDateLeavesEnoughCandidates(t *testing.T) {
	cut, _ := ParseDate(string(EarliestShownDate))
	// A shown joined_on or standing_on bounds the birth date by 18 years, a
	// full_member_on by 19 (joined + the year of probation); a withheld one
	// says only that it is earlier than the cut, which bounds it the same.
	for field, years := range map[string]int{"joined_on": 18, "standing_on": 18, "full_member_on": 19} {
		if n := birthWindowCandidates(AddYears(cut, -years)); n < MinIDCandidates {
			t.Errorf("%s from %s on leaves %d candidates, want ≥ %d", field, EarliestShownDate, n, MinIDCandidates)
		}
	}
	// And the cut is not needlessly late: a year earlier would not do.
	if n := birthWindowCandidates(AddYears(cut, -19-3)); n >= MinIDCandidates {
		t.Errorf("three years earlier still leaves %d: the cut could be earlier", n)
	}
}

func TestWithholdEarlyDates(t *testing.T) {
	m := Member{JoinedOn: "1951-12-31", FullMemberOn: "1952-12-31", StandingOn: "1951-06-01", BirthDate: "1930-01-01"}
	got, withheld := m.WithholdEarlyDates()
	if got.JoinedOn != "" || got.StandingOn != "" || got.FullMemberOn != "1952-12-31" || strings.Join(withheld, ",") != "joined_on,standing_on" {
		t.Fatalf("got %+v, withheld %v", got, withheld)
	}
	m = Member{JoinedOn: "1952-01-01", FullMemberOn: "1953-01-01"}
	if got, withheld := m.WithholdEarlyDates(); got != m || withheld != nil {
		t.Fatalf("from the cut on nothing is withheld: %+v %v", got, withheld)
	}
}

func TestBirthDateIsNeverEncoded(t *testing.T) {
	b, _ := json.Marshal(Member{BirthDate: "1982-11-26", JoinedOn: "2005-07-01"})
	if strings.Contains(string(b), "birth") || strings.Contains(string(b), "1982") || strings.Contains(string(b), `"age"`) {
		t.Fatalf("member JSON carries the birth date: %s", b)
	}
}

func TestParseMemberQuery(t *testing.T) {
	for q, want := range map[string]MemberQuery{
		"":                     {},
		" 510104198211261145 ": {MemberQueryIDNumber, "510104198211261145"},
		"51010419821126114x":   {MemberQueryIDNumber, "51010419821126114X"},
		"５１０１０４１９８２１１２６１１４５": {MemberQueryIDNumber, "510104198211261145"},
		"510104821126114":    {MemberQueryIDNumber, "510104198211261145"}, // 15 digits: upgraded
		"510104198211261146": {MemberQueryIDNumber, "510104198211261146"}, // a wrong check digit still counts
		"138 0013 8000":      {MemberQueryPhone, "13800138000"},
		"+86 13800138000":    {MemberQueryPhone, "13800138000"},
		"008613800138000":    {MemberQueryPhone, "13800138000"},
		"1145":               {MemberQueryLast4, "1145"},
		"114x":               {MemberQueryLast4, "114X"},
		"张":                  {MemberQueryName, "张"},
		// 5 and 6 Chinese characters are 15 and 18 bytes: names, not ID numbers.
		"阿依古丽买":      {MemberQueryName, "阿依古丽买"},
		"阿依古丽买买":     {MemberQueryName, "阿依古丽买买"},
		"1380013800": {MemberQueryName, "1380013800"},
	} {
		got := ParseMemberQuery(q)
		if got != want {
			t.Errorf("ParseMemberQuery(%q) = %+v, want %+v", q, got, want)
		}
		if got.Exact() != (want.Kind == MemberQueryIDNumber || want.Kind == MemberQueryPhone) {
			t.Errorf("%q: Exact() = %v", q, got.Exact())
		}
	}
}

func TestCheckLookupLimit(t *testing.T) {
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	if err := CheckLookupLimit(29, now.Add(-50*time.Second), now, 30); err != nil {
		t.Fatalf("29 of 30: %v", err)
	}
	err := CheckLookupLimit(30, now.Add(-50*time.Second), now, 30)
	var tm *LimitError
	if !errors.As(err, &tm) || !errors.Is(err, ErrTooManyRequests) || tm.RetryAfter != 10*time.Second || !strings.Contains(tm.Message, "30") {
		t.Fatalf("30 of 30: %#v", err)
	}
	if err := CheckLookupLimit(30, now.Add(-60*time.Second), now, 30); !errors.As(err, &tm) || tm.RetryAfter != time.Second {
		t.Fatalf("retry at least a second: %#v", err)
	}
	if err := CheckLookupLimit(LookupsPerMinute-1, now, now, 0); err != nil {
		t.Fatalf("the default limit: %v", err)
	}
	if err := CheckLookupLimit(LookupsPerMinute, now, now, 0); err == nil {
		t.Fatal("the default limit is not applied")
	}
}

// An edit that does not give the ID number cannot learn anything about the
// birth date: what it refuses does not depend on the values it compares.
func TestCheckEditDoesNotCompareHiddenValues(t *testing.T) {
	before := Member{BirthDate: "1990-03-07", JoinedOn: "2012-07-01", FullMemberOn: "2013-07-01"}
	old := Member{BirthDate: "1930-03-07", JoinedOn: "1950-07-01", FullMemberOn: "1951-07-01"}
	cases := []struct {
		name   string
		before Member
		in     MemberInput
		field  string // "" when allowed
	}{
		{"a birth date, even the right one", before, MemberInput{BirthDate: ptr("1990-03-07")}, "birth_date"},
		{"a wrong birth date", before, MemberInput{BirthDate: ptr("1990-03-08")}, "birth_date"},
		{"an empty birth date (derived again)", before, MemberInput{BirthDate: ptr("")}, ""},
		{"joined_on unchanged", before, MemberInput{JoinedOn: ptr("2012-07-01")}, ""},
		{"joined_on later", before, MemberInput{JoinedOn: ptr("2012-08-01")}, "joined_on"},
		{"joined_on earlier", before, MemberInput{JoinedOn: ptr("2008-03-06")}, "joined_on"},
		{"full_member_on of a shown member", before, MemberInput{FullMemberOn: ptr("2014-01-01")}, ""},
		{"withheld joined_on, the same", old, MemberInput{JoinedOn: ptr("1950-07-01")}, "joined_on"},
		{"withheld joined_on, another", old, MemberInput{JoinedOn: ptr("1950-07-02")}, "joined_on"},
		{"withheld member's full_member_on", old, MemberInput{FullMemberOn: ptr("1960-01-01")}, "full_member_on"},
		{"withheld member's standing_on", old, MemberInput{Standing: ptr("deceased"), StandingOn: ptr("2020-01-01")}, "standing_on"},
		{"withheld member's job", old, MemberInput{Job: ptr("退休")}, ""},
		{"withheld member, standing_on left empty", old, MemberInput{Job: ptr("退休"), StandingOn: ptr("")}, ""},
		{"with the ID number anything goes", old, MemberInput{IDNumber: ptr("510104193003070015"), JoinedOn: ptr("1950-07-02"), BirthDate: ptr("1930-03-07")}, ""},
	}
	messages := map[string]string{}
	for _, c := range cases {
		err := c.in.CheckEdit(c.before)
		var ve *ValidationError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: refused %v", c.name, err)
		case c.field != "" && (!errors.As(err, &ve) || ve.Fields[c.field] == ""):
			t.Errorf("%s: got %v, want a refusal of %s", c.name, err, c.field)
		case c.field != "":
			msg := ve.Fields[c.field]
			for _, d := range []string{"1990", "1930", "2008", "1950"} {
				if strings.Contains(msg, d) {
					t.Errorf("%s: the message tells a date: %s", c.name, msg)
				}
			}
			// One message per field and kind of member, whatever the value.
			key := c.field + "/" + string(c.before.JoinedOn)
			if m, ok := messages[key]; ok && m != msg {
				t.Errorf("%s: %q differs from %q for another value", c.name, msg, m)
			}
			messages[key] = msg
		}
	}
}

func TestCanonicalLogin(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"13800000001", "13800000001"},
		{"+8613800000001", "13800000001"},
		{" 138 0000 0001 ", "13800000001"},
		{"510104199003070015", "510104199003070015"},
		{"5101 0419 9003 0700 15", "510104199003070015"},
		{"51010419900307001x", "51010419900307001X"},
		{"JinJiang", "jinjiang"},
	} {
		if got := CanonicalLogin(tc.in); got != tc.want {
			t.Errorf("CanonicalLogin(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
