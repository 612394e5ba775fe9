package pii

import (
	"bytes"
	"strings"
	"testing"
)

// checkMasked asserts the masking invariants shared by all maskers: same rune
// count as the trimmed input, every shown rune is the input's rune at that
// position, positions in [midFrom, n-midTo) are always masked, and at most
// maxShown runes are shown.
func checkMasked(t *testing.T, name, in, out string, midFrom, midTo, maxShown int) {
	t.Helper()
	r, o := []rune(strings.TrimSpace(in)), []rune(out)
	n := len(r)
	if len(o) != n {
		t.Fatalf("%s(%q) = %q: %d runes, want %d", name, in, out, len(o), n)
	}
	shown := 0
	for i := range o {
		if o[i] == '*' {
			continue
		}
		if r[i] == '*' { // input star: cannot tell shown from masked; harmless
			continue
		}
		shown++
		if o[i] != r[i] {
			t.Fatalf("%s(%q) = %q: rune %d invented", name, in, out, i)
		}
		if i >= midFrom && i < n-midTo {
			t.Fatalf("%s(%q) = %q: middle rune %d shown", name, in, out, i)
		}
	}
	if shown > max(0, maxShown) {
		t.Fatalf("%s(%q) = %q: %d runes shown, at most %d allowed", name, in, out, shown, max(0, maxShown))
	}
}

var maskSeeds = []string{
	"", " ", "*", "5", "510104199001010015", "51010419900101001X", "510104900101015",
	"13800138000", "+8613800138000", "87654321", "张三", "欧阳娜娜", "欧阳", "阿依古丽·买买提",
	"😀", "👨‍👩‍👧", "\xff\xfe\xfd", "\u3000张三\u3000", strings.Repeat("9", 40),
}

func FuzzMaskIDNumber(f *testing.F) {
	for _, s := range maskSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n := len([]rune(strings.TrimSpace(in)))
		shown := 0 // below 12 runes nothing is shown
		if n >= 12 {
			shown = min(10, n-8) // at least 8 hidden, at most 6+4 shown
		}
		checkMasked(t, "MaskIDNumber", in, MaskIDNumber(in), 6, 4, shown)
	})
}

func FuzzMaskPhone(f *testing.F) {
	for _, s := range maskSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n := len([]rune(strings.TrimSpace(in)))
		shown := 0
		if n >= 7 {
			shown = min(7, n-4) // at least 4 hidden, at most 3+4 shown
		}
		checkMasked(t, "MaskPhone", in, MaskPhone(in), 3, 4, shown)
	})
}

func FuzzMaskName(f *testing.F) {
	for _, s := range maskSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n := len([]rune(strings.TrimSpace(in)))
		// Only the surname (1 or 2 runes) shows, and never the whole name.
		checkMasked(t, "MaskName", in, MaskName(in), 2, 0, min(2, n-1))
	})
}

func FuzzDecrypt(f *testing.F) {
	k, err := LoadOrCreate(f.TempDir() + "/pii.key")
	if err != nil {
		f.Fatal(err)
	}
	valid, _ := k.Encrypt(KindPhone, "13800138000")
	f.Add(KindPhone, valid)
	f.Add(KindIDNumber, valid)
	f.Add(KindPhone, valid[:overhead])
	f.Add(KindPhone, []byte{})
	f.Add(KindPhone, []byte{formatV1, 0, 0, 0, 1})
	f.Add("", []byte("garbage"))
	f.Fuzz(func(t *testing.T, kind string, ct []byte) {
		// Arbitrary bytes survive a round trip.
		if validKind(kind) {
			ct2, err := k.Encrypt(kind, string(ct))
			if err != nil {
				t.Fatal(err)
			}
			if got, err := k.Decrypt(kind, ct2); err != nil || got != string(ct) {
				t.Fatalf("round trip: %q, %v", got, err)
			}
		}
		pt, err := k.Decrypt(kind, ct)
		if err != nil {
			if pt != "" {
				t.Fatal("plaintext returned with an error")
			}
			return
		}
		if len(ct) > 0 && k.NeedsRotation(ct) {
			t.Fatal("a ciphertext that decrypts under the active key needs rotation")
		}
		// Anything fuzzed that decrypts must be the one real ciphertext.
		if len(ct) > 0 && (!bytes.Equal(ct, valid) || kind != KindPhone) {
			t.Fatalf("forged ciphertext decrypted: kind %q, %x", kind, ct)
		}
	})
}
