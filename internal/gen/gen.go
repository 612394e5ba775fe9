// Package gen generates deterministic synthetic data for demos, tests and
// benchmarks: the same seed and scale always give the same data. It builds
// the city 两新工委, one work committee per district-level unit, industry
// and area committees, grassroots Party orgs of every type, zones and users;
// then every alert rule's situation at a realistic rate (secretaries and
// their filings, terms and elections, vacant posts, overdue terms, sizes,
// dead registrations, dissolved orgs with members: alerts.go, where the
// rates are listed) and a year of organizational life (life.go).
//
// Stream hands the data on in parts as it is made (the base, then the year
// in parts), so that `lianxin gen --scale city` never holds the city;
// Generate keeps the whole in memory for tests and small scales.
package gen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/account"
	"github.com/lianxin/lianxin/internal/store/accounts"
	"github.com/lianxin/lianxin/internal/store/bulk"
)

// Scale is the size of a generated dataset.
type Scale string

// Scales.
const (
	Small    Scale = "small"    // every district, a few dozen orgs each: tests and quick demos
	District Scale = "district" // 锦江区 at full size (≈1,100 orgs), the rest small
	City     Scale = "city"     // the whole city at full size (≈25,000 orgs, DESIGN §8)
)

// ParseScale checks a --scale value.
func ParseScale(s string) (Scale, error) {
	switch Scale(s) {
	case Small, District, City:
		return Scale(s), nil
	}
	return "", fmt.Errorf("--scale 只能是 small、district 或 city")
}

// Options control a generation.
type Options struct {
	Scale Scale
	Seed  uint64
	// Today anchors founding dates and terms, so that the same seed gives the
	// same data whatever day it runs (pass the clock's date).
	Today time.Time
	// PasswordHash is set on every generated account (hashed once: hashing
	// hundreds of passwords with argon2id would dominate generation time).
	PasswordHash string
	// LifePart is how many attendances a part of the year holds before it
	// is handed on (0: 200,000). The data is the same whatever the size.
	LifePart int
}

// Account is a generated login, reported to the person running the demo.
type Account struct {
	Username, DisplayName, Role, Scope string
	// Phone is a member account's phone number, which members log in with.
	Phone string
}

// Result is the generated dataset plus the accounts made.
type Result struct {
	bulk.Dataset
	Accounts []Account
}

// Sink receives a generated dataset in order: its base once, then the year
// of organizational life in parts of whole Party orgs. bulk.Writer is one.
type Sink interface {
	Base(bulk.Base) error
	Life(bulk.Life) error
}

// Summary is what Stream made: the accounts and the sizes.
type Summary struct {
	Accounts                                        []Account
	PartyOrgs, Organizations, Members, Zones, Users int
	Activities, Attendances                         int
}

type generator struct {
	rnd      *rand.Rand
	opt      Options
	nextID   int64
	orgs     []domain.PartyOrg
	regions  []domain.Region
	zones    []domain.Zone
	users    []accounts.NewUser
	accounts []Account
	names    map[int64]map[string]bool // sibling names in use, per parent

	organizations []domain.Organization
	members       []domain.Member
	covers        []bulk.Cover
	assignments   []domain.CoverageAssignment
	employerOf    map[int64]int64 // Party org → the organization its members work for
	usccSeen      map[string]bool
	idSeen        map[string]bool
	// campaign draws the covering links that began during the last half
	// year, from its own stream so that the rest of the data stays as it was.
	campaign *rand.Rand
	// sit: the situations of the alert rules (alerts.go).
	sit *situations
	// chainParties: each chain's 产业链党委 (traits.go).
	chainParties map[string]int64
}

// perUnit is how many grassroots orgs each district-level unit gets.
func (g *generator) perUnit(code string) int {
	switch g.opt.Scale {
	case City:
		return 1066 // plus ≈20 committees: ≈1,086 per unit, ≈25,000 in all
	case District:
		if code == "510104" {
			return 1000
		}
	}
	return 12
}

// Generate builds a dataset in memory. It does not touch any database.
func Generate(opt Options) Result {
	var c collector
	sum, err := Stream(opt, &c)
	if err != nil {
		panic(err) // the collector takes everything
	}
	return Result{Dataset: c.ds, Accounts: sum.Accounts}
}

// collector keeps every part: the whole dataset.
type collector struct{ ds bulk.Dataset }

func (c *collector) Base(b bulk.Base) error {
	c.ds.Base = b
	return nil
}

func (c *collector) Life(p bulk.Life) error {
	l := &c.ds.Life
	l.Activities = append(l.Activities, p.Activities...)
	l.ActivityTexts = append(l.ActivityTexts, p.ActivityTexts...)
	l.ActivityPlaces = append(l.ActivityPlaces, p.ActivityPlaces...)
	l.ActivityCoHosts = append(l.ActivityCoHosts, p.ActivityCoHosts...)
	l.Attendances = append(l.Attendances, p.Attendances...)
	l.AttendanceReasons = append(l.AttendanceReasons, p.AttendanceReasons...)
	l.PartyGroups = append(l.PartyGroups, p.PartyGroups...)
	return nil
}

// Stream generates a dataset into sink: the same data as Generate, handed
// on as it is made. It holds the registry while drawing it (every
// situation is drawn over the whole city), hands it on as the base and
// lets it go; then it makes the year of organizational life, the bulk of
// the rows, a part at a time. Nothing is handed on after an error.
func Stream(opt Options, sink Sink) (Summary, error) {
	g := &generator{rnd: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)), opt: opt, nextID: 1, names: map[int64]map[string]bool{},
		employerOf: map[int64]int64{}, usccSeen: map[string]bool{}, idSeen: map[string]bool{},
		campaign: rand.New(rand.NewPCG(opt.Seed^0xc0ffee, opt.Seed))}
	g.build()
	for i := range g.zones {
		g.zones[i].ID = int64(i + 1)
	}
	g.traits()
	g.situate()
	// A year of organizational life, from its own random stream (life.go):
	// what it is planned from is drawn now, for its accounts join the base.
	l := g.newLife()
	g.chainCommittees()
	sum := Summary{Accounts: append(g.accounts, l.accounts...), PartyOrgs: len(g.orgs), Organizations: len(g.organizations),
		Members: len(g.members), Zones: len(g.zones), Users: len(g.users) + len(l.users)}
	// Handed on without a copy kept here, so that the sink may let go of
	// each table once written (bulk.Writer does).
	if err := sink.Base(g.takeBase(l)); err != nil {
		return sum, err
	}
	err := l.stream(sink.Life, &sum)
	return sum, err
}

// takeBase gives up the base: the registry's records and the draws'
// bookkeeping are the generator's no longer (the Party orgs stay, the year
// is made org by org).
func (g *generator) takeBase(l *lifeGen) bulk.Base {
	s := g.sit
	b := bulk.Base{Regions: g.regions, PartyOrgs: g.orgs, Zones: g.zones, Users: append(g.users, l.users...),
		Organizations: g.organizations, Members: g.members, Covers: g.covers, Assignments: g.assignments,
		SecretaryFilings: s.filings, Elections: s.elections, Terms: s.terms, TermChanges: s.changes,
		MonthlyThemes: l.themeList, MemberLinks: l.links, ChainParties: g.chainParties,
		// Synthetic accounts share one known password and log in with it
		// alone: no role requires a second factor (a real deployment's
		// default does).
		SecondFactor: &account.SecondFactorSettings{RequiredRoles: []domain.Role{}}}
	g.organizations, g.members, g.covers, g.assignments = nil, nil, nil, nil
	g.names, g.employerOf, g.usccSeen, g.idSeen = nil, nil, nil, nil
	g.regions, g.zones, g.users = nil, nil, nil
	s.filings, s.elections, s.terms, s.changes = nil, nil, nil, nil
	s.full, s.children, s.subFull = nil, nil, nil
	l.users, l.links = nil, nil
	return b
}

func (g *generator) pick(list []string) string { return list[g.rnd.IntN(len(list))] }

func (g *generator) personName() string {
	n := g.pick(surnames) + g.pick(givenChars)
	if g.rnd.IntN(3) > 0 {
		n += g.pick(givenChars)
	}
	return n
}

// add appends a node under parent with a name unique among its siblings.
func (g *generator) add(parent *domain.PartyOrg, name string, typ domain.PartyOrgType, region string) *domain.PartyOrg {
	var pid int64
	if parent != nil {
		pid = parent.ID
	}
	if g.names[pid] == nil {
		g.names[pid] = map[string]bool{}
	}
	base := name
	for i := 2; g.names[pid][name]; i++ {
		name = strings.Replace(base, "党", "第"+strconv.Itoa(i)+"党", 1)
	}
	g.names[pid][name] = true
	o := domain.PartyOrg{ID: g.nextID, Name: name, Type: typ, Region: region, Status: domain.StatusActive, Version: 1}
	g.nextID++
	if parent != nil {
		o.ParentID = &parent.ID
		o.Path, o.Depth = parent.Path+strconv.FormatInt(o.ID, 10)+"/", parent.Depth+1
	} else {
		o.Path = "/" + strconv.FormatInt(o.ID, 10) + "/"
	}
	g.dates(&o)
	g.orgs = append(g.orgs, o)
	return &g.orgs[len(g.orgs)-1]
}

// dates sets a founding date and, for types with terms, a current term that
// started 0–6 years ago: some terms are overdue, as in real data.
func (g *generator) dates(o *domain.PartyOrg) {
	today := g.opt.Today
	founded := today.AddDate(-1-g.rnd.IntN(15), -g.rnd.IntN(12), -g.rnd.IntN(28))
	o.FoundedOn = domain.Date(founded.Format(domain.DateLayout))
	info, _ := o.Type.Info()
	o.TermYears = info.DefaultTermYears
	if o.TermYears == 0 {
		return
	}
	start := today.AddDate(-g.rnd.IntN(o.TermYears+2), -g.rnd.IntN(12), -g.rnd.IntN(28))
	if start.Before(founded) {
		start = founded
	}
	o.TermStart = domain.Date(start.Format(domain.DateLayout))
	o.TermEnd = domain.Date(domain.AddYears(start, o.TermYears).Format(domain.DateLayout))
	o.SecretaryName = g.personName()
}

func (g *generator) user(username, display string, role domain.Role, org *domain.PartyOrg, extra ...domain.Role) {
	roles := append([]domain.Role{role}, extra...)
	names := role.Name()
	for _, r := range extra {
		names += "、" + r.Name()
	}
	g.users = append(g.users, accounts.NewUser{Username: username, DisplayName: display, PartyOrgID: org.ID, Roles: roles, PasswordHash: g.opt.PasswordHash})
	g.accounts = append(g.accounts, Account{Username: username, DisplayName: display, Role: names, Scope: org.Name})
}

func (g *generator) build() {
	city := g.add(nil, "中共成都市委两新工委", domain.WorkCommittee, domain.ChengduCode)
	city.SecretaryName = g.personName()
	g.user("admin", "系统管理员", domain.RoleSysAdmin, city)
	g.user("secadmin", "安全管理员", domain.RoleSecAdmin, city)
	g.user("auditor", "审计管理员", domain.RoleAuditor, city)
	g.user("city", g.personName(), domain.RoleCityStaff, city)
	cityID := city.ID

	units := append(append([]domain.Region{}, domain.ChengduDistricts...), domain.ChengduFunctionalZones...)
	streetSeq := map[string]int{}
	for i, u := range units {
		parent := g.byID(cityID)
		var wcName string
		if strings.HasPrefix(u.Code, "510100-") {
			wcName = "中共" + u.Name + "两新工委"
		} else {
			wcName = "中共成都市" + u.Name + "委两新工委"
		}
		wc := g.add(parent, wcName, domain.WorkCommittee, u.Code)
		wcID := wc.ID
		g.user(districtUsers[i], g.personName(), domain.RoleDistrictStaff, wc)
		if u.Code == "510104" {
			// The demo's account that may see personal data in plain text.
			g.user("jinjiang.pii", g.personName(), domain.RoleDistrictStaff, g.byID(wcID), domain.RolePIIViewer, domain.RolePIIExporter)
		}

		streets := g.streets(u, streetSeq)
		committees := g.committees(wcID, u, streets)
		g.grassroots(u, committees, streets)
		// Staff of one committee and of one grassroots org in every unit; in
		// 锦江区 they are the demo's `committee` and `branch` accounts.
		committeeUser, branchUser := districtUsers[i]+".committee", districtUsers[i]+".branch"
		if u.Code == "510104" {
			committeeUser, branchUser = "committee", "branch"
		}
		for k := len(g.orgs) - 1; k >= 0; k-- {
			if g.orgs[k].Type == domain.Branch && strings.HasPrefix(g.orgs[k].Path, g.byID(wcID).Path) {
				g.user(branchUser, g.personName(), domain.RoleOrgStaff, &g.orgs[k])
				break
			}
		}
		for _, c := range committees {
			if g.byID(c).Type == domain.IndustryCommittee {
				g.user(committeeUser, g.personName(), domain.RoleCommitteeStaff, g.byID(c))
				break
			}
		}
	}
}

func (g *generator) byID(id int64) *domain.PartyOrg { return &g.orgs[id-1] }

// streets returns the street codes a district-level unit's data uses,
// creating them: a district's own streets where they are known (锦江区's,
// all of them as regions, the data using some), neutral names elsewhere
// ("青羊第一街道": never another place's real name), and for a functional
// zone the streets it administers, under their legal districts. The random
// draws are the same whatever the names, so the rest of the city is.
func (g *generator) streets(u domain.Region, seq map[string]int) []string {
	var codes []string
	mk := func(district, code, name, fz string) {
		seq[district]++
		if code == "" {
			code = district + fmt.Sprintf("%03d", seq[district])
		}
		sort, _ := strconv.Atoi(code[len(code)-3:])
		g.regions = append(g.regions, domain.Region{Code: code, Name: name, Level: domain.LevelStreet, Parent: district, FunctionalZone: fz, Sort: sort})
		codes = append(codes, code)
	}
	if groups, ok := domain.FunctionalZoneStreets[u.Code]; ok {
		for _, grp := range groups {
			for _, n := range grp.Names {
				mk(grp.District, "", n, u.Code)
			}
		}
		return codes
	}
	n := 4 + g.rnd.IntN(4)
	used := map[string]bool{}
	for len(used) < n {
		used[g.pick(streetWords)] = true // the draws of before: the data after stays as it was
	}
	if known := domain.KnownStreets[u.Code]; len(known) > 0 {
		for _, st := range known {
			mk(u.Code, st.Code, st.Name, "")
		}
		// Every street is a region; the generated data lies in the first n.
		return codes[:min(n, len(codes))]
	}
	short := strings.TrimRight(u.Name, "区县市")
	for i := 0; i < n; i++ {
		mk(u.Code, "", short+ordinals[i]+"街道", "")
	}
	return codes
}

// ordinals name a district's neutral streets.
var ordinals = []string{"第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八", "第九", "第十"}

// committees adds the unit's industry committees, area committees for its
// zones and one per street, and returns their ids.
func (g *generator) committees(wcID int64, u domain.Region, streets []string) []int64 {
	var ids []int64
	nInd := 3
	if g.opt.Scale == City || (g.opt.Scale == District && u.Code == "510104") {
		nInd = len(industryCommittees)
	}
	for _, n := range industryCommittees[:nInd] {
		c := g.add(g.byID(wcID), u.Name+n, domain.IndustryCommittee, u.Code)
		ids = append(ids, c.ID)
	}
	for _, n := range areaCommittees {
		c := g.add(g.byID(wcID), u.Name+n, domain.AreaCommittee, u.Code)
		ids = append(ids, c.ID)
		kind := map[string]string{"商务楼宇综合党委": "building", "产业园区综合党委": "park", "专业市场综合党委": "market", "商圈综合党委": "complex"}[n]
		if kind != "" {
			for k := 0; k < 2; k++ {
				street := streets[g.rnd.IntN(len(streets))]
				g.zones = append(g.zones, domain.Zone{Name: g.pick(tradeChars) + g.pick(zoneWords[kind]), Kind: kind, Region: street, PartyOrgID: c.ID,
					Address: "成都市" + u.Name + g.pick(streetWords) + "路" + strconv.Itoa(1+g.rnd.IntN(300)) + "号"})
			}
		}
	}
	jc := g.add(g.byID(wcID), u.Name+"小微企业联合党委", domain.JointCommittee, u.Code)
	ids = append(ids, jc.ID)
	for _, st := range streets {
		name := g.streetName(st)
		c := g.add(g.byID(wcID), name+"综合党委", domain.AreaCommittee, st)
		ids = append(ids, c.ID)
	}
	g.dedupeZones()
	return ids
}

func (g *generator) streetName(code string) string {
	for _, r := range g.regions {
		if r.Code == code {
			return r.Name
		}
	}
	return code
}

func (g *generator) dedupeZones() {
	seen := map[string]bool{}
	out := g.zones[:0]
	for _, z := range g.zones {
		k := z.Region + "|" + z.Name
		if !seen[k] {
			seen[k] = true
			out = append(out, z)
		}
	}
	g.zones = out
}

// grassroots adds the unit's grassroots orgs under its committees: mostly
// branches, with enterprise committees and general branches that have
// branches of their own, joint branches, mobile and temporary branches.
func (g *generator) grassroots(u domain.Region, committees []int64, streets []string) {
	target := g.perUnit(u.Code)
	made := 0
	for made < target {
		parent := g.byID(committees[g.rnd.IntN(len(committees))])
		parentID := parent.ID
		region := parent.Region
		if region == u.Code {
			region = streets[g.rnd.IntN(len(streets))]
		}
		org := g.orgName(parent)
		switch r := g.rnd.IntN(100); {
		case r < 6: // an enterprise Party committee with branches (platform companies extend into units)
			c := g.add(parent, org+"党委", domain.Committee, region)
			cid := c.ID
			g.ownOrganization(cid, org, region, parentID, 300+g.rnd.IntN(3000))
			made++
			for k := 0; k < 2+g.rnd.IntN(4) && made < target; k++ {
				b := g.add(g.byID(cid), g.pick([]string{"研发中心", "运营中心", "市场部", "第一项目部", "第二项目部", "华西分公司", "客服中心"})+"党支部", domain.Branch, region)
				g.employerOf[b.ID] = g.employerOf[cid]
				g.membersOf(b.ID, region)
				made++
			}
		case r < 12:
			gb := g.add(parent, org+"党总支", domain.GeneralBranch, region)
			gid := gb.ID
			g.ownOrganization(gid, org, region, parentID, 100+g.rnd.IntN(500))
			made++
			for k := 0; k < 2+g.rnd.IntN(3) && made < target; k++ {
				b := g.add(g.byID(gid), "第"+strconv.Itoa(k+1)+"党支部", domain.Branch, region)
				g.employerOf[b.ID] = g.employerOf[gid]
				g.membersOf(b.ID, region)
				made++
			}
		case r < 24:
			jb := g.add(parent, g.pick(tradeChars)+g.pick([]string{"片区", "楼宇", "园区", "商圈"})+"联合党支部", domain.JointBranch, region)
			jid := jb.ID
			for k := 0; k < 2+g.rnd.IntN(4); k++ {
				oid := g.organization(g.orgName(parent), region, parentID, 3+g.rnd.IntN(40))
				g.covers = append(g.covers, bulk.Cover{PartyOrgID: jid, OrganizationID: oid, Since: g.linkSince(jid)})
				if k == 0 {
					g.employerOf[jid] = oid
				}
			}
			g.membersOf(jid, region)
			made++
		case r < 27:
			b := g.add(parent, org+"流动党员党支部", domain.MobileBranch, region)
			bid := b.ID
			g.ownOrganization(bid, org, region, parentID, 50+g.rnd.IntN(2000))
			g.membersOf(bid, region)
			made++
		case r < 29:
			b := g.add(parent, org+"项目临时党支部", domain.TemporaryBranch, region)
			bid := b.ID
			g.ownOrganization(bid, org, region, parentID, 30+g.rnd.IntN(300))
			g.membersOf(bid, region)
			made++
		default:
			b := g.add(parent, org+"党支部", domain.Branch, region)
			bid := b.ID
			g.ownOrganization(bid, org, region, parentID, 3+g.rnd.IntN(500))
			g.membersOf(bid, region)
			made++
		}
	}
	// Most organizations have no Party org: DESIGN §8 has 200,000
	// organizations to 25,000 Party orgs, ≈7.2 without one per grassroots org.
	g.uncovered(u, committees, streets, target*72/10)
}

// orgName is the name of the organization a grassroots Party org sits in:
// an enterprise for industry committees, a social org for the social-org
// committee, either elsewhere.
func (g *generator) orgName(parent *domain.PartyOrg) string {
	prefix := "成都"
	if g.rnd.IntN(3) == 0 {
		prefix = "四川"
	}
	if strings.Contains(parent.Name, "社会组织") || strings.Contains(parent.Name, "律师") || strings.Contains(parent.Name, "会计师") || g.rnd.IntN(5) == 0 {
		return prefix + g.pick(tradeChars) + g.pick(socialOrgKinds)
	}
	return prefix + g.pick(tradeChars) + g.pick(tradeChars)[:3] + g.pick(enterpriseKinds)
}

// ownOrganization registers the organization a 单独组建 Party org sits in.
func (g *generator) ownOrganization(partyOrgID int64, name, region string, manager int64, employees int) {
	oid := g.organization(name, region, manager, employees)
	g.covers = append(g.covers, bulk.Cover{PartyOrgID: partyOrgID, OrganizationID: oid, Since: g.linkSince(partyOrgID)})
	g.employerOf[partyOrgID] = oid
}

// linkSince is when a Party org began to cover an organization: mostly its
// founding, but one link in six began during the last 180 days (the
// campaign at work), so that the demo's burndown, recomputed from these
// dates, declines as a real one would. This is simulated history.
func (g *generator) linkSince(partyOrgID int64) domain.Date {
	founded := g.byID(partyOrgID).FoundedOn
	if g.campaign.IntN(6) > 0 {
		return founded
	}
	d := domain.Date(g.opt.Today.AddDate(0, 0, -g.campaign.IntN(180)).Format(domain.DateLayout))
	if d < founded {
		return founded
	}
	return d
}

// uncovered adds organizations with no Party org; some have an instructor
// or liaison (work coverage). Most are small (under 50 employees, outside
// the default campaign target); of the targeted ones the campaign has
// reached a share that differs by district (progress), so that about 70% of
// the targeted organizations are covered city-wide, unevenly (issue 3 §7).
func (g *generator) uncovered(u domain.Region, committees []int64, streets []string, n int) {
	progress := 0.35 + 0.4*g.campaign.Float64()
	for i := 0; i < n; i++ {
		street := streets[g.rnd.IntN(len(streets))]
		manager := committees[g.rnd.IntN(len(committees))]
		// The 属地 manager is the street's committee where there is one.
		for _, c := range committees {
			if g.byID(c).Region == street {
				manager = c
				break
			}
		}
		oid := g.organization(g.orgName(g.byID(manager)), street, manager, mostlySmall(g.rnd.IntN(120)))
		current := false
		if g.rnd.IntN(10) == 0 {
			from := g.opt.Today.AddDate(0, -g.rnd.IntN(36), -g.rnd.IntN(28))
			a := domain.CoverageAssignment{OrganizationID: oid, Person: g.personName(), Role: "instructor", From: domain.Date(from.Format(domain.DateLayout))}
			if g.rnd.IntN(3) == 0 {
				a.Role = "liaison"
			}
			if g.rnd.IntN(5) == 0 { // an assignment that has ended
				a.To = domain.Date(from.AddDate(0, 6, 0).Format(domain.DateLayout))
			}
			current = a.To == ""
			g.assignments = append(g.assignments, a)
		}
		o := g.organizations[len(g.organizations)-1]
		if !current && domain.DefaultCoverageTarget.InScope(o) && g.campaign.Float64() < progress {
			g.assignments = append(g.assignments, g.campaignAssignment(oid))
		}
		if industries := g.industryCommittees(committees); len(industries) > 0 && g.rnd.IntN(3) == 0 {
			id := industries[g.rnd.IntN(len(industries))]
			g.organizations[len(g.organizations)-1].IndustryManagerID = &id
		}
	}
}

// mostlySmall maps a draw in [0, 120) to an employee count: five in six
// organizations have 1–49 employees, the rest 50–335.
func mostlySmall(v int) int {
	if v < 100 {
		return 1 + v*49/100
	}
	return 50 + (v-100)*15
}

// campaignAssignment is an instructor or liaison the 动态清零 campaign sent
// to a targeted organization: within the last three years, one in four
// within the last 180 days (the demo's burndown). Drawn from the campaign
// stream so that the rest of the data does not shift.
func (g *generator) campaignAssignment(oid int64) domain.CoverageAssignment {
	days := 180 + g.campaign.IntN(900)
	if g.campaign.IntN(4) == 0 {
		days = g.campaign.IntN(180)
	}
	r := g.campaign
	a := domain.CoverageAssignment{OrganizationID: oid, Role: "instructor",
		Person: surnames[r.IntN(len(surnames))] + givenChars[r.IntN(len(givenChars))] + givenChars[r.IntN(len(givenChars))],
		From:   domain.Date(g.opt.Today.AddDate(0, 0, -days).Format(domain.DateLayout))}
	if r.IntN(3) == 0 {
		a.Role = "liaison"
	}
	return a
}

func (g *generator) industryCommittees(committees []int64) []int64 {
	var out []int64
	for _, c := range committees {
		if g.byID(c).Type == domain.IndustryCommittee {
			out = append(out, c)
		}
	}
	return out
}

var industrySections = []string{"C", "F", "G", "I", "L", "M", "R", "H", "K", "E", "O", "P", "Q"}

// organization adds a 两新组织 and returns its id. Its kind follows its name:
// names from the social-org list register with civil affairs (51/52).
func (g *generator) organization(name, region string, manager int64, employees int) int64 {
	district := region
	if len(district) > 6 {
		district = district[:6]
	}
	if len(district) != 6 || district[0] < '0' || district[0] > '9' { // a functional zone's own code
		district = "510100"
	}
	deptCat := "91"
	for _, k := range socialOrgKinds {
		if strings.HasSuffix(name, k) {
			deptCat = "52"
			if strings.HasSuffix(k, "协会") || strings.HasSuffix(k, "商会") {
				deptCat = "51"
			}
		}
	}
	if deptCat == "91" && employees < 10 && g.rnd.IntN(3) == 0 {
		deptCat = "92" // 个体工商户 (小个专)
	}
	var code string
	for code == "" || g.usccSeen[code] {
		body := make([]byte, 8)
		for i := range body {
			body[i] = usccChars[g.rnd.IntN(len(usccChars))]
		}
		code = domain.MakeUSCC(deptCat, district, string(body))
	}
	g.usccSeen[code] = true
	u, _ := domain.ParseUSCC(code, nil)
	o := domain.Organization{
		ID: int64(len(g.organizations) + 1), USCC: code, Kind: u.Kind, Subtype: u.Subtype, Name: name,
		LegalRepresentative: g.personName(), FounderName: g.personName(), FounderIsMember: g.rnd.IntN(5) == 0,
		RegisteredOn: domain.Date(g.opt.Today.AddDate(-1-g.rnd.IntN(20), -g.rnd.IntN(12), -g.rnd.IntN(28)).Format(domain.DateLayout)),
		Status:       domain.OrgActive, Region: region, Industry: industrySections[g.rnd.IntN(len(industrySections))],
		Address:   "成都市" + g.pick(streetWords) + "路" + strconv.Itoa(1+g.rnd.IntN(500)) + "号",
		Employees: &employees, EmployeeBand: domain.EmployeeBandOf(employees), Flags: []string{},
		AreaManagerID: manager, CharterIncludesParty: g.rnd.IntN(3) == 0, CrossAppointment: g.rnd.IntN(4) == 0,
		SecretaryIsHead: g.rnd.IntN(6) == 0, UnionEstablished: g.rnd.IntN(2) == 0,
	}
	if r := g.rnd.IntN(100); r < 4 {
		o.Status = domain.OrgDeregistered
	} else if r < 7 {
		o.Status = domain.OrgAbnormal
	}
	if employees >= 300 {
		o.Flags = append(o.Flags, "above_scale")
	}
	if g.rnd.IntN(40) == 0 {
		o.Flags = append(o.Flags, "specialized")
	}
	g.organizations = append(g.organizations, o)
	return o.ID
}

const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// membersOf adds the members of a grassroots Party org (9–18, ≈300,000 at
// city scale as in DESIGN §8), working for the organization it sits in.
func (g *generator) membersOf(partyOrgID int64, region string) {
	g.addMembers(partyOrgID, region, 9+g.rnd.IntN(10))
}

// addMembers adds n members to a Party org, drawn from g.rnd.
func (g *generator) addMembers(partyOrgID int64, region string, n int) {
	employer, hasEmployer := g.employerOf[partyOrgID]
	po := g.byID(partyOrgID)
	mobileBranch := strings.Contains(po.Name, "流动")
	district := region
	if len(district) > 6 {
		district = district[:6]
	}
	if len(district) != 6 || district[0] < '0' || district[0] > '9' {
		district = "510104"
	}
	for i := 0; i < n; i++ {
		male := g.rnd.IntN(5) < 3
		birth := g.opt.Today.AddDate(-22-g.rnd.IntN(45), -g.rnd.IntN(12), -g.rnd.IntN(28))
		var id string
		for id == "" || g.idSeen[id] {
			id = domain.MakeIDNumber(district, birth, g.rnd.IntN(500), male)
		}
		g.idSeen[id] = true
		joined := birth.AddDate(18+g.rnd.IntN(4), g.rnd.IntN(12), 0)
		if joined.After(g.opt.Today) {
			joined = g.opt.Today.AddDate(0, -1, 0)
		}
		m := domain.Member{
			ID: int64(len(g.members) + 1), Name: g.personName(), Ethnicity: "01", BirthDate: domain.Date(birth.Format(domain.DateLayout)),
			IDNumber: id, Phone: "1" + strconv.Itoa(3+g.rnd.IntN(7)) + fmt.Sprintf("%09d", g.rnd.IntN(1000000000)),
			Education: domain.EducationLevels[g.rnd.IntN(4)].Code, JoinedOn: domain.Date(joined.Format(domain.DateLayout)),
			Status: domain.MemberFull, Standing: domain.StandingRegistered, PartyOrgID: &partyOrgID, Job: g.pick([]string{"工程师", "销售", "会计", "行政", "骑手", "快递员", "教师", "医生", "律师", "项目经理"}),
		}
		m.Gender = "female"
		if male {
			m.Gender = "male"
		}
		if g.rnd.IntN(20) == 0 {
			m.Ethnicity = g.pick([]string{"03", "04", "06", "14"})
		}
		if g.opt.Today.Sub(joined) < 365*24*time.Hour {
			m.Status = domain.MemberProbationary
		} else {
			m.FullMemberOn = domain.Date(joined.AddDate(1, 0, 0).Format(domain.DateLayout))
		}
		if hasEmployer {
			e := employer
			m.EmployerID = &e
		}
		if mobileBranch || g.rnd.IntN(25) == 0 {
			m.Mobile, m.MobilePlace = true, g.pick([]string{"重庆市", "深圳市", "上海市", "西安市"})
		}
		if m.Job == "骑手" || m.Job == "快递员" {
			m.GigType = map[string]string{"骑手": "rider", "快递员": "courier"}[m.Job]
		}
		g.members = append(g.members, m)
	}
}
