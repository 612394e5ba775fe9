// Package importer moves the registry in and out of Excel: the import
// templates, exports in the same layout (so that an export can be edited and
// imported again) and, next, the validate → report → commit import jobs.
package importer

import (
	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/xlsx"
)

// Yes and No are how booleans are written in the workbooks.
const (
	Yes = "是"
	No  = "否"
)

var yesNo = []string{Yes, No}

// OrganizationTemplate is the layout of the 两新组织 workbook.
var OrganizationTemplate = xlsx.Template{Columns: []xlsx.Column{
	{Key: "uscc", Header: "统一社会信用代码", Required: true, Width: 22, Help: "18位，GB 32100；组织类别由代码自动判断；请把该列设为“文本”格式，全为数字的代码不要让表格软件转成数字", Identifier: true},
	{Key: "name", Header: "组织名称", Required: true, Width: 30},
	{Key: "legal_representative", Header: "法定代表人"},
	{Key: "founder_name", Header: "出资人/开办人"},
	{Key: "founder_is_member", Header: "出资人是否党员", Options: yesNo},
	{Key: "registered_on", Header: "成立日期", Type: xlsx.Date},
	{Key: "status", Header: "经营状态", Options: domain.OrgStatuses.Names(), Help: "留空为存续/在业"},
	{Key: "address", Header: "地址", Width: 30},
	{Key: "region", Header: "所在区划代码", Required: true, Width: 12, Help: "区(市)县6位或镇(街道)9位代码"},
	{Key: "industry", Header: "行业门类", Required: true, Options: domain.Industries.Names(), Help: "GB/T 4754-2017 门类"},
	{Key: "chain", Header: "重点产业链", Width: 16, Help: "产业链名称，见“重点产业链”页面（如 集成电路、新型显示）；标签含“链主”时必填"},
	{Key: "employees", Header: "从业人数", Type: xlsx.Number},
	{Key: "revenue_band", Header: "营业收入区间", Options: domain.RevenueBands.Names()},
	{Key: "flags", Header: "标签", Width: 24, Help: "多个用“；”分隔：" + joinNames(domain.OrgFlags)},
	{Key: "charter_includes_party", Header: "党建入章", Options: yesNo},
	{Key: "charter_includes_party_on", Header: "党建入章日期", Type: xlsx.Date},
	{Key: "cross_appointment", Header: "双向进入交叉任职", Options: yesNo},
	{Key: "secretary_is_head", Header: "书记由负责人担任", Options: yesNo},
	{Key: "union_established", Header: "已建工会", Options: yesNo},
	{Key: "youth_league_established", Header: "已建共青团", Options: yesNo},
	{Key: "women_federation_established", Header: "已建妇联", Options: yesNo},
	{Key: "area_manager", Header: "属地管理党组织", Required: true, Width: 28, Help: "党组织全称或编号，重名时写作“全称（编号）”（导出即如此），须在您的管理范围内"},
	{Key: "industry_manager", Header: "行业管理党组织", Width: 28, Help: "党组织全称或编号，重名时写作“全称（编号）”（可空）"},
	{Key: "covering", Header: "覆盖党组织", Width: 32, Help: "本单位单独组建的党组织或所在联合党支部：全称或编号，可写作“全称（编号）”，多个用“；”分隔；导入只增加覆盖关系，解除请在组织页面操作"},
}}

// MemberTemplate is the layout of the 党员 workbook. The ID number and phone
// columns carry masked values in an ordinary export.
var MemberTemplate = xlsx.Template{Columns: []xlsx.Column{
	{Key: "name", Header: "姓名", Required: true},
	{Key: "id_number", Header: "公民身份号码", Required: true, Width: 22, Help: "18位；出生日期与性别按号码自动填写；请把该列设为“文本”格式，否则表格软件会把号码变成 5.10104E+17 之类的数字、丢失末几位", Identifier: true},
	{Key: "gender", Header: "性别", Options: domain.Genders.Names()},
	{Key: "ethnicity", Header: "民族", Options: domain.Ethnicities.Names()},
	{Key: "birth_date", Header: "出生日期", Type: xlsx.Date},
	{Key: "phone", Header: "手机号码", Width: 14},
	{Key: "education", Header: "学历", Options: domain.EducationLevels.Names()},
	{Key: "joined_on", Header: "入党日期", Required: true, Type: xlsx.Date},
	{Key: "full_member_on", Header: "转正日期", Type: xlsx.Date},
	{Key: "status", Header: "党员类别", Required: true, Options: domain.MemberStatuses.Names()},
	{Key: "standing", Header: "党籍状态", Options: domain.MemberStandings.Names(), Help: "留空为在册"},
	{Key: "party_org", Header: "组织关系所在党组织", Width: 28, Help: "党组织全称或编号，重名时写作“全称（编号）”（导出即如此）；已撤销的党组织只能保留原有的组织关系，不能新转入"},
	{Key: "employer_uscc", Header: "工作单位统一社会信用代码", Width: 22, Identifier: true},
	{Key: "job", Header: "职业"},
	{Key: "post", Header: "职务"},
	{Key: "key_post", Header: "关键岗位", Options: yesNo},
	{Key: "mobile", Header: "流动党员", Options: yesNo},
	{Key: "mobile_place", Header: "流动去向"},
	{Key: "gig_type", Header: "新就业群体类型", Options: domain.GigTypes.Names()},
}}

func joinNames(l domain.CodeList) string {
	out := ""
	for i, n := range l.Names() {
		if i > 0 {
			out += "、"
		}
		out += n
	}
	return out
}

// yesNoOf writes a boolean.
func yesNoOf(b bool) string {
	if b {
		return Yes
	}
	return No
}
