package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// China's bounding box for coordinates (GCJ-02/WGS-84 degrees).
const (
	MinLongitude = 73.0
	MaxLongitude = 136.0
	MinLatitude  = 3.0
	MaxLatitude  = 54.0
)

// MaxEmployees bounds an organization's head count (the largest employers
// in China count about two million).
const MaxEmployees = 10_000_000

// Organization is a 两新组织 of the registry. Kind and Subtype are derived
// from the USCC by Validate, never typed in; EmployeeBand is derived from
// Employees. Region, zone, chain and the managing Party orgs are checked for
// existence by the store, not here.
type Organization struct {
	ID                  int64    `json:"id"`
	USCC                string   `json:"uscc"`
	Kind                string   `json:"kind"`
	Subtype             string   `json:"subtype"`
	Name                string   `json:"name"`
	LegalRepresentative string   `json:"legal_representative"`
	FounderName         string   `json:"founder_name"`
	FounderIsMember     bool     `json:"founder_is_member"`
	RegisteredOn        Date     `json:"registered_on"`
	Status              string   `json:"status"`
	Address             string   `json:"address"`
	Region              string   `json:"region"`
	Longitude           *float64 `json:"longitude"`
	Latitude            *float64 `json:"latitude"`
	ZoneID              *int64   `json:"zone_id"`
	Industry            string   `json:"industry"`
	Chain               string   `json:"chain"`
	Employees           *int     `json:"employees"`
	EmployeeBand        string   `json:"employee_band"`
	RevenueBand         string   `json:"revenue_band"`
	Flags               []string `json:"flags"`

	// Party-building flags.
	CharterIncludesParty       bool `json:"charter_includes_party"`
	CharterIncludesPartyOn     Date `json:"charter_includes_party_on"`
	CrossAppointment           bool `json:"cross_appointment"`
	SecretaryIsHead            bool `json:"secretary_is_head"`
	UnionEstablished           bool `json:"union_established"`
	YouthLeagueEstablished     bool `json:"youth_league_established"`
	WomenFederationEstablished bool `json:"women_federation_established"`

	AreaManagerID     int64  `json:"area_manager_id"`
	IndustryManagerID *int64 `json:"industry_manager_id"`

	// USCCWarnings are the non-fatal findings of ParseUSCC (not stored).
	USCCWarnings []string `json:"uscc_warnings,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Version   int       `json:"version"`
}

// OrganizationInput holds the editable fields; nil means "not given" so that
// a PATCH changes only what it names. For zone_id and industry_manager_id a
// given 0 clears the link. Longitude and latitude are set together.
type OrganizationInput struct {
	USCC                       *string   `json:"uscc"`
	Name                       *string   `json:"name"`
	LegalRepresentative        *string   `json:"legal_representative"`
	FounderName                *string   `json:"founder_name"`
	FounderIsMember            *bool     `json:"founder_is_member"`
	RegisteredOn               *string   `json:"registered_on"`
	Status                     *string   `json:"status"`
	Address                    *string   `json:"address"`
	Region                     *string   `json:"region"`
	Longitude                  *float64  `json:"longitude"`
	Latitude                   *float64  `json:"latitude"`
	ZoneID                     *int64    `json:"zone_id"`
	Industry                   *string   `json:"industry"`
	Chain                      *string   `json:"chain"`
	Employees                  *int      `json:"employees"`
	RevenueBand                *string   `json:"revenue_band"`
	Flags                      *[]string `json:"flags"`
	CharterIncludesParty       *bool     `json:"charter_includes_party"`
	CharterIncludesPartyOn     *string   `json:"charter_includes_party_on"`
	CrossAppointment           *bool     `json:"cross_appointment"`
	SecretaryIsHead            *bool     `json:"secretary_is_head"`
	UnionEstablished           *bool     `json:"union_established"`
	YouthLeagueEstablished     *bool     `json:"youth_league_established"`
	WomenFederationEstablished *bool     `json:"women_federation_established"`
	AreaManagerID              *int64    `json:"area_manager_id"`
	IndustryManagerID          *int64    `json:"industry_manager_id"`
	Version                    *int      `json:"version"`
}

func trimmed(p *string) string { return strings.TrimSpace(*p) }

func copyNum[T any](p *T) *T {
	v := *p
	return &v
}

func optionalID(p *int64) *int64 {
	if *p == 0 {
		return nil
	}
	return copyNum(p)
}

// Apply copies the given fields onto o, trimming text. It validates nothing;
// call Validate afterwards. Unsetting charter_includes_party also clears its
// date unless the same input sets one (which Validate then rejects).
func (in OrganizationInput) Apply(o *Organization) {
	setStr := func(dst *string, p *string) {
		if p != nil {
			*dst = trimmed(p)
		}
	}
	setBool := func(dst *bool, p *bool) {
		if p != nil {
			*dst = *p
		}
	}
	setStr(&o.USCC, in.USCC)
	setStr(&o.Name, in.Name)
	setStr(&o.LegalRepresentative, in.LegalRepresentative)
	setStr(&o.FounderName, in.FounderName)
	setBool(&o.FounderIsMember, in.FounderIsMember)
	if in.RegisteredOn != nil {
		o.RegisteredOn = Date(trimmed(in.RegisteredOn))
	}
	setStr(&o.Status, in.Status)
	setStr(&o.Address, in.Address)
	setStr(&o.Region, in.Region)
	if in.Longitude != nil {
		o.Longitude = copyNum(in.Longitude)
	}
	if in.Latitude != nil {
		o.Latitude = copyNum(in.Latitude)
	}
	if in.ZoneID != nil {
		o.ZoneID = optionalID(in.ZoneID)
	}
	if in.Industry != nil {
		o.Industry = strings.ToUpper(trimmed(in.Industry))
	}
	setStr(&o.Chain, in.Chain)
	if in.Employees != nil {
		o.Employees = copyNum(in.Employees)
	}
	setStr(&o.RevenueBand, in.RevenueBand)
	if in.Flags != nil {
		o.Flags = make([]string, 0, len(*in.Flags))
		for _, f := range *in.Flags {
			if f = strings.TrimSpace(f); f != "" {
				o.Flags = append(o.Flags, f)
			}
		}
	}
	setBool(&o.CharterIncludesParty, in.CharterIncludesParty)
	if in.CharterIncludesPartyOn != nil {
		o.CharterIncludesPartyOn = Date(trimmed(in.CharterIncludesPartyOn))
	} else if in.CharterIncludesParty != nil && !*in.CharterIncludesParty {
		o.CharterIncludesPartyOn = ""
	}
	setBool(&o.CrossAppointment, in.CrossAppointment)
	setBool(&o.SecretaryIsHead, in.SecretaryIsHead)
	setBool(&o.UnionEstablished, in.UnionEstablished)
	setBool(&o.YouthLeagueEstablished, in.YouthLeagueEstablished)
	setBool(&o.WomenFederationEstablished, in.WomenFederationEstablished)
	if in.AreaManagerID != nil {
		o.AreaManagerID = *in.AreaManagerID
	}
	if in.IndustryManagerID != nil {
		o.IndustryManagerID = optionalID(in.IndustryManagerID)
	}
}

// NewOrganization returns an organization with the input applied over the
// defaults (status active, no flags).
func NewOrganization(in OrganizationInput) Organization {
	o := Organization{Status: OrgActive, Flags: []string{}}
	in.Apply(&o)
	return o
}

// checkPastDate validates an optional date field: a real date, not after today.
func checkPastDate(v *ValidationError, field, label string, d Date, today time.Time) (time.Time, bool) {
	if d == "" {
		return time.Time{}, false
	}
	t, ok := ParseDate(string(d))
	if !ok {
		v.Add(field, DateProblem(label, string(d)))
		return time.Time{}, false
	}
	if t.After(TodayUTC(today)) {
		v.Add(field, label+"不能晚于今天")
		return time.Time{}, false
	}
	return t, true
}

// todayUTC is today's calendar date (in Shanghai) as midnight UTC, the form
// ParseDate returns, so that dates compare by day.
func TodayUTC(today time.Time) time.Time {
	y, m, d := today.In(Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func CheckLen(v *ValidationError, field, label, s string, max int, required bool) {
	switch n := utf8.RuneCountInString(s); {
	case n == 0 && required:
		v.Add(field, "请填写"+label)
	case n > max:
		v.Add(field, fmt.Sprintf("%s不能超过%d个字", label, max))
	}
}

// Validate checks the organization's own fields, normalizes the USCC and
// derives Kind, Subtype, EmployeeBand and USCCWarnings. acceptedUSCC lists
// codes accepted despite a failing check character (domain-rules §5.1).
func (o *Organization) Validate(today time.Time, acceptedUSCC map[string]bool) error {
	v := &ValidationError{}
	o.Kind, o.Subtype, o.USCCWarnings = "", "", nil
	if u, err := ParseUSCC(o.USCC, acceptedUSCC); err != nil {
		if err := v.Merge(err); err != nil {
			return err
		}
	} else {
		o.USCC = u.Code
		o.Kind, o.Subtype, o.USCCWarnings = u.Kind, u.Subtype, u.Warnings
		if u.Kind == "" {
			cat := USCCCategories[o.USCC[:2]]
			if cat == "" {
				cat = "未知类别"
			}
			v.Add("uscc", fmt.Sprintf("统一社会信用代码前两位“%s”（%s）不属于两新组织：应为企业(91)、个体工商户(92)、农民专业合作社(93)或社会组织(51/52/53)", o.USCC[:2], cat))
		}
	}
	CheckLen(v, "name", "组织名称", o.Name, 100, true)
	CheckLen(v, "legal_representative", "法定代表人（负责人）姓名", o.LegalRepresentative, 30, false)
	CheckLen(v, "founder_name", "出资人（开办人）姓名", o.FounderName, 30, false)
	if o.FounderIsMember && o.FounderName == "" {
		v.Add("founder_name", "标记出资人（开办人）为党员时须填写其姓名")
	}
	registered, regOK := checkPastDate(v, "registered_on", "登记（成立）日期", o.RegisteredOn, today)
	if !OrgStatuses.Has(o.Status) {
		v.Add("status", "请选择有效的登记状态（存续/在业、停业、迁出、注销、吊销、经营异常）")
	}
	CheckLen(v, "address", "地址", o.Address, 200, false)
	if o.Region == "" {
		v.Add("region", "请选择所属区域（区(市)县、镇(街道)）")
	}
	switch {
	case (o.Longitude == nil) != (o.Latitude == nil):
		if o.Longitude == nil {
			v.Add("longitude", "经度和纬度须同时填写或同时不填")
		} else {
			v.Add("latitude", "经度和纬度须同时填写或同时不填")
		}
	case o.Longitude != nil:
		if lon := *o.Longitude; !(lon >= MinLongitude && lon <= MaxLongitude) {
			v.Add("longitude", "经度应在73至136之间（中国境内）")
		}
		if lat := *o.Latitude; !(lat >= MinLatitude && lat <= MaxLatitude) {
			v.Add("latitude", "纬度应在3至54之间（中国境内）")
		}
	}
	if o.ZoneID != nil && *o.ZoneID <= 0 {
		v.Add("zone_id", "所在园区/楼宇/市场无效")
	}
	if o.Industry == "" {
		v.Add("industry", "请选择所属行业（国民经济行业门类）")
	} else if !Industries.Has(o.Industry) {
		v.Add("industry", "所属行业应为国民经济行业分类（GB/T 4754-2017）门类A–T之一")
	}
	CheckLen(v, "chain", "重点产业链", o.Chain, 50, false)
	o.EmployeeBand = ""
	if o.Employees != nil {
		if *o.Employees < 0 {
			v.Add("employees", "从业人数不能为负数")
		} else if *o.Employees > MaxEmployees {
			v.Add("employees", fmt.Sprintf("从业人数不能超过%d人", MaxEmployees))
		} else {
			o.EmployeeBand = EmployeeBandOf(*o.Employees)
		}
	}
	if o.RevenueBand != "" && !RevenueBands.Has(o.RevenueBand) {
		v.Add("revenue_band", "请选择有效的营业收入区间")
	}
	o.Flags = canonicalFlags(v, o.Flags)
	// A 链主 leads the chain it is on, and only an enterprise leads one.
	if o.HasFlag("chain_master") {
		if o.Chain == "" {
			v.Add("chain", "标记为链主须选择所属重点产业链")
		} else if o.Kind != "" && o.Kind != KindEnterprise {
			v.Add("flags", "链主须为企业，该组织是"+OrgKinds.Name(o.Kind))
		}
	}
	if o.CharterIncludesParty {
		if t, ok := checkPastDate(v, "charter_includes_party_on", "党建入章日期", o.CharterIncludesPartyOn, today); ok && regOK && t.Before(registered) {
			v.Add("charter_includes_party_on", "党建入章日期不能早于登记（成立）日期")
		}
	} else if o.CharterIncludesPartyOn != "" {
		v.Add("charter_includes_party_on", "未标记党建入章时不能填写党建入章日期")
	}
	if o.AreaManagerID <= 0 {
		v.Add("area_manager_id", "请选择属地管理党组织")
	}
	if o.IndustryManagerID != nil && *o.IndustryManagerID <= 0 {
		v.Add("industry_manager_id", "行业管理党组织无效")
	}
	return v.Err()
}

// canonicalFlags checks that every flag is known and given once, and returns
// them in the order of OrgFlags so that equal sets compare equal.
func canonicalFlags(v *ValidationError, flags []string) []string {
	seen := map[string]bool{}
	for _, f := range flags {
		switch {
		case !OrgFlags.Has(f):
			v.Add("flags", fmt.Sprintf("未知的组织标记“%s”", f))
		case seen[f]:
			v.Add("flags", fmt.Sprintf("组织标记“%s”重复", OrgFlags.Name(f)))
		}
		seen[f] = true
	}
	out := []string{}
	for _, c := range OrgFlags {
		if seen[c.Code] {
			out = append(out, c.Code)
		}
	}
	if len(out) != len(flags) {
		return flags // invalid: leave as given for the error report
	}
	return out
}

// HasFlag reports whether the organization carries flag.
func (o *Organization) HasFlag(flag string) bool {
	for _, f := range o.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// HasMark reports whether the organization carries mark, a code of
// OrgMarks: a Party-building fact or a registry flag.
func (o *Organization) HasMark(mark string) bool {
	switch mark {
	case "charter_includes_party":
		return o.CharterIncludesParty
	case "cross_appointment":
		return o.CrossAppointment
	case "secretary_is_head":
		return o.SecretaryIsHead
	case "union_established":
		return o.UnionEstablished
	case "youth_league_established":
		return o.YouthLeagueEstablished
	case "women_federation_established":
		return o.WomenFederationEstablished
	}
	return o.HasFlag(mark)
}
