package pii

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	k, _ := newTestKeyring(t)
	for _, c := range []struct{ kind, value string }{
		{KindIDNumber, "510104199001010015"},
		{KindIDNumber, "51010419900101001X"},
		{KindPhone, "13800138000"},
		{"name", "欧阳娜娜"},
		{"address", strings.Repeat("成都市锦江区", 200)},
		{"emoji", "👨‍👩‍👧 \x00\xff"},
	} {
		ct, err := k.Encrypt(c.kind, c.value)
		if err != nil {
			t.Fatal(err)
		}
		if len(ct) != len(c.value)+overhead {
			t.Errorf("%s: ciphertext length %d, want %d", c.kind, len(ct), len(c.value)+overhead)
		}
		got, err := k.Decrypt(c.kind, ct)
		if err != nil || got != c.value {
			t.Errorf("%s: got %q, %v", c.kind, got, err)
		}
	}
}

func TestEmpty(t *testing.T) {
	k, _ := newTestKeyring(t)
	ct, err := k.Encrypt(KindPhone, "")
	if err != nil || ct != nil {
		t.Fatalf("Encrypt(\"\") = %v, %v; want nil, nil", ct, err)
	}
	for _, ct := range [][]byte{nil, {}} {
		if got, err := k.Decrypt(KindPhone, ct); err != nil || got != "" {
			t.Fatalf("Decrypt(%v) = %q, %v", ct, got, err)
		}
	}
	if k.Index(KindPhone, "") != nil || k.IndexSuffix(KindIDNumber, "") != nil {
		t.Fatal("index of empty value should be nil")
	}
}

func TestCiphertextHidesPlaintext(t *testing.T) {
	k, _ := newTestKeyring(t)
	for _, v := range []string{"510104199001010015", "13800138000", "8000", "欧阳娜娜"} {
		a, _ := k.Encrypt(KindIDNumber, v)
		b, _ := k.Encrypt(KindIDNumber, v)
		if bytes.Contains(a, []byte(v)) {
			t.Fatalf("ciphertext contains %q", v)
		}
		if bytes.Equal(a, b) {
			t.Fatal("equal plaintexts gave equal ciphertexts (nonce reuse?)")
		}
		if bytes.Equal(a[headerLen:headerLen+nonceLen], b[headerLen:headerLen+nonceLen]) {
			t.Fatal("nonce repeated")
		}
	}
}

func TestWrongKindFails(t *testing.T) {
	k, _ := newTestKeyring(t)
	ct, _ := k.Encrypt(KindPhone, "13800138000")
	if got, err := k.Decrypt(KindIDNumber, ct); !errors.Is(err, ErrDecrypt) || got != "" {
		t.Fatalf("phone ciphertext decrypted as id_number: %q, %v", got, err)
	}
}

func TestOtherKeyFileFails(t *testing.T) {
	a, _ := newTestKeyring(t)
	b, _ := newTestKeyring(t)
	ct, _ := a.Encrypt(KindPhone, "13800138000")
	if _, err := b.Decrypt(KindPhone, ct); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("decrypted with another key file: %v", err)
	}
}

func TestTamperedFails(t *testing.T) {
	k, _ := newTestKeyring(t)
	if err := k.Rotate(); err != nil { // so key id 1 exists and a header swap has a target
		t.Fatal(err)
	}
	ct, _ := k.Encrypt(KindIDNumber, "510104199001010015")
	for i := range ct {
		for _, bit := range []byte{0x01, 0x80} {
			bad := bytes.Clone(ct)
			bad[i] ^= bit
			if got, err := k.Decrypt(KindIDNumber, bad); err == nil {
				t.Fatalf("flipping bit %#x of byte %d still decrypted to %q", bit, i, got)
			}
		}
	}
	swapped := bytes.Clone(ct)
	swapped[headerLen-1] = 1 // claim the old key
	if _, err := k.Decrypt(KindIDNumber, swapped); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("key id swapped to 1: %v", err)
	}
	for n := range len(ct) {
		if _, err := k.Decrypt(KindIDNumber, ct[:n]); n > 0 && err == nil {
			t.Fatalf("truncated to %d bytes still decrypted", n)
		}
	}
	if _, err := k.Decrypt(KindIDNumber, append(bytes.Clone(ct), 0)); err == nil {
		t.Fatal("extended ciphertext still decrypted")
	}
}

func TestErrorsDoNotLeak(t *testing.T) {
	k, _ := newTestKeyring(t)
	ct, _ := k.Encrypt(KindPhone, "13800138000")
	_, err := k.Decrypt(KindIDNumber, ct)
	for _, s := range append(secrets(k), "13800138000") {
		if strings.Contains(err.Error(), s) {
			t.Fatalf("error leaks: %v", err)
		}
	}
}

func TestKindValidation(t *testing.T) {
	k, _ := newTestKeyring(t)
	for _, kind := range []string{"", "Phone", "1phone", "id\x00number", "id-number", strings.Repeat("a", 33)} {
		if _, err := k.Encrypt(kind, "x"); !errors.Is(err, ErrKind) {
			t.Errorf("Encrypt kind %q: %v", kind, err)
		}
		if _, err := k.Decrypt(kind, []byte("x")); !errors.Is(err, ErrKind) {
			t.Errorf("Decrypt kind %q: %v", kind, err)
		}
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Index kind %q did not panic", kind)
				}
			}()
			k.Index(kind, "x")
		}()
	}
	if _, err := k.Encrypt(strings.Repeat("a", 32), "x"); err != nil {
		t.Fatal(err)
	}
}

func TestIndex(t *testing.T) {
	k, _ := newTestKeyring(t)
	a := k.Index(KindIDNumber, "510104199001010015")
	if len(a) != IndexLen {
		t.Fatalf("index length %d", len(a))
	}
	if !bytes.Equal(a, k.Index(KindIDNumber, "510104199001010015")) {
		t.Fatal("index not deterministic")
	}
	distinct := map[string]string{
		"same value, other kind": string(k.Index(KindPhone, "510104199001010015")),
		"other value":            string(k.Index(KindIDNumber, "510104199001010016")),
		"suffix index":           string(k.IndexSuffix(KindIDNumber, "510104199001010015")),
		// kind||0x00||value must not collide across the boundary.
		"shifted boundary": string(k.Index("id_numbe", "r\x00510104199001010015")),
	}
	for name, v := range distinct {
		if v == string(a) {
			t.Errorf("%s: index equal", name)
		}
	}
	other, _ := newTestKeyring(t)
	if bytes.Equal(a, other.Index(KindIDNumber, "510104199001010015")) {
		t.Fatal("index independent of the key")
	}

	s := k.IndexSuffix(KindIDNumber, "0015")
	if len(s) != IndexLen || !bytes.Equal(s, k.IndexSuffix(KindIDNumber, "0015")) {
		t.Fatal("suffix index not deterministic")
	}
	if bytes.Equal(s, k.Index(KindIDNumber, "0015")) {
		t.Fatal("suffix index equals the full index of the same string")
	}
	if bytes.Equal(s, k.IndexSuffix(KindPhone, "0015")) || bytes.Equal(s, k.IndexSuffix(KindIDNumber, "0016")) {
		t.Fatal("suffix index ignores kind or value")
	}
}

func TestIndexConcurrent(t *testing.T) {
	k, _ := newTestKeyring(t)
	want := k.Index(KindPhone, "13800138000")
	done := make(chan bool)
	for i := range 8 {
		go func() {
			ok := true
			for range 500 {
				k.Index(KindIDNumber, strings.Repeat("9", i)) // interleave other values through the pool
				ok = ok && bytes.Equal(k.Index(KindPhone, "13800138000"), want)
			}
			done <- ok
		}()
	}
	for range 8 {
		if !<-done {
			t.Fatal("pooled HMAC state leaked between calls")
		}
	}
}

func BenchmarkEncrypt(b *testing.B) {
	k, _ := newTestKeyring(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Encrypt(KindIDNumber, "510104199001010015"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecrypt(b *testing.B) {
	k, _ := newTestKeyring(b)
	ct, _ := k.Encrypt(KindIDNumber, "510104199001010015")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Decrypt(KindIDNumber, ct); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIndex(b *testing.B) {
	k, _ := newTestKeyring(b)
	b.ReportAllocs()
	for b.Loop() {
		k.Index(KindIDNumber, "510104199001010015")
	}
}

func BenchmarkIndexParallel(b *testing.B) {
	k, _ := newTestKeyring(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k.Index(KindIDNumber, "510104199001010015")
		}
	})
}
