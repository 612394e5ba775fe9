package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
)

// TestOpenAPIMatchesRoutes checks the served document against the real
// route table and the real mux, in both directions, and that every schema
// reference resolves.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	e := apitest.New(t, "sqlite")
	r := e.Anon().Do("GET", "/api/openapi.json", nil)
	if r.Status != 200 {
		t.Fatalf("openapi.json: %d", r.Status)
	}
	var doc struct {
		OpenAPI    string                                `json:"openapi"`
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	r.JSON(t, &doc)
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	registered := map[string]bool{"GET /healthz": true}
	for _, rt := range e.Server.Routes() {
		registered[rt.Method+" "+rt.Pattern] = true
	}
	for k := range registered {
		if !documented[k] {
			t.Errorf("route %s is not in the OpenAPI document", k)
		}
	}
	for k := range documented {
		if !registered[k] {
			t.Errorf("OpenAPI documents %s, which is not a registered route", k)
		}
		// The real mux must know the path: an unknown /api path answers
		// "接口不存在"; a known one answers anything else.
		method, path, _ := strings.Cut(k, " ")
		resp := e.Anon().Do(method, strings.ReplaceAll(path, "{id}", "1"), nil)
		if strings.Contains(resp.Body, "接口不存在") || resp.Status == 405 {
			t.Errorf("documented %s is not served: %d %s", k, resp.Status, resp.Body)
		}
	}
	// Every $ref points at a defined schema.
	raw := r.Body
	for _, part := range strings.Split(raw, `"$ref":"#/components/schemas/`)[1:] {
		name := part[:strings.Index(part, `"`)]
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("dangling schema reference %s", name)
		}
	}
	var po struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(doc.Components.Schemas["PartyOrgView"], &po); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"id", "name", "type", "parent_id", "region", "status", "term_start", "term_years", "term_end"} {
		if _, ok := po.Properties[f]; !ok {
			t.Errorf("PartyOrgView schema lacks %s", f)
		}
	}
}
