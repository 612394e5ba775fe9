package checkin

import (
	"strings"
	"testing"
)

// FuzzVerify: no input panics either verifier, and none verifies unless it
// is, up to case and surrounding space, a code the server issued.
func FuzzVerify(f *testing.F) {
	k, err := LoadOrCreate(f.TempDir() + "/" + KeyFileName)
	if err != nil {
		f.Fatal(err)
	}
	acts := margins(k)
	members := MemberCodes{Keys: k}
	ac, _ := acts.Issue(4711, start, end)
	mc, _ := members.Issue(4711, start)
	issued := map[string]bool{ac.Code: true, mc.Code: true}
	for _, seed := range []string{
		ac.Code, mc.Code, ac.Code[:20], mc.Code + "A", strings.ToLower(ac.Code),
		"", "A1", "M1", "A1====", "M1\x00", "A1" + strings.Repeat("7", 90), "二维码",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, code string) {
		if got, err := acts.Verify(code, start); err == nil && (!issued[normalize(code)] || got.ActivityID != 4711) {
			t.Fatalf("activity code %q verified as %+v", code, got)
		}
		if id, err := members.Verify(code, start); err == nil && (!issued[normalize(code)] || id != 4711) {
			t.Fatalf("member code %q verified as %d", code, id)
		}
		_ = KindOf(code)
	})
}
