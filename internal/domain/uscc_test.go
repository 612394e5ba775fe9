package domain

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// usccAccepted is the override list used by the tests: §5.1's one public
// example of a code with a wrong check character.
var usccAccepted = map[string]bool{"91350203M0001QAY9B": true}

// withCheck completes 17 characters with their GB 32100 check character.
func withCheck(t testing.TB, first17 string) string {
	c, ok := USCCCheckChar(first17)
	if !ok {
		t.Fatalf("USCCCheckChar(%q) failed", first17)
	}
	return first17 + string(c)
}

// fieldMessage returns the message for field, failing unless err is a
// ValidationError that has one.
func fieldMessage(t *testing.T, err error, field string) string {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Fields[field] == "" {
		t.Fatalf("got %v, want a ValidationError on %s", err, field)
	}
	return ve.Fields[field]
}

func TestParseUSCCValidVectors(t *testing.T) {
	// Every valid vector of domain-rules §5.1.
	for _, c := range []struct{ code, kind, subtype string }{
		{"91350100M000100Y43", "enterprise", ""},
		{"91440300708461136T", "enterprise", ""},
		{"91330100716105852F", "enterprise", ""},
		{"914403001922038216", "enterprise", ""},
		{"91350200776049653A", "enterprise", ""},
		{"913502000728319549", "enterprise", ""},
		{"123502001549897397", "", ""}, // 事业单位: valid, not a 两新 organization
		{"9135021359498494XQ", "enterprise", ""},
		{"91350213678251743X", "enterprise", ""},
		{"91350200MA2YJ1XR9G", "enterprise", ""},
		{"91510100MA6CAB126W", "enterprise", ""},
		{"92510104MA6D7H8PXY", "individual_business", ""},
		{"93510124MA6ABC122W", "cooperative", ""},
		{"51510100MJ081234X0", "social_org", "association"},
		{"52510104MJ0Q5R7T6B", "social_org", "service_institution"},
		{"53510000MJ000123XA", "social_org", "foundation"},
		{"91510100MA603Q7K30", "enterprise", ""}, // Σ mod 31 = 0: 31 → '0'
		{"91510100MA63YQ7K5Y", "enterprise", ""}, // check value 30 = 'Y'
	} {
		u, err := ParseUSCC(c.code, nil)
		if err != nil {
			t.Errorf("%s: %v", c.code, err)
			continue
		}
		want := USCC{Code: c.code, Dept: c.code[0], Category: c.code[1], Region: c.code[2:8], OrgCode: c.code[8:17], Kind: c.kind, Subtype: c.subtype}
		if !reflect.DeepEqual(u, want) {
			t.Errorf("%s: got %+v, want %+v", c.code, u, want)
		}
		if ch, ok := USCCCheckChar(c.code[:17]); !ok || ch != c.code[17] {
			t.Errorf("USCCCheckChar(%s) = %c, %v", c.code[:17], ch, ok)
		}
	}
}

func TestParseUSCCInvalid(t *testing.T) {
	const valid = "91510100MA6CAB126W"
	for _, c := range []struct {
		name, code string
		want       string // a part of the message that names the problem
	}{
		{"§5.1 wrong check, expected 9", "91350203M0001QAY9B", "校验位错误，应为 9"},
		{"§5.1 altered check char", "91510100MA6CAB126X", "校验位错误，应为 W"},
		{"empty", "", "请填写统一社会信用代码"},
		{"blank", " \t ", "请填写统一社会信用代码"},
		{"17 characters", valid[:17], "应为18位，输入的是17位"},
		{"19 characters", valid + "0", "应为18位，输入的是19位"},
		{"a character lost, spaces ignored", "91510100MA6 AB126W", "应为18位，输入的是17位"},
		{"full-width letter outside the charset", "９1510100MA6CAB126Ｏ", "第18位“O”不是有效字符"},
		{"Chinese character", "91510100MA6CAB12号W", "第17位“号”不是有效字符"},
		{"letter in region", "91A10100MA6CAB126W", "第3–8位是登记管理机关的行政区划代码"},
		{"check char lost by a typo", "91510100MA6CBA126W", "校验位错误"},
	} {
		_, err := ParseUSCC(c.code, nil)
		if msg := fieldMessage(t, err, "uscc"); !strings.Contains(msg, c.want) || !strings.HasPrefix(msg, "统一社会信用代码") && !strings.HasPrefix(msg, "请填写") {
			t.Errorf("%s: message %q, want it to contain %q", c.name, msg, c.want)
		}
	}
	// §5.1: "any code containing I/O/S/V/Z … ❌ charset", in either case
	// (a lower-case letter is upper-cased first, see below).
	for _, bad := range "IOSVZiosvz" {
		code := valid[:10] + string(bad) + valid[11:]
		msg := fieldMessage(t, func() error { _, err := ParseUSCC(code, nil); return err }(), "uscc")
		if !strings.Contains(msg, "第11位") || !strings.Contains(msg, "不是有效字符") {
			t.Errorf("%s: %q", code, msg)
		}
	}
}

// The brief asks for lower case to be upper-cased (like the x of an ID
// number); §5.1 lists lower case as a charset failure of the *code*, which
// holds for the value stored, since Code is always upper case.
func TestParseUSCCNormalises(t *testing.T) {
	for _, in := range []string{"91510100ma6cab126w", "  91510100MA6CAB126W\t\n", "\u300091510100Ma6CaB126w "} {
		u, err := ParseUSCC(in, nil)
		if err != nil || u.Code != "91510100MA6CAB126W" {
			t.Errorf("%q: got %q, %v", in, u.Code, err)
		}
	}
}

func TestParseUSCCAcceptedList(t *testing.T) {
	u, err := ParseUSCC(" 91350203m0001qay9b ", usccAccepted)
	if err != nil {
		t.Fatal(err)
	}
	if !u.Exempt || u.Code != "91350203M0001QAY9B" || u.Kind != "enterprise" || len(u.Warnings) != 1 || !strings.Contains(u.Warnings[0], "应为 9") {
		t.Errorf("got %+v", u)
	}
	// The list lifts the check character only: the code must still be 18
	// characters of the charset.
	for _, code := range []string{"91350203M0001QAY9", "91350203M0001QAYIB", "9135020XM0001QAY9B"} {
		_, err := ParseUSCC(code, map[string]bool{code: true})
		if msg := fieldMessage(t, err, "uscc"); strings.Contains(msg, "校验位") {
			t.Errorf("%s: %q", code, msg)
		}
	}
	// A correct code on the list is not marked exempt.
	if u, err := ParseUSCC("91510100MA6CAB126W", map[string]bool{"91510100MA6CAB126W": true}); err != nil || u.Exempt {
		t.Errorf("got %+v, %v", u, err)
	}
}

func TestParseUSCCWarnings(t *testing.T) {
	for _, c := range []struct{ first17, warn string }{
		{"94510100MA6CAB126", "登记管理部门“市场监管”下没有已知的机构类别代码“4”"},
		{"C1510100MA6CAB126", "登记管理部门代码“C”不在已知代码表中"},
		{"91510100MA6CAB127", "主体标识码（组织机构代码）校验位应为 6，请核对"},
		{"91510100MA6CAB12A", "主体标识码（组织机构代码）校验位应为 6，请核对"},
	} {
		code := withCheck(t, c.first17)
		u, err := ParseUSCC(code, nil)
		if err != nil {
			t.Errorf("%s: %v (a warning must not block)", code, err)
			continue
		}
		if len(u.Warnings) != 1 || u.Warnings[0] != c.warn {
			t.Errorf("%s: warnings %q, want %q", code, u.Warnings, c.warn)
		}
	}
	// 59 民政 其他 is a known pair but no 两新 kind.
	if u, err := ParseUSCC(withCheck(t, "59510100MJ081234X"), nil); err != nil || u.Kind != "" || len(u.Warnings) != 0 {
		t.Errorf("59: %+v, %v", u, err)
	}
}

func TestUSCCCheckCharRejectsBadInput(t *testing.T) {
	for _, s := range []string{"", "9151010MA6CAB126", "91510100MA6CAB1260", "91510100MA6CAB12I", "91510100ma6cab126"} {
		if c, ok := USCCCheckChar(s); ok {
			t.Errorf("USCCCheckChar(%q) = %c, want failure", s, c)
		}
	}
}

func FuzzParseUSCC(f *testing.F) {
	for _, s := range []string{
		"91350100M000100Y43", "123502001549897397", "92510104MA6D7H8PXY", "51510100MJ081234X0",
		"91510100MA603Q7K30", "91510100MA63YQ7K5Y", "91350203M0001QAY9B", "91510100MA6CAB126X",
		" 91510100ma6cab126w ", "91A10100MA6CAB126W", "９1510100MA6CAB126W", "", "ıſ510100MA6CAB126W",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUSCC(s, usccAccepted)
		norm := NormalizeCode(s)
		// Putting the input on the list lifts the check-character error and
		// nothing else.
		ux, errx := ParseUSCC(s, map[string]bool{norm: true})
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields["uscc"] == "" {
				t.Fatalf("%q: error %v is not a single uscc FieldError", s, err)
			}
			if strings.Contains(ve.Fields["uscc"], "统一社会信用代码校验位错误") {
				if errx != nil || !ux.Exempt {
					t.Fatalf("%q: on the list, got %+v, %v", s, ux, errx)
				}
			} else if errx == nil || errx.Error() != err.Error() {
				t.Fatalf("%q: on the list, error %v, want %v", s, errx, err)
			}
			return
		}
		if len(u.Code) != 18 || u.Code != norm {
			t.Fatalf("%q: code %q", s, u.Code)
		}
		u2, err := ParseUSCC(u.Code, usccAccepted)
		if err != nil || !reflect.DeepEqual(u, u2) {
			t.Fatalf("%q: re-parse gave %+v, %v; first %+v", s, u2, err, u)
		}
		c, ok := USCCCheckChar(u.Code[:17])
		if !ok {
			t.Fatalf("%q: accepted, but USCCCheckChar fails", s)
		}
		if (c != u.Code[17]) != u.Exempt || u.Exempt && !usccAccepted[u.Code] {
			t.Fatalf("%q: check %c, exempt %v", s, c, u.Exempt)
		}
		if k := usccKinds[u.Code[:2]]; u.Kind != k[0] || u.Subtype != k[1] {
			t.Fatalf("%q: kind %q/%q", s, u.Kind, u.Subtype)
		}
	})
}
