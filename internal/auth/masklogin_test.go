package auth

import "testing"

// TestMaskLogin: a typed login that is no account reaches the audit trail
// only when it cannot be a password or an ID number.
func TestMaskLogin(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"jinjiang", "jinjiang"},
		{" JinJiang ", "jinjiang"},     // a username typed with capitals
		{"nobody-here", "nobody-here"}, // a plausible username
		{"13800138000", "138****8000"}, // a phone
		{"+86 138 0013 8000", "138****8000"},
		{"51010419821126114X", "510104********114X"}, // an ID number, check letter X
		{"51010419821126114x", "510104********114X"},
		{"510104821126114", "510********6114"},       // 15 digits
		{"5101041982", "**********"},                 // part of one
		{"５１０１０４１９８２１１２６１１４５", "510104********1145"}, // full-width
		{"Test@2026pass", hiddenLogin},               // a password: symbols
		{"Jinjiang2026", hiddenLogin},                // upper, lower and digits
		{"p@ssw0rd", hiddenLogin},
		{"张三", hiddenLogin}, // not a username
		{"ab", hiddenLogin},
	} {
		if got := maskLogin(c.in); got != c.want {
			t.Errorf("maskLogin(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
