package api

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/auth"
)

// probe records a 404 on a record route ({id}): the record does not exist
// or lies outside the caller's scope, which the answer does not tell apart
// — and someone walking ids through another district is exactly what the
// trail must show. One insert; the path names the id.
func (s *Server) probe(r *http.Request, p *auth.Principal) {
	e := audit.New(s.Now(), p.Actor(), audit.ActionProbe, "route", r.Method+" "+r.URL.Path, audit.ResultFailure)
	e.Reason = "记录不存在或不在管理范围内"
	if err := s.Store.Audit(r.Context(), e); err != nil {
		s.Log.Error("audit probe", "err", err)
	}
}

// auditCrossOrigin records a write refused by the cross-origin protection,
// at most csrfAudit's rate per address (anyone can send these); beyond it
// the server log alone keeps them.
func (s *Server) auditCrossOrigin(r *http.Request) {
	cl := s.client(r)
	if ok, _ := s.csrfAudit.Allow(cl.IP, s.Now()); !ok {
		s.Log.Warn("cross-origin request refused", "ip", cl.IP, "method", r.Method, "path", r.URL.Path, "origin", r.Header.Get("Origin"))
		return
	}
	e := audit.New(s.Now(), audit.Actor{IP: cl.IP, UserAgent: cl.UserAgent, RequestID: cl.RequestID}, audit.ActionCrossOrigin,
		"route", r.Method+" "+printable(r.URL.Path, 300), audit.ResultFailure)
	e.Reason = "跨站请求被拒绝"
	if o := r.Header.Get("Origin"); o != "" {
		e.Reason += "（来源 " + printable(o, 200) + "）"
	}
	if err := s.Store.Audit(r.Context(), e); err != nil {
		s.Log.Error("audit cross-origin", "err", err)
	}
}

// printable is text from a request made safe for the audit trail: invalid
// UTF-8, control and format characters (a decoded %00 would make
// PostgreSQL refuse the whole record) become '?', at most n runes kept.
func printable(s string, n int) string {
	out := make([]rune, 0, min(len(s), n))
	for _, r := range strings.ToValidUTF8(s, "?") {
		if len(out) == n {
			break
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			r = '?'
		}
		out = append(out, r)
	}
	return string(out)
}
