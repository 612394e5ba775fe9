// Package gen generates deterministic synthetic data for demos, tests and
// benchmarks: the same seed and scale always give the same data. It builds
// the city 两新工委, one work committee per district-level unit, industry
// and area committees, grassroots Party orgs of every type, zones and users.
package gen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store"
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
}

// Account is a generated login, reported to the person running the demo.
type Account struct {
	Username, DisplayName, Role, Scope string
}

// Result is the generated dataset plus the accounts made.
type Result struct {
	store.Dataset
	Accounts []Account
}

type generator struct {
	rnd      *rand.Rand
	opt      Options
	nextID   int64
	orgs     []domain.PartyOrg
	regions  []domain.Region
	zones    []domain.Zone
	users    []store.NewUser
	accounts []Account
	names    map[int64]map[string]bool // sibling names in use, per parent
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

// Generate builds a dataset. It does not touch any database.
func Generate(opt Options) Result {
	g := &generator{rnd: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)), opt: opt, nextID: 1, names: map[int64]map[string]bool{}}
	g.build()
	return Result{Dataset: store.Dataset{Regions: g.regions, PartyOrgs: g.orgs, Zones: g.zones, Users: g.users}, Accounts: g.accounts}
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

func (g *generator) user(username, display string, role domain.Role, org *domain.PartyOrg) {
	g.users = append(g.users, store.NewUser{Username: username, DisplayName: display, PartyOrgID: org.ID, Roles: []domain.Role{role}, PasswordHash: g.opt.PasswordHash})
	g.accounts = append(g.accounts, Account{Username: username, DisplayName: display, Role: role.Name(), Scope: org.Name})
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
// creating them: synthetic streets for a district, the administered
// streets (with their legal districts) for a functional zone.
func (g *generator) streets(u domain.Region, seq map[string]int) []string {
	var codes []string
	mk := func(district, name, fz string) {
		seq[district]++
		code := district + fmt.Sprintf("%03d", seq[district])
		g.regions = append(g.regions, domain.Region{Code: code, Name: name, Level: domain.LevelStreet, Parent: district, FunctionalZone: fz, Sort: seq[district]})
		codes = append(codes, code)
	}
	if groups, ok := domain.FunctionalZoneStreets[u.Code]; ok {
		for _, grp := range groups {
			for _, n := range grp.Names {
				mk(grp.District, n, u.Code)
			}
		}
		return codes
	}
	n := 4 + g.rnd.IntN(4)
	used := map[string]bool{}
	for len(codes) < n {
		w := g.pick(streetWords)
		if used[w] {
			continue
		}
		used[w] = true
		mk(u.Code, w+"街道", "")
	}
	return codes
}

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
		region := parent.Region
		if region == u.Code {
			region = streets[g.rnd.IntN(len(streets))]
		}
		org := g.orgName(parent)
		switch r := g.rnd.IntN(100); {
		case r < 6: // an enterprise Party committee with branches (platform companies extend into units)
			c := g.add(parent, org+"党委", domain.Committee, region)
			cid := c.ID
			made++
			for k := 0; k < 2+g.rnd.IntN(4) && made < target; k++ {
				g.add(g.byID(cid), g.pick([]string{"研发中心", "运营中心", "市场部", "第一项目部", "第二项目部", "华西分公司", "客服中心"})+"党支部", domain.Branch, region)
				made++
			}
		case r < 12:
			gb := g.add(parent, org+"党总支", domain.GeneralBranch, region)
			gid := gb.ID
			made++
			for k := 0; k < 2+g.rnd.IntN(3) && made < target; k++ {
				g.add(g.byID(gid), "第"+strconv.Itoa(k+1)+"党支部", domain.Branch, region)
				made++
			}
		case r < 24:
			g.add(parent, g.pick(tradeChars)+g.pick([]string{"片区", "楼宇", "园区", "商圈"})+"联合党支部", domain.JointBranch, region)
			made++
		case r < 27:
			g.add(parent, org+"流动党员党支部", domain.MobileBranch, region)
			made++
		case r < 29:
			g.add(parent, org+"项目临时党支部", domain.TemporaryBranch, region)
			made++
		default:
			g.add(parent, org+"党支部", domain.Branch, region)
			made++
		}
	}
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
