package domain

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// 两个覆盖 (coverage) and 动态清零 (clearing): the arithmetic behind the
// coverage figures, the uncovered list and the daily snapshot. Everything here
// is computed from records, never typed in, and is pure so that the store can
// call it per organization (detail page) or in a loop over the whole city.
//
// Dates are compared as of "today" (a day in the city's time zone), so that
// `--now DATE` gives the state on that day: a covering link or an assignment
// that starts after today does not count yet, and a Party org dissolved after
// today still counted on that day.

// CoverageState is the coverage of one organization.
type CoverageState string

// The coverage states (glossary: 两个覆盖).
const (
	// OrgCovered (组织覆盖): an active grassroots Party org covers the
	// organization, its own (单独组建) or a joint one (联合组建).
	OrgCovered CoverageState = "org_covered"
	// WorkCovered (工作覆盖): not org-covered, but an instructor or a liaison
	// is assigned on the day.
	WorkCovered CoverageState = "work_covered"
	// Uncovered (未覆盖): neither.
	Uncovered CoverageState = "uncovered"
)

// CoverageStates names the states, in display order.
var CoverageStates = CodeList{
	{string(OrgCovered), "组织覆盖"},
	{string(WorkCovered), "工作覆盖"},
	{string(Uncovered), "未覆盖"},
}

// Name is the Chinese name of the state, or the code itself when unknown.
func (s CoverageState) Name() string {
	if n := CoverageStates.Name(string(s)); n != "" {
		return n
	}
	return string(s)
}

// How an organization is covered (CoverageResult.By). The two work-coverage
// codes are also the roles of a CoverageAssignment.
const (
	CoveredByOwn        = "own"        // 单独组建: its own Party org
	CoveredByJoint      = "joint"      // 联合组建: a joint branch covering several organizations
	CoveredByInstructor = "instructor" // 党建指导员
	CoveredByLiaison    = "liaison"    // 党建联络员
)

// CoverageWays names the ways of coverage.
var CoverageWays = CodeList{
	{CoveredByOwn, "单独组建"},
	{CoveredByJoint, "联合组建"},
	{CoveredByInstructor, "党建指导员"},
	{CoveredByLiaison, "党建联络员"},
}

// AssignmentRoles are the roles of a CoverageAssignment (a subset of CoverageWays).
var AssignmentRoles = CodeList{
	{CoveredByInstructor, "党建指导员"},
	{CoveredByLiaison, "党建联络员"},
}

// CoveringOrg is a Party org that covers an organization: the link between
// the two, with what coverage needs to know of the Party org.
type CoveringOrg struct {
	PartyOrgID int64        `json:"party_org_id"`
	Type       PartyOrgType `json:"type"`
	Status     string       `json:"status"`
	// Joint is true for 联合组建 (one Party org covering several
	// organizations); a Party org of type joint_branch is joint regardless.
	Joint bool `json:"joint"`
	// Since is when the Party org began to cover this organization: the
	// link's start or, lacking one, the Party org's founding date; "" when
	// unknown (the link then counts from the beginning of time).
	Since Date `json:"since"`
	// DissolvedOn is the Party org's dissolution date (status dissolved).
	DissolvedOn Date `json:"dissolved_on"`
}

// IsJoint reports whether the link is 联合组建.
func (c CoveringOrg) IsJoint() bool { return c.Joint || c.Type == JointBranch }

// CoverageAssignment is the minimal record of an instructor (党建指导员) or
// liaison (联络员) assigned to an organization. It is current on a day when
// From ≤ day and (To empty or To ≥ day): the last day of an assignment still
// counts. An empty From means "since the beginning of time".
type CoverageAssignment struct {
	ID             int64  `json:"id"`
	OrganizationID int64  `json:"organization_id"`
	Person         string `json:"person"`
	Role           string `json:"role"`
	From           Date   `json:"from"`
	To             Date   `json:"to"`
}

// Validate checks an assignment record (From is required on entry; an
// assignment may be planned ahead, so From may lie after today).
func (a *CoverageAssignment) Validate() error {
	v := &ValidationError{}
	if a.OrganizationID <= 0 {
		v.Add("organization_id", "请选择派驻的两新组织")
	}
	CheckLen(v, "person", "党建指导员（联络员）姓名", a.Person, 30, true)
	if !AssignmentRoles.Has(a.Role) {
		v.Add("role", "请选择派驻类型（党建指导员或党建联络员）")
	}
	from, fromOK := dayNumber(a.From)
	fromOK = fromOK && inYears(a.From)
	switch {
	case a.From == "":
		v.Add("from", "请填写派驻开始日期")
	case !fromOK:
		v.Add("from", DateProblem("派驻开始日期", string(a.From)))
	}
	if a.To != "" {
		if to, ok := dayNumber(a.To); !ok || !inYears(a.To) {
			v.Add("to", DateProblem("派驻结束日期", string(a.To)))
		} else if fromOK && to < from {
			v.Add("to", "派驻结束日期不能早于开始日期")
		}
	}
	return v.Err()
}

// CoverageInput is everything coverage needs of one organization.
type CoverageInput struct {
	// RegisteredOn is the organization's registration date: an organization
	// never covered is uncovered since then, and no state starts before it.
	RegisteredOn Date                 `json:"registered_on"`
	Covering     []CoveringOrg        `json:"covering"`
	Assignments  []CoverageAssignment `json:"assignments"`
}

// CoverageResult is the coverage of one organization on a day.
type CoverageResult struct {
	State CoverageState `json:"state"`
	// By is how: own or joint for OrgCovered (own wins when both),
	// instructor or liaison for WorkCovered (instructor wins when both),
	// "" for Uncovered.
	By string `json:"by"`
	// Since is the first day of the unbroken run of days, ending today, on
	// which the organization has had its current state; "" when that is not
	// derivable (a start or a dissolution date is missing). An organization
	// never covered is uncovered since RegisteredOn.
	Since Date `json:"since"`
}

// Coverage computes the coverage of one organization on today's date (in
// the city's time zone). The rules:
//
//   - org-covered when at least one covering Party org of a grassroots type
//     (PartyOrgTypeInfo.Grassroots: 党委, 党总支, 党支部, 联合党支部, 流动党员党支部,
//     临时党支部) is active on the day: status active and Since ≤ today, or
//     status dissolved (any status but active) with Since ≤ today <
//     DissolvedOn. A dissolved Party org without a dissolution date never
//     counts. Managing types (两新工委, 行业党委,
//     综合党委, 联合党委) never make an organization org-covered;
//   - work-covered when not org-covered and an assignment is current on the day;
//   - uncovered otherwise.
//
// A joint branch covering more than five organizations still covers each of
// them; see JointBranchWarnings. Records with malformed dates are skipped
// (assignments) or taken as having an unknown start (covering links).
func Coverage(in CoverageInput, today time.Time) CoverageResult {
	y, m, d := today.In(Shanghai).Date()
	return coverageOn(in, civilDays(y, int(m), d))
}

const (
	minusInf = math.MinInt64
	plusInf  = math.MaxInt64
)

// span is a half-open run of days [from, to).
type span struct {
	from, to int
	by       string
}

func (s span) has(d int) bool { return s.from <= d && d < s.to }

// stateOn is the state on day d given the org-coverage and work spans.
func stateOn(orgs, work []span, d int) CoverageState {
	for _, s := range orgs {
		if s.has(d) {
			return OrgCovered
		}
	}
	for _, s := range work {
		if s.has(d) {
			return WorkCovered
		}
	}
	return Uncovered
}

func coverageOn(in CoverageInput, today int) CoverageResult {
	// Small fixed buffers keep the common case (a link or two) off the heap.
	var orgBuf, workBuf [4]span
	var boundBuf [16]int
	orgs, work := orgBuf[:0], workBuf[:0]
	unknownEnd := false
	for _, c := range in.Covering {
		if !isGrassroots(c.Type) {
			continue
		}
		s := span{from: minusInf, to: plusInf, by: CoveredByOwn}
		if c.IsJoint() {
			s.by = CoveredByJoint
		}
		if n, ok := dayNumber(c.Since); ok {
			s.from = n
		}
		if c.Status != StatusActive {
			n, ok := dayNumber(c.DissolvedOn)
			if !ok {
				// Dissolved at an unknown date: it covers no day we can name,
				// and the day its coverage ended cannot be known.
				if s.from <= today {
					unknownEnd = true
				}
				continue
			}
			s.to = n
		}
		if s.from < s.to {
			orgs = append(orgs, s)
		}
	}
	for _, a := range in.Assignments {
		if !AssignmentRoles.Has(a.Role) {
			continue
		}
		s := span{from: minusInf, to: plusInf, by: a.Role}
		if a.From != "" {
			n, ok := dayNumber(a.From)
			if !ok {
				continue
			}
			s.from = n
		}
		if a.To != "" {
			n, ok := dayNumber(a.To)
			if !ok {
				continue
			}
			s.to = n + 1
		}
		if s.from < s.to {
			work = append(work, s)
		}
	}

	res := CoverageResult{State: stateOn(orgs, work, today)}
	switch res.State {
	case OrgCovered:
		res.By = pickWay(orgs, today, CoveredByOwn, CoveredByJoint)
	case WorkCovered:
		res.By = pickWay(work, today, CoveredByInstructor, CoveredByLiaison)
	}

	// The state is constant between consecutive boundaries (a start, or the
	// day after an end), so walk the boundaries back from today and stop at
	// the first one before which the state differed.
	bounds := boundBuf[:0]
	for _, list := range [][]span{orgs, work} {
		for _, s := range list {
			for _, b := range [2]int{s.from, s.to} {
				if b != minusInf && b != plusInf && b <= today {
					bounds = append(bounds, b)
				}
			}
		}
	}
	slices.Sort(bounds)
	slices.Reverse(bounds)
	since, found := 0, false
	for _, b := range bounds {
		if stateOn(orgs, work, b-1) != res.State {
			since, found = b, true
			break
		}
	}
	registered, regOK := dayNumber(in.RegisteredOn)
	switch {
	case unknownEnd:
		// not derivable
	case found:
		if regOK && since < registered {
			since = registered
		}
		res.Since = dateOfDays(since)
	case res.State == Uncovered && regOK:
		res.Since = in.RegisteredOn
	}
	return res
}

// isGrassroots reports whether t is a known grassroots type (without
// copying PartyOrgTypeInfo as Info does).
func isGrassroots(t PartyOrgType) bool {
	for i := range PartyOrgTypes {
		if PartyOrgTypes[i].Code == t {
			return PartyOrgTypes[i].Grassroots
		}
	}
	return false
}

// pickWay returns first when a span of that way holds on day d, else second.
func pickWay(spans []span, d int, first, second string) string {
	for _, s := range spans {
		if s.by == first && s.has(d) {
			return first
		}
	}
	return second
}

// JointBranchMaxUnits is how many organizations a 联合党支部 covers at most
// (支部工作条例 第五条: "联合党支部覆盖单位一般不超过5个", domain-rules §1.1).
// Because of "一般" exceeding it is a warning, never an error.
const JointBranchMaxUnits = 5

// JointBranchUnitsWarning returns the Chinese warning for a joint branch that
// covers the given number of organizations, and whether there is one.
func JointBranchUnitsWarning(units int) (string, bool) {
	if units <= JointBranchMaxUnits {
		return "", false
	}
	return fmt.Sprintf("联合党支部覆盖%d个单位，超过一般不超过%d个的规定（《中国共产党支部工作条例（试行）》第五条）", units, JointBranchMaxUnits), true
}

// CoverageLink is one covering link as the store loads it in bulk.
type CoverageLink struct {
	OrganizationID int64 `json:"organization_id"`
	CoveringOrg
}

// JointBranchWarning flags a joint branch covering too many organizations.
type JointBranchWarning struct {
	PartyOrgID int64  `json:"party_org_id"`
	Units      int    `json:"units"`
	Message    string `json:"message"`
}

// JointBranchWarnings counts, for every active Party org of type
// joint_branch, the distinct organizations it covers, and returns a warning
// for each that covers more than JointBranchMaxUnits, ordered by Party org
// id. Links of dissolved branches and of other types are ignored.
func JointBranchWarnings(links []CoverageLink) []JointBranchWarning {
	units := map[int64]map[int64]bool{}
	for _, l := range links {
		if l.Type != JointBranch || l.Status != StatusActive {
			continue
		}
		if units[l.PartyOrgID] == nil {
			units[l.PartyOrgID] = map[int64]bool{}
		}
		units[l.PartyOrgID][l.OrganizationID] = true
	}
	var out []JointBranchWarning
	for id, orgs := range units {
		if msg, ok := JointBranchUnitsWarning(len(orgs)); ok {
			out = append(out, JointBranchWarning{PartyOrgID: id, Units: len(orgs), Message: msg})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PartyOrgID < out[j].PartyOrgID })
	return out
}

// GroupCoverageInputs builds the CoverageInput of every organization named by
// a link or an assignment, for computing coverage in bulk; RegisteredOn is
// left for the caller to fill.
func GroupCoverageInputs(links []CoverageLink, assignments []CoverageAssignment) map[int64]CoverageInput {
	out := map[int64]CoverageInput{}
	for _, l := range links {
		in := out[l.OrganizationID]
		in.Covering = append(in.Covering, l.CoveringOrg)
		out[l.OrganizationID] = in
	}
	for _, a := range assignments {
		in := out[a.OrganizationID]
		in.Assignments = append(in.Assignments, a)
		out[a.OrganizationID] = in
	}
	return out
}

// CoverageTarget says which organizations the 动态清零 campaign targets (is
// "in scope"). An organization is in scope when all three hold:
//
//  1. its status is one of Statuses;
//  2. it is big enough or named: employees ≥ MinEmployees (an unknown
//     employee count is not ≥ anything, except that MinEmployees 0 passes
//     every organization), or AllSocialOrgs and its kind is social_org, or
//     AllAboveScale and it carries the above_scale (规模以上) flag;
//  3. Kinds is empty, or its kind is one of Kinds.
type CoverageTarget struct {
	Statuses      []string `json:"statuses"`
	MinEmployees  int      `json:"min_employees"`
	AllSocialOrgs bool     `json:"all_social_orgs"`
	AllAboveScale bool     `json:"all_above_scale"`
	Kinds         []string `json:"kinds"`
}

// DefaultCoverageTarget is the campaign target until an administrator
// changes it: organizations 存续/在业 with 50 or more employees, every social
// organization and every 规模以上 organization, of any kind. 50 is the
// employee cut of EmployeeBands, the common local threshold for organizations
// expected to set up their own Party org; a city that targets every small
// organization lowers it (3, the number of 正式党员 for a branch, is the
// smallest that makes sense; 0 targets everything). Copy it before changing
// its slices.
var DefaultCoverageTarget = CoverageTarget{
	Statuses:      []string{OrgActive},
	MinEmployees:  50,
	AllSocialOrgs: true,
	AllAboveScale: true,
}

// MaxTargetEmployees bounds CoverageTarget.MinEmployees.
const MaxTargetEmployees = 100000

// Validate checks the setting, with Chinese messages naming each field.
func (t *CoverageTarget) Validate() error {
	v := &ValidationError{}
	if len(t.Statuses) == 0 {
		v.Add("statuses", "目标范围的登记状态（statuses）至少选择一项")
	}
	checkCodes(v, "statuses", "目标范围的登记状态（statuses）", OrgStatuses, t.Statuses)
	if t.MinEmployees < 0 || t.MinEmployees > MaxTargetEmployees {
		v.Add("min_employees", fmt.Sprintf("目标范围的从业人数下限（min_employees）应在0至%d之间", MaxTargetEmployees))
	}
	checkCodes(v, "kinds", "目标范围的组织类型（kinds）", OrgKinds, t.Kinds)
	if t.AllSocialOrgs && len(t.Kinds) > 0 && !contains(t.Kinds, KindSocialOrg) {
		v.Add("kinds", "已选择“全部社会组织纳入目标”（all_social_orgs），组织类型（kinds）须包含社会组织或不限")
	}
	return v.Err()
}

func checkCodes(v *ValidationError, field, label string, list CodeList, codes []string) {
	seen := map[string]bool{}
	for _, c := range codes {
		switch {
		case !list.Has(c):
			v.Add(field, fmt.Sprintf("%s中有无效的代码“%s”", label, c))
		case seen[c]:
			v.Add(field, fmt.Sprintf("%s中“%s”重复", label, list.Name(c)))
		}
		seen[c] = true
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// InScope reports whether the campaign targets o (see CoverageTarget).
func (t *CoverageTarget) InScope(o Organization) bool {
	if !contains(t.Statuses, o.Status) {
		return false
	}
	if len(t.Kinds) > 0 && !contains(t.Kinds, o.Kind) {
		return false
	}
	switch {
	case t.MinEmployees == 0:
		return true
	case o.Employees != nil && *o.Employees >= t.MinEmployees:
		return true
	case t.AllSocialOrgs && o.Kind == KindSocialOrg:
		return true
	case t.AllAboveScale && o.HasFlag("above_scale"):
		return true
	}
	return false
}

// CoverageCounts counts organizations by coverage state.
type CoverageCounts struct {
	Total       int `json:"total"`
	OrgCovered  int `json:"org_covered"`
	WorkCovered int `json:"work_covered"`
	Uncovered   int `json:"uncovered"`
}

// Add counts one organization. An unknown state counts as uncovered, so that
// Total is always the sum of the three.
func (c *CoverageCounts) Add(s CoverageState) {
	c.Total++
	switch s {
	case OrgCovered:
		c.OrgCovered++
	case WorkCovered:
		c.WorkCovered++
	default:
		c.Uncovered++
	}
}

// Merge adds the counts of o (a district into the city).
func (c *CoverageCounts) Merge(o CoverageCounts) {
	c.Total += o.Total
	c.OrgCovered += o.OrgCovered
	c.WorkCovered += o.WorkCovered
	c.Uncovered += o.Uncovered
}

// OrgCoveredRate is 组织覆盖率, in percent of Total with one decimal.
func (c CoverageCounts) OrgCoveredRate() float64 { return Percent(c.OrgCovered, c.Total) }

// WorkCoveredRate is the share covered by work only (工作覆盖), in percent.
func (c CoverageCounts) WorkCoveredRate() float64 { return Percent(c.WorkCovered, c.Total) }

// CoveredRate is 两个覆盖率: org- or work-covered, in percent.
func (c CoverageCounts) CoveredRate() float64 {
	return Percent(c.OrgCovered+c.WorkCovered, c.Total)
}

// UncoveredRate is the uncovered share, in percent.
func (c CoverageCounts) UncoveredRate() float64 { return Percent(c.Uncovered, c.Total) }

// CoverageTally is one row of a coverage table (city, district, zone,
// industry, chain) or a daily snapshot: all organizations, and beside them
// the ones in the campaign's scope.
type CoverageTally struct {
	CoverageCounts
	InScope CoverageCounts `json:"in_scope"`
}

// Add counts one organization in the totals and, when inScope, in InScope.
func (t *CoverageTally) Add(s CoverageState, inScope bool) {
	t.CoverageCounts.Add(s)
	if inScope {
		t.InScope.Add(s)
	}
}

// Merge adds the counts of o.
func (t *CoverageTally) Merge(o CoverageTally) {
	t.CoverageCounts.Merge(o.CoverageCounts)
	t.InScope.Merge(o.InScope)
}

// Percent is part/total in percent, rounded half up to one decimal; 0 when
// total is not positive.
func Percent(part, total int) float64 {
	if total <= 0 {
		return 0
	}
	tenths := (int64(part)*2000 + int64(total)) / (2 * int64(total))
	return float64(tenths) / 10
}

// Reasons a member is not under organizational management (未纳入组织管理).
const (
	UnmanagedNoPartyOrg        = "no_party_org"
	UnmanagedDissolvedPartyOrg = "dissolved_party_org"
	UnmanagedTransitTooLong    = "transit_too_long"
)

// UnmanagedReasons names the reasons.
var UnmanagedReasons = CodeList{
	{UnmanagedNoPartyOrg, "组织关系无所在党组织"},
	{UnmanagedDissolvedPartyOrg, "所在党组织已撤销"},
	{UnmanagedTransitTooLong, "中转超期"},
}

// DefaultMaxTransitDays is how long a member may stay in transit (中转: held
// at a town/street Party org until the employer has one) before counting as
// unmanaged: 3 months, the usual validity of a transfer letter
// (domain-rules §4.1, ⚠️, so a setting).
const DefaultMaxTransitDays = 90

// InGoodStanding reports whether a member is counted at all in membership
// and management figures: standing 在册 (registered), whether full or
// probationary. Members transferred out, suspended, expelled or deceased are
// not counted.
func InGoodStanding(m Member) bool { return m.Standing == StandingRegistered }

// UnmanagedReason says whether a member is not under organizational
// management, and why. The counting rule (what the data allows):
//
//   - only members in good standing (InGoodStanding) are counted; for any
//     other member the result is ("", false);
//   - no_party_org: the member has no Party org holding the membership
//     (PartyOrgID empty), or it names one that does not exist
//     (holdingOrgStatus "");
//   - dissolved_party_org: the holding Party org is not active (dissolved);
//   - transit_too_long: the member has been in transit since inTransitSince
//     ("" when not in transit) for more than maxTransitDays days on today; a
//     maxTransitDays ≤ 0 turns this rule off and a malformed date is ignored.
//
// The first reason that applies, in that order, is returned. Members who
// hold their transfer letter without registering anywhere (口袋党员) are
// invisible to the data and cannot be counted.
func UnmanagedReason(m Member, holdingOrgStatus string, inTransitSince Date, today time.Time, maxTransitDays int) (string, bool) {
	switch {
	case !InGoodStanding(m):
		return "", false
	case m.PartyOrgID == nil || holdingOrgStatus == "":
		return UnmanagedNoPartyOrg, true
	case holdingOrgStatus != StatusActive:
		return UnmanagedDissolvedPartyOrg, true
	case maxTransitDays > 0 && inTransitSince != "":
		if _, ok := dayNumber(inTransitSince); ok && DaysUncovered(inTransitSince, today) > maxTransitDays {
			return UnmanagedTransitTooLong, true
		}
	}
	return "", false
}

// DaysUncovered is the number of days from since to today's date (in the
// city's time zone): 0 on the day itself, and 0 when since is empty,
// malformed or after today. The uncovered list passes CoverageResult.Since.
func DaysUncovered(since Date, today time.Time) int {
	from, ok := dayNumber(since)
	if !ok {
		return 0
	}
	y, m, d := today.In(Shanghai).Date()
	if n := civilDays(y, int(m), d) - from; n > 0 {
		return n
	}
	return 0
}

// inYears reports whether d is a date of MinYear–MaxYear.
func inYears(d Date) bool {
	_, ok := ParseDate(string(d))
	return ok
}

// dayNumber parses a "YYYY-MM-DD" date into days since 1970-01-01 without
// the cost of time.Parse (coverage runs over the whole city at once).
func dayNumber(d Date) (int, bool) {
	s := string(d)
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	num := func(t string) (int, bool) {
		n := 0
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return 0, false
			}
			n = n*10 + int(t[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	day, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || day < 1 || day > daysIn(y, m) {
		return 0, false
	}
	return civilDays(y, m, day), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// civilDays is the number of days from 1970-01-01 to y-m-d (proleptic
// Gregorian; Howard Hinnant's days_from_civil).
func civilDays(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateOfDays is the inverse of civilDays (Hinnant's civil_from_days),
// formatted as a Date; years outside 1–9999 fall back to package time.
func dateOfDays(n int) Date {
	z := n + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	if y < 1 || y > 9999 {
		return Date(time.Unix(int64(n)*86400, 0).UTC().Format(DateLayout))
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return Date(b[:])
}
