// Command webcontract writes the web app's copy of the API contract: the
// OpenAPI document the server serves (web/src/api/openapi.json), the
// TypeScript types generated from it by openapi-typescript
// (web/src/api/schema.gen.ts), and the domain's code lists
// (web/src/lib/codes.gen.ts). It needs no database and no network; CI runs
// it and fails when the committed files differ.
//
// Run it with `go generate ./...` from the repository root.
package main

//go:generate go run . -web ../../web

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/lianxin/lianxin/internal/api"
)

func main() {
	web := flag.String("web", "web", "the web app's directory")
	flag.Parse()
	if err := run(*web); err != nil {
		fmt.Fprintln(os.Stderr, "webcontract:", err)
		os.Exit(1)
	}
}

func run(web string) error {
	doc, err := openAPI()
	if err != nil {
		return err
	}
	spec := filepath.Join(web, "src", "api", "openapi.json")
	if err := write(spec, doc); err != nil {
		return err
	}
	if err := typescript(web, spec, filepath.Join(web, "src", "api", "schema.gen.ts")); err != nil {
		return err
	}
	return write(filepath.Join(web, "src", "lib", "codes.gen.ts"), codesTS())
}

// openAPI is the served document, built from the route table alone. Its
// version is the one of a build without a version ("dev").
func openAPI() ([]byte, error) {
	b, err := json.MarshalIndent((&api.Server{Version: "dev"}).OpenAPI(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// typescript runs the openapi-typescript installed in web/node_modules
// (package.json pins it), never one fetched on the fly.
func typescript(web, spec, out string) error {
	bin := filepath.Join(web, "node_modules", ".bin", "openapi-typescript")
	if _, err := os.Stat(bin); err != nil {
		return errors.New(bin + " is missing: run npm ci in " + web)
	}
	cmd := exec.Command("node", bin, spec, "-o", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("openapi-typescript: %v\n%s", err, stderr.String())
	}
	return nil
}

// write replaces path's content when it differs, leaving an unchanged file
// alone.
func write(path string, b []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return nil
	}
	return os.WriteFile(path, b, 0o644)
}
