package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os/exec"
	"path"
	"regexp"
	"strings"
	"testing"
)

// compressible and minCompressed mirror web/build/precompress.ts.
var compressible = regexp.MustCompile(`\.(?:js|mjs|css|html|svg|json|txt|xml|map|wasm)$`)

const minCompressed = 1024

// TestDistPrecompressed: every text file of the embedded build that the
// build compresses has its brotli and gzip copies, and each decompresses to
// the original (gzip here, brotli through Node's zlib, which wrote it).
func TestDistPrecompressed(t *testing.T) {
	dist := Dist()
	var originals []string
	err := fs.WalkDir(dist, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if compressible.MatchString(p) && info.Size() >= minCompressed {
			originals = append(originals, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(originals) < 10 {
		t.Fatalf("only %d compressible files in web/dist: is it built?", len(originals))
	}
	for _, p := range originals {
		orig, _ := fs.ReadFile(dist, p)
		gz, err := fs.ReadFile(dist, p+".gz")
		if err != nil {
			t.Errorf("%s has no gzip copy (run npm run build in web/)", p)
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Errorf("%s.gz: %v", p, err)
			continue
		}
		if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, orig) {
			t.Errorf("%s.gz does not decompress to %s (%v)", p, p, err)
		}
		if _, err := fs.Stat(dist, p+".br"); err != nil {
			t.Errorf("%s has no brotli copy (run npm run build in web/)", p)
		}
	}
	t.Run("brotli", func(t *testing.T) {
		node, err := exec.LookPath("node")
		if err != nil {
			t.Skip("node not found: the brotli copies are checked with Node's zlib")
		}
		// the same files on disk (the embed is a copy of web/dist)
		script := `const fs = require('fs'), zlib = require('zlib');
let bad = 0;
for (const p of process.argv.slice(1)) {
  const orig = fs.readFileSync('dist/' + p);
  if (!zlib.brotliDecompressSync(fs.readFileSync('dist/' + p + '.br')).equals(orig)) { console.log(p); bad++ }
}
process.exit(bad ? 1 : 0);`
		out, err := exec.Command(node, append([]string{"-e", script}, originals...)...).CombinedOutput()
		if err != nil {
			t.Errorf("brotli copies that do not decompress to their original: %s (%v)", out, err)
		}
	})
}

// referenced finds the assets a built file names: static and dynamic
// imports, Vite's preload lists and the page's script and link tags.
var referenced = regexp.MustCompile(`(?:\./|/?assets/)([\w.-]+?\.(?:js|css))\b`)

// staticImport finds a module's static imports only (what loads with it).
var staticImport = regexp.MustCompile(`(?:\bfrom|\bimport)\s*["']\./([\w.-]+\.js)["']`)

// TestPhonePagesLoadNoElementPlus: the phone page (m/index.html) and every
// module any phone page may load are free of Element Plus, and what the page
// loads before it runs weighs under the aim for the first phone page
// (200 KB transferred; the browser test web/e2e/tests/phone.mjs measures it).
func TestPhonePagesLoadNoElementPlus(t *testing.T) {
	dist := Dist()
	page, err := fs.ReadFile(dist, "m/index.html")
	if err != nil {
		t.Fatalf("the phone page is not built: %v", err)
	}
	read := func(name string) []byte {
		b, err := fs.ReadFile(dist, path.Join("assets", name))
		if err != nil {
			t.Fatalf("the phone page names %s, which is not in web/dist: %v", name, err)
		}
		return b
	}
	// everything reachable, dynamic imports included
	all := map[string]bool{}
	queue := []string{}
	for _, m := range referenced.FindAllStringSubmatch(string(page), -1) {
		queue = append(queue, m[1])
	}
	start := append([]string(nil), queue...)
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if all[n] {
			continue
		}
		all[n] = true
		if strings.HasSuffix(n, ".js") {
			for _, m := range referenced.FindAllStringSubmatch(string(read(n)), -1) {
				queue = append(queue, m[1])
			}
		}
	}
	if len(all) < 5 {
		t.Fatalf("the phone page reaches only %v", all)
	}
	for n := range all {
		if strings.HasPrefix(n, "element-plus") || strings.HasPrefix(n, "EChart") {
			t.Errorf("a phone page loads %s", n)
		}
		if strings.HasSuffix(n, ".css") && bytes.Contains(read(n), []byte(".el-button")) {
			t.Errorf("%s, loaded by a phone page, holds Element Plus's styles", n)
		}
	}
	// what loads before the page runs: its tags and their static imports, as brotli
	first := map[string]bool{}
	queue = start
	total := 0
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if first[n] {
			continue
		}
		first[n] = true
		br, err := fs.ReadFile(dist, path.Join("assets", n+".br"))
		if err != nil {
			br = read(n)
		}
		total += len(br)
		if strings.HasSuffix(n, ".js") {
			for _, m := range staticImport.FindAllStringSubmatch(string(read(n)), -1) {
				queue = append(queue, m[1])
			}
		}
	}
	t.Logf("the phone page loads %d files first, %d bytes as brotli", len(first), total)
	if total > 200_000 {
		t.Errorf("the phone page loads %d bytes before it runs, over 200 KB", total)
	}
}
