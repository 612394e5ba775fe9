package activity

import (
	"fmt"
	"strconv"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
)

// The compliance ledger (三会一课台账): for a Party org and a year, which of
// the required activities were held in each period (domain-rules §2). It is
// computed from held activities, never typed in. The store evaluates every
// org of the city in one pass, so the evaluation is built once per year and
// setting (NewComplianceEvaluator) and costs little per org.

// Requirement is one line of the ledger. Its code is the activity type that
// fulfils it (glossary), and ActivityType.Requirement maps types onto it.
type Requirement string

// The ledger requirements, in display order.
const (
	ReqMembersMeeting   Requirement = "members_meeting"
	ReqCommitteeMeeting Requirement = "committee_meeting"
	ReqGroupMeeting     Requirement = "group_meeting"
	ReqPartyLecture     Requirement = "party_lecture"
	ReqThemeDay         Requirement = "theme_day"
	ReqLifeMeeting      Requirement = "life_meeting"
	ReqMemberReview     Requirement = "member_review"
)

// Requirements names the requirements in display order; a requirement's
// position is its index in the evaluator's tables.
var Requirements = domain.CodeList{
	{Code: string(ReqMembersMeeting), Name: "支部党员大会"},
	{Code: string(ReqCommitteeMeeting), Name: "支委会"},
	{Code: string(ReqGroupMeeting), Name: "党小组会"},
	{Code: string(ReqPartyLecture), Name: "党课"},
	{Code: string(ReqThemeDay), Name: "主题党日"},
	{Code: string(ReqLifeMeeting), Name: "组织生活会"},
	{Code: string(ReqMemberReview), Name: "民主评议党员"},
}

const numRequirements = 7

// requirementIndex maps an activity type straight to its requirement's
// index (-1 for none): the ledger's inner loop runs once per activity.
func requirementIndex(t ActivityType) int {
	switch t {
	case MembersMeeting:
		return 0
	case CommitteeMeeting:
		return 1
	case GroupMeeting:
		return 2
	case PartyLecture:
		return 3
	case ThemeDay, JointThemeDay:
		return 4
	case LifeMeeting:
		return 5
	case MemberReview:
		return 6
	}
	return -1
}

// Frequency is how often a requirement must be met.
type Frequency string

// The frequencies. FrequencyOff takes a requirement out of the ledger.
const (
	Monthly      Frequency = "monthly"
	Quarterly    Frequency = "quarterly"
	HalfYearly   Frequency = "half_yearly"
	Yearly       Frequency = "yearly"
	FrequencyOff Frequency = "off"
)

// Frequencies names the frequencies.
var Frequencies = domain.CodeList{
	{Code: string(Monthly), Name: "每月"},
	{Code: string(Quarterly), Name: "每季度"},
	{Code: string(HalfYearly), Name: "每半年"},
	{Code: string(Yearly), Name: "每年"},
	{Code: string(FrequencyOff), Name: "不考核"},
}

// months is the length of one period in months (0 for off or unknown).
func (f Frequency) months() int {
	switch f {
	case Monthly:
		return 1
	case Quarterly:
		return 3
	case HalfYearly:
		return 6
	case Yearly:
		return 12
	}
	return 0
}

// ComplianceSettings are the ledger's rules. Every frequency is a setting
// because the 条例 says "一般" and local rules differ (党课 has no national
// branch frequency at all: quarterly is the common local rule).
type ComplianceSettings struct {
	MembersMeeting   Frequency `json:"members_meeting"`
	CommitteeMeeting Frequency `json:"committee_meeting"`
	GroupMeeting     Frequency `json:"group_meeting"`
	PartyLecture     Frequency `json:"party_lecture"`
	ThemeDay         Frequency `json:"theme_day"`
	LifeMeeting      Frequency `json:"life_meeting"`
	MemberReview     Frequency `json:"member_review"`
	// CommitteeMinFullMembers: a branch with at least this many full members
	// has a committee (支部工作条例: 7), so 支委会 are required of it.
	CommitteeMinFullMembers int `json:"committee_min_full_members"`
}

// DefaultComplianceSettings are the values of domain-rules §2.
func DefaultComplianceSettings() ComplianceSettings {
	return ComplianceSettings{
		MembersMeeting:          Quarterly,
		CommitteeMeeting:        Monthly,
		GroupMeeting:            Monthly,
		PartyLecture:            Quarterly,
		ThemeDay:                Monthly,
		LifeMeeting:             Yearly,
		MemberReview:            Yearly,
		CommitteeMinFullMembers: 7,
	}
}

// frequencies lists the settings in the order of Requirements.
func (s *ComplianceSettings) frequencies() [numRequirements]*Frequency {
	return [numRequirements]*Frequency{&s.MembersMeeting, &s.CommitteeMeeting, &s.GroupMeeting,
		&s.PartyLecture, &s.ThemeDay, &s.LifeMeeting, &s.MemberReview}
}

// FrequencyOf is the frequency set for r ("" for an unknown requirement).
func (s ComplianceSettings) FrequencyOf(r Requirement) Frequency {
	if i := Requirements.Index(string(r)); i >= 0 {
		return *s.frequencies()[i]
	}
	return ""
}

// Validate checks every frequency and the committee threshold.
func (s *ComplianceSettings) Validate() error {
	v := &domain.ValidationError{}
	for i, f := range s.frequencies() {
		if !Frequencies.Has(string(*f)) {
			v.Add(Requirements[i].Code, Requirements[i].Name+"的频次应为每月、每季度、每半年、每年或不考核")
		}
	}
	// 3: a branch needs 3 full members; 50: a branch has at most about 50.
	if s.CommitteeMinFullMembers < 3 || s.CommitteeMinFullMembers > 50 {
		v.Add("committee_min_full_members", "设立支委会的正式党员人数应在3到50之间（条例规定为7人）")
	}
	return v.Err()
}

// PeriodStatus is the state of one period of a requirement.
type PeriodStatus string

// The period states. A period that has not ended is never missing: the org
// still has time.
const (
	PeriodDone        PeriodStatus = "done"
	PeriodMissing     PeriodStatus = "missing"
	PeriodInProgress  PeriodStatus = "in_progress"
	PeriodNotStarted  PeriodStatus = "not_started"
	PeriodNotRequired PeriodStatus = "not_required"
)

// PeriodStatuses names the states.
var PeriodStatuses = domain.CodeList{
	{Code: string(PeriodDone), Name: "已完成"},
	{Code: string(PeriodMissing), Name: "缺项"},
	{Code: string(PeriodInProgress), Name: "进行中"},
	{Code: string(PeriodNotStarted), Name: "未开始"},
	{Code: string(PeriodNotRequired), Name: "不作要求"},
}

// OrgFacts are what the ledger needs to know about a Party org.
type OrgFacts struct {
	FullMembers int  // 正式党员 in good standing
	HasGroups   bool // the branch has 党小组
	// GroupsSince (optional) is when its first active 党小组 was set up: no
	// 党小组会 is owed for a period that began before it.
	GroupsSince domain.Date
	// FoundedOn and DissolvedOn (optional) exempt the periods in which the
	// org did not exist from first day to last: a branch founded on 15 June
	// owes no June 主题党日.
	FoundedOn   domain.Date
	DissolvedOn domain.Date
}

// HeldActivity is one held activity of the org: its type and its date in
// the city's time zone (DateOf its start). Cancelled and planned activities
// are not passed; a 联合主题党日 is passed for every hosting org.
type HeldActivity struct {
	Type ActivityType
	On   domain.Date
}

// PeriodSpan is one period of a year.
type PeriodSpan struct {
	Period string      `json:"period"` // 2026-03, 2026-Q1, 2026-H1 or 2026
	Start  domain.Date `json:"start"`
	End    domain.Date `json:"end"` // last day, inclusive
}

// CompliancePeriod is one period of a requirement. The span is shared by
// every ledger of one evaluator (read-only): a city's ledgers hold about a
// million periods, and sharing halves their memory.
type CompliancePeriod struct {
	*PeriodSpan
	Status PeriodStatus `json:"status"`
	Held   int          `json:"held"` // activities counted in the period
}

// RequirementLedger is one requirement of an org's ledger.
type RequirementLedger struct {
	Requirement Requirement `json:"requirement"`
	Frequency   Frequency   `json:"frequency"`
	Applies     bool        `json:"applies"`
	// Reason says in Chinese why the requirement does not apply.
	Reason  string             `json:"reason,omitempty"`
	Periods []CompliancePeriod `json:"periods"`
	Due     int                `json:"due"`
	Done    int                `json:"done"`
}

// ComplianceLedger is a Party org's ledger for a year.
type ComplianceLedger struct {
	Year         int                 `json:"year"`
	Requirements []RequirementLedger `json:"requirements"`
	// Due counts the periods that have ended and were required, plus any
	// period already done; Done counts the done ones. Rate is Done/Due in
	// percent (one decimal); with Due 0 (early January) there is no rate yet
	// and Rate is 0.
	Due  int     `json:"due"`
	Done int     `json:"done"`
	Rate float64 `json:"rate"`
}

// MissingItem is one gap of a ledger, for the drill-down.
type MissingItem struct {
	Requirement Requirement `json:"requirement"`
	Period      string      `json:"period"`
	Start       domain.Date `json:"start"`
	End         domain.Date `json:"end"`
}

// Missing lists the ledger's gaps in display order.
func (l *ComplianceLedger) Missing() []MissingItem {
	var out []MissingItem
	for _, r := range l.Requirements {
		for _, p := range r.Periods {
			if p.Status == PeriodMissing {
				out = append(out, MissingItem{r.Requirement, p.Period, p.Start, p.End})
			}
		}
	}
	return out
}

// RequirementSummary is one requirement of a ComplianceSummary.
type RequirementSummary struct {
	Applies bool `json:"applies"`
	Due     int  `json:"due"`
	Done    int  `json:"done"`
	// Missing has bit k set when period k (0-based month, quarter, half or
	// year) is missing.
	Missing uint16 `json:"missing"`
}

// ComplianceSummary is a ledger reduced to its counts: what a city-wide pass
// keeps per org (rates by district or committee, the list of lagging orgs)
// without building every period.
type ComplianceSummary struct {
	Requirements [numRequirements]RequirementSummary `json:"requirements"`
	Due          int                                 `json:"due"`
	Done         int                                 `json:"done"`
	Rate         float64                             `json:"rate"`
}

// ComplianceTally sums orgs' ledgers for a district, a committee or the city.
type ComplianceTally struct {
	Orgs int `json:"orgs"`
	Due  int `json:"due"`
	Done int `json:"done"`
}

// Add counts one org.
func (t *ComplianceTally) Add(s *ComplianceSummary) {
	t.Orgs++
	t.Due += s.Due
	t.Done += s.Done
}

// Rate is Done/Due in percent with one decimal.
func (t ComplianceTally) Rate() float64 { return domain.Percent(t.Done, t.Due) }

// periodDef is one period of a frequency in the evaluated year, with the
// part that depends only on today already decided.
type periodDef struct {
	span  PeriodSpan
	first int // first month, 0-based
	last  int // last month, 0-based, inclusive
	time  PeriodStatus
}

// ComplianceEvaluator evaluates ledgers of one year under one set of
// settings as of one day. Build it once for a city-wide pass: the period
// calendar (labels, dates, ended or not) is shared by every org's ledger.
type ComplianceEvaluator struct {
	year     int
	yearText string
	s        ComplianceSettings
	freqs    [numRequirements]Frequency
	plans    [numRequirements][]periodDef
	periods  int // periods per applicable org, for one allocation
	// noCommittee is the exemption of small branches, formatted once.
	noCommittee string
}

// NewComplianceEvaluator prepares the ledger of year under s as of today
// (decided in the city's time zone).
func NewComplianceEvaluator(year int, s ComplianceSettings, today time.Time) (*ComplianceEvaluator, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if year < 2000 || year > domain.MaxYear {
		return nil, domain.FieldError("year", fmt.Sprintf("年份应在2000到%d之间", domain.MaxYear))
	}
	e := &ComplianceEvaluator{year: year, yearText: strconv.Itoa(year), s: s,
		noCommittee: fmt.Sprintf("正式党员不足%d人，不设支委会", s.CommitteeMinFullMembers)}
	day := domain.DateOf(today)
	cache := map[Frequency][]periodDef{}
	for i, f := range s.frequencies() {
		e.freqs[i] = *f
		if _, ok := cache[*f]; !ok {
			cache[*f] = calendar(year, *f, day)
		}
		e.plans[i] = cache[*f]
		e.periods += len(e.plans[i])
	}
	return e, nil
}

// calendar lays out the periods of a year for one frequency.
func calendar(year int, f Frequency, today domain.Date) []periodDef {
	n := f.months()
	if n == 0 {
		return nil
	}
	var out []periodDef
	for first := 0; first < 12; first += n {
		start := time.Date(year, time.Month(first+1), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, n, -1)
		p := periodDef{
			span:  PeriodSpan{periodLabel(year, f, first), domain.Date(start.Format(domain.DateLayout)), domain.Date(end.Format(domain.DateLayout))},
			first: first,
			last:  first + n - 1,
		}
		switch {
		case today > p.span.End:
			p.time = PeriodMissing // ended: missing unless done
		case today < p.span.Start:
			p.time = PeriodNotStarted
		default:
			p.time = PeriodInProgress
		}
		out = append(out, p)
	}
	return out
}

func periodLabel(year int, f Frequency, first int) string {
	switch f {
	case Monthly:
		return fmt.Sprintf("%d-%02d", year, first+1)
	case Quarterly:
		return fmt.Sprintf("%d-Q%d", year, first/3+1)
	case HalfYearly:
		return fmt.Sprintf("%d-H%d", year, first/6+1)
	}
	return strconv.Itoa(year)
}

// Compliance evaluates one org's ledger for a year; for many orgs build a
// ComplianceEvaluator once instead.
func Compliance(f OrgFacts, held []HeldActivity, year int, s ComplianceSettings, today time.Time) (ComplianceLedger, error) {
	e, err := NewComplianceEvaluator(year, s, today)
	if err != nil {
		return ComplianceLedger{}, err
	}
	return e.Ledger(f, held), nil
}

// Ledger evaluates one org, period by period. Activities of other years, of
// types outside the ledger and with malformed dates are ignored.
func (e *ComplianceEvaluator) Ledger(f OrgFacts, held []HeldActivity) ComplianceLedger {
	counts := e.countByMonth(held)
	l := ComplianceLedger{Year: e.year, Requirements: make([]RequirementLedger, numRequirements)}
	backing := make([]CompliancePeriod, 0, e.periods)
	for i := range numRequirements {
		r := &l.Requirements[i]
		r.Requirement = Requirement(Requirements[i].Code)
		r.Frequency = e.freqs[i]
		r.Reason = e.exemption(i, f)
		r.Applies = r.Reason == ""
		if !r.Applies {
			r.Periods = []CompliancePeriod{}
			continue
		}
		start := len(backing)
		for k := range e.plans[i] {
			p := &e.plans[i][k]
			st, n := periodStatus(p, &counts[i], f.forRequirement(i))
			backing = append(backing, CompliancePeriod{PeriodSpan: &p.span, Status: st, Held: n})
			r.Due, r.Done = tally(st, r.Due, r.Done)
		}
		r.Periods = backing[start:len(backing):len(backing)]
		l.Due += r.Due
		l.Done += r.Done
	}
	l.Rate = domain.Percent(l.Done, l.Due)
	return l
}

// Summary evaluates one org to its counts, allocating nothing: the
// city-wide pass.
func (e *ComplianceEvaluator) Summary(f OrgFacts, held []HeldActivity) ComplianceSummary {
	counts := e.countByMonth(held)
	return e.summary(f, &counts)
}

func (e *ComplianceEvaluator) summary(f OrgFacts, counts *[numRequirements][12]int32) ComplianceSummary {
	var s ComplianceSummary
	for i := range numRequirements {
		r := &s.Requirements[i]
		if r.Applies = e.exemption(i, f) == ""; !r.Applies {
			continue
		}
		for k := range e.plans[i] {
			st, _ := periodStatus(&e.plans[i][k], &counts[i], f.forRequirement(i))
			r.Due, r.Done = tally(st, r.Due, r.Done)
			if st == PeriodMissing {
				r.Missing |= 1 << k
			}
		}
		s.Due += r.Due
		s.Done += r.Done
	}
	s.Rate = domain.Percent(s.Done, s.Due)
	return s
}

// Summary reduces a ledger to its counts.
func (l *ComplianceLedger) Summary() ComplianceSummary {
	s := ComplianceSummary{Due: l.Due, Done: l.Done, Rate: l.Rate}
	for i, r := range l.Requirements {
		s.Requirements[i] = RequirementSummary{Applies: r.Applies, Due: r.Due, Done: r.Done}
		for k, p := range r.Periods {
			if p.Status == PeriodMissing {
				s.Requirements[i].Missing |= 1 << k
			}
		}
	}
	return s
}

// tally adds a period to the due and done counts: an ended required period
// is due, and a done period is due and done whenever it was held.
func tally(st PeriodStatus, due, done int) (int, int) {
	switch st {
	case PeriodDone:
		return due + 1, done + 1
	case PeriodMissing:
		return due + 1, done
	}
	return due, done
}

// countByMonth counts the held activities per requirement and month. It reads
// the ISO date's bytes instead of parsing it: this loop sees every activity
// of the city.
func (e *ComplianceEvaluator) countByMonth(held []HeldActivity) [numRequirements][12]int32 {
	var counts [numRequirements][12]int32
	for _, h := range held {
		d := string(h.On)
		if len(d) != 10 || d[:4] != e.yearText || d[4] != '-' {
			continue
		}
		if d[5] < '0' || d[5] > '1' || d[6] < '0' || d[6] > '9' {
			continue
		}
		m := int(d[5]-'0')*10 + int(d[6]-'0')
		if m < 1 || m > 12 {
			continue
		}
		if i := requirementIndex(h.Type); i >= 0 {
			counts[i][m-1]++
		}
	}
	return counts
}

// exemption says why requirement i does not apply to the org, or "".
func (e *ComplianceEvaluator) exemption(i int, f OrgFacts) string {
	switch {
	case e.freqs[i] == FrequencyOff:
		return "已设置为不考核"
	case i == 1 && f.FullMembers < e.s.CommitteeMinFullMembers:
		return e.noCommittee
	case i == 2 && !f.HasGroups:
		return "未设党小组"
	}
	return ""
}

// forRequirement is the facts as requirement i sees them: the 党小组会 are
// owed from the day the branch's groups were set up, as if it were founded
// then.
func (f OrgFacts) forRequirement(i int) OrgFacts {
	if i == 2 && f.GroupsSince > f.FoundedOn {
		f.FoundedOn = f.GroupsSince
	}
	return f
}

// periodStatus decides one period and counts its activities: held
// activities make it done whatever else holds; otherwise an ended period is
// missing if the org existed throughout it.
func periodStatus(p *periodDef, months *[12]int32, f OrgFacts) (PeriodStatus, int) {
	n := 0
	for m := p.first; m <= p.last; m++ {
		n += int(months[m])
	}
	switch {
	case n > 0:
		return PeriodDone, n
	case (f.FoundedOn != "" && f.FoundedOn > p.span.Start) || (f.DissolvedOn != "" && f.DissolvedOn <= p.span.End):
		return PeriodNotRequired, 0
	}
	return p.time, 0
}

// MissingOf lists a summary's gaps as the ledger would: the drill-down of
// a city-wide pass, without evaluating the org again.
func (e *ComplianceEvaluator) MissingOf(s *ComplianceSummary) []MissingItem {
	out := []MissingItem{}
	for i := range numRequirements {
		for k := range e.plans[i] {
			if s.Requirements[i].Missing&(1<<k) != 0 {
				p := &e.plans[i][k].span
				out = append(out, MissingItem{Requirement(Requirements[i].Code), p.Period, p.Start, p.End})
			}
		}
	}
	return out
}

// MonthMasks are, per requirement in the order of Requirements, the months
// of the year with at least one counted activity (bit 0 is January): what
// the store keeps for every org so that a city-wide pass need not read
// every activity.
type MonthMasks [numRequirements]uint16

// SummaryOfMonths is Summary from an org's month masks.
func (e *ComplianceEvaluator) SummaryOfMonths(f OrgFacts, m MonthMasks) ComplianceSummary {
	var counts [numRequirements][12]int32
	for i := range numRequirements {
		for k := range 12 {
			if m[i]&(1<<k) != 0 {
				counts[i][k] = 1
			}
		}
	}
	return e.summary(f, &counts)
}
