package domain

import (
	"strings"
	"unicode"
)

// NormalizeCode prepares an identifier typed or pasted by a person (USCC, ID
// number): full-width letters and digits (Ａ, １, typed with a Chinese input
// method) become half-width, every space inside or around is removed, and
// letters are upper-cased.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII block
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) || r == '\u3000' || r == '-' {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}
