package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// USCC is a parsed 统一社会信用代码 (GB 32100-2015, domain-rules §5.1).
type USCC struct {
	Code     string `json:"code"`     // the 18 characters, upper case
	Dept     byte   `json:"-"`        // 登记管理部门代码, position 1
	Category byte   `json:"-"`        // 机构类别代码, position 2
	Region   string `json:"region"`   // 登记管理机关行政区划码, positions 3–8 (GB/T 2260)
	OrgCode  string `json:"org_code"` // 主体标识码 (组织机构代码), positions 9–17
	// Kind is the organization kind of a 两新 organization (enterprise,
	// individual_business, cooperative, social_org); "" for any other
	// organization (机关, 事业单位, 工会 …), which the caller may refuse.
	Kind    string `json:"kind"`
	Subtype string `json:"subtype"` // for social_org: association, service_institution, foundation
	// Exempt is set when the code passed only because it is on the accepted
	// list: real registrations with a wrong check character exist (§5.1).
	Exempt bool `json:"exempt"`
	// Warnings are Chinese notes on checks that §5.1 says must not block:
	// an unknown department/category pair, a failing GB 11714 check.
	Warnings []string `json:"warnings,omitempty"`
}

// usccCharset lists the 31 symbols in value order; I, O, S, V, Z are unused.
const usccCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^(i-1) mod 31 for positions 1–17.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCDepartments names the registration departments (position 1): Annex A
// of GB 32100-2015 plus the later additions listed in §5.1.
var USCCDepartments = map[byte]string{
	'1': "机构编制", '2': "外交", '3': "司法行政", '4': "文化", '5': "民政",
	'6': "旅游", '7': "宗教", '8': "工会", '9': "市场监管",
	'A': "中央军委改革和编制办公室", 'G': "公安", 'J': "住建", 'N': "农业农村",
	'Q': "侨联", 'Y': "其他",
}

// USCCCategories names the known department/category pairs (positions 1–2).
// It is data, not a rule: §5.1 says to warn, not reject, on an unknown pair,
// since the code authority keeps assigning new ones.
var USCCCategories = map[string]string{
	"11": "机关", "12": "事业单位", "13": "中央编办直接管理机构编制的群众团体", "19": "其他",
	"21": "外国常驻新闻机构", "29": "其他",
	"31": "律师执业机构", "32": "公证处", "33": "基层法律服务所", "34": "司法鉴定机构",
	"35": "仲裁委员会", "36": "商事调解组织", "39": "其他",
	"41": "外国在华文化中心", "49": "其他",
	"51": "社会团体", "52": "民办非企业单位（社会服务机构）", "53": "基金会",
	"54": "村民委员会", "55": "居民委员会", "59": "其他",
	"61": "外国政府旅游部门常驻代表机构", "62": "港澳台地区旅游部门常驻内地（大陆）代表机构", "69": "其他",
	"71": "宗教活动场所", "72": "宗教院校", "79": "其他",
	"81": "基层工会", "82": "非法人工会组织", "89": "其他",
	"91": "企业", "92": "个体工商户", "93": "农民专业合作社", "99": "其他",
	"A1": "军队事业单位", "A9": "其他",
	"G1": "境外非政府组织代表机构", "G9": "其他",
	"J1": "业主大会", "J9": "其他",
	"N1": "组级集体经济组织", "N2": "村级集体经济组织", "N3": "乡镇级集体经济组织", "N9": "其他",
	"Q1": "区县级侨联组织", "Q2": "乡镇级侨联组织", "Q3": "村级侨联组织", "Q9": "其他",
	"Y1": "其他",
}

// usccKinds maps the prefixes of 两新 organizations to kind and subtype
// (glossary: 91/92/93 market regulation, 51/52/53 civil affairs).
var usccKinds = map[string][2]string{
	"91": {"enterprise", ""},
	"92": {"individual_business", ""},
	"93": {"cooperative", ""},
	"51": {"social_org", "association"},
	"52": {"social_org", "service_institution"},
	"53": {"social_org", "foundation"},
}

// usccValue returns the value (0–30) of a code symbol, or -1.
func usccValue(c byte) int {
	return strings.IndexByte(usccCharset, c)
}

// USCCCheckChar computes the GB 32100 check character (position 18) of the
// first 17 characters; false when s is not 17 characters of the charset.
func USCCCheckChar(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := usccValue(first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * usccWeights[i]
	}
	return usccCharset[(31-sum%31)%31], true
}

// orgCodeCheckChar computes the GB 11714 check character of an 8-character
// organization code body (digits by value, letters A–Z as 10–35).
func orgCodeCheckChar(body string) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// ParseUSCC normalises (NormalizeCode) and validates a 统一社会信用代码:
// spaces removed, full-width characters made half-width, letters upper-cased, so a code typed in lower case is accepted
// and stored in the standard's upper case. accepted holds normalised codes
// that pass despite a wrong check character; they must still be 18 symbols
// of the charset with a numeric region.
func ParseUSCC(s string, accepted map[string]bool) (USCC, error) {
	code := NormalizeCode(s)
	if code == "" {
		return USCC{}, FieldError("uscc", "请填写统一社会信用代码")
	}
	if n := utf8.RuneCountInString(code); n != 18 {
		return USCC{}, FieldError("uscc", fmt.Sprintf("统一社会信用代码应为18位，输入的是%d位", n))
	}
	i := 0
	for _, r := range code {
		i++
		if r >= utf8.RuneSelf || usccValue(byte(r)) < 0 {
			return USCC{}, FieldError("uscc", fmt.Sprintf("统一社会信用代码第%d位“%c”不是有效字符（只用数字和除I、O、S、V、Z以外的大写字母）", i, r))
		}
		if i >= 3 && i <= 8 && (r < '0' || r > '9') {
			return USCC{}, FieldError("uscc", "统一社会信用代码第3–8位是登记管理机关的行政区划代码，应为6位数字")
		}
	}
	u := USCC{Code: code, Dept: code[0], Category: code[1], Region: code[2:8], OrgCode: code[8:17]}
	if want, _ := USCCCheckChar(code[:17]); want != code[17] {
		if !accepted[code] {
			return USCC{}, FieldError("uscc", fmt.Sprintf("统一社会信用代码校验位错误，应为 %c，请核对是否输错", want))
		}
		u.Exempt = true
		u.Warnings = append(u.Warnings, fmt.Sprintf("校验位应为 %c，按例外名单接受", want))
	}
	prefix := code[:2]
	if _, ok := USCCCategories[prefix]; !ok {
		if dept, ok := USCCDepartments[u.Dept]; ok {
			u.Warnings = append(u.Warnings, fmt.Sprintf("登记管理部门“%s”下没有已知的机构类别代码“%c”", dept, u.Category))
		} else {
			u.Warnings = append(u.Warnings, fmt.Sprintf("登记管理部门代码“%c”不在已知代码表中", u.Dept))
		}
	}
	// §5.1: positions 9–17 are a GB 11714 code, but this check is a warning only.
	// Its check character is a digit or X, so any other 17th character fails.
	if want := orgCodeCheckChar(code[8:16]); want != code[16] {
		u.Warnings = append(u.Warnings, fmt.Sprintf("主体标识码（组织机构代码）校验位应为 %c，请核对", want))
	}
	if k, ok := usccKinds[prefix]; ok {
		u.Kind, u.Subtype = k[0], k[1]
	}
	return u, nil
}

// MakeUSCC builds a valid code from its parts: the registration department
// and category (2 characters), the region (6 digits) and an 8-character
// organization-code body; both check characters are computed. The generator
// uses it for synthetic organizations.
func MakeUSCC(deptCategory, region, body string) string {
	first17 := deptCategory + region + body + string(orgCodeCheckChar(body))
	c, _ := USCCCheckChar(first17)
	return first17 + string(c)
}
