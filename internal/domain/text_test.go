package domain

import (
	"strings"
	"testing"
	"time"
)

func TestTextProblem(t *testing.T) {
	for _, c := range []struct {
		name      string
		s         string
		multiline bool
		want      string // part of the problem; "" when the text is fine
	}{
		{"plain", "中共成都市锦江区某某有限公司党支部", false, ""},
		{"empty", "", false, ""},
		{"blank (the field trims it)", "  \u3000 ", false, ""},
		{"spaces around", " 张三 \n", false, ""},
		{"NUL", "jin\x00jiang", false, "控制字符（U+0000）"},
		{"NUL in multi-line", "第一行\n\x00", true, "控制字符（U+0000）"},
		{"bell", "a\ab", false, "控制字符（U+0007）"},
		{"DEL", "a\x7fb", false, "控制字符（U+007F）"},
		{"C1", "a\u0085b", false, "控制字符（U+0085）"},
		{"C1 CSI", "a\u009bb", true, "控制字符（U+009B）"},
		{"newline in a name", "张\n三", false, "换行"},
		{"tab in a name", "张\t三", false, "制表"},
		{"minutes with lines", "一、学习\r\n二、讨论\t（30分钟）", true, ""},
		{"right-to-left override", "invoice\u202Egpj.exe", false, "U+202E"},
		{"isolate", "a\u2066b\u2069", true, "U+2066"},
		{"embedding", "\u202Aab", false, "U+202A"},
		{"zero-width only", "\u200B\u200B", false, "不可见"},
		{"zero-width and spaces", " \u200B \u2060\uFEFF ", false, "不可见"},
		{"Hangul filler", "\u3164", false, "不可见"},
		{"zero-width joiner inside a word is fine", "a\u200Db", false, ""},
		{"replacement character", "张\uFFFD", false, "无法识别"},
		{"invalid UTF-8", "张\xff", false, "UTF-8"},
		{"long line", strings.Repeat("党", MaxLineRunes+1), false, "不能超过1000个字"},
		{"long line allowed in multi-line", strings.Repeat("党", MaxLineRunes+1), true, ""},
		{"long text", strings.Repeat("党", MaxTextRunes+1), true, "不能超过20000个字"},
		{"emoji", "党建👍", false, ""},
		{"Uyghur name", "ئابلىمىت", false, ""},
	} {
		got := TextProblem(c.s, c.multiline)
		switch {
		case c.want == "" && got != "":
			t.Errorf("%s: %q refused: %s", c.name, c.s, got)
		case c.want != "" && !strings.Contains(got, c.want):
			t.Errorf("%s: %q: problem %q, want it to contain %q", c.name, c.s, got, c.want)
		}
	}
	// Search terms have no length limit, only the character rules.
	if got := CharsProblem(strings.Repeat("党", MaxLineRunes+1), false); got != "" {
		t.Errorf("CharsProblem of a long term: %s", got)
	}
	if got := CharsProblem("%00\x00", false); got == "" {
		t.Errorf("CharsProblem let a NUL through")
	}
}

func TestParseDateYears(t *testing.T) {
	for _, c := range []struct {
		s    string
		ok   bool
		want string // part of DateProblem
	}{
		{"1900-01-01", true, ""},
		{"2099-12-31", true, ""},
		{"1899-12-31", false, "1900年至2099年"},
		{"0001-01-01", false, "1900年至2099年"},
		{"2100-01-01", false, "1900年至2099年"},
		{"9999-12-31", false, "1900年至2099年"},
		{"2026-02-30", false, "YYYY-MM-DD"},
		{"26-1-1", false, "YYYY-MM-DD"},
	} {
		_, ok := ParseDate(c.s)
		if ok != c.ok {
			t.Errorf("ParseDate(%q) ok = %v, want %v", c.s, ok, c.ok)
		}
		if !ok {
			if msg := DateProblem("成立日期", c.s); !strings.HasPrefix(msg, "成立日期") || !strings.Contains(msg, c.want) {
				t.Errorf("DateProblem(%q) = %q, want it to contain %q", c.s, msg, c.want)
			}
		}
	}
}

func TestCheckInput(t *testing.T) {
	type seat struct {
		Name string `json:"name"`
	}
	type inner struct {
		Title string `json:"title"`
	}
	type body struct {
		inner
		Name     *string        `json:"name,omitempty"`
		Minutes  string         `json:"minutes" text:"multiline"`
		Count    *int           `json:"count"`
		ID       int64          `json:"id"`
		Seats    []seat         `json:"seats"`
		Params   map[string]int `json:"params"`
		At       time.Time      `json:"at"`
		Skipped  string         `json:"-"`
		internal string
	}
	big := MaxInt32 + 1
	ok := body{inner: inner{Title: "主题党日"}, Name: ptr("张三"), Minutes: "一\n二", Count: ptr(MaxInt32), ID: 1 << 40,
		Seats: []seat{{"李四"}}, Params: map[string]int{"days": 30}, At: time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC), Skipped: "\x00", internal: "\x00"}
	if err := CheckInput(&ok); err != nil {
		t.Fatalf("a good body refused: %v", err)
	}
	bad := body{inner: inner{Title: "\u202E"}, Name: ptr("a\x00b"), Minutes: "一\n\x00", Count: &big,
		Seats: []seat{{"ok"}, {"\u200B"}}, Params: map[string]int{"days": -big - 1, "\x00": 1}, At: time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)}
	err := CheckInput(&bad)
	ve, isVE := err.(*ValidationError)
	if !isVE {
		t.Fatalf("CheckInput = %v, want a ValidationError", err)
	}
	for field, want := range map[string]string{
		"title": "U+202E", "name": "U+0000", "minutes": "U+0000", "count": "超出允许的范围",
		"seats[1].name": "不可见", "params.days": "超出允许的范围", "params": "的键", "at": "1900年至2099年",
	} {
		if msg := ve.Fields[field]; !strings.Contains(msg, want) || !strings.Contains(msg, "字段 "+field) {
			t.Errorf("field %s: %q, want it to name the field and contain %q", field, msg, want)
		}
	}
	if len(ve.Fields) != 8 {
		t.Errorf("fields %v", ve.Fields)
	}
}
