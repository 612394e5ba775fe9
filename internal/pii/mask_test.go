package pii

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMaskIDNumber(t *testing.T) {
	for in, want := range map[string]string{
		"510104199001010015":   "510104********0015",
		"51010419900101001X":   "510104********001X",
		" 510104199001010015 ": "510104********0015",
		"510104900101015":      "510********1015", // 15-digit (old): 8 hidden, birth date covered
		"5101041990010100150":  "510104*********0150",
		"510104199001":         "********9001",
		"51010419900":          "***********",
		"":                     "",
		"5":                    "*",
		"５１０１０４１９９００１０１００１５": "５１０１０４********００１５", // full-width digits: runes, not bytes
		"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀": "😀😀😀😀😀😀********😀😀😀😀",
	} {
		if got := MaskIDNumber(in); got != want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"13800138000":    "138****8000",
		"+8613800138000": "+86*******8000",
		"028-87654321":   "028*****4321",
		"87654321":       "****4321",
		"8765432":        "****432",
		"0288765432":     "02****5432",
		"876543":         "******",
		"":               "",
		"1":              "*",
		"📱📱📱📱📱📱📱📱📱📱📱": "📱📱📱****📱📱📱📱",
	} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{
		"张三":         "张*",
		"张三丰":        "张**",
		"欧阳娜娜":       "欧阳**",
		"欧阳娜":        "欧阳*",
		"欧阳":         "欧*", // alone it is surname 欧 + given name 阳
		"司马相如":       "司马**",
		"诸葛亮":        "诸葛*",
		"上官婉儿":       "上官**",
		"歐陽修":        "歐陽*",
		"阿依古丽·买买提":   "阿*******",
		"张":          "*",
		"":           "",
		" 李四 ":       "李*",
		"John Smith": "J*********",
		"😀😀":         "😀*",
		"👨‍👩‍👧":      "👨****", // a ZWJ sequence is 5 runes; none is split mid-byte
		"\xff\xfe":   "\uFFFD*",
	} {
		got := MaskName(in)
		if got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("MaskName(%q) is not valid UTF-8", in)
		}
	}
}

func TestCompoundSurnamesAreTwoRunes(t *testing.T) {
	for s := range compoundSurnames {
		if utf8.RuneCountInString(s) != 2 || strings.ContainsAny(s, " \t\n") {
			t.Errorf("bad compound surname %q", s)
		}
	}
	for _, s := range []string{"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "端木"} {
		if !compoundSurnames[s] {
			t.Errorf("%s missing", s)
		}
	}
}
