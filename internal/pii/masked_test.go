package pii

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Issue 12: a Masked value holds the mask only, so that no encoding of it
// (JSON, a map key, fmt's verbs, the zero value) can give the plain value.
func TestMaskedHoldsOnlyTheMask(t *testing.T) {
	for _, c := range []struct {
		m           Masked
		plain, want string
	}{
		{MaskedIDNumber("510104199003070015"), "510104199003070015", "510104********0015"},
		{MaskedIDNumber(" 51010419900307001X "), "51010419900307001X", "510104********001X"},
		{MaskedPhone("13800001234"), "13800001234", "138****1234"},
		{MaskedPhone(""), "", ""},
	} {
		b, err := json.Marshal(map[string]any{"v": c.m, "p": &c.m, "s": []Masked{c.m}})
		if err != nil {
			t.Fatal(err)
		}
		keyed, _ := json.Marshal(map[Masked]int{c.m: 1})
		out := string(b) + string(keyed) + fmt.Sprintf("%v %+v %#v %s %q %x", c.m, c.m, c.m, c.m, c.m, c.m)
		if c.plain != "" && (strings.Contains(out, c.plain) || strings.Contains(out, fmt.Sprintf("%x", c.plain))) {
			t.Errorf("%s: the plain value shows: %s", c.want, out)
		}
		if want := `{"p":"` + c.want + `","s":["` + c.want + `"],"v":"` + c.want + `"}`; string(b) != want {
			t.Errorf("JSON %s, want %s", b, want)
		}
		if c.m.String() != c.want {
			t.Errorf("String() = %q, want %q", c.m.String(), c.want)
		}
	}
	var zero Masked
	if b, _ := json.Marshal(zero); string(b) != `""` {
		t.Errorf("zero value: %s", b)
	}
}
