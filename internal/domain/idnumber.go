package domain

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// IDNumber is a parsed 公民身份号码 (GB 11643-1999, domain-rules §5.2).
type IDNumber struct {
	Number string // 18 characters; a check character X is upper case
	// Region is the 地址码 at the time of issue. It never changes, so it may
	// be a retired code (510124 郫县 …) and is not checked against GB/T 2260.
	Region string
	Birth  time.Time // midnight UTC, like ParseDate
	Male   bool      // odd 顺序码
}

// MinBirthYear is the earliest birth year accepted: nobody on the platform
// was born earlier, so an earlier date is a typo.
const MinBirthYear = 1900

// IDProvinces are the 34 province-level codes (first two digits). They have
// not changed since 1988 (海南 46; 重庆 50 since 1997), and numbers issued
// before keep the old province, which is also in this list.
var IDProvinces = map[string]string{
	"11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
	"21": "辽宁", "22": "吉林", "23": "黑龙江",
	"31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东",
	"41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
	"50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
	"61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
	"71": "台湾", "81": "香港", "82": "澳门",
}

// idWeights are 2^(18-i) mod 11 for positions 1–17 (ISO 7064 MOD 11-2).
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// IDCheckChar computes the MOD 11-2 check character of the first 17 digits;
// it returns 0 when first17 is not 17 ASCII digits.
func IDCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseIDNumber normalises (NormalizeCode) and validates a 公民身份号码:
// spaces removed, full-width digits made half-width, a lower-case x upper-cased, a 15-digit number of GB 11643-1989
// converted to 18 digits. The birth date must be real, from MinBirthYear on
// and not after today (taken in today's own location).
func ParseIDNumber(s string, today time.Time) (IDNumber, error) {
	num := NormalizeCode(s)
	bad := func(format string, a ...any) (IDNumber, error) {
		return IDNumber{}, FieldError("id_number", fmt.Sprintf(format, a...))
	}
	switch n := utf8.RuneCountInString(num); {
	case num == "":
		return bad("请填写公民身份号码")
	case n == 15 && len(num) == 15:
		if !allDigits(num) {
			return bad("15位的旧公民身份号码应全为数字")
		}
		// The old number has a 2-digit year and no check character.
		num = num[:6] + "19" + num[6:]
		num += string(IDCheckChar(num))
	case n == 18 && len(num) == 18:
		if !allDigits(num[:17]) {
			return bad("公民身份号码前17位应为数字")
		}
		if num[17] == 'x' {
			num = num[:17] + "X"
		}
		if c := num[17]; c != 'X' && (c < '0' || c > '9') {
			return bad("公民身份号码最后一位（校验位）应为数字或X")
		}
	case n == 15 || n == 18:
		return bad("公民身份号码只能包含数字和X")
	default:
		return bad("公民身份号码应为18位（旧号码为15位），输入的是%d位", n)
	}
	// The specific checks come before the checksum: a month 13 points at the
	// typo, a wrong check character only says there is one somewhere.
	if _, ok := IDProvinces[num[:2]]; !ok {
		return bad("公民身份号码前两位“%s”不是有效的省级行政区划代码", num[:2])
	}
	ds := num[6:14]
	// Unbounded: the checks below say which way a year is out.
	birth, err := parseISODate(ds[:4] + "-" + ds[4:6] + "-" + ds[6:])
	if err != nil {
		return bad("公民身份号码中的出生日期%s不是有效日期", ds)
	}
	if birth.Year() < MinBirthYear {
		return bad("公民身份号码中的出生日期%s早于%d年", ds, MinBirthYear)
	}
	y, m, d := today.Date()
	if birth.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		return bad("公民身份号码中的出生日期%s晚于今天", ds)
	}
	if want := IDCheckChar(num[:17]); want != num[17] {
		return bad("公民身份号码校验位错误，应为 %c，请核对是否输错", want)
	}
	return IDNumber{Number: num, Region: num[:6], Birth: birth, Male: (num[16]-'0')%2 == 1}, nil
}

// ConsistentWith reports, as a ValidationError on birth_date and gender, a
// birth date or gender entered beside the number that disagrees with it. A
// zero birth means "not entered" and is not compared.
func (n IDNumber) ConsistentWith(birth time.Time, male bool) error {
	var v ValidationError
	if !birth.IsZero() {
		y, m, d := birth.Date()
		by, bm, bd := n.Birth.Date()
		if y != by || m != bm || d != bd {
			v.Add("birth_date", "出生日期与公民身份号码不符，号码中的出生日期为"+n.Birth.Format(DateLayout))
		}
	}
	if male != n.Male {
		g := "女"
		if n.Male {
			g = "男"
		}
		v.Add("gender", "性别与公民身份号码不符，号码中的性别为"+g)
	}
	return v.Err()
}

// MakeIDNumber builds a valid number from an address code, a birth date and
// a sequence (0–499; its parity gives the gender). The generator uses it for
// synthetic members.
func MakeIDNumber(region string, birth time.Time, seq int, male bool) string {
	n := seq%500*2 + 1
	if !male {
		n--
	}
	first17 := region + birth.Format("20060102") + fmt.Sprintf("%03d", n)
	return first17 + string(IDCheckChar(first17))
}
