package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// 换届: terms of office, elections, and requests to postpone or advance an
// election (domain-rules §1.2; 《中国共产党基层组织选举工作条例》2020 第三条:
// 延长或者提前期限一般不超过1年).

// DefaultTermYears is the term length of a type (基层党委 5 years, 总支/支部 3).
func DefaultTermYears(t PartyOrgType) int { return defaultYears(t) }

// TermDeadline is when the 换届 is due: the end of the term, or an approved
// postponement's new date when later.
func TermDeadline(end, postponed Date) Date {
	if postponed > end {
		return postponed
	}
	return end
}

// TermStatus is the current term of an org as the pages show it.
type TermStatus struct {
	StartOn     Date   `json:"start_on"`
	Years       int    `json:"years"`
	EndOn       Date   `json:"end_on"`
	PostponedTo Date   `json:"postponed_to"`
	Deadline    Date   `json:"deadline"`
	State       string `json:"state"`
	// DaysLeft until the deadline (negative when overdue); nil without a term.
	DaysLeft *int `json:"days_left"`
}

// CurrentTerm describes o's term on today, the postponement included.
func CurrentTerm(o *PartyOrg, today time.Time) TermStatus {
	s := TermStatus{StartOn: o.TermStart, Years: o.TermYears, EndOn: o.TermEnd, PostponedTo: o.PostponedTo,
		Deadline: TermDeadline(o.TermEnd, o.PostponedTo), State: o.TermState(today)}
	if s.Deadline != "" {
		n := DaysBetween(DateOf(today), s.Deadline)
		s.DaysLeft = &n
	}
	return s
}

// TermStateOn is the 换届 state for a deadline (the end, or the approved
// postponement) on today.
func TermStateOn(deadline Date, active bool, today time.Time) string {
	if !active || deadline == "" {
		return TermNone
	}
	end, ok := ParseDate(string(deadline))
	if !ok {
		return TermNone
	}
	day := today.In(Shanghai).Format(DateLayout)
	if day > string(deadline) {
		return TermOverdue
	}
	if !end.After(mustDate(day).AddDate(0, 0, TermDueSoonDays)) {
		return TermDueSoon
	}
	return TermOK
}

// TermInput records a term by hand (one elected before the system, say):
// its start and either its length in years or its end.
type TermInput struct {
	StartOn string `json:"start_on"`
	Years   *int   `json:"years"`
	EndOn   string `json:"end_on"`
}

// Validate checks a hand-recorded term and returns its years and end.
func (in *TermInput) Validate(o *PartyOrg, today time.Time) (years int, end Date, err error) {
	in.StartOn, in.EndOn = strings.TrimSpace(in.StartOn), strings.TrimSpace(in.EndOn)
	v := &ValidationError{}
	start, ok := ParseDate(in.StartOn)
	switch {
	case in.StartOn == "":
		v.Add("start_on", "请填写任期开始日期")
	case !ok:
		v.Add("start_on", DateProblem("任期开始日期", in.StartOn))
	case start.After(TodayUTC(today)):
		v.Add("start_on", "任期开始日期不能晚于今天")
	case o.FoundedOn != "" && in.StartOn < string(o.FoundedOn):
		v.Add("start_on", "任期开始日期不能早于党组织成立日期（"+string(o.FoundedOn)+"）")
	}
	if _, ok := ParseDate(in.EndOn); in.Years != nil && in.EndOn != "" && !ok {
		v.Add("end_on", DateProblem("任期届满日期", in.EndOn)) // ignored beside years, yet no date is kept unchecked
	}
	switch {
	case in.Years != nil:
		years = *in.Years
		if years < 3 || years > 5 {
			v.Add("years", "任期年限应为3至5年（党章第三十一条）")
		}
	case in.EndOn != "":
		e, eok := ParseDate(in.EndOn)
		switch {
		case !eok:
			v.Add("end_on", DateProblem("任期届满日期", in.EndOn))
		case ok && e.Before(start):
			v.Add("end_on", "任期届满日期不能早于开始日期")
		case ok:
			// The nearest whole number of years: a term that ends the day
			// before its anniversary is still a term of that many years.
			years = int((e.Sub(start).Hours()/24 + 182) / 365.25)
			if years < 3 || years > 5 {
				v.Add("end_on", fmt.Sprintf("按该届满日期任期约为%d年，任期年限应为3至5年（党章第三十一条）", years))
			}
			end = Date(in.EndOn)
		}
	default:
		years = DefaultTermYears(o.Type)
		if years == 0 {
			v.Add("years", "请填写任期年限或届满日期")
		}
	}
	if err := v.Err(); err != nil {
		return 0, "", err
	}
	if end == "" {
		end = Date(AddYears(start, years).Format(DateLayout))
	}
	return years, end, nil
}

// Term change kinds.
const (
	TermPostpone = "postpone"
	TermAdvance  = "advance"
)

// TermChangeKinds names the kinds of a term change.
var TermChangeKinds = CodeList{
	{TermPostpone, "延期换届"},
	{TermAdvance, "提前换届"},
}

// TermChangeLimitYears is how far an election may "generally" be postponed
// or advanced; beyond it the requester must confirm explicitly (一般不超过1年).
const TermChangeLimitYears = 1

// TermChangeInput is a request to postpone or advance the 换届.
type TermChangeInput struct {
	PartyOrgID       int64  `json:"party_org_id"`
	Kind             string `json:"kind"`
	NewDate          string `json:"new_date"`
	Reason           string `json:"reason" text:"multiline"`
	ConfirmOverLimit bool   `json:"confirm_over_limit"`
}

// Validate checks the request against the org's current term and reports
// whether it goes beyond the one-year limit (confirmed by the requester).
func (in *TermChangeInput) Validate(o *PartyOrg, today time.Time) (overLimit bool, err error) {
	in.Kind, in.NewDate, in.Reason = strings.TrimSpace(in.Kind), strings.TrimSpace(in.NewDate), strings.TrimSpace(in.Reason)
	v := &ValidationError{}
	if !TermChangeKinds.Has(in.Kind) {
		v.Add("kind", "请选择申请类型（延期换届或提前换届）")
	}
	switch n := utf8.RuneCountInString(in.Reason); {
	case n == 0:
		v.Add("reason", "请填写申请理由")
	case n > 500:
		v.Add("reason", "申请理由不能超过500个字")
	}
	end, endOK := ParseDate(string(o.TermEnd))
	if !endOK {
		v.Add("party_org_id", "该党组织尚未登记本届任期，请先登记任期或换届选举")
		return false, v.Err()
	}
	d, ok := ParseDate(in.NewDate)
	switch {
	case in.NewDate == "":
		v.Add("new_date", "请填写日期")
		return false, v.Err()
	case !ok:
		v.Add("new_date", DateProblem("日期", in.NewDate))
		return false, v.Err()
	}
	switch in.Kind {
	case TermPostpone:
		limit := AddYears(end, TermChangeLimitYears)
		switch {
		case !d.After(end):
			v.Add("new_date", "延期后的换届期限须晚于本届任期届满日期（"+string(o.TermEnd)+"）")
		case !d.After(TodayUTC(today)):
			v.Add("new_date", "延期后的换届期限须晚于今天")
		case d.After(limit):
			overLimit = true
			if !in.ConfirmOverLimit {
				v.Add("new_date", "延期一般不超过1年（最晚 "+limit.Format(DateLayout)+"）；确需超过请勾选确认")
			}
		}
	case TermAdvance:
		limit := AddYears(end, -TermChangeLimitYears)
		start, _ := ParseDate(string(o.TermStart))
		switch {
		case !d.Before(end):
			v.Add("new_date", "提前换届的日期须早于本届任期届满日期（"+string(o.TermEnd)+"）")
		case o.TermStart != "" && !d.After(start):
			v.Add("new_date", "提前换届的日期须晚于本届任期开始日期（"+string(o.TermStart)+"）")
		case d.Before(limit):
			overLimit = true
			if !in.ConfirmOverLimit {
				v.Add("new_date", "提前一般不超过1年（最早 "+limit.Format(DateLayout)+"）；确需超过请勾选确认")
			}
		}
	}
	return overLimit, v.Err()
}

// Election methods.
var ElectionMethods = CodeList{
	{"member_meeting", "党员大会"},
	{"delegate_congress", "党员代表大会"},
}

// CommitteePosts are the posts of an elected committee.
var CommitteePosts = CodeList{
	{"secretary", "书记"},
	{"deputy_secretary", "副书记"},
	{"organization", "组织委员"},
	{"propaganda", "宣传委员"},
	{"discipline", "纪检委员"},
	{"member", "委员"},
}

// CommitteeSeat is one elected member of the committee.
type CommitteeSeat struct {
	MemberID int64  `json:"member_id"`
	Name     string `json:"name"`
	Post     string `json:"post"`
}

// ElectionInput records a 换届选举.
type ElectionInput struct {
	HeldOn            string          `json:"held_on"`
	Method            string          `json:"method"`
	ExpectedVoters    int             `json:"expected_voters"`
	PresentVoters     int             `json:"present_voters"`
	Committee         []CommitteeSeat `json:"committee"`
	SecretaryMemberID *int64          `json:"secretary_member_id"`
	Notes             string          `json:"notes" text:"multiline"`
	Years             *int            `json:"years"`
}

// QuorumMessage refuses an election without its quorum.
const QuorumMessage = "到会有选举权的党员未超过应到会人数的五分之四，选举无效"

// ElectionQuorum: 有选举权的到会人数 more than 4/5 of 应到会人数.
func ElectionQuorum(expected, present int) bool {
	return present*5 > expected*4
}

// committeeBounds is the lawful size of a committee of the type: 支部委员会
// 3 to 7 (一般3至5人，最多不超过7人), others 3 to 9.
func committeeBounds(t PartyOrgType) (int, int) {
	if IsBranchType(t) {
		return 3, 7
	}
	return 3, 9
}

// MaxElectionVoters bounds the voters of one election (a 党员代表大会 of
// the largest committee counts a few thousand).
const MaxElectionVoters = 100_000

// Validate checks the election's own facts for the org and returns the term
// it starts: its years and end. Whether each elected member is a full member
// of the org is the store's check (CheckSecretaryCandidate).
func (in *ElectionInput) Validate(o *PartyOrg, today time.Time) (years int, end Date, err error) {
	in.HeldOn, in.Method, in.Notes = strings.TrimSpace(in.HeldOn), strings.TrimSpace(in.Method), strings.TrimSpace(in.Notes)
	v := &ValidationError{}
	held, ok := ParseDate(in.HeldOn)
	switch {
	case in.HeldOn == "":
		v.Add("held_on", "请填写选举日期")
	case !ok:
		v.Add("held_on", DateProblem("选举日期", in.HeldOn))
	case held.After(TodayUTC(today)):
		v.Add("held_on", "选举日期不能晚于今天")
	case o.FoundedOn != "" && in.HeldOn < string(o.FoundedOn):
		v.Add("held_on", "选举日期不能早于党组织成立日期（"+string(o.FoundedOn)+"）")
	case o.TermStart != "" && in.HeldOn < string(o.TermStart):
		v.Add("held_on", "选举日期不能早于本届任期开始日期（"+string(o.TermStart)+"）")
	}
	if !ElectionMethods.Has(in.Method) {
		v.Add("method", "请选择选举方式（党员大会或党员代表大会）")
	}
	switch {
	case in.ExpectedVoters <= 0:
		v.Add("expected_voters", "请填写应到会有选举权的人数")
	case in.ExpectedVoters > MaxElectionVoters:
		v.Add("expected_voters", fmt.Sprintf("应到会人数不能超过%d人", MaxElectionVoters))
	case in.PresentVoters < 0:
		v.Add("present_voters", "实到人数不能为负数")
	case in.PresentVoters > in.ExpectedVoters:
		v.Add("present_voters", "实到会人数不能多于应到会人数")
	case !ElectionQuorum(in.ExpectedVoters, in.PresentVoters):
		v.Add("present_voters", QuorumMessage)
	}
	if n := len(in.Committee); n > 0 {
		lo, hi := committeeBounds(o.Type)
		if n < lo || n > hi {
			v.Add("committee", fmt.Sprintf("%s委员会委员应为%d至%d人，现为%d人", o.Type.Name(), lo, hi, n))
		}
	}
	seen := map[int64]bool{}
	secretaries := 0
	for i := range in.Committee {
		c := &in.Committee[i]
		c.Post = strings.TrimSpace(c.Post)
		field := fmt.Sprintf("committee[%d]", i)
		switch {
		case c.MemberID <= 0:
			v.Add(field+".member_id", fmt.Sprintf("第%d位委员：请选择党员", i+1))
		case seen[c.MemberID]:
			v.Add(field+".member_id", fmt.Sprintf("第%d位委员与前面的委员重复", i+1))
		}
		seen[c.MemberID] = true
		if c.Post == "" {
			c.Post = "member"
		}
		if !CommitteePosts.Has(c.Post) {
			v.Add(field+".post", fmt.Sprintf("第%d位委员：未知的职务 %s", i+1, c.Post))
		}
		if c.Post == "secretary" {
			secretaries++
			if in.SecretaryMemberID == nil {
				id := c.MemberID
				in.SecretaryMemberID = &id
			} else if *in.SecretaryMemberID != c.MemberID {
				v.Add(field+".post", "任书记职务的委员与所选书记不一致")
			}
		}
	}
	if secretaries > 1 {
		v.Add("committee", "委员会只能有一位书记")
	}
	if in.SecretaryMemberID != nil && len(in.Committee) > 0 && !seen[*in.SecretaryMemberID] {
		v.Add("secretary_member_id", "书记须从当选的委员中产生")
	}
	if in.SecretaryMemberID != nil && *in.SecretaryMemberID <= 0 {
		in.SecretaryMemberID = nil
	}
	if utf8.RuneCountInString(in.Notes) > 2000 {
		v.Add("notes", "备注不能超过2000个字")
	}
	years = DefaultTermYears(o.Type)
	if in.Years != nil {
		years = *in.Years
	}
	if years < 3 || years > 5 {
		v.Add("years", "任期年限应为3至5年（党章第三十一条）")
	}
	if err := v.Err(); err != nil {
		return 0, "", err
	}
	return years, Date(AddYears(held, years).Format(DateLayout)), nil
}

// isBranchType: the size rules concern 党支部 of every kind.
func IsBranchType(t PartyOrgType) bool {
	switch t {
	case Branch, JointBranch, MobileBranch, TemporaryBranch:
		return true
	}
	return false
}

func DaysBetween(from, to Date) int {
	a, ok1 := ParseDate(string(from))
	b, ok2 := ParseDate(string(to))
	if !ok1 || !ok2 {
		return 0
	}
	return int(b.Sub(a).Hours() / 24)
}
