package store

import "testing"

func TestOlderVersion(t *testing.T) {
	for _, c := range []struct {
		v, min string
		older  bool
	}{
		{"3.54.1", "3.54.0", false},
		{"3.54.0", "3.54.0", false},
		{"3.53.9", "3.54.0", true},
		{"3.9.0", "3.54.0", true},
		{"4.0", "3.54.0", false},
		{"3.54", "3.54.1", true},
	} {
		if got := olderVersion(c.v, c.min); got != c.older {
			t.Errorf("olderVersion(%q, %q) = %v, want %v", c.v, c.min, got, c.older)
		}
	}
}
