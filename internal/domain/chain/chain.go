// Package chain holds the rules of the key industry chains (重点产业链,
// glossary `IndustryChain`): the reference list a deployment starts with, a
// chain's own fields, and what making an organization a chain's 链主企业
// changes. An organization carries one chain (its main business) in
// Organization.Chain, by code; it is the chain's 链主 when it also carries
// the flag chain_master.
package chain

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lianxin/lianxin/internal/domain"
)

// IndustryChain is one key industry chain, linked to its 行业党委 (a Party
// org, optional). A chain is retired rather than deleted, so that the
// organizations that name it keep a meaning.
type IndustryChain struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Sort       int    `json:"sort"`
	PartyOrgID *int64 `json:"party_org_id"`
	Retired    bool   `json:"retired"`
	Version    int    `json:"version"`
}

// ChainInput holds a chain's editable fields; nil means "not given". A given
// party_org_id of 0 clears the link.
type ChainInput struct {
	Name       *string `json:"name"`
	Sort       *int    `json:"sort"`
	PartyOrgID *int64  `json:"party_org_id"`
	Retired    *bool   `json:"retired"`
	Version    *int    `json:"version"`
}

// Limits of a chain's fields.
const (
	MaxNameLen = 30
	MaxSort    = 9999
)

// Apply copies the given fields onto c, trimming the name.
func (in ChainInput) Apply(c *IndustryChain) {
	if in.Name != nil {
		c.Name = strings.TrimSpace(*in.Name)
	}
	if in.Sort != nil {
		c.Sort = *in.Sort
	}
	if in.PartyOrgID != nil {
		if *in.PartyOrgID == 0 {
			c.PartyOrgID = nil
		} else {
			id := *in.PartyOrgID
			c.PartyOrgID = &id
		}
	}
	if in.Retired != nil {
		c.Retired = *in.Retired
	}
}

// Validate checks a chain's own fields (the Party org's existence and scope
// are the store's).
func (c *IndustryChain) Validate() error {
	v := &domain.ValidationError{}
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		v.Add("name", "请填写产业链名称")
	case n > MaxNameLen:
		v.Add("name", fmt.Sprintf("产业链名称不能超过%d个字", MaxNameLen))
	}
	if c.Sort < 0 || c.Sort > MaxSort {
		v.Add("sort", fmt.Sprintf("排序号应在0至%d之间", MaxSort))
	}
	if c.PartyOrgID != nil && *c.PartyOrgID <= 0 {
		v.Add("party_org_id", "所选行业党委无效")
	}
	return v.Err()
}

// CheckPartyOrg says whether a Party org of type t and status may be a
// chain's 行业党委: an active 行业党委, 综合党委 or 联合党委 (the plan
// names "行业（综合）党委" for the chains).
func CheckPartyOrg(t domain.PartyOrgType, status string) error {
	switch {
	case status != domain.StatusActive:
		return domain.FieldError("party_org_id", "所选党组织已撤销")
	case t != domain.IndustryCommittee && t != domain.AreaCommittee && t != domain.JointCommittee:
		return domain.FieldError("party_org_id", "产业链的党组织应为行业党委、综合党委或联合党委")
	}
	return nil
}

// Seeded is one chain of the list a new deployment starts with.
type Seeded struct{ Code, Name string }

// Seed is the reference list a deployment starts with: twenty of Chengdu's
// key industry chains (产业建圈强链). The city announced "12个产业生态圈、
// 20条重点产业链" with a 链长 for each (成都日报, January 2022, naming
// 集成电路, 新型显示 and 高端软件 among them), then adjusted the list to 28
// chains (《成都市产业建圈强链优化调整方案》, April 2023; that year's 链主
// lists covered 集成电路, 智能终端, 工业互联网, 轨道交通, 新型显示, 汽车（新能源
// 汽车）, 大飞机制造与服务, 航空发动机, 工业无人机 and 食品), and reports 19
// and then 17 chains in 2025–2026. The complete official list of twenty
// could not be found; these are twenty names that appear in those
// announcements. Staff maintain the list (rename, add, retire), since the
// city changes it.
var Seed = []Seeded{
	{"integrated_circuit", "集成电路"},
	{"new_display", "新型显示"},
	{"smart_terminal", "智能终端"},
	{"high_end_software", "高端软件与操作系统"},
	{"big_data_ai", "大数据与人工智能"},
	{"industrial_internet", "工业互联网"},
	{"satellite", "卫星互联网与卫星应用"},
	{"aero_engine", "航空发动机"},
	{"industrial_drone", "工业无人机"},
	{"large_aircraft", "大飞机制造与服务"},
	{"new_energy_vehicle", "新能源汽车"},
	{"rail_transit", "轨道交通"},
	{"innovative_drug", "创新药"},
	{"medical_device", "高端医疗器械"},
	{"new_energy", "新能源"},
	{"new_material", "新材料"},
	{"eco_environment", "生态环保"},
	{"modern_logistics", "现代物流"},
	{"fintech", "金融科技"},
	{"green_food", "绿色食品"},
}

// Master is the flag that makes an organization its chain's 链主企业.
const Master = "chain_master"

// MasterChange is the edit that makes o the 链主 of the chain code (master)
// or ends it (!master); it moves o onto that chain when it was on another
// or on none. It answers a validation error naming organization_id (ending)
// or chain_id (making) when the change cannot be made, and an empty input
// when nothing changes.
func MasterChange(o domain.Organization, code string, master bool) (domain.OrganizationInput, error) {
	var in domain.OrganizationInput
	isMaster := o.HasFlag(Master)
	if !master {
		if o.Chain != code || !isMaster {
			return in, domain.FieldError("organization_id", "该组织不是本产业链的链主企业")
		}
		flags := without(o.Flags, Master)
		in.Flags = &flags
		return in, nil
	}
	if o.Kind != domain.KindEnterprise {
		return in, domain.FieldError("chain_id", "链主须为企业，该组织是"+domain.OrgKinds.Name(o.Kind))
	}
	if isMaster && o.Chain != code {
		return in, domain.FieldError("chain_id", "该企业已是另一条产业链的链主企业，请先在那条产业链取消")
	}
	if o.Chain != code {
		c := code
		in.Chain = &c
	}
	if !isMaster {
		flags := append(append([]string{}, o.Flags...), Master)
		in.Flags = &flags
	}
	return in, nil
}

func without(flags []string, flag string) []string {
	out := []string{}
	for _, f := range flags {
		if f != flag {
			out = append(out, f)
		}
	}
	return out
}
