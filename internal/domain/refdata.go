package domain

import "slices"

// Reference data: the ordered code lists behind the registry's drop-downs,
// Excel validation lists and filters. Codes are what is stored and sent in
// JSON; names are the Chinese labels shown to users. Order is display order.

// CodeName is one entry of a reference list.
type CodeName struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// CodeList is an ordered reference list.
type CodeList []CodeName

// Has reports whether code is in the list.
func (l CodeList) Has(code string) bool {
	return l.Index(code) >= 0
}

// Index is the position of code in the list, or -1.
func (l CodeList) Index(code string) int {
	for i, c := range l {
		if c.Code == code {
			return i
		}
	}
	return -1
}

// Name is the Chinese name of code, or "" when the code is not in the list.
func (l CodeList) Name(code string) string {
	if i := l.Index(code); i >= 0 {
		return l[i].Name
	}
	return ""
}

// CodeOf finds the code for a Chinese name (for Excel import, where users
// pick names from drop-downs), and whether it was found.
func (l CodeList) CodeOf(name string) (string, bool) {
	for _, c := range l {
		if c.Name == name {
			return c.Code, true
		}
	}
	return "", false
}

// Codes lists the codes in order.
func (l CodeList) Codes() []string {
	out := make([]string, len(l))
	for i, c := range l {
		out[i] = c.Code
	}
	return out
}

// Names lists the Chinese names in order (an Excel drop-down).
func (l CodeList) Names() []string {
	out := make([]string, len(l))
	for i, c := range l {
		out[i] = c.Name
	}
	return out
}

// Organization kinds, derived from the USCC (glossary).
const (
	KindEnterprise         = "enterprise"
	KindIndividualBusiness = "individual_business"
	KindCooperative        = "cooperative"
	KindSocialOrg          = "social_org"
)

// OrgKinds names the organization kinds.
var OrgKinds = CodeList{
	{KindEnterprise, "非公企业"},
	{KindIndividualBusiness, "个体工商户"},
	{KindCooperative, "农民专业合作社"},
	{KindSocialOrg, "社会组织"},
}

// OrgSubtypes names the subtypes of social organizations.
var OrgSubtypes = CodeList{
	{"association", "社会团体"},
	{"service_institution", "社会服务机构（民办非企业单位）"},
	{"foundation", "基金会"},
}

// Organization statuses (登记状态).
const (
	OrgActive       = "active"
	OrgSuspended    = "suspended"
	OrgMovedOut     = "moved_out"
	OrgDeregistered = "deregistered"
	OrgRevoked      = "revoked"
	OrgAbnormal     = "abnormal"
)

// OrgStatuses is the list of organization statuses.
var OrgStatuses = CodeList{
	{OrgActive, "存续/在业"},
	{OrgSuspended, "停业"},
	{OrgMovedOut, "迁出"},
	{OrgDeregistered, "注销"},
	{OrgRevoked, "吊销"},
	{OrgAbnormal, "经营异常"},
}

// Industries are the 20 sections (门类) of GB/T 4754-2017.
var Industries = CodeList{
	{"A", "农、林、牧、渔业"},
	{"B", "采矿业"},
	{"C", "制造业"},
	{"D", "电力、热力、燃气及水生产和供应业"},
	{"E", "建筑业"},
	{"F", "批发和零售业"},
	{"G", "交通运输、仓储和邮政业"},
	{"H", "住宿和餐饮业"},
	{"I", "信息传输、软件和信息技术服务业"},
	{"J", "金融业"},
	{"K", "房地产业"},
	{"L", "租赁和商务服务业"},
	{"M", "科学研究和技术服务业"},
	{"N", "水利、环境和公共设施管理业"},
	{"O", "居民服务、修理和其他服务业"},
	{"P", "教育"},
	{"Q", "卫生和社会工作"},
	{"R", "文化、体育和娱乐业"},
	{"S", "公共管理、社会保障和社会组织"},
	{"T", "国际组织"},
}

// EmployeeBands group employee counts. The band is derived from the count
// (EmployeeBandOf), never typed in. The cut at 50 matches the common local
// threshold for organizations expected to set up their own Party org; 300
// and 1000 follow the 大中小微 statistical division (国统字〔2017〕213号).
var EmployeeBands = CodeList{
	{"lt10", "10人以下"},
	{"10_49", "10–49人"},
	{"50_99", "50–99人"},
	{"100_299", "100–299人"},
	{"300_999", "300–999人"},
	{"1000_plus", "1000人及以上"},
}

var employeeBandFloors = []int{0, 10, 50, 100, 300, 1000}

// EmployeeBandFloors are the least employee counts of EmployeeBands, band by
// band (the web app derives a band as the server does).
func EmployeeBandFloors() []int { return slices.Clone(employeeBandFloors) }

// EmployeeBandOf returns the band code for n employees ("" when n < 0).
func EmployeeBandOf(n int) string {
	if n < 0 {
		return ""
	}
	band := ""
	for i, floor := range employeeBandFloors {
		if n >= floor {
			band = EmployeeBands[i].Code
		}
	}
	return band
}

// RevenueBands group annual revenue (年营业收入). 2000万元 is the 规模以上
// threshold for industry (and 1亿元 for wholesale), so both are cuts.
var RevenueBands = CodeList{
	{"lt1m", "100万元以下"},
	{"1m_5m", "100万–500万元"},
	{"5m_20m", "500万–2000万元"},
	{"20m_100m", "2000万–1亿元"},
	{"100m_1b", "1亿–10亿元"},
	{"1b_plus", "10亿元及以上"},
}

// OrgFlags are the registry's organization flags.
var OrgFlags = CodeList{
	{"above_scale", "规模以上"},
	{"listed", "上市"},
	{"specialized", "专精特新"},
	{"chain_master", "链主"},
	{"high_tech", "高新技术"},
	{"trade_association", "行业协会商会"},
	{"private_education", "民办教育"},
	{"private_medical", "民办医疗"},
	{"professional_services", "律师/会计/中介机构"},
	{"brand_social_org", "品牌社会组织"},
}

// PartyBuildingFlags are an organization's Party-building facts (capability
// M43 党建入章, M44 双向进入交叉任职, M52 书记由负责人担任, M48 党建带群建:
// the union, the Communist Youth League and the Women's Federation built).
// Each code is also the name of its organizations column (0/1), so that a
// filter or a count reads the column of the same name.
var PartyBuildingFlags = CodeList{
	{"charter_includes_party", "党建入章"},
	{"cross_appointment", "双向进入交叉任职"},
	{"secretary_is_head", "书记由负责人担任"},
	{"union_established", "已建工会"},
	{"youth_league_established", "已建共青团"},
	{"women_federation_established", "已建妇联"},
}

// OrgMarks are every flag an organization list can be filtered and counted
// by: the Party-building facts, then the registry's flags.
var OrgMarks = append(append(CodeList{}, PartyBuildingFlags...), OrgFlags...)

// CountedOrgStatuses are the statuses of the organizations that the flag
// counts include: those that still exist (注销, 吊销 and 迁出 ones are left
// out, as their flags no longer describe anyone's work).
var CountedOrgStatuses = []string{OrgActive, OrgSuspended, OrgAbnormal}

// Ethnicities are the 56 民族 with their GB/T 3304-1991 codes and order,
// plus the standard's two residual codes: 97 其他（未识别民族） and
// 98 外国血统中国籍人士.
var Ethnicities = CodeList{
	{"01", "汉族"}, {"02", "蒙古族"}, {"03", "回族"}, {"04", "藏族"},
	{"05", "维吾尔族"}, {"06", "苗族"}, {"07", "彝族"}, {"08", "壮族"},
	{"09", "布依族"}, {"10", "朝鲜族"}, {"11", "满族"}, {"12", "侗族"},
	{"13", "瑶族"}, {"14", "白族"}, {"15", "土家族"}, {"16", "哈尼族"},
	{"17", "哈萨克族"}, {"18", "傣族"}, {"19", "黎族"}, {"20", "傈僳族"},
	{"21", "佤族"}, {"22", "畲族"}, {"23", "高山族"}, {"24", "拉祜族"},
	{"25", "水族"}, {"26", "东乡族"}, {"27", "纳西族"}, {"28", "景颇族"},
	{"29", "柯尔克孜族"}, {"30", "土族"}, {"31", "达斡尔族"}, {"32", "仫佬族"},
	{"33", "羌族"}, {"34", "布朗族"}, {"35", "撒拉族"}, {"36", "毛南族"},
	{"37", "仡佬族"}, {"38", "锡伯族"}, {"39", "阿昌族"}, {"40", "普米族"},
	{"41", "塔吉克族"}, {"42", "怒族"}, {"43", "乌孜别克族"}, {"44", "俄罗斯族"},
	{"45", "鄂温克族"}, {"46", "德昂族"}, {"47", "保安族"}, {"48", "裕固族"},
	{"49", "京族"}, {"50", "塔塔尔族"}, {"51", "独龙族"}, {"52", "鄂伦春族"},
	{"53", "赫哲族"}, {"54", "门巴族"}, {"55", "珞巴族"}, {"56", "基诺族"},
	{"97", "其他"}, {"98", "外国血统中国籍人士"},
}

// EducationLevels simplify GB/T 4658-2006 (学历) to the levels a member
// record needs, highest first.
var EducationLevels = CodeList{
	{"postgraduate", "研究生"},
	{"bachelor", "大学本科"},
	{"associate", "大学专科"},
	{"secondary_vocational", "中专/中技"},
	{"high_school", "高中"},
	{"junior_or_below", "初中及以下"},
}

// Member statuses (glossary).
const (
	MemberFull         = "full"
	MemberProbationary = "probationary"
)

// MemberStatuses names the member statuses.
var MemberStatuses = CodeList{
	{MemberFull, "正式党员"},
	{MemberProbationary, "预备党员"},
}

// Member standings (党籍/在册状态).
const (
	StandingRegistered     = "registered"
	StandingTransferredOut = "transferred_out"
	StandingSuspended      = "suspended"
	StandingExpelled       = "expelled"
	StandingDeceased       = "deceased"
)

// MemberStandings names the member standings.
var MemberStandings = CodeList{
	{StandingRegistered, "在册"},
	{StandingTransferredOut, "已转出"},
	{StandingSuspended, "停止党籍"},
	{StandingExpelled, "出党"},
	{StandingDeceased, "去世"},
}

// Genders names the genders.
var Genders = CodeList{
	{"male", "男"},
	{"female", "女"},
}

// GigTypes are the new-employment-group (新就业群体) types.
var GigTypes = CodeList{
	{"courier", "快递员"},
	{"rider", "外卖骑手"},
	{"ride_hailing", "网约车司机"},
	{"truck_driver", "货车司机"},
	{"live_streamer", "电商主播"},
	{"other", "其他"},
}
