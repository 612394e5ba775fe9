package api

import (
	"crypto/tls"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestClientIP: the rightmost X-Forwarded-For entry that is not a trusted
// proxy, only when the connection comes from a trusted proxy.
func TestClientIP(t *testing.T) {
	office := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("127.0.0.1/32")}
	for _, c := range []struct {
		name    string
		trust   bool
		proxies []netip.Prefix
		remote  string
		xff     []string
		want    string
	}{
		{"no trust-proxy: the peer", false, nil, "127.0.0.1:5000", []string{"203.0.113.9"}, "127.0.0.1"},
		{"loopback proxy by default", true, nil, "127.0.0.1:5000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"a forged entry on the left is ignored", true, nil, "127.0.0.1:5000", []string{"6.6.6.6, 203.0.113.9"}, "203.0.113.9"},
		{"trusted hops on the right are skipped", true, office, "10.0.0.2:5000", []string{"6.6.6.6, 203.0.113.9, 10.1.1.1, 127.0.0.1"}, "203.0.113.9"},
		{"several header lines read as one list", true, office, "10.0.0.2:5000", []string{"6.6.6.6", "203.0.113.9", "10.1.1.1"}, "203.0.113.9"},
		{"a peer that is no trusted proxy is the client", true, office, "198.51.100.7:5000", []string{"203.0.113.9"}, "198.51.100.7"},
		{"garbage: the last hop known", true, office, "10.0.0.2:5000", []string{"203.0.113.9, bogus, 10.1.1.1"}, "10.1.1.1"},
		{"every hop trusted: the leftmost", true, office, "10.0.0.2:5000", []string{"10.3.3.3, 10.1.1.1"}, "10.3.3.3"},
		{"no header: the peer", true, office, "10.0.0.2:5000", nil, "10.0.0.2"},
		{"IPv6 peer, IPv4-mapped client", true, []netip.Prefix{netip.MustParsePrefix("::1/128")}, "[::1]:5000", []string{"::ffff:203.0.113.9"}, "203.0.113.9"},
	} {
		s := &Server{TrustProxy: c.trust, TrustedProxies: c.proxies}
		r := httptest.NewRequest("GET", "/api/v1/me", nil)
		r.RemoteAddr = c.remote
		for _, h := range c.xff {
			r.Header.Add("X-Forwarded-For", h)
		}
		if got := s.clientIP(r); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

// TestSecure: HTTPS is TLS here, or https as the trusted proxy reports it.
func TestSecure(t *testing.T) {
	s := &Server{TrustProxy: true}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:1"
	r.Header.Set("X-Forwarded-Proto", "https")
	if !s.secure(r) {
		t.Error("https from a loopback proxy not believed")
	}
	r.Header.Set("X-Forwarded-Proto", "https, http") // the proxy's own word is the last
	if s.secure(r) {
		t.Error("the client's https believed over the proxy's http")
	}
	r.Header.Set("X-Forwarded-Proto", "https")
	r.RemoteAddr = "198.51.100.7:1"
	if s.secure(r) {
		t.Error("https from an untrusted peer believed")
	}
	r.TLS = &tls.ConnectionState{}
	if !s.secure(r) {
		t.Error("TLS not secure")
	}
	if _, err := ParseTrustedProxies("10.0.0.0/8, 192.168.1.5 ,::1"); err != nil {
		t.Error(err)
	}
	if _, err := ParseTrustedProxies("10.0.0.0/8,nonsense"); err == nil {
		t.Error("a bad proxy list accepted")
	}
}
