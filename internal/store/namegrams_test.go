package store

import (
	"slices"
	"testing"
)

func TestParseNameQuery(t *testing.T) {
	for _, c := range []struct {
		q        string
		grams    []string
		from, to string
		exact    bool
	}{
		{"成都", []string{"成都"}, "", "", true},
		{"成", nil, "成", "我", true},
		{"A", nil, "a", "b", true},
		{"科技有限", []string{"科技", "技有", "有限"}, "", "", false},
		{"成都成都", []string{"成都", "都成"}, "", "", false},
		{"ABC科技", []string{"ab", "bc", "c科", "科技"}, "", "", false},
		{"Ａ", nil, "Ａ", "Ｂ", true}, // full-width letters are not ASCII: as the engines' lower() leave them
		{"\uD7FF", nil, "\uD7FF", "\uE000", true},
		{"\U0010FFFF", nil, "\U0010FFFF", "", true},
	} {
		nq := ParseNameQuery(c.q)
		if !slices.Equal(nq.Grams, c.grams) || nq.From != c.from || nq.To != c.to || nq.Exact != c.exact {
			t.Errorf("%q: %+v", c.q, nq)
		}
	}
	// Every gram a name has is found by the search of any of its
	// substrings: the pairs of the substring are among the name's, and its
	// one character begins one of them (the last alone included).
	name := lowerASCII("成都ABC科技有限公司")
	rs := []rune(name)
	grams := map[string]bool{}
	for i := range rs {
		grams[string(rs[i:min(i+2, len(rs))])] = true
	}
	for i := range rs {
		for j := i + 1; j <= len(rs); j++ {
			nq := ParseNameQuery(string(rs[i:j]))
			for _, g := range nq.Grams {
				if !grams[g] {
					t.Errorf("%q: gram %q not among the name's", string(rs[i:j]), g)
				}
			}
			if nq.From != "" {
				found := false
				for g := range grams {
					found = found || (g >= nq.From && (nq.To == "" || g < nq.To))
				}
				if !found {
					t.Errorf("%q: no gram in [%q, %q)", string(rs[i:j]), nq.From, nq.To)
				}
			}
		}
	}
}
