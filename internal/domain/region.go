package domain

// Region levels (GB/T 2260 and the city's functional zones).
const (
	LevelCity           = "city"
	LevelDistrict       = "district"
	LevelFunctionalZone = "functional_zone"
	LevelStreet         = "street"
	LevelCommunity      = "community"
)

// Region is an administrative division or a functional zone.
type Region struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  string `json:"level"`
	Parent string `json:"parent_code"`
	// FunctionalZone is set on a street that a functional zone administers
	// (托管); the street's Parent stays its legal district.
	FunctionalZone string `json:"functional_zone_code"`
	Sort           int    `json:"sort"`
	// Version counts the edits of a street or community (staff maintain
	// them since issue 13); the base regions stay at 1.
	Version int `json:"version"`
}

// ChengduCode is the GB/T 2260 code of 成都市.
const ChengduCode = "510100"

// ChengduDistricts are the 20 county-level units of Chengdu (domain-rules §6,
// checked against 民政部 data for 2025).
var ChengduDistricts = []Region{
	{Code: "510104", Name: "锦江区"},
	{Code: "510105", Name: "青羊区"},
	{Code: "510106", Name: "金牛区"},
	{Code: "510107", Name: "武侯区"},
	{Code: "510108", Name: "成华区"},
	{Code: "510112", Name: "龙泉驿区"},
	{Code: "510113", Name: "青白江区"},
	{Code: "510114", Name: "新都区"},
	{Code: "510115", Name: "温江区"},
	{Code: "510116", Name: "双流区"},
	{Code: "510117", Name: "郫都区"},
	{Code: "510118", Name: "新津区"},
	{Code: "510121", Name: "金堂县"},
	{Code: "510129", Name: "大邑县"},
	{Code: "510131", Name: "蒲江县"},
	{Code: "510181", Name: "都江堰市"},
	{Code: "510182", Name: "彭州市"},
	{Code: "510183", Name: "邛崃市"},
	{Code: "510184", Name: "崇州市"},
	{Code: "510185", Name: "简阳市"},
}

// ChengduFunctionalZones are the three functional zones that the city treats
// as district-level units. They have no official GB/T 2260 code, so their
// codes are deliberately not six digits: nobody can mistake them for one.
var ChengduFunctionalZones = []Region{
	{Code: "510100-TF", Name: "四川天府新区成都直管区"},
	{Code: "510100-GX", Name: "成都高新区"},
	{Code: "510100-DB", Name: "成都东部新区"},
}

// FunctionalZoneStreets lists, per functional zone, the legal district and the
// names of the 街道/镇 it administers (domain-rules §6; ⚠️ third-party data).
var FunctionalZoneStreets = map[string][]struct {
	District string
	Names    []string
}{
	"510100-TF": {{"510116", []string{"华阳街道", "万安街道", "兴隆街道", "正兴街道", "新兴街道", "煎茶街道", "永兴街道", "籍田街道", "太平街道"}}},
	"510100-GX": {
		{"510107", []string{"肖家河街道", "芳草街街道", "石羊街道", "桂溪街道"}},
		{"510116", []string{"中和街道"}},
		{"510117", []string{"西园街道", "合作街道"}},
	},
	"510100-DB": {{"510185", []string{"三岔街道", "石盘街道", "养马街道", "丹景街道", "福田街道", "玉成街道", "草池街道", "石板凳街道", "贾家街道", "高明镇", "武庙镇", "壮溪镇", "海螺镇", "董家埂镇", "芦葭镇"}}},
}

// KnownStreets lists, per district, the 街道 whose names and statistical
// codes were checked (domain-rules §6; ⚠️ third-party mirrors of the
// 2019–2020 reform that agree with each other): 锦江区's 11 streets. The
// generator gives these districts their own streets and every other one
// neutral names; a deployment loads its real list through the region import.
var KnownStreets = map[string][]Region{
	"510104": {
		{Code: "510104017", Name: "锦官驿街道"}, {Code: "510104018", Name: "东湖街道"}, {Code: "510104019", Name: "锦华路街道"},
		{Code: "510104022", Name: "春熙路街道"}, {Code: "510104023", Name: "书院街街道"}, {Code: "510104026", Name: "牛市口街道"},
		{Code: "510104030", Name: "沙河街道"}, {Code: "510104032", Name: "狮子山街道"}, {Code: "510104035", Name: "成龙路街道"},
		{Code: "510104036", Name: "柳江街道"}, {Code: "510104037", Name: "三圣街道"},
	},
}

// BaseRegions returns the city, its 20 districts and the 3 functional zones,
// which every database starts with.
func BaseRegions() []Region {
	out := []Region{{Code: ChengduCode, Name: "成都市", Level: LevelCity}}
	for i, d := range ChengduDistricts {
		d.Level, d.Parent, d.Sort = LevelDistrict, ChengduCode, i+1
		out = append(out, d)
	}
	for i, z := range ChengduFunctionalZones {
		z.Level, z.Parent, z.Sort = LevelFunctionalZone, ChengduCode, 100+i
		out = append(out, z)
	}
	return out
}

// DistrictRank orders the district-level units as the city lists them:
// the 20 区(市)县 in the order of their codes, then the functional zones; an
// unknown code last.
func DistrictRank(code string) int {
	for i, d := range ChengduDistricts {
		if d.Code == code {
			return i
		}
	}
	for i, z := range ChengduFunctionalZones {
		if z.Code == code {
			return len(ChengduDistricts) + i
		}
	}
	return len(ChengduDistricts) + len(ChengduFunctionalZones)
}

// DistrictLevel reports whether a region is a district-level unit (a 区(市)县
// or a functional zone), the level at which each unit has a work committee.
func (r Region) DistrictLevel() bool {
	return r.Level == LevelDistrict || r.Level == LevelFunctionalZone
}

// ZoneKinds are the kinds of territorial units with an area committee.
var ZoneKinds = CodeList{
	{"park", "园区"},
	{"building", "商圈楼宇"},
	{"market", "专业市场"},
	{"tod", "TOD"},
	{"complex", "商业/社区综合体"},
}

// ZoneKindName returns the Chinese name of a zone kind, or "" if unknown.
func ZoneKindName(code string) string {
	for _, k := range ZoneKinds {
		if k.Code == code {
			return k.Name
		}
	}
	return ""
}

// Zone is a territorial unit (园区, 商圈楼宇, 专业市场 …) managed by a Party org,
// usually its area committee; the zone is in the data scope of that org.
type Zone struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Region     string `json:"region"`
	PartyOrgID int64  `json:"party_org_id"`
	Address    string `json:"address"`
	Version    int    `json:"version"`
}
