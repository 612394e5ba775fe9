package gen

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/filing"
	"github.com/lianxin/lianxin/internal/store/bulk"
)

// The situations the alert rules of issue 5 watch for, at realistic rates,
// drawn after the registry (from their own random stream, so that the
// registry drawn before stays what it was) and before the year of
// organizational life, which follows some of them. Shares are of the
// candidates named:
//
//   - secretaries: a Party org holding full members has one of them as its
//     secretary (the first of its committee where it elected one), since
//     its term's start or the term before (re-elected), with an approved
//     appointment filing for nine in ten; orgs without full members of
//     their own (党委, 党总支, committees) keep a secretary by name only.
//     3% of the active grassroots orgs have none (vacant 10–400 days);
//     1% changed their secretary 5–120 days ago without a filing; 1.5%
//     have a filing pending for 1–90 days, 0.3% one returned; about half
//     of the secretaries elected at the last term's start have an approved
//     departure filing of the one before.
//   - terms (every org whose type has a term length): the current term
//     starts at its last election; 5% are overdue by 1–400 days, a third of
//     these with an approved postponement (some of which have run out
//     too); 8% end within 180 days; earlier terms back to the founding (at
//     most three), each with its election (member meeting, or a delegate
//     congress from 500 full members; more than 4/5 of the voters present).
//     Branches with at least 7 full members elect a committee of 3–5, one
//     in ten does not (no committee); 党委 and 党总支 elect 5–7 from their
//     branches' members. About 10% of the overdue or ending terms have a
//     postponement or advancement pending, 0.2% of the terms one returned.
//   - size: 1% of the 党支部 have 52–67 members; 2% of the branches are down
//     to one or two full members (the others moved to a sibling branch);
//     4% of the joint branches cover 6–8 organizations.
//   - registry: 1% of the organizations covered by an active Party org are
//     deregistered, revoked or moved out (and no other covered one is).
//   - 0.1% of the 党支部 (at least two) were dissolved 30–300 days ago
//     with their members still on their roll.
//   - life: 1.5% of the branches fell silent 2–5½ months ago (beside the
//     3% paralysed of life.go), 1% have had low attendance (20–45%) for
//     the last 110 days (beside the lagging ones of life.go), and 0.5% of
//     the full members of the other active branches have taken part in
//     nothing for 3–10 months.
//
// The demo's own orgs (those of the generated accounts) have none of these,
// except that the `branch` account's term ends within 40–150 days. Where
// 锦江区 is generated at full size (district and city scales) every
// situation occurs there at least once, members_orphaned at least twice.

type situations struct {
	g         *generator
	r         *rand.Rand
	today     time.Time // Options.Today at midnight UTC: dates are counted from it
	jjPath    string    // 锦江区's work committee
	ensure    bool      // 锦江区 is at full size
	protected map[int64]bool
	branchID  int64
	children  map[int64][]int64
	full      map[int64][]int64 // full members in good standing, by Party org
	subFull   []int             // org id - 1 → full members in good standing in its subtree

	// For the year of organizational life.
	quiet    []int64         // member id - 1 → attends nothing from this Unix time (0: never)
	fade     map[int64]int64 // Party org → holds nothing from this Unix time
	lowFrom  int64
	lowShare map[int64]float64 // Party org → its presence since lowFrom

	filings   []bulk.FilingRow
	elections []bulk.ElectionRow
	terms     []bulk.TermRow
	changes   []bulk.TermChangeRow
}

// situate draws the situations into the registry; life reads the hints.
func (g *generator) situate() {
	s := &situations{g: g, r: rand.New(rand.NewPCG(g.opt.Seed^0xa1e47a1e, g.opt.Seed+0x7e4a5)), protected: map[int64]bool{},
		children: map[int64][]int64{}, fade: map[int64]int64{}, lowShare: map[int64]float64{},
		ensure: g.opt.Scale != Small}
	y, m, d := g.opt.Today.Date()
	s.today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	g.sit = s
	for _, o := range g.orgs {
		if o.Type == domain.WorkCommittee && o.Region == "510104" {
			s.jjPath = o.Path
		}
		if o.ParentID != nil {
			s.children[*o.ParentID] = append(s.children[*o.ParentID], o.ID)
		}
	}
	for _, u := range g.users {
		s.protected[u.PartyOrgID] = true
		if u.Username == "branch" {
			s.branchID = u.PartyOrgID
		}
	}
	s.dissolve()
	s.resize()
	s.widen()
	s.registry()
	s.count()
	s.life()
	s.termsAndSecretaries()
	s.inactive()
}

// withRand runs f with g.rnd drawing from the situations' stream, to reuse
// the registry's builders.
func (s *situations) withRand(f func()) {
	saved := s.g.rnd
	s.g.rnd = s.r
	f()
	s.g.rnd = saved
}

func (s *situations) inJJ(orgID int64) bool {
	return s.jjPath != "" && strings.HasPrefix(s.g.byID(orgID).Path, s.jjPath)
}

// pick chooses each candidate (in order) with probability rate, then adds
// random ones until there are atLeast, and, where 锦江区 is at full size,
// inJJ of them there (jj tells which candidates are).
func (s *situations) pick(cands []int64, rate float64, atLeast, inJJ int, jj func(int64) bool) []int64 {
	var out []int64
	chosen := map[int64]bool{}
	for _, c := range cands {
		if s.r.Float64() < rate {
			out = append(out, c)
			chosen[c] = true
		}
	}
	more := func(ok func(int64) bool, need int) {
		var rest []int64
		for _, c := range cands {
			if !chosen[c] && ok(c) {
				rest = append(rest, c)
			}
		}
		for ; need > 0 && len(rest) > 0; need-- {
			k := s.r.IntN(len(rest))
			out = append(out, rest[k])
			chosen[rest[k]] = true
			rest = slices.Delete(rest, k, k+1)
		}
	}
	if s.ensure && jj != nil {
		n := 0
		for _, c := range out {
			if jj(c) {
				n++
			}
		}
		more(jj, inJJ-n)
	}
	more(func(int64) bool { return true }, atLeast-len(out))
	slices.Sort(out)
	return out
}

func set(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func (s *situations) date(t time.Time) domain.Date { return domain.Date(t.Format(domain.DateLayout)) }

// ago is the day n days before today.
func (s *situations) ago(n int) time.Time { return s.today.AddDate(0, 0, -n) }

// unixOf is the start of a day in the city.
func unixOf(t time.Time) int64 {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, domain.Shanghai).Unix()
}

// stamp is a moment of office hours on day t, in the city.
func (s *situations) stamp(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 9+s.r.IntN(8), s.r.IntN(60), s.r.IntN(60), 0, domain.Shanghai)
}

// past keeps a day before today.
func (s *situations) past(t time.Time) time.Time {
	if y := s.ago(1); t.After(y) {
		return y
	}
	return t
}

func parse(d domain.Date) time.Time {
	t, _ := domain.ParseDate(string(d))
	return t
}

// branches lists the active, unprotected Party orgs that hold members,
// of the given types (all of isMemberHost's when none are given).
func (s *situations) branches(types ...domain.PartyOrgType) []int64 {
	var out []int64
	for _, o := range s.g.orgs {
		if o.Status != domain.StatusActive || s.protected[o.ID] || !isMemberHost(o.Type) {
			continue
		}
		if len(types) == 0 || slices.Contains(types, o.Type) {
			out = append(out, o.ID)
		}
	}
	return out
}

// dissolve: a few 党支部 dissolved with their members still on their roll.
func (s *situations) dissolve() {
	var cands []int64
	for _, id := range s.branches(domain.Branch) {
		if len(s.children[id]) == 0 {
			cands = append(cands, id)
		}
	}
	reasons := []string{"所在企业停业，党支部撤销", "单位注销，党组织撤销", "企业迁出本市，党支部撤销"}
	for _, id := range s.pick(cands, 0.001, 2, 2, s.inJJ) {
		o := s.g.byID(id)
		on := s.ago(30 + s.r.IntN(271))
		if f := parse(o.FoundedOn); on.Before(f) {
			on = f
		}
		o.Status, o.DissolvedOn, o.DissolveReason = domain.StatusDissolved, s.date(on), reasons[s.r.IntN(len(reasons))]
		s.fade[id] = unixOf(on)
	}
}

// rosters lists the members of each org in good standing, by id.
func (s *situations) rosters() map[int64][]int64 {
	out := map[int64][]int64{}
	for _, m := range s.g.members {
		if m.PartyOrgID != nil && domain.InGoodStanding(m) {
			out[*m.PartyOrgID] = append(out[*m.PartyOrgID], m.ID)
		}
	}
	return out
}

// resize: a few 党支部 over 50 members, a few branches down to one or two
// full members.
func (s *situations) resize() {
	roster := s.rosters()
	big := s.pick(s.branches(domain.Branch), 0.01, 1, 1, s.inJJ)
	for _, id := range big {
		o := s.g.byID(id)
		n := 52 + s.r.IntN(16) - len(roster[id])
		s.withRand(func() { s.g.addMembers(id, o.Region, n) })
	}
	isBig := set(big)
	// A branch shrinks when its members move to a sibling branch (组织关系
	// 转接): members who left the Party's rolls would need a date the
	// member workbook does not carry.
	hosts := set(s.branches(domain.Branch, domain.JointBranch, domain.MobileBranch))
	siblings := func(id int64) []int64 {
		var out []int64
		for _, c := range s.children[*s.g.byID(id).ParentID] {
			if c != id && hosts[c] && !isBig[c] {
				out = append(out, c)
			}
		}
		return out
	}
	var cands []int64
	for _, id := range s.branches(domain.Branch, domain.JointBranch, domain.MobileBranch) {
		if !isBig[id] && len(siblings(id)) > 0 {
			cands = append(cands, id)
		}
	}
	few := s.pick(cands, 0.02, 1, 1, s.inJJ)
	isFew := set(few)
	for _, id := range few {
		var to []int64
		for _, c := range siblings(id) {
			if !isFew[c] {
				to = append(to, c)
			}
		}
		if len(to) == 0 {
			continue
		}
		target := to[s.r.IntN(len(to))]
		keep := 1 + s.r.IntN(2)
		for _, mid := range roster[id] {
			m := &s.g.members[mid-1]
			if m.Status != domain.MemberFull {
				continue
			}
			if keep > 0 {
				keep--
				continue
			}
			t := target
			m.PartyOrgID = &t
			if e, ok := s.g.employerOf[target]; ok {
				m.EmployerID = &e
			}
		}
	}
}

// widen: a few joint branches cover 6–8 organizations.
func (s *situations) widen() {
	count := map[int64]int{}
	for _, c := range s.g.covers {
		count[c.PartyOrgID]++
	}
	for _, id := range s.pick(s.branches(domain.JointBranch), 0.04, 1, 1, s.inJJ) {
		o := s.g.byID(id)
		parent := s.g.byID(*o.ParentID)
		founded := parse(o.FoundedOn)
		for k := count[id]; k < 6+s.r.IntN(3); k++ {
			var oid int64
			s.withRand(func() { oid = s.g.organization(s.g.orgName(parent), o.Region, parent.ID, 3+s.g.rnd.IntN(40)) })
			since := s.ago(30 + s.r.IntN(700))
			if since.Before(founded) {
				since = founded
			}
			s.g.covers = append(s.g.covers, bulk.Cover{PartyOrgID: id, OrganizationID: oid, Since: s.date(since)})
		}
	}
}

// registry: 1% of the organizations covered by an active Party org are
// deregistered, revoked or moved out; the registry's draw (4% of all
// deregistered) is undone for the other covered ones, whose Party org
// would otherwise have to be dissolved.
func (s *situations) registry() {
	by := map[int64]int64{}   // organization → a covering active Party org
	shown := map[int64]bool{} // covered by one of the demo accounts' orgs
	for _, c := range s.g.covers {
		if s.g.byID(c.PartyOrgID).Status != domain.StatusActive {
			continue
		}
		if _, ok := by[c.OrganizationID]; !ok {
			by[c.OrganizationID] = c.PartyOrgID
		}
		shown[c.OrganizationID] = shown[c.OrganizationID] || s.protected[c.PartyOrgID]
	}
	var cands []int64
	for i := range s.g.organizations {
		o := &s.g.organizations[i]
		if _, ok := by[o.ID]; !ok {
			continue
		}
		switch o.Status {
		case domain.OrgDeregistered, domain.OrgRevoked, domain.OrgMovedOut:
			o.Status = domain.OrgActive
		}
		if !shown[o.ID] {
			cands = append(cands, o.ID)
		}
	}
	jj := func(id int64) bool { return s.inJJ(by[id]) }
	for _, id := range s.pick(cands, 0.01, 1, 1, jj) {
		o := &s.g.organizations[id-1]
		switch r := s.r.IntN(20); {
		case r < 11:
			o.Status = domain.OrgDeregistered
		case r < 16:
			o.Status = domain.OrgRevoked
		default:
			o.Status = domain.OrgMovedOut
		}
	}
}

// count: full members in good standing per org and per subtree.
func (s *situations) count() {
	s.full = map[int64][]int64{}
	for _, m := range s.g.members {
		if m.PartyOrgID != nil && domain.InGoodStanding(m) && m.Status == domain.MemberFull {
			s.full[*m.PartyOrgID] = append(s.full[*m.PartyOrgID], m.ID)
		}
	}
	s.subFull = make([]int, len(s.g.orgs))
	for i := len(s.g.orgs) - 1; i >= 0; i-- {
		o := s.g.orgs[i]
		s.subFull[i] += len(s.full[o.ID])
		if o.ParentID != nil {
			s.subFull[*o.ParentID-1] += s.subFull[i]
		}
	}
}

// life: branches that fell silent, branches with low attendance.
func (s *situations) life() {
	var cands []int64
	for _, id := range s.branches() {
		if _, gone := s.fade[id]; !gone {
			cands = append(cands, id)
		}
	}
	for _, id := range s.pick(cands, 0.015, 1, 1, s.inJJ) {
		s.fade[id] = unixOf(s.ago(62 + s.r.IntN(109)))
	}
	var low []int64
	for _, id := range cands {
		if _, gone := s.fade[id]; !gone && len(s.full[id]) >= 5 {
			low = append(low, id)
		}
	}
	s.lowFrom = unixOf(s.ago(110))
	for _, id := range s.pick(low, 0.01, 1, 1, s.inJJ) {
		s.lowShare[id] = 0.20 + 0.25*s.r.Float64()
	}
}

// inactive: members of otherwise active branches who have taken part in
// nothing for 3–10 months (never a secretary).
func (s *situations) inactive() {
	s.quiet = make([]int64, len(s.g.members))
	secretary := map[int64]bool{}
	for _, o := range s.g.orgs {
		if o.SecretaryMemberID != nil {
			secretary[*o.SecretaryMemberID] = true
		}
	}
	var cands []int64
	for _, id := range s.branches() {
		_, gone := s.fade[id]
		_, low := s.lowShare[id]
		if gone || low {
			continue
		}
		for _, m := range s.full[id] {
			if !secretary[m] {
				cands = append(cands, m)
			}
		}
	}
	jj := func(m int64) bool { return s.inJJ(*s.g.members[m-1].PartyOrgID) }
	for _, m := range s.pick(cands, 0.005, 1, 1, jj) {
		s.quiet[m-1] = unixOf(s.ago(95 + s.r.IntN(226)))
	}
}

var (
	branchPosts    = []string{"secretary", "organization", "propaganda", "discipline", "member"}
	committeePosts = []string{"secretary", "deputy_secretary", "organization", "propaganda", "discipline", "member", "member"}
	departures     = []string{"transferred", "resigned", "left_org"}
	returnNotes    = []string{"会议记录未附选举结果，请补充后重新提交", "任职人选的党员身份信息有误，请核对后重新提交", "缺少党员大会记录，请补充"}
	postponeWhy    = []string{"企业重组，党员变动较大，申请延期换届", "主要负责同志长期外派，申请延期换届", "党员多数在外地项目，申请延期换届", "单位搬迁，申请延期换届"}
	advanceWhy     = []string{"书记工作调动，申请提前换届", "党员人数增加，拟提前换届并设立支部委员会"}
	returnChange   = []string{"延期理由不充分，请按期组织换届", "请先报送换届工作方案"}
)

// termsAndSecretaries gives every org its terms, elections, secretary and
// filings, and draws which terms are overdue or ending and which
// secretaries are vacant, unfiled or have a filing under way.
func (s *situations) termsAndSecretaries() {
	var termOrgs, secOrgs, withFull, bigBranches []int64
	for _, o := range s.g.orgs {
		info, _ := o.Type.Info()
		if o.Status != domain.StatusActive || s.protected[o.ID] {
			continue
		}
		if info.DefaultTermYears > 0 {
			termOrgs = append(termOrgs, o.ID)
		}
		if info.Grassroots {
			secOrgs = append(secOrgs, o.ID)
			if len(s.full[o.ID]) > 0 {
				withFull = append(withFull, o.ID)
			}
		}
		if isMemberHost(o.Type) && o.Type != domain.TemporaryBranch && len(s.full[o.ID]) >= 7 {
			bigBranches = append(bigBranches, o.ID)
		}
	}
	overdue := s.pick(termOrgs, 0.05, 2, 2, s.inJJ)
	postponed := set(s.pick(overdue, 0.34, 1, 1, s.inJJ))
	var rest []int64
	isOverdue := set(overdue)
	for _, id := range termOrgs {
		if !isOverdue[id] {
			rest = append(rest, id)
		}
	}
	ending := set(s.pick(rest, 0.08, 1, 1, s.inJJ))
	var late []int64 // overdue without postponement, or ending: may have a request pending
	for _, id := range termOrgs {
		if ending[id] || isOverdue[id] && !postponed[id] {
			late = append(late, id)
		}
	}
	changePending := set(s.pick(late, 0.10, 1, 1, s.inJJ))
	changeReturned := set(s.pick(termOrgs, 0.002, 1, 1, s.inJJ))
	noCommittee := set(s.pick(bigBranches, 0.10, 1, 1, s.inJJ))

	vacant := set(s.pick(secOrgs, 0.03, 1, 1, s.inJJ))
	var filers []int64
	for _, id := range withFull {
		if !vacant[id] && len(s.full[id]) >= 2 {
			filers = append(filers, id)
		}
	}
	unfiled := set(s.pick(filers, 0.01, 1, 1, s.inJJ))
	pending := set(s.pick(withFull, 0.015, 1, 2, s.inJJ))
	returned := set(s.pick(withFull, 0.003, 1, 1, s.inJJ))

	for i := range s.g.orgs {
		o := &s.g.orgs[i]
		if o.Type == domain.WorkCommittee {
			if o.SecretaryName == "" {
				s.withRand(func() { o.SecretaryName = s.g.personName() })
			}
			continue
		}
		kind := "normal"
		switch {
		case o.ID == s.branchID:
			kind = "branch"
		case isOverdue[o.ID]:
			kind = "overdue"
		case ending[o.ID]:
			kind = "ending"
		}
		sec := s.electSecretary(o)
		seats, prevSec := s.termsOf(o, kind, sec, postponed[o.ID], noCommittee[o.ID])
		if changePending[o.ID] || changeReturned[o.ID] {
			s.termChange(o, changePending[o.ID])
		}
		s.secretary(o, sec, prevSec, seats, vacant[o.ID], unfiled[o.ID], pending[o.ID], returned[o.ID])
	}
}

// electSecretary is the full member elected secretary at the current term's
// start (0: the org has no full members of its own).
func (s *situations) electSecretary(o *domain.PartyOrg) int64 {
	full := s.full[o.ID]
	if len(full) == 0 {
		return 0
	}
	return full[s.r.IntN(len(full))]
}

// pool is whom a committee is elected from: the org's own full members, or
// for a 党委, 党总支 or committee those of its branches (the first 40 met).
func (s *situations) pool(o *domain.PartyOrg) []int64 {
	if own := s.full[o.ID]; len(own) > 0 {
		return own
	}
	var out []int64
	queue := slices.Clone(s.children[o.ID])
	for len(queue) > 0 && len(out) < 40 {
		id := queue[0]
		queue = queue[1:]
		if s.g.byID(id).Status != domain.StatusActive {
			continue
		}
		full := s.full[id]
		out = append(out, full[:min(len(full), 3)]...)
		queue = append(queue, s.children[id]...)
	}
	return out
}

// committee elects n members from pool, sec (if any) first as secretary.
func (s *situations) committee(pool []int64, n int, sec int64, posts []string) []bulk.ElectedSeat {
	n = min(n, len(pool))
	if n == 0 {
		return nil
	}
	picked := make([]int64, 0, n)
	if sec != 0 {
		picked = append(picked, sec)
	}
	for tries := 0; len(picked) < n && tries < 4*n+8; tries++ {
		if m := pool[s.r.IntN(len(pool))]; !slices.Contains(picked, m) {
			picked = append(picked, m)
		}
	}
	seats := make([]bulk.ElectedSeat, len(picked))
	for k, m := range picked {
		post := "member"
		if k < len(posts) {
			post = posts[k]
		}
		seats[k] = bulk.ElectedSeat{MemberID: m, Name: s.g.members[m-1].Name, Post: post}
	}
	return seats
}

// termsOf sets the org's current term by its kind (normal, overdue, ending,
// or the demo branch's), moving its founding back where the term needs it,
// and records the terms back to the founding with their elections. It
// returns the committee elected at the current term's start and the
// secretary before it (0: none, or known by name only).
func (s *situations) termsOf(o *domain.PartyOrg, kind string, sec int64, postponed, noCommittee bool) ([]bulk.ElectedSeat, int64) {
	info, _ := o.Type.Info()
	years := info.DefaultTermYears
	founded := parse(o.FoundedOn)
	if years == 0 { // 临时党支部: no terms
		return nil, 0
	}
	var end time.Time
	switch kind {
	case "overdue":
		end = s.ago(1 + s.r.IntN(400))
	case "ending":
		end = s.ago(-s.r.IntN(181))
	case "branch":
		end = s.ago(-40 - s.r.IntN(111))
	default:
		end = s.ago(-181 - s.r.IntN(years*365-181))
	}
	start := domain.AddYears(end, -years)
	if start.After(s.today) {
		start = s.today
	}
	if start.Before(founded) {
		if kind == "normal" {
			start = founded
		} else {
			founded = start
			o.FoundedOn = s.date(founded)
		}
	}
	end = domain.AddYears(start, years)
	o.TermYears, o.TermStart, o.TermEnd = years, s.date(start), s.date(end)
	o.PostponedTo = ""
	if postponed {
		limit := domain.AddYears(end, 1)
		if limit.After(s.today.AddDate(0, 0, 1)) && s.r.IntN(5) > 0 {
			days := int(limit.Sub(s.today).Hours()/24) - 1
			o.PostponedTo = s.date(s.ago(-1 - s.r.IntN(max(days, 1))))
		} else { // a postponement that has run out too
			days := int(s.today.Sub(end).Hours() / 24)
			o.PostponedTo = s.date(end.AddDate(0, 0, 1+s.r.IntN(max(min(days-1, 365), 1))))
		}
	}

	// The starts of the terms, newest first: each earlier election about a
	// term's length before the next, back to the founding.
	starts := []time.Time{start}
	for len(starts) < 4 {
		prev := domain.AddYears(starts[len(starts)-1], -years).AddDate(0, 0, s.r.IntN(81)-60)
		if prev.Before(founded) {
			if gap := starts[len(starts)-1].Sub(founded).Hours() / 24; gap > 180 {
				starts = append(starts, founded)
			}
			break
		}
		starts = append(starts, prev)
	}
	pool := s.pool(o)
	branchLike := isMemberHost(o.Type)
	size := func() int {
		if !branchLike {
			return 5 + s.r.IntN(3)
		}
		if len(s.full[o.ID]) >= 7 {
			return 3 + s.r.IntN(3)
		}
		return 0
	}
	voters := s.subFull[o.ID-1]
	var current []bulk.ElectedSeat
	var prevSec int64
	for k := len(starts) - 1; k >= 0; k-- {
		at := starts[k]
		n := size()
		es := sec
		if k > 0 {
			es = 0
			if len(pool) > 0 && s.r.IntN(3) > 0 {
				es = pool[s.r.IntN(len(pool))]
			}
			if k == 1 && s.r.IntN(4) == 0 {
				es = sec // re-elected at the current term's start
			}
		} else if noCommittee {
			n = 0
		}
		if !branchLike || !slices.Contains(pool, es) {
			es = 0 // a 党委's secretary sits in a branch: kept by name
		}
		var seats []bulk.ElectedSeat
		if n > 0 {
			seats = s.committee(pool, n, es, map[bool][]string{true: branchPosts, false: committeePosts}[branchLike])
		}
		e := bulk.ElectionRow{ID: int64(len(s.elections) + 1), PartyOrgID: o.ID, HeldOn: s.date(at), Method: "member_meeting",
			Committee: seats, SecretaryMemberID: es}
		if len(seats) > 0 {
			e.SecretaryMemberID = seats[0].MemberID
		}
		expected := voters
		if k > 0 {
			expected = max(0, voters+s.r.IntN(7)-3)
		}
		if expected >= 500 {
			e.Method, expected = "delegate_congress", 80+s.r.IntN(70)
		}
		e.ExpectedVoters = expected
		if expected > 0 {
			least := min(expected*4/5+1, expected)
			e.PresentVoters = least + s.r.IntN(expected-least+1)
		}
		s.elections = append(s.elections, e)
		t := bulk.TermRow{ID: int64(len(s.terms) + 1), PartyOrgID: o.ID, StartOn: s.date(at), Years: years,
			EndOn: s.date(domain.AddYears(at, years)), ElectionID: e.ID}
		if k > 0 {
			t.EndedOn = s.date(starts[k-1])
		} else if o.Status != domain.StatusActive {
			t.EndedOn = o.DissolvedOn
		}
		s.terms = append(s.terms, t)
		if k == 1 && branchLike {
			prevSec = e.SecretaryMemberID
		}
		if k == 0 {
			current = seats
		}
	}
	o.CommitteeSize = len(current)
	return current, prevSec
}

// termChange records a request to postpone or advance the current term's
// election: pending (submitted 1–75 days ago) or returned.
func (s *situations) termChange(o *domain.PartyOrg, pending bool) {
	if o.TermEnd == "" {
		return
	}
	end := parse(o.TermEnd)
	c := bulk.TermChangeRow{ID: int64(len(s.changes) + 1), PartyOrgID: o.ID, TermID: int64(len(s.terms)), Kind: domain.TermPostpone}
	submitted := s.ago(1 + s.r.IntN(75))
	switch {
	case end.After(s.today) && s.r.IntN(5) < 2:
		c.Kind, c.NewDate, c.Reason = domain.TermAdvance, s.date(s.ago(-10-s.r.IntN(50))), advanceWhy[s.r.IntN(len(advanceWhy))]
		if !parse(c.NewDate).Before(end) {
			c.NewDate = s.date(end.AddDate(0, 0, -1))
		}
	default:
		c.NewDate, c.Reason = s.date(end.AddDate(0, 0, 60+s.r.IntN(240))), postponeWhy[s.r.IntN(len(postponeWhy))]
		if !parse(c.NewDate).After(s.today) {
			c.NewDate, c.OverLimit = s.date(s.ago(-90)), true
		}
	}
	c.Status, c.SubmittedAt = filing.RequestPending, s.stamp(submitted)
	if !pending {
		c.Status, c.SubmittedAt = filing.RequestReturned, s.stamp(s.ago(20+s.r.IntN(100)))
		c.DecidedAt = s.stamp(s.past(c.SubmittedAt.AddDate(0, 0, 2+s.r.IntN(12))))
		c.DecisionNote = returnChange[s.r.IntN(len(returnChange))]
	}
	s.changes = append(s.changes, c)
}

// approvedPostponement records the approved request behind PostponedTo.
func (s *situations) approvedPostponement(o *domain.PartyOrg, termID int64) {
	end := parse(o.TermEnd)
	submitted := end.AddDate(0, 0, -15-s.r.IntN(46))
	decided := submitted.AddDate(0, 0, 3+s.r.IntN(18))
	s.changes = append(s.changes, bulk.TermChangeRow{ID: int64(len(s.changes) + 1), PartyOrgID: o.ID, TermID: termID, Kind: domain.TermPostpone,
		NewDate: o.PostponedTo, Reason: postponeWhy[s.r.IntN(len(postponeWhy))], Status: filing.RequestApproved,
		SubmittedAt: s.stamp(s.past(submitted)), DecidedAt: s.stamp(s.past(decided)), DecisionNote: "同意延期换届"})
}

// filing appends a filing and returns it for adjustment.
func (s *situations) filing(o *domain.PartyOrg, kind string, member int64, name string, effective time.Time, status string, submitted time.Time) *bulk.FilingRow {
	f := bulk.FilingRow{ID: int64(len(s.filings) + 1), PartyOrgID: o.ID, Kind: kind, MemberID: member, PersonName: name,
		EffectiveOn: s.date(effective), Status: status, SubmittedAt: s.stamp(s.past(submitted))}
	if status == filing.RequestApproved || status == filing.RequestReturned {
		f.DecidedAt = s.stamp(s.past(submitted.AddDate(0, 0, 1+s.r.IntN(14))))
		if f.DecidedAt.Before(f.SubmittedAt) {
			f.DecidedAt = f.SubmittedAt.Add(time.Hour)
		}
		if status == filing.RequestApproved {
			f.DecisionNote = "同意备案"
		} else {
			f.DecisionNote = returnNotes[s.r.IntN(len(returnNotes))]
		}
	}
	if kind == filing.FilingAppointment {
		f.Method = "appointed"
		if k, ok := s.electedOn(o, effective); ok {
			e := &s.elections[k]
			f.Method, f.MeetingOn = "elected", f.EffectiveOn
			f.MeetingRecord = fmt.Sprintf("%d年%d月%d日召开党员大会换届选举，应到会有选举权的党员%d名，实到%d名，%s当选书记。",
				effective.Year(), effective.Month(), effective.Day(), e.ExpectedVoters, e.PresentVoters, name)
		} else {
			f.MeetingRecord = fmt.Sprintf("经上级党组织同意，指定%s同志任书记。", name)
		}
	}
	s.filings = append(s.filings, f)
	return &s.filings[len(s.filings)-1]
}

// electedOn: whether the org held an election on day t.
func (s *situations) electedOn(o *domain.PartyOrg, t time.Time) (int, bool) {
	d := s.date(t)
	for k := len(s.elections) - 1; k >= 0 && s.elections[k].PartyOrgID == o.ID; k-- {
		if s.elections[k].HeldOn == d {
			return k, true
		}
	}
	return 0, false
}

func (s *situations) name(m int64) string { return s.g.members[m-1].Name }

// other is a full member of the org other than not (0: none).
func (s *situations) other(o *domain.PartyOrg, not int64) int64 {
	var c []int64
	for _, m := range s.full[o.ID] {
		if m != not {
			c = append(c, m)
		}
	}
	if len(c) == 0 {
		return 0
	}
	return c[s.r.IntN(len(c))]
}

// secretary sets the org's secretary and files what was filed.
func (s *situations) secretary(o *domain.PartyOrg, sec, prevSec int64, seats []bulk.ElectedSeat, vacant, unfiled, pending, returned bool) {
	// The approved postponement behind PostponedTo, once the terms exist.
	if o.PostponedTo != "" {
		s.approvedPostponement(o, int64(len(s.terms)))
	}
	start := parse(o.TermStart)
	if o.TermStart == "" { // no terms: in post since the founding or later
		start = parse(o.FoundedOn).AddDate(0, 0, s.r.IntN(200))
		if start.After(s.ago(30)) {
			start = parse(o.FoundedOn)
		}
	}
	if sec == 0 { // no full members of its own: a secretary by name only
		o.SecretaryMemberID, o.SecretarySince = nil, s.date(start)
		switch {
		case len(seats) > 0:
			o.SecretaryName = seats[0].Name
		case o.SecretaryName == "":
			s.withRand(func() { o.SecretaryName = s.g.personName() })
		}
		if vacant {
			o.SecretaryName, o.SecretarySince = "", ""
			o.SecretaryVacantSince = s.date(s.vacantSince(start))
		}
		return
	}
	since := start
	if prevSec == sec && s.prevStart(o) != "" {
		since = parse(s.prevStart(o)) // re-elected: in post since the term before
	}
	if o.Status == domain.StatusActive && !s.protected[o.ID] && s.r.IntN(10) == 0 && !unfiled {
		// An appointment made before filings were kept: nothing filed.
	} else {
		s.filing(o, filing.FilingAppointment, sec, s.name(sec), since, filing.RequestApproved, since.AddDate(0, 0, 2+s.r.IntN(14)))
	}
	if since.Equal(start) && prevSec != sec && s.prevStart(o) != "" && s.r.IntN(2) == 0 {
		// The departure of the one before, at the election.
		name, member := "", prevSec
		if member != 0 {
			name = s.name(member)
		} else {
			s.withRand(func() { name = s.g.personName() })
		}
		f := s.filing(o, filing.FilingDeparture, member, name, start, filing.RequestApproved, start.AddDate(0, 0, 2+s.r.IntN(14)))
		f.Reason = "term_end"
	}
	o.SecretaryMemberID, o.SecretaryName, o.SecretarySince = &sec, s.name(sec), s.date(since)
	current := sec
	switch {
	case vacant:
		on := s.vacantSince(since)
		o.SecretaryMemberID, o.SecretaryName, o.SecretarySince, o.SecretaryVacantSince = nil, "", "", s.date(on)
		current = 0
		if s.r.IntN(5) < 3 {
			f := s.filing(o, filing.FilingDeparture, sec, s.name(sec), on, filing.RequestApproved, on.AddDate(0, 0, 1+s.r.IntN(10)))
			f.Reason = departures[s.r.IntN(len(departures))]
		}
	case unfiled:
		if next := s.other(o, sec); next != 0 {
			on := s.ago(5 + s.r.IntN(116))
			if !on.After(since) {
				on = since.AddDate(0, 0, 1)
			}
			n := next
			o.SecretaryMemberID, o.SecretaryName, o.SecretarySince, o.SecretaryUnfiledSince = &n, s.name(next), s.date(on), s.date(on)
			current = next
		}
	}
	if pending {
		submitted := s.ago(1 + s.r.IntN(90))
		switch {
		case o.SecretaryUnfiledSince != "": // the change, filed late
			s.filing(o, filing.FilingAppointment, current, s.name(current), parse(o.SecretaryUnfiledSince), filing.RequestPending, submitted)
		case current != 0 && s.r.IntN(4) == 0:
			f := s.filing(o, filing.FilingDeparture, current, s.name(current), s.past(submitted.AddDate(0, 0, s.r.IntN(6))), filing.RequestPending, submitted)
			f.Reason = departures[s.r.IntN(len(departures))]
		default:
			if next := s.other(o, current); next != 0 {
				s.filing(o, filing.FilingAppointment, next, s.name(next), submitted.AddDate(0, 0, -s.r.IntN(11)), filing.RequestPending, submitted)
			}
		}
	}
	if returned {
		person := current
		if o.SecretaryUnfiledSince == "" {
			person = s.other(o, current)
		}
		if person != 0 {
			submitted := s.ago(10 + s.r.IntN(110))
			s.filing(o, filing.FilingAppointment, person, s.name(person), submitted.AddDate(0, 0, -s.r.IntN(11)), filing.RequestReturned, submitted)
		}
	}
}

// vacantSince is when the post fell vacant: 10–400 days ago, after the
// secretary took it where the dates allow.
func (s *situations) vacantSince(since time.Time) time.Time {
	on := s.ago(10 + s.r.IntN(391))
	if !on.After(since) {
		on = since.AddDate(0, 0, 1+s.r.IntN(30))
	}
	return s.past(on)
}

// prevStart is the start of the term before the current one ("" if none).
func (s *situations) prevStart(o *domain.PartyOrg) domain.Date {
	n := len(s.terms)
	if n >= 2 && s.terms[n-1].PartyOrgID == o.ID && s.terms[n-2].PartyOrgID == o.ID {
		return s.terms[n-2].StartOn
	}
	return ""
}
