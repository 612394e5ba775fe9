package api

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Behind a reverse proxy (--trust-proxy) the client's address comes from
// X-Forwarded-For, which every proxy appends to: only the entries added by
// proxies we trust are facts, anything to their left may be forged by the
// client. So the address is the rightmost entry that is not a trusted
// proxy, and the header counts at all only when the connection itself
// comes from a trusted proxy.

// defaultTrustedProxies is loopback: a proxy on the same machine.
var defaultTrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// ParseTrustedProxies reads a comma-separated list of CIDRs or addresses.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("受信任代理地址 %q 不是有效的 IP 地址或 CIDR 网段", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

func (s *Server) trusted(a netip.Addr) bool {
	proxies := s.TrustedProxies
	if proxies == nil {
		proxies = defaultTrustedProxies
	}
	a = a.Unmap()
	for _, p := range proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peer is the address of the connection's other end.
func peer(r *http.Request) (netip.Addr, string) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap(), host
}

// viaTrustedProxy reports whether the forwarding headers count.
func (s *Server) viaTrustedProxy(r *http.Request) bool {
	a, _ := peer(r)
	return s.TrustProxy && a.IsValid() && s.trusted(a)
}

func (s *Server) clientIP(r *http.Request) string {
	a, host := peer(r)
	if !s.viaTrustedProxy(r) {
		return host
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	client := a
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			// Garbage no trusted proxy wrote: the last hop known is the client.
			break
		}
		client = h.Unmap()
		if !s.trusted(client) {
			break
		}
	}
	return client.String()
}

// secure reports whether the request came over HTTPS: TLS here, or a
// trusted proxy saying its client used https.
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !s.viaTrustedProxy(r) {
		return false
	}
	protos := strings.Split(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(protos[len(protos)-1]), "https")
}

// hsts asks browsers that reached us over HTTPS never to use plain HTTP
// again for a year (not sent over HTTP, where it would mean nothing).
func (s *Server) hsts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.secure(r) {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}
