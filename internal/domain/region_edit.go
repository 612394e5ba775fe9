package domain

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Streets (镇/街道) and communities (社区/村) are maintained by staff with the
// official statistical division codes (统计用区划代码, 12 digits: 6 of the
// county-level unit, 3 of the township, 3 of the village-level unit). A
// street is stored with its 9 significant digits (510104019 for 锦华路街道),
// as GB/T 10114 writes township codes and as organizations have referred to
// streets since issue 3; a community with all 12 (510104019001). A street's
// 12-digit form (510104019000) is accepted and shortened.

// RegionInput is the editable part of a street or community; nil means not
// given (a PATCH changes what it names). The code is given on creation only:
// records refer to it, so it never changes.
type RegionInput struct {
	Code           *string `json:"code"`
	Name           *string `json:"name"`
	FunctionalZone *string `json:"functional_zone_code"`
	Sort           *int    `json:"sort"`
	Version        *int    `json:"version"`
}

// NormalizeRegionCode folds full-width characters and drops spaces (a
// functional zone's code keeps its "-": 510100-TF) and shortens a street's
// 12-digit statistical code (…000) to its 9 digits.
func NormalizeRegionCode(s string) string {
	c := strings.ReplaceAll(NormalizeCode(strings.ReplaceAll(s, "-", "\x00")), "\x00", "-")
	if len(c) == 12 && strings.HasSuffix(c, "000") && isDigitString(c) {
		return c[:9]
	}
	return c
}

// RegionLevelOfCode tells the level a code's length gives: a street (9
// digits) or a community (12); "" for anything else.
func RegionLevelOfCode(code string) string {
	if !isDigitString(code) {
		return ""
	}
	switch len(code) {
	case 9:
		return LevelStreet
	case 12:
		return LevelCommunity
	}
	return ""
}

// ParentCodeOf is the code of the region a street or community lies in by
// its code: the district (6 digits) or the street (9).
func ParentCodeOf(code string) string {
	switch RegionLevelOfCode(code) {
	case LevelStreet:
		return code[:6]
	case LevelCommunity:
		return code[:9]
	}
	return ""
}

func isDigitString(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// CommunityNotRecordRegion refuses a community as the region of a record
// (an organization, a Party org, a zone): the figures group records by
// district and street; a community is reference data (an address may
// name it).
const CommunityNotRecordRegion = "所在区域应为区(市)县或镇(街道)：社区(村)代码不能作为所在区域，请填写其所在镇(街道)的9位代码"

// RegionNameMax bounds a street's or community's name.
const RegionNameMax = 50

// NewRegion builds a street or community from a creation's input: the level
// and the parent follow from the code; the sort order, unless given, from its
// last three digits (the official order).
func NewRegion(in RegionInput) Region {
	r := Region{Version: 1}
	if in.Code != nil {
		r.Code = NormalizeRegionCode(*in.Code)
		r.Level = RegionLevelOfCode(r.Code)
		r.Parent = ParentCodeOf(r.Code)
		if r.Level != "" {
			r.Sort, _ = strconv.Atoi(r.Code[len(r.Code)-3:])
		}
	}
	in.Code = nil
	in.Apply(&r)
	return r
}

// Apply copies the given editable fields onto r (the code excepted).
func (in RegionInput) Apply(r *Region) {
	if in.Name != nil {
		r.Name = strings.TrimSpace(*in.Name)
	}
	if in.FunctionalZone != nil {
		r.FunctionalZone = strings.TrimSpace(*in.FunctionalZone)
	}
	if in.Sort != nil {
		r.Sort = *in.Sort
	}
}

// Validate checks a street's or community's own fields. The parent's
// existence and level are CheckParent's; who may write it, the caller's
// district (account.CheckRegionWithin).
func (r Region) Validate() error {
	v := &ValidationError{}
	switch r.Level {
	case LevelStreet, LevelCommunity:
		if seg := r.Code[len(r.Code)-3:]; seg == "000" {
			v.Add("code", "区划代码「"+r.Code+"」的最后三位不能是 000")
		}
	default:
		v.Add("code", "区划代码应为镇(街道)9位或社区(村)12位数字，如锦华路街道 510104019、其下社区 510104019001")
	}
	switch n := utf8.RuneCountInString(r.Name); {
	case n == 0:
		v.Add("name", "请填写名称")
	case n > RegionNameMax:
		v.Add("name", "名称不能超过50个字")
	}
	if r.FunctionalZone != "" {
		if r.Level != LevelStreet {
			v.Add("functional_zone_code", "只有镇(街道)可以由功能区托管")
		} else if !isFunctionalZone(r.FunctionalZone) {
			v.Add("functional_zone_code", "托管功能区只能是"+functionalZoneNames())
		}
	}
	if r.Sort < 0 || r.Sort > 9999 {
		v.Add("sort", "排序应为0至9999的整数")
	}
	return v.Err()
}

// CheckParent checks the region a street or community lies in: a
// district-level 区(市)县 for a street, a street for a community.
func (r Region) CheckParent(parent *Region) error {
	if r.Level == "" {
		return nil // Validate says what is wrong with the code
	}
	if parent == nil {
		if r.Level == LevelStreet {
			return FieldError("code", "区划代码前6位「"+r.Parent+"」不是成都市的区(市)县")
		}
		return FieldError("code", "区划代码前9位「"+r.Parent+"」对应的镇(街道)不存在，请先添加该镇(街道)")
	}
	if r.Level == LevelStreet && parent.Level != LevelDistrict || r.Level == LevelCommunity && parent.Level != LevelStreet {
		return FieldError("code", "区划代码「"+r.Code+"」的上级「"+parent.Name+"」不是"+map[string]string{LevelStreet: "区(市)县", LevelCommunity: "镇(街道)"}[r.Level])
	}
	return nil
}

func isFunctionalZone(code string) bool {
	for _, z := range ChengduFunctionalZones {
		if z.Code == code {
			return true
		}
	}
	return false
}

func functionalZoneNames() string {
	names := make([]string, len(ChengduFunctionalZones))
	for i, z := range ChengduFunctionalZones {
		names[i] = z.Name
	}
	return strings.Join(names, "、")
}

// FunctionalZoneByName finds a functional zone's code by its name (the
// workbooks name it), and whether it is one.
func FunctionalZoneByName(name string) (string, bool) {
	for _, z := range ChengduFunctionalZones {
		if z.Name == name || z.Code == name {
			return z.Code, true
		}
	}
	return "", false
}

// RegionLevelName is the Chinese name of a level.
func RegionLevelName(level string) string {
	return map[string]string{LevelCity: "市", LevelDistrict: "区(市)县", LevelFunctionalZone: "功能区", LevelStreet: "镇(街道)", LevelCommunity: "社区(村)"}[level]
}
