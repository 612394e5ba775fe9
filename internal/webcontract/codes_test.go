package main

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/domain"
)

func TestLiteralWritesTypeScript(t *testing.T) {
	var b strings.Builder
	for _, v := range []any{
		domain.CodeName{Code: "it's", Name: `a\b`},
		domain.PartyOrgTypeInfo{Code: "branch", Name: "党支部", Grassroots: true, DefaultTermYears: 3, Parents: []domain.PartyOrgType{"committee"}},
	} {
		var buf bytes.Buffer
		literal(&buf, reflect.ValueOf(v))
		b.WriteString(buf.String() + "\n")
	}
	want := `{ code: 'it\'s', name: 'a\\b' }
{ code: 'branch', name: '党支部', grassroots: true, default_term_years: 3, parents: ['committee'] }
`
	if b.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// Every list the web app imports is written, in the domain's order.
func TestCodesTSHasEveryList(t *testing.T) {
	ts := string(codesTS())
	for _, l := range codeLists {
		if !strings.Contains(ts, "export const "+l.name+" = [\n") {
			t.Errorf("codes.gen.ts lacks %s", l.name)
		}
	}
	if i, j := strings.Index(ts, "'yellow'"), strings.Index(ts, "'red'"); i < 0 || j < i {
		t.Error("the alert levels are not in the domain's order")
	}
}
