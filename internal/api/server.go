// Package api is lianxin's JSON API and the host of the web app: the route
// table, middleware, error mapping and the OpenAPI document. Handlers are
// thin: decode, authorize, call the store, encode.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/lianxin/lianxin/internal/attachment"
	"github.com/lianxin/lianxin/internal/auth"
	"github.com/lianxin/lianxin/internal/checkin"
	"github.com/lianxin/lianxin/internal/importer"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// Server serves the API and the web app.
type Server struct {
	Store   *stores.Set
	Auth    *auth.Service
	Now     func() time.Time
	Log     *slog.Logger
	Version string
	// Web is the built web app (web/dist); nil serves none.
	Web fs.FS
	// TrustProxy takes the client address from X-Forwarded-For and TLS from
	// X-Forwarded-Proto when the connection comes from one of
	// TrustedProxies (nil: loopback); see clientaddr.go.
	TrustProxy     bool
	TrustedProxies []netip.Prefix
	// PasswordParams are the argon2id parameters for new hashes.
	PasswordParams auth.Params
	// Imports runs Excel import jobs; nil refuses uploads.
	Imports *importer.Runner
	// Codes signs activities' check-in codes and members' codes.
	Codes *checkin.Keyring
	// Attachments stores activities' photos and documents.
	Attachments attachment.Dir

	routes []route
	// csrfAudit bounds the audit records of refused cross-site requests per
	// address: anyone can send those, and the trail must not fill with them.
	csrfAudit *auth.AddrLimiter
}

// handlerFunc handles an API call. It returns the value to encode (nil for
// 204) or an error; p is nil only on public routes.
type handlerFunc func(w http.ResponseWriter, r *http.Request, p *auth.Principal) (any, error)

// created wraps a value answered with 201.
type created struct{ v any }

// accepted wraps a value answered with 202 (a job started).
type accepted struct{ v any }

// route is one entry of the route table, which drives the mux, the
// permission checks, the OpenAPI document and the route-scope test.
type route struct {
	Method  string
	Pattern string
	Perm    auth.Permission // required permission; "" means any logged-in user
	Public  bool            // no login needed
	Summary string
	Query   []param // documented query parameters
	Body    any     // request body type (for the OpenAPI document)
	Resp    any     // response type
	List    bool    // the response is the list envelope of Resp
	Form    bool    // Body is a multipart/form-data form (an upload)
	File    bool    // the response is an Excel workbook
	Blob    bool    // the response is a stored file of its own type
	Status  int     // success status when not the usual one (202 for a started job)
	handler handlerFunc
}

type param struct {
	Name, Type, Desc string
}

// Routes returns the route table (the route-scope test walks it).
func (s *Server) Routes() []RouteInfo {
	s.init()
	out := make([]RouteInfo, len(s.routes))
	for i, rt := range s.routes {
		out[i] = RouteInfo{Method: rt.Method, Pattern: rt.Pattern, Public: rt.Public, Perm: string(rt.Perm), HasBody: rt.Body != nil, Body: rt.Body, Form: rt.Form}
		for _, q := range rt.Query {
			if q.Type == "integer" && (strings.HasSuffix(q.Name, "_id") || q.Name == "under") {
				out[i].IDParams = append(out[i].IDParams, q.Name)
			}
			out[i].Query = append(out[i].Query, q.Name)
		}
	}
	return out
}

// RouteInfo describes a registered API route.
type RouteInfo struct {
	Method, Pattern, Perm string
	Public                bool
	HasBody               bool
	// IDParams are the query parameters that take a record id.
	IDParams []string
	// Body is a zero value of the request body's type (nil for none), the
	// fields of a multipart form when Form is set.
	Body any
	Form bool
	// Query are the documented query parameters.
	Query []string
}

func (s *Server) init() {
	if s.routes == nil {
		s.routes = s.routeTable()
	}
}

// Handler returns the complete HTTP handler.
func (s *Server) Handler() http.Handler {
	s.init()
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
	}
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /api/openapi.json", s.openAPI)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &apiError{Status: http.StatusNotFound, Code: "not_found", Message: "接口不存在：" + r.Method + " " + r.URL.Path})
	})
	if s.Web != nil {
		mux.Handle("/", s.webApp())
	}
	cop := http.NewCrossOriginProtection()
	s.csrfAudit = &auth.AddrLimiter{PerMinute: 10, Burst: 10, MaxAddrs: 10_000}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.auditCrossOrigin(r)
		s.writeError(w, r, &apiError{Status: http.StatusForbidden, Code: "forbidden", Message: "拒绝跨站请求：写操作只能从本系统页面发起"})
	}))
	return s.withRequestID(s.logRequests(s.recoverer(s.hsts(securityHeaders(cop.Handler(mux))))))
}

// wrap turns a route into a handler: authentication, permission, call, encode.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p *auth.Principal
		if !rt.Public {
			var err error
			p, err = s.principal(r)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			if rt.Perm != "" && !p.Can(rt.Perm) {
				s.deny(r, p, "缺少权限 "+string(rt.Perm))
				s.writeError(w, r, errForbidden)
				return
			}
			if p.User.MustChangePassword && !allowedBeforePasswordChange(rt) {
				s.writeError(w, r, &apiError{Status: http.StatusForbidden, Code: "password_change_required", Message: "请先修改初始密码"})
				return
			}
			if p.PasswordExpired() && !allowedBeforePasswordChange(rt) {
				s.writeError(w, r, &apiError{Status: http.StatusForbidden, Code: "password_change_required", Message: "密码已过期，请先修改密码"})
				return
			}
			if p.MustEnrolTOTP() && !allowedBeforeEnrolment(rt) {
				s.writeError(w, r, errEnrolmentRequired)
				return
			}
		}
		if err := checkRequestText(r, rt.Pattern); err != nil {
			s.writeError(w, r, err)
			return
		}
		v, err := rt.handler(w, r, p)
		if err != nil {
			if ae := toAPIError(err); ae.Status == http.StatusForbidden && p != nil {
				s.deny(r, p, err.Error())
			} else if ae == errNotFound && p != nil && strings.Contains(rt.Pattern, "{") {
				s.probe(r, p)
			}
			s.writeError(w, r, err)
			return
		}
		switch x := v.(type) {
		case nil:
			w.WriteHeader(http.StatusNoContent)
		case created:
			writeJSON(w, http.StatusCreated, x.v)
		case download:
			s.sendDownload(w, r, x)
		case blob:
			s.sendBlob(w, r, x)
		case accepted:
			writeJSON(w, http.StatusAccepted, x.v)
		default:
			writeJSON(w, http.StatusOK, v)
		}
	})
}

func allowedBeforePasswordChange(rt route) bool {
	switch rt.Pattern {
	case "/api/v1/me", "/api/v1/me/password", "/api/v1/session", "/api/v1/meta":
		return true
	}
	return false
}

const cookieName = "lianxin_session"

func (s *Server) principal(r *http.Request) (*auth.Principal, error) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return nil, errUnauthenticated
	}
	return s.Auth.Resolve(r.Context(), c.Value, s.client(r))
}

func (s *Server) client(r *http.Request) auth.Client {
	return auth.Client{IP: s.clientIP(r), UserAgent: r.UserAgent(), RequestID: requestID(r.Context())}
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if err := s.Store.Ping(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.Version})
}

type ctxKey int

const requestIDKey ctxKey = 1

func requestID(ctx context.Context) string {
	v, _ := ctx.Value(requestIDKey).(string)
	return v
}

func (s *Server) withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		next.ServeHTTP(rec, r)
		if strings.HasPrefix(r.URL.Path, "/api/") {
			// LogAttrs: the attributes are not boxed one by one.
			s.Log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", rec.status),
				slog.Duration("took", time.Since(start)), slog.String("request_id", requestID(r.Context())))
		}
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}
