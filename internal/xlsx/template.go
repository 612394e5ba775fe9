package xlsx

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ColumnType tells the reader how to normalize a column and the writers how to
// format it.
type ColumnType int

const (
	Text   ColumnType = iota // kept as text (leading zeros preserved); the default
	Date                     // returned as YYYY-MM-DD from an Excel serial or text
	Number                   // returned without ".0" artifacts or thousands separators
)

// Column is one column of a template.
type Column struct {
	Key      string     // stable identifier used by the importer ("uscc")
	Header   string     // Chinese header text ("统一社会信用代码")
	Required bool       // an empty cell is reported; the header must be present
	Width    float64    // column width in characters; 0 picks one from the header
	Help     string     // filling instructions shown in the template
	Type     ColumnType // Text, Date or Number
	Options  []string   // allowed values: an Excel drop-down list in the template
	Aliases  []string   // other header texts accepted on import
	// Identifier marks a Text column whose every character counts (an ID
	// number, a USCC): a cell that a spreadsheet turned into a number is
	// refused, never read (see identifierProblem).
	Identifier bool
}

// Template is the ordered list of columns of an import/export layout.
type Template struct {
	Columns []Column
}

// ErrorColumnHeader is the extra last column of an error copy. The reader
// ignores it, so a corrected error copy can be imported again as is.
const ErrorColumnHeader = "错误说明"

// HelpSheetName is the second sheet of a template, with each column's help.
const HelpSheetName = "填写说明"

// Index returns the position of key in the template, or -1.
func (t Template) Index(key string) int {
	for i, c := range t.Columns {
		if c.Key == key {
			return i
		}
	}
	return -1
}

// Headers returns the header texts in order.
func (t Template) Headers() []string {
	hs := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		hs[i] = c.Header
	}
	return hs
}

// normHeader makes header matching tolerant of spaces (also full-width), a
// required-marker star and a "（必填）" suffix.
func normHeader(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' || r == '\ufeff' {
			return -1
		}
		return r
	}, s)
	for _, suf := range []string{"（必填）", "(必填)", "*", "＊"} {
		s = strings.TrimSuffix(s, suf)
	}
	s = strings.TrimPrefix(s, "*")
	s = strings.TrimPrefix(s, "＊")
	return s
}

func (c Column) width() float64 {
	if c.Width > 0 {
		return c.Width
	}
	w := 0
	for _, r := range c.Header {
		if utf8.RuneLen(r) > 1 {
			w += 2
		} else {
			w++
		}
	}
	w += 4
	if w < 10 {
		w = 10
	}
	if c.Type == Date && w < 12 {
		w = 12
	}
	return float64(w)
}
