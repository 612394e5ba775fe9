package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/activity"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/bulk"
)

// A year of organizational life (issue 4): for every grassroots Party org
// the activities of the twelve months ending with the current one, and the
// planned ones of the next 30 days, with attendances; the city's monthly
// themes; two members' own accounts for the demo. Drawn from its own random
// stream, so that the registry data stays what it was.
//
// Most orgs hold most required activities (domain-rules §2): four in five of
// the healthy ones every one, the others skip 2–7%; about 15% lag (skip
// 20–50% of them) and about 3% are paralysed (nothing for the last six
// months or more). 党委 and 党总支, whose members sit in their branches, hold
// their committee's meetings, 党课 and 组织生活会 with their committee
// members (委员, members of their branches); 主题党日 and 党员大会 are held by
// the branches.
//
// Attendances: the hosting org's members in good standing at every held
// activity except 支委会 and 党小组会 (recorded by their minutes only),
// present, or on leave with a reason at the formal meetings; absences are
// marked at 支部党员大会 (the quorum) and otherwise left unrecorded, which
// AttendanceStatsOf counts as absent. Guests (活动互认) visit open 主题党日 and 志愿服务. These choices
// keep the city's attendances near 6.5 M, which `lianxin gen --scale city`
// writes within its time budget.

type lifeProfile uint8

const (
	healthy lifeProfile = iota
	lagging
	paralysed
)

// Indexes into activity.AttendanceKinds and (1 +) activity.CheckinMethods, as
// bulk.LifeAttendance keeps them.
const (
	kindPresent, kindLeave, kindAbsent   = 0, 1, 2
	methodActivity, methodMember, manual = 1, 2, 3
)

// Group meetings: a branch with this many members in good standing has two
// 党小组 (the ledger's HasGroups).
const groupMinMembers = 15

type orgLife struct {
	profile  lifeProfile
	skip     float64 // share of required items not held
	presence float64 // share of the roster present
	cutoff   int64   // paralysed: nothing from this Unix time on
	// jointMonth: the month (window index) of the joint theme day this org
	// hosts with jointWith, or -1; covered: months whose theme day a joint
	// one of another org stands for.
	jointMonth int
	jointWith  []int64
	covered    uint16
	themeDay   int // day of the month of its 主题党日 (相对固定1天)
	// low: the presence since the situations' lowFrom (0: as usual).
	low float64
}

// item is an activity being planned, before it gets its id.
type item struct {
	typ      activity.ActivityType
	start    time.Time
	dur      time.Duration
	month    int // window index
	group    int // 党小组: 1 or 2
	status   activity.ActivityStatus
	open     bool
	capacity int32
	place    int32
	variant  int
	cohosts  []int64
}

type textKey struct {
	typ     activity.ActivityType
	month   int
	group   int
	variant int
	status  activity.ActivityStatus
}

type lifeGen struct {
	g *generator
	r *rand.Rand
	// part is the part of the year being made; partSize the attendances
	// at which it is handed on; nTexts and nPlaces count the texts and
	// places of the parts before it too (an activity indexes them all).
	part     bulk.Life
	partSize int
	nTexts   int32
	nPlaces  int32
	// The base's share: the themes and the demo's member accounts.
	themeList []activity.MonthlyTheme
	users     []accounts.NewUser
	links     []bulk.MemberLink
	accounts  []Account
	loc       *time.Location
	today     time.Time // local midnight of Options.Today
	months    []time.Time
	themeIDs  []int64
	roster    map[int64][]int32 // members in good standing, by Party org
	orgOf     []int64           // member id - 1 → Party org
	full      []bool            // member id - 1 → a full member (not probationary)
	children  map[int64][]int64
	orgs      map[int64]*orgLife
	textOf    map[textKey]int32
	home      map[int64]int32 // Party org → its meeting place
	outings   []int32
	// demo members (member, member2) and the orgs that must look healthy.
	demo     map[int32]bool
	demoOrgs map[int64]bool
	branchID int64
	// guestPool: members in good standing who may visit an open activity.
	guestPool []int32
	nextAct   int64
	// quiet: member id - 1 → takes part in nothing from this Unix time on
	// (0: never); lowFrom: when the low-attendance orgs' presence drops.
	quiet   []int64
	lowFrom int64
}

func isMemberHost(t domain.PartyOrgType) bool {
	switch t {
	case domain.Branch, domain.JointBranch, domain.MobileBranch, domain.TemporaryBranch:
		return true
	}
	return false
}

// newLife draws what the year is planned from (places, profiles, joint
// theme days) and the demo's member accounts; run then makes the year.
func (g *generator) newLife() *lifeGen {
	l := &lifeGen{g: g, r: rand.New(rand.NewPCG(g.opt.Seed^0x11fe11fe, g.opt.Seed+0x5eed)), loc: domain.Shanghai,
		roster: map[int64][]int32{}, children: map[int64][]int64{}, orgs: map[int64]*orgLife{}, textOf: map[textKey]int32{},
		home: map[int64]int32{}, demo: map[int32]bool{}, demoOrgs: map[int64]bool{}, partSize: g.opt.LifePart}
	if l.partSize <= 0 {
		l.partSize = defaultLifePart
	}
	l.part = l.newPart()
	y, m, d := g.opt.Today.Date()
	l.today = time.Date(y, m, d, 0, 0, 0, 0, l.loc)
	for i := -11; i <= 1; i++ {
		l.months = append(l.months, time.Date(y, m+time.Month(i), 1, 0, 0, 0, 0, l.loc))
	}
	l.themes()
	if g.sit != nil {
		l.quiet, l.lowFrom = g.sit.quiet, g.sit.lowFrom
	}
	l.orgOf = make([]int64, len(g.members))
	l.full = make([]bool, len(g.members))
	for _, mb := range g.members {
		l.full[mb.ID-1] = mb.Status == domain.MemberFull
		if mb.PartyOrgID == nil {
			continue
		}
		l.orgOf[mb.ID-1] = *mb.PartyOrgID
		if domain.InGoodStanding(mb) {
			l.roster[*mb.PartyOrgID] = append(l.roster[*mb.PartyOrgID], int32(mb.ID))
			if l.quiet == nil || l.quiet[mb.ID-1] == 0 {
				l.guestPool = append(l.guestPool, int32(mb.ID))
			}
		}
	}
	for _, o := range g.orgs {
		if o.ParentID != nil {
			l.children[*o.ParentID] = append(l.children[*o.ParentID], o.ID)
		}
	}
	l.accounts = l.demoMembers()
	l.places()
	l.profiles()
	l.situations()
	l.joint()
	l.part.AttendanceReasons = append([]string{""}, leaveReasons...)
	return l
}

// defaultLifePart: attendances in a part of the year (≈4 MB of them; the
// city's year is ≈30 parts).
const defaultLifePart = 200_000

func (l *lifeGen) newPart() bulk.Life {
	return bulk.Life{Attendances: make([]bulk.LifeAttendance, 0, l.partSize+l.partSize/8)}
}

// run makes the year org by org and hands it on in parts of whole orgs
// (about partSize attendances each, the last one whatever is left); it
// stops early when send says so.
func (l *lifeGen) run(send func(bulk.Life) bool) {
	l.nextAct = 1
	for i := range l.g.orgs {
		o := &l.g.orgs[i]
		ol := l.orgs[o.ID]
		if ol == nil {
			continue
		}
		l.org(o, ol)
		if len(l.part.Attendances) >= l.partSize || len(l.part.Activities) >= l.partSize/4 {
			if !send(l.part) {
				return
			}
			l.part = l.newPart()
		}
	}
	send(l.part)
}

// stream runs the year in its own goroutine, so that the next part is made
// while emit writes the last one (at most three parts exist at once), and
// counts what it hands on.
func (l *lifeGen) stream(emit func(bulk.Life) error, sum *Summary) error {
	parts := make(chan bulk.Life, 1)
	stop := make(chan struct{})
	go func() {
		defer close(parts)
		l.run(func(p bulk.Life) bool {
			select {
			case parts <- p:
				return true
			case <-stop:
				return false
			}
		})
	}()
	var err error
	for p := range parts {
		if err != nil {
			continue // drain until the generator has seen stop
		}
		sum.Activities += len(p.Activities)
		sum.Attendances += len(p.Attendances)
		if err = emit(p); err != nil {
			close(stop)
		}
	}
	return err
}

// themes: one a month, for the twelve months of the window and the next.
func (l *lifeGen) themes() {
	seen := map[time.Month]bool{}
	for i, m := range l.months {
		alt := 0
		if seen[m.Month()] {
			alt = 1
		}
		seen[m.Month()] = true
		t := monthThemes[m.Month()-1][alt]
		id := int64(i + 1)
		l.themeList = append(l.themeList, activity.MonthlyTheme{ID: id, Month: m.Format("2006-01"), Title: t[0], Description: t[1]})
		l.themeIDs = append(l.themeIDs, id)
	}
}

// demoMembers picks the members behind the demo's `member` (of the org of
// the `branch` account) and `member2` (of `qingyang.branch`'s org in 青羊区)
// and makes their accounts.
func (l *lifeGen) demoMembers() []Account {
	var out []Account
	for _, pair := range [][2]string{{"member", "branch"}, {"member2", "qingyang.branch"}} {
		var orgID int64
		for _, u := range l.g.users {
			if u.Username == pair[1] {
				orgID = u.PartyOrgID
			}
		}
		if orgID == 0 {
			continue
		}
		if pair[1] == "branch" {
			l.branchID = orgID
		}
		for _, id := range l.roster[orgID] {
			mb := l.g.members[id-1]
			if mb.Status != domain.MemberFull {
				continue
			}
			l.demo[id] = true
			l.demoOrgs[orgID] = true
			org := l.g.byID(orgID)
			l.users = append(l.users, accounts.NewUser{Username: pair[0], DisplayName: mb.Name, PartyOrgID: orgID,
				Roles: []domain.Role{domain.RoleMember}, PasswordHash: l.g.opt.PasswordHash})
			l.links = append(l.links, bulk.MemberLink{Username: pair[0], MemberID: mb.ID})
			out = append(out, Account{Username: pair[0], DisplayName: mb.Name, Role: domain.RoleMember.Name(), Scope: org.Name, Phone: mb.Phone})
			break
		}
	}
	return out
}

// places: each grassroots org meets at its own place (its organization's
// address or a 党群服务中心) near its district's centre; outings go to a few
// public places.
func (l *lifeGen) places() {
	for _, p := range outingPlaces {
		l.outings = append(l.outings, l.place(bulk.ActivityPlace{Address: p.name, Latitude: p.lat, Longitude: p.lng}))
	}
	for _, o := range l.g.orgs {
		if info, _ := o.Type.Info(); !info.Grassroots {
			continue
		}
		district := o.Region
		if len(district) > 6 {
			district = district[:6]
		}
		c, ok := districtCentres[district]
		if !ok {
			h := 0
			for _, b := range []byte(district) {
				h = h*31 + int(b)
			}
			c = [2]float64{30.55 + float64(h%17)*0.012, 103.95 + float64(h/17%19)*0.011}
		}
		lat := clamp(c[0]+(l.r.Float64()-0.5)*0.07, 30.5, 30.8)
		lng := clamp(c[1]+(l.r.Float64()-0.5)*0.07, 103.9, 104.2)
		addr := ""
		if e, ok := l.g.employerOf[o.ID]; ok {
			addr = l.g.organizations[e-1].Address + " 党员活动室"
		} else {
			addr = "成都市" + l.g.streetName(o.Region) + streetWords[l.r.IntN(len(streetWords))] + "社区党群服务中心"
		}
		l.home[o.ID] = l.place(bulk.ActivityPlace{Address: addr, Latitude: round6(lat), Longitude: round6(lng)})
	}
}

// place adds a place to the part and returns its index among all parts'.
func (l *lifeGen) place(p bulk.ActivityPlace) int32 {
	l.part.ActivityPlaces = append(l.part.ActivityPlaces, p)
	l.nPlaces++
	return l.nPlaces - 1
}

func clamp(v, lo, hi float64) float64 { return math.Min(math.Max(v, lo), hi) }

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// profiles: healthy, lagging or paralysed, with the org's rates.
func (l *lifeGen) profiles() {
	for _, o := range l.g.orgs {
		info, _ := o.Type.Info()
		if !info.Grassroots {
			continue
		}
		ol := &orgLife{jointMonth: -1, themeDay: 1 + l.r.IntN(25)}
		switch r := l.r.Float64(); {
		case l.demoOrgs[o.ID] || r >= 0.18:
			ol.profile, ol.skip, ol.presence = healthy, 0.02+0.05*l.r.Float64(), 0.80+0.12*l.r.Float64()
			if l.r.IntN(5) > 0 {
				ol.skip = 0 // holds every required activity (the ledger has no gap)
			}
		case r >= 0.03:
			ol.profile, ol.skip, ol.presence = lagging, 0.20+0.30*l.r.Float64(), 0.60+0.20*l.r.Float64()
		default:
			ol.profile, ol.skip, ol.presence = paralysed, 0.30, 0.55+0.2*l.r.Float64()
			ol.cutoff = l.today.AddDate(0, -6-l.r.IntN(5), -l.r.IntN(28)).Unix()
		}
		l.orgs[o.ID] = ol
	}
}

// situations applies alerts.go's: orgs that fell silent or were dissolved
// hold nothing from then on; some orgs' attendance has dropped.
func (l *lifeGen) situations() {
	s := l.g.sit
	if s == nil {
		return
	}
	for id, cut := range s.fade {
		if ol := l.orgs[id]; ol != nil && (ol.profile != paralysed || cut < ol.cutoff) {
			ol.profile, ol.cutoff = paralysed, cut
		}
	}
	for id, p := range s.lowShare {
		if ol := l.orgs[id]; ol != nil {
			ol.low = p
		}
	}
}

// joint: about one branch in eight hosts a 联合主题党日 with 1–3 other
// branches under the same committee, in a past month; the co-hosts' own
// theme day of that month is the joint one.
func (l *lifeGen) joint() {
	for _, o := range l.g.orgs {
		ol := l.orgs[o.ID]
		if ol == nil || !isMemberHost(o.Type) || ol.profile != healthy || o.ParentID == nil || l.r.IntN(8) != 0 {
			continue
		}
		month := l.r.IntN(10)
		bit := uint16(1) << month
		if ol.covered&bit != 0 {
			continue
		}
		var cands []int64
		for _, s := range l.children[*o.ParentID] {
			so := l.orgs[s]
			if s != o.ID && so != nil && so.profile == healthy && isMemberHost(l.g.byID(s).Type) && so.covered&bit == 0 && so.jointMonth != month {
				cands = append(cands, s)
			}
		}
		if len(cands) == 0 {
			continue
		}
		n := min(1+l.r.IntN(3), len(cands))
		for k := 0; k < n; k++ {
			j := k + l.r.IntN(len(cands)-k)
			cands[k], cands[j] = cands[j], cands[k]
			l.orgs[cands[k]].covered |= bit
		}
		ol.jointMonth, ol.jointWith = month, slices.Clone(cands[:n])
	}
}

// at is a local time of the window's month i.
func (l *lifeGen) at(month, day, hour, minute int) time.Time {
	m := l.months[month]
	return time.Date(m.Year(), m.Month(), day, hour, minute, 0, 0, l.loc)
}

// org plans and records one org's year.
func (l *lifeGen) org(o *domain.PartyOrg, ol *orgLife) {
	r := l.r
	var items []item
	add := func(it item) { items = append(items, it) }
	roster := l.roster[o.ID]
	full := 0
	for _, id := range roster {
		if l.full[id-1] {
			full++
		}
	}
	quarterly := func(typ activity.ActivityType, hour int, dur time.Duration) {
		// One month of each calendar quarter that the window touches.
		for i := 0; i < len(l.months); {
			q := (int(l.months[i].Month()) - 1) / 3
			j := i
			for j < len(l.months) && (int(l.months[j].Month())-1)/3 == q {
				j++
			}
			mi := i + r.IntN(j-i)
			add(item{typ: typ, start: l.at(mi, 1+r.IntN(28), hour, 30*r.IntN(2)), dur: dur, month: mi})
			i = j
		}
	}
	if isMemberHost(o.Type) {
		for mi := range l.months {
			if ol.covered&(1<<mi) != 0 {
				continue
			}
			it := item{typ: activity.ThemeDay, start: l.at(mi, ol.themeDay, 14, 30), dur: 2*time.Hour + time.Duration(r.IntN(3))*30*time.Minute, month: mi}
			if r.IntN(2) == 0 {
				it.start = l.at(mi, ol.themeDay, 9, 0)
			}
			if r.IntN(5) == 0 {
				it.place = l.outings[r.IntN(len(l.outings))] + 1 // +1: set below
				it.dur = 4 * time.Hour
			}
			if mi == ol.jointMonth {
				it.typ, it.cohosts = activity.JointThemeDay, ol.jointWith
			} else if r.IntN(10) == 0 {
				it.open, it.capacity = true, int32(10+r.IntN(41))
			}
			add(it)
		}
		quarterly(activity.MembersMeeting, 15, 90*time.Minute)
		quarterly(activity.PartyLecture, 14, 2*time.Hour)
		if full >= activity.DefaultComplianceSettings().CommitteeMinFullMembers {
			for mi := range l.months {
				add(item{typ: activity.CommitteeMeeting, start: l.at(mi, 1+r.IntN(10), 17, 0), dur: time.Hour, month: mi})
			}
		}
		if len(roster) >= groupMinMembers {
			l.part.PartyGroups = append(l.part.PartyGroups, bulk.PartyGroups{PartyOrgID: o.ID, Groups: 2})
			// Its two groups meet the same day, recorded together.
			for mi := range l.months {
				add(item{typ: activity.GroupMeeting, start: l.at(mi, 1+r.IntN(28), 12, 30), dur: time.Hour, month: mi})
			}
		}
		// 组织生活会 and 民主评议党员 once a year, together, in December,
		// January or February (every month occurs once in the window).
		mi := l.monthIndex([]time.Month{time.December, time.January, time.February}[r.IntN(3)])
		day := 5 + r.IntN(20)
		add(item{typ: activity.LifeMeeting, start: l.at(mi, day, 9, 0), dur: 3 * time.Hour, month: mi})
		if o.Type != domain.TemporaryBranch { // 临时党支部 do not review their members
			add(item{typ: activity.MemberReview, start: l.at(mi, day, 14, 0), dur: 2 * time.Hour, month: mi})
		}
		// Optional activities.
		for k := 1 + r.IntN(2); k > 0; k-- {
			add(item{typ: activity.HeartTalk, start: l.at(r.IntN(12), 1+r.IntN(28), 16, 0), dur: 45 * time.Minute})
		}
		for k := r.IntN(4); k > 0; k-- {
			it := item{typ: activity.VolunteerService, start: l.at(r.IntN(12), 1+r.IntN(28), 9, 0), dur: 3 * time.Hour}
			if r.IntN(2) == 0 {
				it.place = l.outings[r.IntN(len(l.outings))] + 1
			}
			if r.IntN(10) == 0 {
				it.open, it.capacity = true, int32(10+r.IntN(41))
			}
			add(it)
		}
		for k := r.IntN(3); k > 0; k-- {
			add(item{typ: activity.QuestionSolving, start: l.at(r.IntN(12), 1+r.IntN(28), 15, 0), dur: 2 * time.Hour})
		}
		if r.IntN(5) == 0 {
			add(item{typ: activity.JointStudy, start: l.at(r.IntN(12), 1+r.IntN(28), 10, 0), dur: 2 * time.Hour})
		}
		if r.IntN(20) == 0 {
			add(item{typ: activity.GovEnterprise, start: l.at(r.IntN(12), 1+r.IntN(28), 10, 0), dur: 2 * time.Hour})
		}
	} else { // 党委, 党总支
		for mi := range l.months {
			add(item{typ: activity.CommitteeMeeting, start: l.at(mi, 1+r.IntN(10), 9, 30), dur: 90 * time.Minute, month: mi})
		}
		quarterly(activity.PartyLecture, 14, 2*time.Hour)
		mi := l.monthIndex([]time.Month{time.December, time.January, time.February}[r.IntN(3)])
		add(item{typ: activity.LifeMeeting, start: l.at(mi, 5+r.IntN(20), 9, 0), dur: 3 * time.Hour, month: mi})
	}
	for i := range items {
		if items[i].typ.Requirement() == "" {
			items[i].month = l.monthOf(items[i].start)
		}
	}
	items = l.decide(o, ol, items)
	slices.SortStableFunc(items, func(a, b item) int { return a.start.Compare(b.start) })
	for i := range items {
		l.emit(o, ol, &items[i])
	}
}

func (l *lifeGen) monthIndex(m time.Month) int {
	for i := 0; i < 12; i++ {
		if l.months[i].Month() == m {
			return i
		}
	}
	return 0
}

func (l *lifeGen) monthOf(t time.Time) int {
	for i := len(l.months) - 1; i >= 0; i-- {
		if !t.Before(l.months[i]) {
			return i
		}
	}
	return 0
}

// decide gives each item its status by its date and the org's profile, and
// drops the ones not held (or not planned) and those outside the window.
func (l *lifeGen) decide(o *domain.PartyOrg, ol *orgLife, items []item) []item {
	r := l.r
	founded, _ := domain.ParseDate(string(o.FoundedOn))
	horizon := l.today.AddDate(0, 0, 31)
	out := items[:0]
	var extra []item
	hasPlannedThemeDay := false
	for _, it := range items {
		switch {
		case it.start.Before(founded) || !it.start.Before(horizon):
			continue
		case it.start.Before(l.today):
			if ol.profile == paralysed && it.start.Unix() >= ol.cutoff {
				continue
			}
			if r.Float64() < ol.skip {
				continue
			}
			it.status = activity.ActivityHeld
			// An org without gaps cancels only optional activities.
			if r.IntN(40) == 0 && !l.demoOrgs[o.ID] && (ol.skip > 0 || it.typ.Requirement() == "") {
				it.status = activity.ActivityCancelled
				// A required one is mostly held a week later instead.
				if it.typ.Requirement() != "" && r.IntN(3) > 0 {
					if again := it; again.start.AddDate(0, 0, 7).Before(l.today) {
						again.start, again.status, again.cohosts = again.start.AddDate(0, 0, 7), activity.ActivityHeld, slices.Clone(it.cohosts)
						again.month = l.monthOf(again.start)
						extra = append(extra, again)
					}
				}
			}
		default:
			if ol.profile == paralysed || (ol.profile == lagging && r.IntN(10) < 4) {
				continue
			}
			it.status = activity.ActivityPlanned
			hasPlannedThemeDay = hasPlannedThemeDay || it.typ == activity.ThemeDay
		}
		it.variant = r.IntN(4)
		out = append(out, it)
	}
	out = append(out, extra...)
	if o.ID == l.branchID {
		// The demo's `branch` has an upcoming 主题党日, open to other orgs'
		// members (活动互认 in the demo).
		if !hasPlannedThemeDay {
			start := l.today.AddDate(0, 0, 3).Add(14*time.Hour + 30*time.Minute)
			out = append(out, item{typ: activity.ThemeDay, start: start, dur: 2 * time.Hour, month: l.monthOf(start), status: activity.ActivityPlanned})
		}
		for i := range out {
			if out[i].typ == activity.ThemeDay && out[i].status == activity.ActivityPlanned {
				out[i].open, out[i].capacity = true, 30
				break
			}
		}
	}
	return out
}

// emit records an item as an activity with its hosts and attendances.
func (l *lifeGen) emit(o *domain.PartyOrg, ol *orgLife, it *item) {
	id := l.nextAct
	l.nextAct++
	place := l.home[o.ID]
	if it.place > 0 {
		place = it.place - 1
	}
	a := bulk.LifeActivity{ID: id, PartyOrgID: o.ID, StartsAt: it.start.Unix(), EndsAt: it.start.Add(it.dur).Unix(), Type: it.typ,
		Status: it.status, Text: l.text(it), Place: place, Open: it.open}
	if it.open {
		a.Capacity = it.capacity
	}
	if it.typ.Requirement() == activity.ReqThemeDay {
		a.MonthlyThemeID = l.themeIDs[l.monthOf(it.start)]
	}
	l.part.Activities = append(l.part.Activities, a)
	for _, c := range it.cohosts {
		l.part.ActivityCoHosts = append(l.part.ActivityCoHosts, bulk.ActivityHost{ActivityID: id, PartyOrgID: c})
	}
	if it.status != activity.ActivityHeld {
		return
	}
	r := l.r
	roster := l.roster[o.ID]
	switch it.typ {
	case activity.LifeMeeting, activity.PartyLecture:
		if !isMemberHost(o.Type) {
			roster = l.committeeOf(o)
		}
	case activity.CommitteeMeeting, activity.GroupMeeting:
		// A 支委会 or 党小组会 is recorded with its minutes only (who came
		// is in them): per-member rows for them would add a quarter to the
		// city's attendances, which the ledger does not read.
		return
	case activity.HeartTalk:
		if len(roster) > 1 {
			roster = []int32{roster[0], roster[1+r.IntN(len(roster)-1)]}
		}
	}
	presence, leave := ol.presence, 0.5
	start := it.start.Unix()
	if ol.low > 0 && start >= l.lowFrom {
		presence, leave = ol.low, 0.1
	}
	if it.typ == activity.VolunteerService {
		presence *= 0.8
	}
	// Absences are marked by hand for a 支部党员大会 (its quorum); elsewhere
	// a member with no record was absent (AttendanceStatsOf).
	markAbsent := it.typ == activity.MembersMeeting
	// Leave is asked for (with its reason) for the formal meetings; who
	// missed a 主题党日 or a volunteer service simply has no record.
	formal := it.typ.Requirement() != "" && it.typ.Requirement() != activity.ReqThemeDay
	attend := func(roster []int32) {
		for _, m := range roster {
			at := bulk.LifeAttendance{ActivityID: int32(id), MemberID: m, MemberOrgID: int32(l.orgOf[m-1])}
			if l.quiet != nil && l.quiet[m-1] != 0 && start >= l.quiet[m-1] {
				// A member who no longer takes part: marked absent where
				// absences are marked, otherwise no record.
				if markAbsent {
					at.Kind, at.At, at.Method = kindAbsent, int32(it.dur/time.Second)+1800, manual
					l.part.Attendances = append(l.part.Attendances, at)
				}
				continue
			}
			switch p := r.Float64(); {
			case p < presence || l.demo[m] || it.typ == activity.HeartTalk:
				at.Kind, at.At = kindPresent, int32(-1200+r.IntN(1800))
				switch q := r.IntN(20); {
				case q < 15:
					at.Method = methodActivity
				case q < 17:
					at.Method = methodMember
				default:
					at.Method = manual
				}
			case formal && p < presence+(1-presence)*leave:
				at.Kind, at.At, at.Method = kindLeave, int32(-3600*(2+r.IntN(46))), manual
				at.Reason = uint8(1 + r.IntN(len(leaveReasons)))
			case markAbsent:
				at.Kind, at.At, at.Method = kindAbsent, int32(it.dur/time.Second)+1800, manual
			default:
				continue
			}
			l.part.Attendances = append(l.part.Attendances, at)
		}
	}
	attend(roster)
	for _, c := range it.cohosts {
		attend(l.roster[c])
	}
	if it.open && len(l.guestPool) > 0 {
		// Guests from other orgs (活动互认): counted for their own org.
		n := min(1+r.IntN(5), int(it.capacity))
		for k, tries := 0, 0; k < n && tries < 50; tries++ {
			m := l.guestPool[r.IntN(len(l.guestPool))]
			org := l.orgOf[m-1]
			if org == o.ID || slices.Contains(it.cohosts, org) || l.attended(m) {
				continue
			}
			l.part.Attendances = append(l.part.Attendances, bulk.LifeAttendance{ActivityID: int32(id), MemberID: m, MemberOrgID: int32(org),
				Kind: kindPresent, Method: methodActivity, Recognized: true, At: int32(-600 + r.IntN(1200))})
			k++
		}
	}
}

// attended: whether m already has an attendance at the activity being
// emitted (the last rows of Attendances).
func (l *lifeGen) attended(m int32) bool {
	att := l.part.Attendances
	id := l.nextAct - 1
	for i := len(att) - 1; i >= 0 && int64(att[i].ActivityID) == id; i-- {
		if att[i].MemberID == m {
			return true
		}
	}
	return false
}

// committeeOf: the 委员 of a 党委 or 党总支, full members of its branches
// (one or two of each), five to seven of them.
func (l *lifeGen) committeeOf(o *domain.PartyOrg) []int32 {
	var out []int32
	for round := 0; round < 2 && len(out) < 7; round++ {
		for _, c := range l.children[o.ID] {
			ms := l.roster[c]
			if round < len(ms) && len(out) < 7 && l.full[ms[round]-1] {
				out = append(out, ms[round])
			}
		}
	}
	return out
}

// text returns the index of the item's shared text.
func (l *lifeGen) text(it *item) int32 {
	k := textKey{typ: it.typ, month: it.month, group: it.group, variant: it.variant, status: it.status}
	if k.typ.Requirement() == "" {
		k.month = -1 // titles without the month; variant varies the topic
	}
	if i, ok := l.textOf[k]; ok {
		return i
	}
	l.part.ActivityTexts = append(l.part.ActivityTexts, l.makeText(k))
	i := l.nTexts
	l.nTexts++
	l.textOf[k] = i
	return i
}

var quarterNames = []string{"第一季度", "第二季度", "第三季度", "第四季度"}

func (l *lifeGen) makeText(k textKey) bulk.ActivityText {
	var t bulk.ActivityText
	var m time.Time
	var ym, theme string
	if k.month >= 0 {
		m = l.months[k.month]
		ym = fmt.Sprintf("%d年%d月", m.Year(), m.Month())
		theme = l.themeList[k.month].Title
	}
	v := k.variant
	// Short texts: at city scale they are a million rows.
	switch k.typ {
	case activity.ThemeDay, activity.JointThemeDay:
		t.Title = ym + "主题党日：" + theme
		if k.typ == activity.JointThemeDay {
			t.Title = ym + "联合主题党日：" + theme
		}
		act := []string{"开展志愿服务", "重温入党誓词", "参观红色教育基地", "民主议事"}[v]
		t.Agenda = "集中学习；交流发言；" + act
		t.Minutes = "书记主持，集中学习本月主题，党员交流体会，随后" + act + "。"
	case activity.MembersMeeting:
		q := (int(m.Month()) - 1) / 3
		t.Title = fmt.Sprintf("%d年%s支部党员大会", m.Year(), quarterNames[q])
		t.Agenda = "传达上级精神；支委会报告工作；" + []string{"讨论发展对象", "通报党费收缴", "审议工作计划", "推荐优秀党员"}[v]
		t.Minutes = "书记主持，到会有表决权党员过半数。听取支委会工作报告，" + []string{"讨论发展对象", "通报党费收缴使用", "审议下季度计划", "推荐优秀党员"}[v] + "。"
		t.Resolutions = []string{"同意列2名积极分子为发展对象", "党费收缴使用情况予以公示", "通过下季度工作计划", "推荐1名优秀党员候选人"}[v]
	case activity.CommitteeMeeting:
		t.Title = ym + "支委会"
		t.Minutes = "书记主持，委员到会过半数。研究本月重点工作和" + []string{"主题党日安排", "党员发展", "困难党员帮扶", "党费收缴"}[v] + "，明确分工。"
	case activity.GroupMeeting:
		t.Title = ym + "党小组会（第一、第二党小组）"
		t.Minutes = "各党小组同时召开，组长主持，学习本月内容，组员交流思想工作情况。"
	case activity.PartyLecture:
		topic := lectureTopics[(k.month*4+v)%len(lectureTopics)]
		t.Title, t.Theme = "党课："+topic, topic
		t.Minutes = "书记讲授专题党课，党员交流学习体会。"
	case activity.LifeMeeting:
		year := m.Year()
		if m.Month() != time.December {
			year--
		}
		t.Title = fmt.Sprintf("%d年度组织生活会", year)
		t.Agenda = "通报整改情况；班子和个人对照检查；批评和自我批评"
		t.Minutes = "会前谈心谈话、征求意见；会上逐一对照检查，开展批评和自我批评，明确整改措施。"
	case activity.MemberReview:
		year := m.Year()
		if m.Month() != time.December {
			year--
		}
		t.Title = fmt.Sprintf("%d年度民主评议党员", year)
		t.Agenda = "个人自评；党员互评；民主测评；提出评定意见"
		t.Minutes = "按自评、互评、测评程序开展，支委会提出评定意见。"
		t.Resolutions = "评定优秀党员若干名，其余为合格。"
	case activity.HeartTalk:
		t.Title = "谈心谈话"
		t.Minutes = "书记与党员谈心，" + []string{"听取对支部工作的意见", "交流岗位成长打算", "了解家庭困难", "提醒按时参加组织生活"}[v] + "。"
	case activity.VolunteerService:
		work := volunteerWork[(v*3+k.group)%len(volunteerWork)]
		t.Title, t.Theme = "志愿服务："+work, work
		t.Minutes = "党员志愿者亮身份开展" + work + "，服务群众。"
	case activity.QuestionSolving:
		q := questions[v%len(questions)]
		t.Title = "党员出题·支部定题·党群破题：" + q[0]
		t.Question, t.Decision = q[0], q[1]
		t.Minutes = "党员出题，支部研究定题，党员群众共同破题。"
		if k.status == activity.ActivityHeld {
			t.Outcome = q[2]
		}
	case activity.JointStudy:
		topic := jointStudyTopics[v%len(jointStudyTopics)]
		t.Title, t.Theme = "共同学习："+topic, topic
		t.Minutes = "支部与企业管理层共同学习，交流党建与经营融合。"
	case activity.GovEnterprise:
		topic := govEnterpriseTopics[v%len(govEnterpriseTopics)]
		t.Title, t.Theme = "政企互动："+topic, topic
		t.Minutes = "街道和有关部门解读惠企政策，收集企业诉求。"
	}
	switch k.status {
	case activity.ActivityPlanned:
		t.Minutes, t.Resolutions, t.Outcome = "", "", ""
		if k.typ == activity.QuestionSolving {
			t.Decision = ""
		}
	case activity.ActivityCancelled:
		t.Minutes, t.Resolutions, t.Outcome = "", "", ""
		t.CancelReason = cancelReasons[v%len(cancelReasons)]
	}
	t.Title = strings.TrimSpace(t.Title)
	return t
}
