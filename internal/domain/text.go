package domain

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The limits every piece of text from outside meets, whatever its field,
// before any rule of its own: both engines then store exactly what was
// accepted (PostgreSQL refuses a NUL byte that SQLite keeps), and nothing
// shows one thing on screen while holding another.
const (
	// MaxLineRunes bounds a single-line text (names, titles, codes) where
	// its own rule sets no lower limit.
	MaxLineRunes = 1000
	// MaxTextRunes bounds a multi-line text (minutes, notes, reasons).
	MaxTextRunes = 20000
)

// TextProblem says what is wrong with a text a person sent, as the end of a
// Chinese sentence whose subject is the field ("含有控制字符"), or "" when
// nothing is. Multi-line texts may hold line breaks and tabs; no text may
// hold another control character (NUL included), a bidi override or
// isolate, or a replacement character left by invalid UTF-8; and a text
// that is not blank must show something: one made only of zero-width or
// format characters reads as empty but is not. Blank space around the text
// is left to the field's own rule (which trims it).
func TextProblem(s string, multiline bool) string {
	if msg := CharsProblem(s, multiline); msg != "" {
		return msg
	}
	limit := MaxLineRunes
	if multiline {
		limit = MaxTextRunes
	}
	if utf8.RuneCountInString(s) > limit {
		return fmt.Sprintf("不能超过%d个字", limit)
	}
	return ""
}

// CharsProblem is TextProblem without the length limit (for search terms
// and other values whose length only costs their sender).
func CharsProblem(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return "含有无法识别的字符（不是有效的 UTF-8 文本）"
	}
	inner := strings.TrimSpace(s)
	visible := false
	for _, r := range inner {
		switch {
		case r == utf8.RuneError:
			return "含有无法识别的字符（可能是编码错误）"
		case r == '\n' || r == '\r' || r == '\t':
			if !multiline {
				return "不能含有换行符或制表符"
			}
		case unicode.IsControl(r):
			return fmt.Sprintf("含有不允许的控制字符（U+%04X）", r)
		case IsBidiControl(r):
			return fmt.Sprintf("含有改变文字方向的控制字符（U+%04X），不允许使用", r)
		case !visible && !invisible(r):
			visible = true
		}
	}
	if inner != "" && !visible {
		return "不能只由空白或不可见字符组成"
	}
	return ""
}

// IsBidiControl reports the explicit embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069), which can make a text read differently
// from what it holds (a file name "gpj.exe" shown as "exe.jpg").
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069
}

// invisible reports characters that show nothing: spaces, format
// characters (zero-width space and joiners, the BOM, word joiner, …) and
// the Hangul fillers and blank Braille pattern that fonts draw empty.
func invisible(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x034F:
		return true
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Zs, r) || unicode.Is(unicode.Mn, r) && r >= 0xFE00 && r <= 0xFE0F
}

// The range of every integer the API accepts where the field sets none of
// its own: the 32-bit INTEGER columns of PostgreSQL (SQLite would keep a
// larger number, so the engines would disagree).
const (
	MinInt32 = -1 << 31
	MaxInt32 = 1<<31 - 1
)

// The years a date or time may fall in: before 1900 or after 2099 a date in
// this system is a typing mistake (a year with a digit missing or added).
const (
	MinYear = 1900
	MaxYear = 2099
)

// YearInRange reports whether a date or time falls in MinYear–MaxYear.
func YearInRange(y int) bool { return y >= MinYear && y <= MaxYear }

// DateProblem explains why s is not an acceptable date for the field
// labelled label ("成立日期"): its form, or its year. It is the message of
// a ParseDate that failed.
func DateProblem(label, s string) string {
	if t, err := parseISODate(s); err == nil && !YearInRange(t.Year()) {
		return fmt.Sprintf("%s应在%d年至%d年之间", label, MinYear, MaxYear)
	}
	return label + "格式应为 YYYY-MM-DD，且须是真实存在的日期"
}
