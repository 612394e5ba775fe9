package domain

import (
	"strconv"
	"strings"
	"time"
)

// What a member's record may show to a user who may read members but not
// see their personal data (no pii_viewer role). The rule to meet: from all
// such a user can read, a member's ID number stays one of at least 1,000
// candidates (MinIDCandidates) and a phone one of at least 10,000.
//
// The ID number is shown as 510104********0015: the region (counted as
// known anyway) and the last four, which staff search by; the eight hidden
// digits are the birth date. So the birth date, and the age derived from
// it, are never shown in a list, a detail, a masked export, a history or an
// audit record — only in the answer of an audited reveal. What is left to
// bound the birth date are the member's own dates: a member joins at 18 or
// later (党章第一条), is a full member a year after joining and changes
// standing after joining. Each such date d bounds the birth date from above
// by d minus 18 (19) years, leaving every date from 1900-01-01 (the earliest
// birth accepted) up to that bound, of which about one in eleven fits the
// visible check digit. A date before EarliestShownDate would leave fewer
// than MinIDCandidates, so it is withheld as well (see WithholdEarlyDates).
// The phone is shown as 138****8000: 10,000 candidates.

// MinIDCandidates is the least number of ID numbers that what a user
// without pii_viewer sees of a member must leave possible.
const MinIDCandidates = 1000

// EarliestShownDate: a member's joined_on, full_member_on or standing_on
// before it is withheld from users without pii_viewer. With every date from
// it on, the birth date lies somewhere from 1900-01-01 to at least
// 1933-01-01, and at least 1,092 of those dates fit any check digit
// (TestEarliestShownDateLeavesEnoughCandidates counts them).
const EarliestShownDate Date = "1952-01-01"

// WithholdEarlyDates returns m without the dates that would narrow its birth
// date too much (before EarliestShownDate), and the JSON names of the fields
// it cleared. The birth date itself is never part of a shown member (its
// JSON tag is "-").
func (m Member) WithholdEarlyDates() (Member, []string) {
	var withheld []string
	for _, f := range []struct {
		name string
		d    *Date
	}{{"joined_on", &m.JoinedOn}, {"full_member_on", &m.FullMemberOn}, {"standing_on", &m.StandingOn}} {
		if DateWithheld(*f.d) {
			*f.d = ""
			withheld = append(withheld, f.name)
		}
	}
	return m, withheld
}

// DateWithheld reports whether a member's date is too early to be shown to a
// user without pii_viewer.
func DateWithheld(d Date) bool { return d != "" && d < EarliestShownDate }

// The member search's q (GET /members?q=, the export's q).
const (
	MemberQueryName     = "name"      // the start of a name
	MemberQueryLast4    = "id_last4"  // four characters: the end of an ID number, or the start of a name
	MemberQueryIDNumber = "id_number" // a whole ID number: an exact lookup
	MemberQueryPhone    = "phone"     // a whole mobile number: an exact lookup
)

// MemberQuery is a parsed member search.
type MemberQuery struct {
	Kind  string
	Value string // normalized: an 18-character ID number, an 11-digit phone, or the trimmed text
}

// ParseMemberQuery says what q searches for. A whole ID number (15 or 18
// digits, the last may be X) or a mobile number is an exact lookup of
// personal data; anything else is a name (or the last four of an ID number).
func ParseMemberQuery(q string) MemberQuery {
	q = strings.TrimSpace(q)
	code := NormalizeCode(q)
	idShape := (len(code) == 18 && allDigits(code[:17]) && (code[17] == 'X' || allDigits(code[17:]))) || (len(code) == 15 && allDigits(code))
	if idShape && IDProvinces[code[:2]] == "" && ValidPhone(NormalizePhone(q)) {
		idShape = false // 0086 and a mobile number: no province starts with 00
	}
	switch {
	case q == "":
		return MemberQuery{}
	case idShape:
		// Parsed only to normalize (a 15-digit number becomes 18): any
		// "today" past every birth date will do. An invalid number is still
		// looked up as typed (it matches nothing) and still counts.
		if n, err := ParseIDNumber(code, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
			code = n.Number
		}
		return MemberQuery{Kind: MemberQueryIDNumber, Value: code}
	case ValidPhone(NormalizePhone(q)):
		return MemberQuery{Kind: MemberQueryPhone, Value: NormalizePhone(q)}
	case len(code) == 4 && strings.Trim(code, "0123456789X") == "":
		return MemberQuery{Kind: MemberQueryLast4, Value: code}
	}
	return MemberQuery{Kind: MemberQueryName, Value: q}
}

// Exact reports whether the query is a lookup of personal data: audited and
// limited per account (LookupsPerMinute).
func (q MemberQuery) Exact() bool {
	return q.Kind == MemberQueryIDNumber || q.Kind == MemberQueryPhone
}

// LookupsPerMinute is the default number of exact lookups of personal data
// (a search by a whole ID number or phone, a registration that finds the ID
// number registered) one account may make in a minute. Confirming one of
// MinIDCandidates guesses then takes more than half an hour, in the trail.
const LookupsPerMinute = 30

// LookupWindow is the period the limit counts over.
const LookupWindow = time.Minute

// CheckLookupLimit decides whether one more exact lookup is allowed when the
// account made count of them in the window ending now, the oldest at oldest.
// Beyond limit it answers a LimitError saying when the oldest
// leaves the window.
func CheckLookupLimit(count int, oldest, now time.Time, limit int) error {
	if limit <= 0 {
		limit = LookupsPerMinute
	}
	if count < limit {
		return nil
	}
	wait := oldest.Add(LookupWindow).Sub(now)
	if wait < time.Second {
		wait = time.Second
	}
	return &LimitError{Limit: LimitRate,
		Message:    "按完整身份证号或手机号查询过于频繁（每分钟最多 " + strconv.Itoa(limit) + " 次），请稍后再试",
		RetryAfter: wait,
	}
}

// DuplicateIDMessage answers a registration whose ID number is already
// registered outside the caller's scope: it says no more than that — not
// where, nor whose.
const DuplicateIDMessage = "该公民身份号码的党员已在其他党组织登记，不能在此登记；如其组织关系需转入，请办理组织关系转接"

// DuplicateIDInScopeMessage answers one whose ID number belongs to another
// member the caller manages.
const DuplicateIDInScopeMessage = "该公民身份号码的党员已在您管理的党组织中登记，请在党员列表中查找并修改"
