package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// webApp serves the built web app (web/dist): its files as they are, hashed
// assets cached for a year, the members' phone pages (/m, /m/…) as
// m/index.html and any other path as index.html, so that each page's router
// handles it. A file the build compressed (NAME.br, NAME.gz, written by
// web/build/precompress.ts) is sent in the encoding the browser prefers
// among them; nothing is compressed per request.
func (s *Server) webApp() http.Handler {
	files, err := indexWebFiles(s.Web)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if err != nil {
			http.Error(w, "web app unreadable", http.StatusInternalServerError)
			return
		}
		name := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		f, ok := files[name]
		switch {
		case ok:
		case strings.HasPrefix(name, "assets/"):
			// a chunk of another build (a tab opened before an upgrade): a
			// clear 404, not a page of HTML the browser cannot run
			http.NotFound(w, r)
			return
		case name == "m" || strings.HasPrefix(name, "m/"):
			if f, ok = files["m/index.html"]; !ok {
				f, ok = files["index.html"]
			}
		default:
			f, ok = files["index.html"]
		}
		if !ok {
			http.Error(w, "web app not built", http.StatusNotFound)
			return
		}
		f.serve(w, r, s.Web)
	})
}

// A webFile is one file of the app and its encoded copies, preferred first.
type webFile struct {
	name     string
	variants []webVariant // br, gzip, identity (always last)
}

type webVariant struct {
	encoding string // "br", "gzip" or "identity"
	path     string // in the FS
	size     int64
	etag     string // strong, of these bytes: each encoding has its own
}

// webEncodings are the build's copies by preference (the smaller first).
var webEncodings = []struct{ name, suffix string }{{"br", ".br"}, {"gzip", ".gz"}}

// indexWebFiles lists the app's files with their copies and ETags, once.
func indexWebFiles(fsys fs.FS) (map[string]*webFile, error) {
	out := map[string]*webFile{}
	if fsys == nil {
		return out, nil
	}
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, n := range names {
		have[n] = true
	}
	for _, n := range names {
		if copyOf(n, have) {
			continue
		}
		f := &webFile{name: n}
		for _, e := range webEncodings {
			if have[n+e.suffix] {
				v, err := readVariant(fsys, e.name, n+e.suffix)
				if err != nil {
					return nil, err
				}
				f.variants = append(f.variants, v)
			}
		}
		v, err := readVariant(fsys, "identity", n)
		if err != nil {
			return nil, err
		}
		f.variants = append(f.variants, v)
		out[n] = f
	}
	return out, nil
}

// copyOf reports whether a file is the build's encoded copy of another.
func copyOf(name string, have map[string]bool) bool {
	for _, e := range webEncodings {
		if orig, ok := strings.CutSuffix(name, e.suffix); ok && have[orig] {
			return true
		}
	}
	return false
}

func readVariant(fsys fs.FS, encoding, p string) (webVariant, error) {
	b, err := fs.ReadFile(fsys, p)
	if err != nil {
		return webVariant{}, err
	}
	sum := sha256.Sum256(b)
	return webVariant{encoding: encoding, path: p, size: int64(len(b)), etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`}, nil
}

func (f *webFile) serve(w http.ResponseWriter, r *http.Request, fsys fs.FS) {
	h := w.Header()
	offered := make([]string, len(f.variants))
	for i, v := range f.variants {
		offered[i] = v.encoding
	}
	if len(f.variants) > 1 {
		h.Add("Vary", "Accept-Encoding")
	}
	enc, ok := negotiateEncoding(r.Header.Values("Accept-Encoding"), offered)
	if !ok {
		http.Error(w, "no acceptable content coding: "+strings.Join(offered, ", "), http.StatusNotAcceptable)
		return
	}
	var v webVariant
	for _, c := range f.variants {
		if c.encoding == enc {
			v = c
		}
	}
	h.Set("Content-Type", webContentType(f.name))
	switch {
	case strings.HasPrefix(f.name, "assets/"):
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	case strings.HasSuffix(f.name, ".html"):
		h.Set("Cache-Control", "no-cache")
	}
	if enc != "identity" {
		h.Set("Content-Encoding", enc)
	}
	h.Set("ETag", v.etag)
	// ServeContent leaves out the length of an encoded answer; ours is known
	// (a Range answer gets its own).
	h.Set("Content-Length", strconv.FormatInt(v.size, 10))
	file, err := fsys.Open(v.path)
	if err != nil {
		http.Error(w, "web app unreadable", http.StatusInternalServerError)
		return
	}
	defer file.Close()
	content, ok := file.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(file)
		if err != nil {
			http.Error(w, "web app unreadable", http.StatusInternalServerError)
			return
		}
		content = bytes.NewReader(b)
	}
	// ETag, If-None-Match, If-Range, Range and HEAD, on the chosen bytes
	http.ServeContent(w, r, f.name, time.Time{}, content)
}

// webTypes are the Content-Types of the build's files, fixed here: the
// system's MIME tables, which mime.TypeByExtension reads, differ between
// machines (.js as application/javascript or text/javascript).
var webTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".webp":  "image/webp",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".txt":   "text/plain; charset=utf-8",
	".wasm":  "application/wasm",
}

func webContentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := webTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// negotiateEncoding picks among the offered content codings (preferred
// first, "identity" among them) the one an Accept-Encoding header (RFC 9110
// §12.5.3) rates highest, the earlier offered on a tie. Without the header,
// identity. A coding not named is unacceptable unless "*" rates it; identity
// is acceptable unless "identity;q=0", or "*;q=0" without an entry of its
// own, excludes it, and comes after any coding named. "x-gzip" is gzip. ok is false when nothing offered is
// acceptable.
func negotiateEncoding(header []string, offered []string) (string, bool) {
	if len(header) == 0 {
		for _, o := range offered {
			if o == "identity" {
				return o, true
			}
		}
		return "", false
	}
	q := map[string]float64{}
	for _, line := range header {
		for _, item := range strings.Split(line, ",") {
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding == "" {
				continue
			}
			if coding == "x-gzip" {
				coding = "gzip"
			}
			weight, valid := 1.0, true
			for _, p := range strings.Split(params, ";") {
				k, val, found := strings.Cut(strings.TrimSpace(p), "=")
				if !found || !strings.EqualFold(strings.TrimSpace(k), "q") {
					continue
				}
				weight, valid = parseQValue(strings.TrimSpace(val))
			}
			if !valid {
				continue // a malformed entry says nothing
			}
			if old, seen := q[coding]; !seen || weight > old {
				q[coding] = weight
			}
		}
	}
	rate := func(coding string) float64 {
		if w, ok := q[coding]; ok {
			return w
		}
		if w, ok := q["*"]; ok {
			return w
		}
		if coding == "identity" {
			// acceptable, yet after any coding the client names
			return 0.001
		}
		return 0
	}
	best, bestQ := "", 0.0
	for _, o := range offered {
		if w := rate(o); w > bestQ {
			best, bestQ = o, w
		}
	}
	return best, best != ""
}

// parseQValue reads a weight: 0 to 1 with at most three decimals.
func parseQValue(s string) (float64, bool) {
	if s == "" || len(s) > 5 || (s[0] != '0' && s[0] != '1') {
		return 0, false
	}
	w, err := strconv.ParseFloat(s, 64)
	if err != nil || w < 0 || w > 1 {
		return 0, false
	}
	return w, true
}
