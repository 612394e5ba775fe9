package domain

import "testing"

func TestClassifyLogin(t *testing.T) {
	for _, c := range []struct {
		in    string
		kind  LoginKind
		value string
	}{
		// Phones, however typed.
		{"13800000001", LoginPhone, "13800000001"},
		{"+8613800000001", LoginPhone, "13800000001"},
		{"008613800000001", LoginPhone, "13800000001"},
		{"8613800000001", LoginPhone, "13800000001"},
		{" 138 0000 0001 ", LoginPhone, "13800000001"},
		{"138-0000-0001", LoginPhone, "13800000001"},
		{"１３８０００００００１", LoginPhone, "13800000001"},
		{"(+86) 138 0000 0001", LoginPhone, "13800000001"},
		{"19912345678", LoginPhone, "19912345678"},
		// 11 digits that are no mobile number: a username.
		{"12800000001", LoginUsername, "12800000001"},
		{"02888888888", LoginUsername, "02888888888"},
		// ID numbers: 18 characters, 15 digits converted, a check letter
		// upper-cased, spaces and full width folded.
		{"510104199003070015", LoginIDNumber, "510104199003070015"},
		{"5101 0419 9003 0700 15", LoginIDNumber, "510104199003070015"},
		{"５１０１０４１９９００３０７００１５", LoginIDNumber, "510104199003070015"},
		{"51010419900307001x", LoginIDNumber, "51010419900307001X"},
		{"510104900307001", LoginIDNumber, "510104199003070015"},
		// Of ID length but invalid: still an ID number, as normalized.
		{"510104199003070016", LoginIDNumber, "510104199003070016"},
		{"abcdefghijklmno", LoginIDNumber, "ABCDEFGHIJKLMNO"},
		// Usernames, in lower case.
		{"JinJiang", LoginUsername, "jinjiang"},
		{"  admin ", LoginUsername, "admin"},
		{"jj-staff", LoginUsername, "jj-staff"},
		{"51010419900307", LoginUsername, "51010419900307"},
		{"5101041990030700150", LoginUsername, "5101041990030700150"},
		{"", LoginUsername, ""},
	} {
		got := ClassifyLogin(c.in)
		if got.Kind != c.kind || got.Value != c.value {
			t.Errorf("ClassifyLogin(%q) = %v %q, want %v %q", c.in, got.Kind, got.Value, c.kind, c.value)
		}
		if CanonicalLogin(c.in) != c.value {
			t.Errorf("CanonicalLogin(%q) = %q, want %q", c.in, CanonicalLogin(c.in), c.value)
		}
	}
	if LoginPhone.String() != "phone" || LoginIDNumber.String() != "id_number" || LoginUsername.String() != "username" {
		t.Error("kind names")
	}
}
