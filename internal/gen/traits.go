package gen

import (
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/domain/chain"
	"github.com/lianxin/lianxin/internal/store/bulk"
)

// What the registry's organizations carry beyond their registration, drawn
// after the registry is built from a random stream of its own (so that the
// registry and everything drawn after it stay as they were):
//
//   - the key industry chains (domain/chain.Seed, loaded by the migration):
//     a city-level 产业链党委 for each under the city's 两新工委, as the plan
//     asks ("推动20条重点产业链建立行业（综合）党委"; chainCommittees, added
//     after the situations and the year so that these stay as they were);
//     an enterprise whose
//     line of business fits a chain is on it three times in ten (six in ten
//     from 300 employees); each chain's largest active members are its 链主企业,
//     about one per 150 members (at least one, at most eight);
//   - zones: an organization managed by a zone's 综合党委 sits in one of that
//     committee's zones in its street nine times in ten; others whose kind
//     fits a zone of their street (offices in 楼宇, factories in 园区, shops and
//     个体工商户 in 市场 and 综合体) a third of the time;
//   - the Party-building facts, by how the organization is covered: with a
//     Party org of its own, 党建入章 60%, 双向进入交叉任职 40%, 书记由负责人担任
//     25% (social organizations 40%), 工会 75%, 共青团 35%, 妇联 30%; in a
//     联合党支部 25%, 10%, 5%, 40%, 10%, 8%; without a Party org 5%, none, none,
//     15% (40% from 50 employees), 3%, 3%. Social organizations write Party
//     building into their charters nine times in ten (民政 requires it of
//     new charters). Seven in ten charters carry their date;
//   - flags: 上市 for a fifth of the enterprises from 1,000 employees and 3%
//     from 300; 高新技术 for 12% of the technology enterprises, 1% of the
//     others; 专精特新 on enterprises only; 行业协会商会, 民办教育, 民办医疗 and
//     律师/会计/中介机构 by what a social organization is; 品牌社会组织 for 10%
//     of the associations and 3% of the other social organizations.
func (g *generator) traits() {
	r := rand.New(rand.NewPCG(g.opt.Seed^0xc4a1e5, g.opt.Seed+0x5eed))
	covered := map[int64]string{} // organization → "own" or "joint"
	for _, c := range g.covers {
		kind := "own"
		if g.byID(c.PartyOrgID).Type == domain.JointBranch {
			kind = "joint"
		}
		if covered[c.OrganizationID] != "own" {
			covered[c.OrganizationID] = kind
		}
	}
	zonesByStreet := map[string][]int{}
	zoneCommittee := map[int64]bool{}
	for i, z := range g.zones {
		zonesByStreet[z.Region] = append(zonesByStreet[z.Region], i)
		zoneCommittee[z.PartyOrgID] = true
	}
	onChain := map[string][]int{}
	for i := range g.organizations {
		o := &g.organizations[i]
		if o.Kind == domain.KindEnterprise {
			if fits := chainsFor(o.Name); len(fits) > 0 {
				p := 0.3
				if o.Employees != nil && *o.Employees >= 300 {
					p = 0.6
				}
				if r.Float64() < p {
					o.Chain = fits[r.IntN(len(fits))]
					onChain[o.Chain] = append(onChain[o.Chain], i)
				}
			}
		}
		g.zoneOf(r, o, zonesByStreet, zoneCommittee)
		partyBuilding(r, o, covered[o.ID], g.opt.Today)
		orgFlags(r, o)
	}
	for _, c := range chain.Seed {
		members := onChain[c.Code]
		sort.SliceStable(members, func(a, b int) bool {
			return employeesOf(g.organizations[members[a]]) > employeesOf(g.organizations[members[b]])
		})
		k := min(max(1, len(members)/150), 8)
		for _, i := range members {
			if k == 0 {
				break
			}
			if o := &g.organizations[i]; o.Status == domain.OrgActive {
				o.Flags = canonical(append(o.Flags, chain.Master))
				k--
			}
		}
	}
}

// chainCommittees adds each chain's 产业链党委 under the city's 两新工委,
// after the situations and the year are drawn (they take part in neither:
// a committee holds no members), founded in 2023 with a five-year term, so
// that no alert rule finds anything in them.
func (g *generator) chainCommittees() {
	saved := g.rnd
	g.rnd = rand.New(rand.NewPCG(g.opt.Seed^0xc4a1, g.opt.Seed+0xc0)) // the secretaries' names
	defer func() { g.rnd = saved }()
	g.chainParties = map[string]int64{}
	for i, c := range chain.Seed {
		p := g.add(g.byID(1), "成都市"+c.Name+"产业链党委", domain.IndustryCommittee, domain.ChengduCode)
		founded := time.Date(2023, time.Month(1+i%12), 1+i, 0, 0, 0, 0, time.UTC)
		if founded.After(g.opt.Today) {
			founded = g.opt.Today
		}
		p.FoundedOn, p.TermStart = domain.Date(founded.Format(domain.DateLayout)), domain.Date(founded.Format(domain.DateLayout))
		p.TermEnd = domain.Date(domain.AddYears(founded, p.TermYears).Format(domain.DateLayout))
		g.chainParties[c.Code] = p.ID
		// Its first term, opened by the founding election (no members to seat).
		s := g.sit
		e := bulk.ElectionRow{ID: int64(len(s.elections) + 1), PartyOrgID: p.ID, HeldOn: p.TermStart, Method: "member_meeting"}
		s.elections = append(s.elections, e)
		s.terms = append(s.terms, bulk.TermRow{ID: int64(len(s.terms) + 1), PartyOrgID: p.ID, StartOn: p.TermStart, Years: p.TermYears, EndOn: p.TermEnd, ElectionID: e.ID})
	}
}

func employeesOf(o domain.Organization) int {
	if o.Employees == nil {
		return 0
	}
	return *o.Employees
}

// chainsFor lists the chains an enterprise of this name's line of business
// may be on.
func chainsFor(name string) []string {
	for _, f := range chainFits {
		if strings.HasSuffix(name, f.suffix) {
			return f.chains
		}
	}
	return nil
}

var chainFits = []struct {
	suffix string
	chains []string
}{
	{"电子有限公司", []string{"integrated_circuit", "new_display", "smart_terminal"}},
	{"信息技术有限公司", []string{"high_end_software", "big_data_ai", "industrial_internet", "fintech"}},
	{"软件有限公司", []string{"high_end_software", "industrial_internet"}},
	{"网络科技有限公司", []string{"big_data_ai", "industrial_internet", "satellite"}},
	{"智能装备有限公司", []string{"industrial_drone", "aero_engine", "large_aircraft", "rail_transit", "industrial_internet"}},
	{"新能源科技有限公司", []string{"new_energy", "new_energy_vehicle"}},
	{"汽车服务有限公司", []string{"new_energy_vehicle"}},
	{"医药有限公司", []string{"innovative_drug"}},
	{"生物科技有限公司", []string{"innovative_drug", "medical_device"}},
	{"检测技术有限公司", []string{"medical_device", "eco_environment", "new_material"}},
	{"物流有限公司", []string{"modern_logistics"}},
	{"供应链管理有限公司", []string{"modern_logistics"}},
	{"食品有限公司", []string{"green_food"}},
	{"建筑工程有限公司", []string{"eco_environment", "new_material"}},
}

// zoneKinds are the kinds of zone an organization of this name and kind
// would sit in.
func zoneKinds(o *domain.Organization) []string {
	switch {
	case o.Kind == domain.KindIndividualBusiness:
		return []string{"market", "complex"}
	case o.Kind == domain.KindSocialOrg:
		return []string{"building"}
	}
	for _, s := range []string{"电子有限公司", "智能装备有限公司", "生物科技有限公司", "新能源科技有限公司", "医药有限公司", "检测技术有限公司", "食品有限公司"} {
		if strings.HasSuffix(o.Name, s) {
			return []string{"park"}
		}
	}
	for _, s := range []string{"商贸有限公司", "餐饮管理有限公司"} {
		if strings.HasSuffix(o.Name, s) {
			return []string{"market", "complex"}
		}
	}
	return []string{"building", "park"}
}

func (g *generator) zoneOf(r *rand.Rand, o *domain.Organization, byStreet map[string][]int, zoneCommittee map[int64]bool) {
	here := byStreet[o.Region]
	if len(here) == 0 {
		return
	}
	var pick []int
	if zoneCommittee[o.AreaManagerID] {
		for _, i := range here {
			if g.zones[i].PartyOrgID == o.AreaManagerID {
				pick = append(pick, i)
			}
		}
		if len(pick) > 0 && r.IntN(10) < 9 {
			id := g.zones[pick[r.IntN(len(pick))]].ID
			o.ZoneID = &id
			return
		}
		pick = nil
	}
	kinds := zoneKinds(o)
	for _, i := range here {
		for _, k := range kinds {
			if g.zones[i].Kind == k {
				pick = append(pick, i)
			}
		}
	}
	if len(pick) > 0 && r.IntN(3) == 0 {
		id := g.zones[pick[r.IntN(len(pick))]].ID
		o.ZoneID = &id
	}
}

// partyBuilding draws the Party-building facts by how o is covered ("own",
// "joint" or "").
func partyBuilding(r *rand.Rand, o *domain.Organization, cover string, today time.Time) {
	p := map[string][6]float64{ // charter, cross, secretary head, union, youth, women
		"own":   {0.60, 0.40, 0.25, 0.75, 0.35, 0.30},
		"joint": {0.25, 0.10, 0.05, 0.40, 0.10, 0.08},
		"":      {0.05, 0, 0, 0.15, 0.03, 0.03},
	}[cover]
	if o.Kind == domain.KindSocialOrg {
		p[0] = 0.9
		if cover == "own" {
			p[2] = 0.4
		}
	}
	if cover == "" && employeesOf(*o) >= 50 {
		p[3] = 0.4
	}
	o.CharterIncludesParty, o.CrossAppointment, o.SecretaryIsHead = r.Float64() < p[0], r.Float64() < p[1], r.Float64() < p[2]
	o.UnionEstablished, o.YouthLeagueEstablished, o.WomenFederationEstablished = r.Float64() < p[3], r.Float64() < p[4], r.Float64() < p[5]
	o.CharterIncludesPartyOn = ""
	if o.CharterIncludesParty && o.RegisteredOn != "" && r.IntN(10) < 7 {
		from, _ := domain.ParseDate(string(o.RegisteredOn))
		to, _ := domain.ParseDate(today.Format(domain.DateLayout))
		if days := int(to.Sub(from).Hours() / 24); days > 1 {
			o.CharterIncludesPartyOn = domain.Date(from.AddDate(0, 0, 1+r.IntN(days-1)).Format(domain.DateLayout))
		}
	}
}

// orgFlags draws the flags that follow from what o is and how large.
func orgFlags(r *rand.Rand, o *domain.Organization) {
	flags := []string{}
	for _, f := range o.Flags {
		if f == "specialized" && o.Kind != domain.KindEnterprise {
			continue // 专精特新 is an enterprise's
		}
		flags = append(flags, f)
	}
	n := employeesOf(*o)
	add := func(f string, p float64) {
		if r.Float64() < p {
			flags = append(flags, f)
		}
	}
	switch o.Kind {
	case domain.KindEnterprise:
		switch {
		case n >= 1000:
			add("listed", 0.2)
		case n >= 300:
			add("listed", 0.03)
		}
		tech := false
		for _, s := range []string{"科技有限公司", "信息技术有限公司", "软件有限公司", "电子有限公司", "智能装备有限公司", "检测技术有限公司"} {
			tech = tech || strings.HasSuffix(o.Name, s)
		}
		if tech {
			add("high_tech", 0.12)
		} else {
			add("high_tech", 0.01)
		}
	case domain.KindSocialOrg:
		association := strings.HasSuffix(o.Name, "协会") || strings.HasSuffix(o.Name, "商会")
		switch {
		case strings.HasSuffix(o.Name, "行业协会") || strings.HasSuffix(o.Name, "商会"):
			flags = append(flags, "trade_association")
		case strings.HasSuffix(o.Name, "培训学校") || strings.HasSuffix(o.Name, "民办幼儿园"):
			flags = append(flags, "private_education")
		case strings.HasSuffix(o.Name, "医院"):
			flags = append(flags, "private_medical")
		case strings.HasSuffix(o.Name, "律师事务所") || strings.HasSuffix(o.Name, "会计师事务所"):
			flags = append(flags, "professional_services")
		}
		if association {
			add("brand_social_org", 0.10)
		} else {
			add("brand_social_org", 0.03)
		}
	}
	o.Flags = canonical(flags)
}

// canonical orders flags as domain.OrgFlags, once each (what Validate keeps).
func canonical(flags []string) []string {
	seen := map[string]bool{}
	for _, f := range flags {
		seen[f] = true
	}
	out := []string{}
	for _, c := range domain.OrgFlags {
		if seen[c.Code] {
			out = append(out, c.Code)
		}
	}
	return out
}
