package store

import (
	"strings"
	"unicode/utf8"
)

// Names are searched by substring through their bigrams (migration 0026):
// every pair of adjacent characters and the last character alone, ASCII
// letters lowered, as the triggers write them. These are the grams of a
// search string, so that both sides agree.

// NameQuery is how a substring search reads the grams.
type NameQuery struct {
	// Grams are the distinct pairs of a search of two characters or more.
	Grams []string
	// From and To bound the grams that begin with the one character of a
	// one-character search (To "" when open).
	From, To string
	// Exact: the grams alone decide (one or two characters); a longer
	// search also checks the name, since its pairs may lie apart.
	Exact bool
}

// ParseNameQuery reads a search string (already trimmed, not empty).
func ParseNameQuery(q string) NameQuery {
	rs := []rune(lowerASCII(q))
	switch len(rs) {
	case 0:
		return NameQuery{Exact: true}
	case 1:
		return NameQuery{From: string(rs[0]), To: successor(rs[0]), Exact: true}
	}
	seen := map[string]bool{}
	var nq NameQuery
	for i := 0; i+1 < len(rs); i++ {
		g := string(rs[i : i+2])
		if !seen[g] {
			seen[g] = true
			nq.Grams = append(nq.Grams, g)
		}
	}
	nq.Exact = len(rs) == 2
	return nq
}

// lowerASCII lowers A–Z only, as SQLite's lower() and PostgreSQL's lower()
// under COLLATE "C" do.
func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// successor is the smallest string above every string that begins with r
// in byte (code point) order, "" when there is none.
func successor(r rune) string {
	next := r + 1
	if next >= 0xD800 && next <= 0xDFFF {
		next = 0xE000
	}
	if next > utf8.MaxRune {
		return ""
	}
	return string(next)
}
