package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// testWeb is a built app in miniature: the staff page, the phone page, an
// asset with its brotli and gzip copies (the brotli bytes need only be
// distinct here: web/dist_test.go checks the real build's decompress), a
// small asset without copies, and a download that merely ends in .gz.
func testWeb(t *testing.T) (fstest.MapFS, map[string][]byte) {
	t.Helper()
	js := bytes.Repeat([]byte("export const lianxin = '两新党建';\n"), 200)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(js)
	zw.Close()
	body := map[string][]byte{
		"identity": js,
		"gzip":     gz.Bytes(),
		"br":       []byte("brotli-bytes-of-app.js"),
	}
	index := []byte("<!doctype html><title>staff</title>")
	phone := []byte("<!doctype html><title>phone</title>")
	return fstest.MapFS{
		"index.html":          {Data: index},
		"index.html.gz":       {Data: gzipOf(t, index)},
		"m/index.html":        {Data: phone},
		"assets/app-x1.js":    {Data: js},
		"assets/app-x1.js.br": {Data: body["br"]},
		"assets/app-x1.js.gz": {Data: body["gzip"]},
		"assets/app-x1.css":   {Data: []byte("a{color:red}")},
		"backup.tar.gz":       {Data: []byte("not a copy of anything")},
	}, body
}

func gzipOf(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return out.Bytes()
}

func webGet(t *testing.T, h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestWebAppNegotiatesEncoding: each Accept-Encoding gets the copy it rates
// highest (q-values, "*", identity's default, x-gzip, malformed entries),
// with its own Content-Length and ETag, the original's Content-Type, Vary
// and the assets' year of caching; nothing acceptable is a 406.
func TestWebAppNegotiatesEncoding(t *testing.T) {
	fsys, body := testWeb(t)
	h := (&Server{Web: fsys}).webApp()
	for _, c := range []struct {
		accept string // "-" for no header
		want   string // encoding, or "406"
	}{
		{"-", "identity"},
		{"", "identity"},
		{"gzip, deflate, br, zstd", "br"},
		{"gzip, deflate", "gzip"},
		{"GZIP", "gzip"},
		{"x-gzip", "gzip"},
		{"deflate", "identity"},
		{"br;q=0.5, gzip;q=0.8", "gzip"},
		{"br;q=0.8, gzip;q=0.8", "br"},
		{"br;q=0, gzip;q=0", "identity"},
		{"*", "br"},
		{"*;q=0.1, gzip", "gzip"},
		{"br;q=0.2, identity;q=0.5", "identity"},
		{"gzip;q=1.5", "identity"},        // malformed weight: the entry is ignored
		{"br;q=abc, gzip", "gzip"},        // likewise
		{"br ; Q=0.9 , gzip;q=0.3", "br"}, // spaces, an upper-case Q
		{"identity;q=0, br", "br"},
		{"identity;q=0, deflate", "406"},
		{"*;q=0", "406"},
		{"*;q=0, identity", "identity"},
	} {
		hdr := map[string]string{}
		if c.accept != "-" {
			hdr["Accept-Encoding"] = c.accept
		}
		w := webGet(t, h, http.MethodGet, "/assets/app-x1.js", hdr)
		if c.want == "406" {
			if w.Code != http.StatusNotAcceptable {
				t.Errorf("Accept-Encoding %q: status %d, want 406", c.accept, w.Code)
			}
			continue
		}
		if w.Code != http.StatusOK {
			t.Errorf("Accept-Encoding %q: status %d", c.accept, w.Code)
			continue
		}
		ce := w.Header().Get("Content-Encoding")
		if (c.want == "identity" && ce != "") || (c.want != "identity" && ce != c.want) {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %s", c.accept, ce, c.want)
		}
		if !bytes.Equal(w.Body.Bytes(), body[c.want]) {
			t.Errorf("Accept-Encoding %q: body is not the %s copy", c.accept, c.want)
		}
		if got := w.Header().Get("Content-Length"); got != strconv.Itoa(len(body[c.want])) {
			t.Errorf("Accept-Encoding %q: Content-Length %q, body %d bytes", c.accept, got, len(body[c.want]))
		}
		if got := w.Header().Get("Content-Type"); got != "text/javascript; charset=utf-8" {
			t.Errorf("Accept-Encoding %q: Content-Type %q", c.accept, got)
		}
		if got := w.Header().Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", c.accept, got)
		}
		if got := w.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("Accept-Encoding %q: Cache-Control %q", c.accept, got)
		}
	}

	// each encoding has its own strong ETag
	etags := map[string]string{}
	for _, enc := range []string{"br", "gzip", "identity"} {
		w := webGet(t, h, http.MethodGet, "/assets/app-x1.js", map[string]string{"Accept-Encoding": enc})
		e := w.Header().Get("ETag")
		if !strings.HasPrefix(e, `"`) || len(e) < 10 {
			t.Errorf("%s: ETag %q is not a strong tag", enc, e)
		}
		for other, oe := range etags {
			if oe == e {
				t.Errorf("%s and %s share the ETag %s", enc, other, e)
			}
		}
		etags[enc] = e
	}
}

// TestWebAppConditionalHeadAndRange: If-None-Match answers 304 for the
// chosen copy's ETag only; HEAD sends the headers and no body; a Range is
// taken from the chosen copy's bytes.
func TestWebAppConditionalHeadAndRange(t *testing.T) {
	fsys, body := testWeb(t)
	h := (&Server{Web: fsys}).webApp()
	br := map[string]string{"Accept-Encoding": "br, gzip"}
	first := webGet(t, h, http.MethodGet, "/assets/app-x1.js", br)
	etag := first.Header().Get("ETag")

	w := webGet(t, h, http.MethodGet, "/assets/app-x1.js", map[string]string{"Accept-Encoding": "br, gzip", "If-None-Match": etag})
	if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match with the brotli ETag: %d, %d bytes", w.Code, w.Body.Len())
	}
	w = webGet(t, h, http.MethodGet, "/assets/app-x1.js", map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etag})
	if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("the brotli ETag from a gzip-only client: %d %q", w.Code, w.Header().Get("Content-Encoding"))
	}

	w = webGet(t, h, http.MethodHead, "/assets/app-x1.js", br)
	if w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Encoding") != "br" ||
		w.Header().Get("Content-Length") != strconv.Itoa(len(body["br"])) || w.Header().Get("ETag") != etag {
		t.Errorf("HEAD: %d, %d bytes, %v", w.Code, w.Body.Len(), w.Header())
	}

	w = webGet(t, h, http.MethodGet, "/assets/app-x1.js", map[string]string{"Accept-Encoding": "br", "Range": "bytes=0-5"})
	if w.Code != http.StatusPartialContent || w.Body.String() != string(body["br"][:6]) ||
		w.Header().Get("Content-Range") != "bytes 0-5/"+strconv.Itoa(len(body["br"])) || w.Header().Get("Content-Length") != "6" ||
		w.Header().Get("Content-Encoding") != "br" {
		t.Errorf("Range: %d %q %v", w.Code, w.Body.String(), w.Header())
	}
	w = webGet(t, h, http.MethodGet, "/assets/app-x1.js", map[string]string{"Range": "bytes=0-5"})
	if w.Code != http.StatusPartialContent || w.Body.String() != string(body["identity"][:6]) {
		t.Errorf("Range, identity: %d %q", w.Code, w.Body.String())
	}
	w = webGet(t, h, http.MethodGet, "/assets/app-x1.js", map[string]string{"Accept-Encoding": "br", "Range": "bytes=100000-"})
	if w.Code != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("a Range past the end: %d", w.Code)
	}
}

// TestWebAppPages: the phone pages' routes answer the phone page, the other
// paths the staff page (compressed too), a missing asset and the encoded
// copies themselves 404, a file without copies has no Vary, a download
// that merely ends in .gz is a file of its own, and writes are refused.
func TestWebAppPages(t *testing.T) {
	fsys, _ := testWeb(t)
	h := (&Server{Web: fsys}).webApp()
	for _, c := range []struct {
		path, want string
	}{
		{"/m", "phone"},
		{"/m/", "phone"},
		{"/m/login", "phone"},
		{"/m/scan?code=x", "phone"},
		{"/", "staff"},
		{"/members/12", "staff"},
		{"/mine", "staff"},
		{"/index.html", "staff"},
		{"/m/index.html", "phone"},
	} {
		w := webGet(t, h, http.MethodGet, c.path, nil)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<title>"+c.want+"</title>") {
			t.Errorf("%s: %d %q, want the %s page", c.path, w.Code, w.Body.String(), c.want)
		}
		if w.Header().Get("Content-Type") != "text/html; charset=utf-8" || w.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: %v", c.path, w.Header())
		}
	}
	w := webGet(t, h, http.MethodGet, "/members", map[string]string{"Accept-Encoding": "gzip"})
	if w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("the staff page is not sent compressed: %v", w.Header())
	} else if zr, err := gzip.NewReader(w.Body); err != nil {
		t.Error(err)
	} else if b, _ := io.ReadAll(zr); !strings.Contains(string(b), "<title>staff</title>") {
		t.Errorf("the staff page decompresses to %q", b)
	}
	for _, p := range []string{"/assets/gone-x9.js", "/assets/app-x1.js.br", "/assets/app-x1.js.gz"} {
		if w := webGet(t, h, http.MethodGet, p, map[string]string{"Accept-Encoding": "br"}); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
	}
	w = webGet(t, h, http.MethodGet, "/assets/app-x1.css", map[string]string{"Accept-Encoding": "br, gzip"})
	if w.Code != http.StatusOK || w.Header().Get("Vary") != "" || w.Header().Get("Content-Encoding") != "" ||
		w.Header().Get("Content-Type") != "text/css; charset=utf-8" || w.Header().Get("Content-Length") != "12" {
		t.Errorf("a file without copies: %d %v", w.Code, w.Header())
	}
	w = webGet(t, h, http.MethodGet, "/backup.tar.gz", map[string]string{"Accept-Encoding": "gzip"})
	if w.Code != http.StatusOK || w.Body.String() != "not a copy of anything" || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("a .gz file of its own: %d %q %v", w.Code, w.Body.String(), w.Header())
	}
	if w := webGet(t, h, http.MethodPost, "/m/login", nil); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
	// a build without the phone page: the staff page handles /m
	delete(fsys, "m/index.html")
	h = (&Server{Web: fsys}).webApp()
	if w := webGet(t, h, http.MethodGet, "/m/login", nil); !strings.Contains(w.Body.String(), "<title>staff</title>") {
		t.Errorf("no phone page: %q", w.Body.String())
	}
}

// TestNegotiateEncodingHeaderLines: several Accept-Encoding lines count as one list.
func TestNegotiateEncodingHeaderLines(t *testing.T) {
	got, ok := negotiateEncoding([]string{"gzip;q=0.5", "br;q=0.9"}, []string{"br", "gzip", "identity"})
	if !ok || got != "br" {
		t.Errorf("two lines: %q %v", got, ok)
	}
	if got, ok := negotiateEncoding([]string{"br"}, []string{"gzip", "identity"}); !ok || got != "identity" {
		t.Errorf("br asked, only gzip offered: %q %v", got, ok)
	}
}
