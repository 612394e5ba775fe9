package totp

import (
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
	"time"
)

// RFC 6238 Appendix B: the seeds are the ASCII digits "1234567890"
// repeated to the hash's size, eight digits, a 30-second step.
var (
	seed20 = []byte("12345678901234567890")
	seed32 = []byte("12345678901234567890123456789012")
	seed64 = []byte("1234567890123456789012345678901234567890123456789012345678901234")
)

func TestRFC6238Vectors(t *testing.T) {
	vectors := []struct {
		unix int64
		step string // T in hex, as the RFC's table prints it
		code map[Algorithm]string
	}{
		{59, "0000000000000001", map[Algorithm]string{SHA1: "94287082", SHA256: "46119246", SHA512: "90693936"}},
		{1111111109, "00000000023523EC", map[Algorithm]string{SHA1: "07081804", SHA256: "68084774", SHA512: "25091201"}},
		{1111111111, "00000000023523ED", map[Algorithm]string{SHA1: "14050471", SHA256: "67062674", SHA512: "99943326"}},
		{1234567890, "000000000273EF07", map[Algorithm]string{SHA1: "89005924", SHA256: "91819424", SHA512: "93441116"}},
		{2000000000, "0000000003F940AA", map[Algorithm]string{SHA1: "69279037", SHA256: "90698825", SHA512: "38618901"}},
		{20000000000, "0000000027BC86AA", map[Algorithm]string{SHA1: "65353130", SHA256: "77737706", SHA512: "47863826"}},
	}
	seeds := map[Algorithm][]byte{SHA1: seed20, SHA256: seed32, SHA512: seed64}
	for _, v := range vectors {
		at := time.Unix(v.unix, 0).UTC()
		for alg, want := range v.code {
			p := Params{Algorithm: alg, Digits: 8, Period: 30}
			step := p.Step(at)
			if got := strings.ToUpper(hex.EncodeToString([]byte{byte(step >> 56), byte(step >> 48), byte(step >> 40), byte(step >> 32),
				byte(step >> 24), byte(step >> 16), byte(step >> 8), byte(step)})); got != v.step {
				t.Errorf("%d: T = %s, want %s", v.unix, got, v.step)
			}
			if got := p.Code(seeds[alg], step); got != want {
				t.Errorf("%s at %d: %s, want %s", alg, v.unix, got, want)
			}
			// Verify accepts the vector at its own time, once.
			s, ok := p.Verify(seeds[alg], want, at, -1)
			if !ok || s != step {
				t.Errorf("%s at %d: Verify = %d %v", alg, v.unix, s, ok)
			}
			if _, ok := p.Verify(seeds[alg], want, at, step); ok {
				t.Errorf("%s at %d: accepted again after its step was used", alg, v.unix)
			}
		}
	}
}

// TestSixDigits: six digits are the eight-digit value modulo 10^6 (both
// are the same truncated number, RFC 4226 §5.3), zero padded.
func TestSixDigits(t *testing.T) {
	at := time.Unix(1111111109, 0)
	if got := Default.Code(seed20, Default.Step(at)); got != "081804" {
		t.Errorf("six digits at 1111111109: %s, want 081804", got)
	}
	if got := Default.Code(seed20, Default.Step(time.Unix(59, 0))); got != "287082" {
		t.Errorf("six digits at 59: %s, want 287082", got)
	}
}

func TestWindow(t *testing.T) {
	p := Default
	now := time.Unix(1_800_000_015, 0) // the middle of a step
	cur := p.Step(now)
	for _, c := range []struct {
		step int64
		ok   bool
	}{{cur - 2, false}, {cur - 1, true}, {cur, true}, {cur + 1, true}, {cur + 2, false}} {
		s, ok := p.Verify(seed20, p.Code(seed20, c.step), now, 0)
		if ok != c.ok || ok && s != c.step {
			t.Errorf("code of step %+d: %d %v, want ok=%v", c.step-cur, s, ok, c.ok)
		}
	}
	// Malformed codes never match.
	for _, bad := range []string{"", "12345", "1234567", "12345a", " 12345", "１２３４５６"} {
		if _, ok := p.Verify(seed20, bad, now, 0); ok {
			t.Errorf("accepted %q", bad)
		}
	}
}

// TestReplay: once a step is used, its code and every earlier one are
// refused; a later step's code is still accepted.
func TestReplay(t *testing.T) {
	p := Default
	now := time.Unix(1_800_000_015, 0)
	cur := p.Step(now)
	code := p.Code(seed20, cur)
	used, ok := p.Verify(seed20, code, now, 0)
	if !ok {
		t.Fatal("fresh code refused")
	}
	if _, ok := p.Verify(seed20, code, now, used); ok {
		t.Error("the same code accepted twice")
	}
	if _, ok := p.Verify(seed20, p.Code(seed20, cur-1), now, used); ok {
		t.Error("an older step's code accepted after a newer one")
	}
	if s, ok := p.Verify(seed20, p.Code(seed20, cur+1), now, used); !ok || s != cur+1 {
		t.Errorf("the next step's code: %d %v", s, ok)
	}
	// The same code 30 s later is a step back: refused too.
	if _, ok := p.Verify(seed20, code, now.Add(30*time.Second), used); ok {
		t.Error("the used code accepted in the next step")
	}
}

func TestSecretAndURI(t *testing.T) {
	k := NewSecret()
	if len(k) != 20 {
		t.Fatalf("secret of %d bytes", len(k))
	}
	if string(k) == string(NewSecret()) {
		t.Fatal("two secrets alike")
	}
	enc := EncodeSecret(k)
	if len(enc) != 32 || strings.Contains(enc, "=") {
		t.Errorf("encoded secret %q", enc)
	}
	spaced := strings.ToLower(enc[:4] + " " + enc[4:8] + "-" + enc[8:])
	if back, err := DecodeSecret(spaced); err != nil || string(back) != string(k) {
		t.Errorf("decode %q: %v", spaced, err)
	}
	if _, err := DecodeSecret("not base32!"); err == nil {
		t.Error("decoded a non-base32 secret")
	}
	uri := URI("两新党建", "jinjiang", k, Default)
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/两新党建:jinjiang" || q.Get("secret") != enc || q.Get("issuer") != "两新党建" ||
		q.Get("algorithm") != "SHA1" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("uri %s", uri)
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes := NewRecoveryCodes(10)
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 14 || c[4] != '-' || c[9] != '-' {
			t.Errorf("code %q is not xxxx-xxxx-xxxx", c)
		}
		n := NormalizeRecoveryCode(" " + strings.ToUpper(c) + " ")
		if n != strings.ReplaceAll(c, "-", "") {
			t.Errorf("normalize %q: %q", c, n)
		}
		if seen[n] {
			t.Errorf("duplicate %q", c)
		}
		seen[n] = true
	}
	for _, bad := range []string{"", "abcd-efgh-jkm", "abcd-efgh-jkmn-p", "abcd-efgh-jk0n", "abcd-efgh-jkl1"} {
		if NormalizeRecoveryCode(bad) != "" {
			t.Errorf("normalized %q", bad)
		}
	}
}
