package xlsx

import (
	"fmt"
	"regexp"
)

// A spreadsheet turns a long number typed or pasted into a General column
// (an ID number, a USCC made of digits) into a floating-point number: it
// keeps 15 significant digits, shows "5.10104E+17", and the digits after the
// fifteenth are gone (510104199003070015 becomes 510104199003070000). The
// same happens when a CSV file is opened and saved again. No reader can get
// the lost digits back, so such a cell is refused with what happened and
// how to fix it, never guessed.

// scientific is how a number in E notation reads as text ("5.10104E+17",
// "5.1010419900307002E+17", "5,10104E+17" in a locale with a decimal comma):
// a sign in the exponent or a decimal mark, which no USCC has
// (9151018583E2711632 is a valid one).
var scientific = regexp.MustCompile(`^[+-]?\d+(?:[.,]\d+)?[eE][+-]\d+$|^[+-]?\d+[.,]\d+[eE]\d+$`)

// identifierProblem is the reason an identifier cell cannot be read, or "":
// text in E notation (the number as a spreadsheet shows it), or a cell
// stored as a number with more than 15 digits (rounded when it was saved).
func identifierProblem(v string, numeric bool) string {
	const fix = "请把该列的单元格格式设为“文本”，再重新输入完整号码（不要从显示为科学计数法的单元格复制）"
	if scientific.MatchString(v) {
		return fmt.Sprintf("表格软件把号码当作数字，显示成了科学计数法「%s」，第15位以后的数字已经丢失，无法还原；%s", v, fix)
	}
	if numeric && digitCount(v) > 15 {
		return fmt.Sprintf("该单元格是数字格式，表格软件只保留15位有效数字，读到的「%s」末尾几位已被改写；%s", v, fix)
	}
	return ""
}

func digitCount(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// numeric reports whether the template column at position i was read from
// a cell stored as a number.
func (hm *headerMap) numeric(numbers []bool, i int) bool {
	for j, t := range hm.cols {
		if t == i {
			return j < len(numbers) && numbers[j]
		}
	}
	return false
}
