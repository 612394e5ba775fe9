package checkin

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func newKeys(t testing.TB) *Keyring {
	t.Helper()
	k, err := LoadOrCreate(filepath.Join(t.TempDir(), KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// A 主题党日 from 14:30 to 16:30 Chengdu time, codes valid 30 minutes before
// and 15 after.
var (
	cst     = time.FixedZone("CST", 8*3600)
	start   = time.Date(2026, 11, 28, 14, 30, 0, 0, cst)
	end     = time.Date(2026, 11, 28, 16, 30, 0, 0, cst)
	margins = func(k *Keyring) ActivityCodes {
		return ActivityCodes{Keys: k, Before: 30 * time.Minute, After: 15 * time.Minute}
	}
	invalids = []error{ErrMalformed, ErrWrongKind, ErrBadSignature}
)

func TestActivityCodeWindow(t *testing.T) {
	c := margins(newKeys(t))
	ac, err := c.Issue(4711, start, end)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ac.Code, "A1") || len(ac.Code) > 60 {
		t.Errorf("code %q (%d characters)", ac.Code, len(ac.Code))
	}
	if !ac.ValidFrom.Equal(start.Add(-30*time.Minute)) || !ac.ExpiresAt.Equal(end.Add(15*time.Minute)) {
		t.Errorf("window %v – %v", ac.ValidFrom, ac.ExpiresAt)
	}
	for _, c2 := range []struct {
		at   time.Time
		want error
	}{
		{start.Add(-2 * time.Hour), ErrNotYetValid}, // long before the start
		{start.Add(-30*time.Minute - time.Second), ErrNotYetValid},
		{start.Add(-30 * time.Minute), nil},
		{start.Add(time.Hour), nil},
		{end.Add(15*time.Minute - time.Second), nil},
		{end.Add(15 * time.Minute), ErrExpired},
		{end.Add(24 * time.Hour), ErrExpired}, // long after the end
	} {
		got, err := c.Verify(ac.Code, c2.at)
		if err != c2.want {
			t.Errorf("at %v: %v, want %v", c2.at, err, c2.want)
			continue
		}
		if err == nil && got.ActivityID != 4711 {
			t.Errorf("at %v: activity %d", c2.at, got.ActivityID)
		}
		if err != nil && (!errors.Is(err, ErrGone) || errors.Is(err, ErrInvalid)) {
			t.Errorf("%v is not only ErrGone", err)
		}
	}
	// the same activity gets the same code: the JSON and the PNG agree
	again, _ := c.Issue(4711, start, end)
	if again.Code != ac.Code {
		t.Error("issuing is not deterministic")
	}
	// typed in lower case with spaces around it
	if got, err := c.Verify("  "+strings.ToLower(ac.Code)+"\n", start); err != nil || got.ActivityID != 4711 {
		t.Errorf("typed: %v %v", got, err)
	}
}

func TestActivityCodeIssueRejects(t *testing.T) {
	k := newKeys(t)
	for name, f := range map[string]func() error{
		"id 0":        func() error { _, err := margins(k).Issue(0, start, end); return err },
		"end = start": func() error { _, err := margins(k).Issue(1, start, start); return err },
		"negative": func() error {
			_, err := (ActivityCodes{Keys: k, Before: -time.Minute}).Issue(1, start, end)
			return err
		},
		"margin too big": func() error {
			_, err := (ActivityCodes{Keys: k, After: 25 * time.Hour}).Issue(1, start, end)
			return err
		},
		"before 1970": func() error { _, err := margins(k).Issue(1, time.Unix(-600, 0), time.Unix(60, 0)); return err },
		"too long":    func() error { _, err := margins(k).Issue(1, start, start.AddDate(0, 2, 0)); return err },
	} {
		if f() == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func isInvalid(err error) bool {
	return errors.Is(err, ErrInvalid) && !errors.Is(err, ErrGone)
}

func TestActivityCodeForgedAndAltered(t *testing.T) {
	k := newKeys(t)
	c := margins(k)
	ac, _ := c.Issue(4711, start, end)
	now := start

	// every single character changed to every other base32 character
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	for i := range len(ac.Code) {
		for _, r := range alphabet + "01!" {
			if byte(r) == ac.Code[i] {
				continue
			}
			altered := ac.Code[:i] + string(r) + ac.Code[i+1:]
			if _, err := c.Verify(altered, now); !isInvalid(err) {
				t.Fatalf("%q (position %d → %c): %v", altered, i, r, err)
			}
		}
	}
	for name, code := range map[string]string{
		"empty":        "",
		"prefix only":  "A1",
		"other format": "A2" + ac.Code[2:],
		"truncated":    ac.Code[:len(ac.Code)-1],
		"extended":     ac.Code + "A",
		"padding":      ac.Code + "=",
		"url":          "https://example.org/checkin?id=4711",
		"huge":         "A1" + strings.Repeat("A", 10000),
		"forged":       "A1" + strings.Repeat("B", 45),
	} {
		if _, err := c.Verify(code, now); !isInvalid(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// signed by another installation's key
	other, _ := margins(newKeys(t)).Issue(4711, start, end)
	if _, err := c.Verify(other.Code, now); err != ErrBadSignature {
		t.Errorf("wrong key: %v", err)
	}
	// a member code where an activity code is expected
	mc, _ := MemberCodes{Keys: k}.Issue(4711, now)
	if _, err := c.Verify(mc.Code, now); err != ErrWrongKind {
		t.Errorf("member code: %v", err)
	}
	// a forged code with a validly encoded body but no key
	forged := seal(activityPrefix, make([]byte, 32), uint64(k.ActiveKeyID()), 4711, uint64(start.Unix()/60-60), 600)
	if _, err := c.Verify(forged, now); err != ErrBadSignature {
		t.Errorf("zero key: %v", err)
	}
	for _, err := range invalids {
		if !isInvalid(err) || err.Error() == "" {
			t.Errorf("%v", err)
		}
	}
}

// TestActivityCodeOtherActivity: a code verifies as the activity it was
// issued for and no other; moving the signature onto another activity's
// fields fails.
func TestActivityCodeOtherActivity(t *testing.T) {
	k := newKeys(t)
	c := margins(k)
	a, _ := c.Issue(7, start, end)
	b, _ := c.Issue(8, start, end)
	if a.Code == b.Code {
		t.Fatal("two activities, one code")
	}
	if got, err := c.Verify(a.Code, start); err != nil || got.ActivityID != 7 {
		t.Errorf("%v %v", got, err)
	}
	body, _ := b32.DecodeString(a.Code[2:])
	fields := body[:len(body)-tagLen]
	// rewrite the activity id (second varint: key id 1 is one byte) 7 → 8
	if fields[1] != 7 {
		t.Fatalf("layout: % x", fields)
	}
	moved := append([]byte{}, body...)
	moved[1] = 8
	if _, err := c.Verify("A1"+b32.EncodeToString(moved), start); err != ErrBadSignature {
		t.Errorf("moved signature: %v", err)
	}
	// a later window with the old signature
	later := append([]byte{}, body...)
	later[len(fields)-1]++ // the span's last byte
	if _, err := c.Verify("A1"+b32.EncodeToString(later), end.Add(time.Hour)); err != ErrBadSignature {
		t.Errorf("stretched window: %v", err)
	}
}

func TestMemberCode(t *testing.T) {
	k := newKeys(t)
	c := MemberCodes{Keys: k}
	now := time.Date(2026, 11, 28, 14, 31, 10, 0, cst) // 10 s into a 30 s step
	mc, err := c.Issue(123456, now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(mc.Code, "M1") || mc.MemberID != 123456 || !mc.ExpiresAt.Equal(now.Add(50*time.Second)) || mc.ExpiresAt.Location() != time.UTC {
		t.Errorf("%+v", mc)
	}
	for _, c2 := range []struct {
		at   time.Time
		want error
	}{
		{now, nil},
		{now.Add(19 * time.Second), nil},             // the step's end
		{now.Add(20 * time.Second), nil},             // next step: the previous is accepted
		{now.Add(49 * time.Second), nil},             // last second
		{now.Add(50 * time.Second), ErrExpired},      // a screenshot dies here
		{now.Add(time.Hour), ErrExpired},             // and stays dead
		{now.Add(-11 * time.Second), ErrNotYetValid}, // a clock behind the issuer's
		{time.Unix(0, 0), ErrNotYetValid},            // a clock at zero
		{now.Add(-10 * time.Second), nil},            // the step's start
	} {
		id, err := c.Verify(mc.Code, c2.at)
		if err != c2.want || (err == nil && id != 123456) {
			t.Errorf("at %v: %d %v, want %v", c2.at.Sub(now), id, err, c2.want)
		}
	}
	// the code rotates every step
	next, _ := c.Issue(123456, now.Add(30*time.Second))
	if next.Code == mc.Code {
		t.Error("the code did not change with the step")
	}
	// another member's code carries the other id: the scanner takes the id
	// from the code, nowhere else
	other, _ := c.Issue(654321, now)
	if id, err := c.Verify(other.Code, now); err != nil || id != 654321 {
		t.Errorf("%d %v", id, err)
	}
	ac, _ := margins(k).Issue(5, start, end)
	if _, err := c.Verify(ac.Code, now); err != ErrWrongKind {
		t.Errorf("activity code as member code: %v", err)
	}
	wrong, _ := MemberCodes{Keys: newKeys(t)}.Issue(123456, now)
	if _, err := c.Verify(wrong.Code, now); err != ErrBadSignature {
		t.Errorf("wrong key: %v", err)
	}
	for i := range len(mc.Code) {
		altered := mc.Code[:i] + string(flip(mc.Code[i])) + mc.Code[i+1:]
		if _, err := c.Verify(altered, now); !isInvalid(err) {
			t.Errorf("altered at %d: %v", i, err)
		}
	}
}

// flip changes a character to another of the base32 alphabet.
func flip(c byte) byte {
	if c == 'B' {
		return 'A'
	}
	return 'B'
}

func TestMemberCodeStep(t *testing.T) {
	k := newKeys(t)
	now := time.Date(2026, 11, 28, 14, 31, 0, 0, cst)
	c := MemberCodes{Keys: k, Step: time.Minute}
	mc, err := c.Issue(1, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Verify(mc.Code, now.Add(119*time.Second)); err != nil {
		t.Error(err)
	}
	if _, err := c.Verify(mc.Code, now.Add(120*time.Second)); err != ErrExpired {
		t.Error(err)
	}
	for _, step := range []time.Duration{time.Second, 61 * time.Second, 1500 * time.Millisecond, -time.Second} {
		if _, err := (MemberCodes{Keys: k, Step: step}).Issue(1, now); err == nil {
			t.Errorf("step %v accepted", step)
		}
		if _, err := (MemberCodes{Keys: k, Step: step}).Verify(mc.Code, now); err == nil {
			t.Errorf("step %v accepted", step)
		}
	}
	if _, err := c.Issue(0, now); err == nil {
		t.Error("member 0 accepted")
	}
}

func TestKindOf(t *testing.T) {
	k := newKeys(t)
	ac, _ := margins(k).Issue(5, start, end)
	mc, _ := MemberCodes{Keys: k}.Issue(5, start)
	if KindOf(ac.Code) != KindActivity || KindOf(" "+strings.ToLower(mc.Code)) != KindMember || KindOf("X1ABC") != "" {
		t.Error("KindOf")
	}
}

func TestKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), KeyFileName)
	k, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", fi.Mode(), err)
	}
	if strings.Contains(k.String(), readHex(t, path)) || !strings.Contains(k.String(), "REDACTED") {
		t.Error("String shows the key")
	}
	ac, _ := margins(k).Issue(9, start, end)
	// a restart reads the same key: printed posters stay valid
	k2, err := LoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := margins(k2).Verify(ac.Code, start); err != nil || got.ActivityID != 9 {
		t.Fatalf("after restart: %v %v", got, err)
	}
	// readable by others: refused
	os.Chmod(path, 0o644)
	if _, err := LoadOrCreate(path); !errors.Is(err, ErrKeyFile) || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("0644: %v", err)
	}
	os.Chmod(path, 0o600)
	for name, content := range map[string]string{
		"empty":      "",
		"not json":   "key=abc",
		"version":    `{"version":2,"active_key_id":1,"keys":[{"id":1,"key":"` + strings.Repeat("ab", 32) + `"}]}`,
		"short key":  `{"version":1,"active_key_id":1,"keys":[{"id":1,"key":"abcd"}]}`,
		"no active":  `{"version":1,"active_key_id":2,"keys":[{"id":1,"key":"` + strings.Repeat("ab", 32) + `"}]}`,
		"duplicate":  `{"version":1,"active_key_id":1,"keys":[{"id":1,"key":"` + strings.Repeat("ab", 32) + `"},{"id":1,"key":"` + strings.Repeat("cd", 32) + `"}]}`,
		"three keys": `{"version":1,"active_key_id":1,"keys":[{"id":1,"key":"` + strings.Repeat("ab", 32) + `"},{"id":2,"key":"` + strings.Repeat("cd", 32) + `"},{"id":3,"key":"` + strings.Repeat("ef", 32) + `"}]}`,
		"unknown":    `{"version":1,"active_key_id":1,"keys":[{"id":1,"key":"` + strings.Repeat("ab", 32) + `"}],"x":1}`,
	} {
		p := filepath.Join(t.TempDir(), KeyFileName)
		os.WriteFile(p, []byte(content), 0o600)
		_, err := LoadOrCreate(p)
		if !errors.Is(err, ErrKeyFile) {
			t.Errorf("%s: %v", name, err)
		} else if strings.Contains(err.Error(), "abab") {
			t.Errorf("%s: message quotes the key: %v", name, err)
		}
	}
	if _, err := LoadOrCreate(filepath.Join(t.TempDir(), "missing", KeyFileName)); !errors.Is(err, ErrKeyFile) {
		t.Errorf("missing directory: %v", err)
	}
}

func readHex(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(b), `"key": "`)
	return string(b)[i+8 : i+8+64]
}

// TestKeyFileConcurrentCreation: instances starting together end up with
// one key, so that each verifies the others' codes.
func TestKeyFileConcurrentCreation(t *testing.T) {
	path := filepath.Join(t.TempDir(), KeyFileName)
	rings := make([]*Keyring, 8)
	var wg sync.WaitGroup
	for i := range rings {
		wg.Go(func() {
			k, err := LoadOrCreate(path)
			if err != nil {
				t.Error(err)
			}
			rings[i] = k
		})
	}
	wg.Wait()
	ac, _ := margins(rings[0]).Issue(1, start, end)
	for i, k := range rings {
		if _, err := margins(k).Verify(ac.Code, start); err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
}

func TestKeyRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), KeyFileName)
	k, _ := LoadOrCreate(path)
	other, _ := LoadOrCreate(path) // a second instance on the same data
	c := margins(k)
	old, _ := c.Issue(1, start, end)
	oldMember, _ := MemberCodes{Keys: k}.Issue(1, start)

	if err := k.Rotate(start); err != nil {
		t.Fatal(err)
	}
	if k.ActiveKeyID() != 2 {
		t.Errorf("active key %d", k.ActiveKeyID())
	}
	fresh, _ := c.Issue(1, start, end)
	if fresh.Code == old.Code {
		t.Error("a rotation did not change the code")
	}
	// the previous key still verifies, here and (after a reload) elsewhere
	if _, err := c.Verify(old.Code, start); err != nil {
		t.Errorf("previous key: %v", err)
	}
	if _, err := (MemberCodes{Keys: k}).Verify(oldMember.Code, start); err != nil {
		t.Errorf("previous key, member code: %v", err)
	}
	if _, err := margins(other).Verify(fresh.Code, start); err != ErrBadSignature {
		t.Errorf("before reload: %v", err)
	}
	if err := other.Reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := margins(other).Verify(fresh.Code, start); err != nil {
		t.Errorf("after reload: %v", err)
	}
	// a second rotation (from the other instance) retires the first key
	if err := other.Rotate(start); err != nil {
		t.Fatal(err)
	}
	if other.ActiveKeyID() != 3 {
		t.Errorf("active key %d", other.ActiveKeyID())
	}
	if _, err := margins(other).Verify(old.Code, start); err != ErrBadSignature {
		t.Errorf("retired key: %v", err)
	}
	if _, err := margins(other).Verify(fresh.Code, start); err != nil {
		t.Errorf("previous key: %v", err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after rotation %v", fi.Mode())
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func BenchmarkVerifyActivityCode(b *testing.B) {
	c := margins(newKeys(b))
	ac, _ := c.Issue(4711, start, end)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Verify(ac.Code, start); err != nil {
			b.Fatal(err)
		}
	}
}

// Issue 12: the check-in keys rotate as the personal-data keys do
// (internal/keyring): a key file put in place of the one in use — another
// deployment's — is refused by Reload and Rotate instead of silently voiding
// every code issued, and a rotation never runs beside another's.
func TestReloadRefusesReplacedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), KeyFileName)
	k, _ := LoadOrCreate(path)
	issued, _ := margins(k).Issue(1, start, end)
	other := filepath.Join(t.TempDir(), KeyFileName)
	if _, err := LoadOrCreate(other); err != nil {
		t.Fatal(err)
	}
	foreign, _ := os.ReadFile(other)
	if err := os.WriteFile(path, foreign, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := k.Reload(); !errors.Is(err, ErrKeyFile) {
		t.Fatalf("Reload of another deployment's key file: %v", err)
	}
	if err := k.Rotate(start); !errors.Is(err, ErrKeyFile) {
		t.Fatalf("Rotate over another deployment's key file: %v", err)
	}
	if _, err := margins(k).Verify(issued.Code, start); err != nil {
		t.Fatalf("the codes issued stopped verifying: %v", err)
	}
	if err := os.WriteFile(path+".lock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := k.Rotate(start); !errors.Is(err, ErrKeyFile) || !strings.Contains(err.Error(), ".lock") {
		t.Fatalf("Rotate beside another rotation: %v", err)
	}
}
