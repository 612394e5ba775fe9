package api_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/lianxin/lianxin/internal/api/apitest"
)

// TestOpenAPIDescribesAnswers checks the served document against real
// answers: every GET route answering JSON to one of the accounts is read and
// its answer held against the route's schema — each required field present,
// null only where the schema allows it, the types, and no field the schema
// does not name. The web app's types are generated from this document
// (go generate ./...), so a lie here is a wrong type there.
func TestOpenAPIDescribesAnswers(t *testing.T) {
	apitest.Each(t, func(t *testing.T, e *apitest.Env) {
		var doc openAPIDoc
		e.Anon().Do("GET", "/api/openapi.json", nil).JSON(t, &doc)

		f := newLifeFixture(t, e)
		act := f.newActivity(t, nil)
		if r := f.member.Do("POST", "/api/v1/session", map[string]string{"username": "13800000001", "password": "Member@2026x"}); r.Status != 200 {
			t.Fatalf("member login: %d %s", r.Status, r.Body)
		}
		city := e.Login("city")
		if r := city.Do("POST", "/api/v1/alerts/run", map[string]any{}); r.Status != 200 {
			t.Fatalf("alert run: %d %s", r.Status, r.Body)
		}
		clients := []*apitest.Client{city, f.staff, e.Login("jinjiang"), e.Login("admin"), e.Login("secadmin"), e.Login("auditor"), f.member}
		// Query values that routes need (a Party org, a year, a region); a
		// route refusing one without it is asked again with them.
		extra := url.Values{"party_org_id": {strconv.FormatInt(f.branch, 10)}, "year": {"2026"}, "region": {"510104"}, "by": {"region"},
			"lat": {"30.657"}, "lng": {"104.081"}}

		var patterns []string
		for path, ops := range doc.Paths {
			if _, ok := ops["get"]; ok && strings.HasPrefix(path, "/api/") {
				patterns = append(patterns, path)
			}
		}
		// lists first: their first item gives the id of the routes below them
		sort.Slice(patterns, func(i, j int) bool {
			if a, b := strings.Count(patterns[i], "{"), strings.Count(patterns[j], "{"); a != b {
				return a < b
			}
			return patterns[i] < patterns[j]
		})
		// an import without errors: its error list is empty, not null
		job := startAndWait(t, e, e.Login("jinjiang"), upload("organizations", orgWorkbook(t, [3]string{testUSCC(90), "契约核对有限公司", "锦江区商务楼宇综合党委"}), false))
		if job.Status != "done" {
			t.Fatalf("import: %+v", job)
		}
		ids := map[string]string{"/api/v1/activities": strconv.FormatInt(act.ID, 10), "/api/v1/imports": strconv.FormatInt(job.ID, 10)}
		checked := 0
		var unchecked []string
		for _, pattern := range patterns {
			path := pattern
			if strings.Contains(pattern, "{id}") {
				list := pattern[:strings.Index(pattern, "/{id}")]
				id, ok := ids[list]
				if !ok {
					unchecked = append(unchecked, pattern+" (no id)")
					continue
				}
				path = strings.Replace(pattern, "{id}", id, 1)
			}
			if strings.Contains(path, "{") {
				unchecked = append(unchecked, pattern)
				continue
			}
			op := doc.Paths[pattern]["get"]
			ok200, isJSON := op.Responses["200"].Content["application/json"]
			if !isJSON {
				continue // a workbook or an image
			}
			var got *apitest.Response
			for _, c := range clients {
				for _, q := range []string{"", "?" + extra.Encode()} {
					r := c.Do("GET", path+q, nil)
					if r.Status == 200 {
						got = &r
						break
					}
				}
				if got != nil {
					break
				}
			}
			if got == nil {
				unchecked = append(unchecked, pattern)
				continue
			}
			var v any
			if err := json.Unmarshal([]byte(got.Body), &v); err != nil {
				t.Fatalf("%s: %v", pattern, err)
			}
			for _, p := range doc.check(ok200.Schema, v, "") {
				t.Errorf("GET %s answers what its schema denies: %s", pattern, p)
			}
			checked++
			if first := firstID(v); first != "" && !strings.Contains(pattern, "{") {
				if _, ok := ids[pattern]; !ok {
					ids[pattern] = first
				}
			}
		}
		t.Logf("%d GET answers checked; not reached: %s", checked, strings.Join(unchecked, ", "))
		if checked < 50 {
			t.Errorf("only %d GET answers checked", checked)
		}
	})
}

type openAPIDoc struct {
	Paths map[string]map[string]struct {
		Responses map[string]struct {
			Content map[string]struct {
				Schema map[string]any `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	} `json:"paths"`
	Components struct {
		Schemas map[string]map[string]any `json:"schemas"`
	} `json:"components"`
}

// firstID is the id of a list answer's first item (a page or an array).
func firstID(v any) string {
	if m, ok := v.(map[string]any); ok {
		v = m["items"]
	}
	if l, ok := v.([]any); ok && len(l) > 0 {
		if m, ok := l[0].(map[string]any); ok {
			if id, ok := m["id"].(float64); ok {
				return strconv.FormatInt(int64(id), 10)
			}
		}
	}
	return ""
}

// check returns where v breaks schema s (the subset of OpenAPI 3.0 the
// server's document uses).
func (d *openAPIDoc) check(s map[string]any, v any, at string) []string {
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		def, ok := d.Components.Schemas[name]
		if !ok {
			return []string{at + ": dangling " + ref}
		}
		return d.check(def, v, at)
	}
	if v == nil {
		if s["nullable"] == true || len(s) == 0 {
			return nil
		}
		return []string{at + ": null"}
	}
	if all, ok := s["allOf"].([]any); ok {
		var out []string
		for _, sub := range all {
			out = append(out, d.check(sub.(map[string]any), v, at)...)
		}
		return out
	}
	if one, ok := s["oneOf"].([]any); ok {
		var why []string
		for _, sub := range one {
			p := d.check(sub.(map[string]any), v, at)
			if len(p) == 0 {
				return nil
			}
			why = append(why, strings.Join(p, "; "))
		}
		return []string{at + ": none of oneOf: " + strings.Join(why, " | ")}
	}
	switch s["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, not an object", at, v)}
		}
		var out []string
		if props, ok := s["properties"].(map[string]any); ok {
			for _, r := range asStrings(s["required"]) {
				if _, ok := m[r]; !ok {
					out = append(out, at+"."+r+": required but missing")
				}
			}
			for k, fv := range m {
				ps, ok := props[k].(map[string]any)
				if !ok {
					out = append(out, at+"."+k+": not in the schema")
					continue
				}
				out = append(out, d.check(ps, fv, at+"."+k)...)
			}
		}
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			for k, fv := range m {
				out = append(out, d.check(ap, fv, at+"."+k)...)
			}
		}
		return out
	case "array":
		l, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, not an array", at, v)}
		}
		var out []string
		for i, x := range l {
			out = append(out, d.check(s["items"].(map[string]any), x, fmt.Sprintf("%s[%d]", at, i))...)
			if len(out) > 5 {
				break
			}
		}
		return out
	case "string":
		if _, ok := v.(string); !ok {
			return []string{fmt.Sprintf("%s: %T, not a string", at, v)}
		}
	case "integer":
		if n, ok := v.(float64); !ok || n != float64(int64(n)) {
			return []string{fmt.Sprintf("%s: %v, not an integer", at, v)}
		}
	case "number":
		if _, ok := v.(float64); !ok {
			return []string{fmt.Sprintf("%s: %T, not a number", at, v)}
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return []string{fmt.Sprintf("%s: %T, not a boolean", at, v)}
		}
	}
	if enum := asStrings(s["enum"]); len(enum) > 0 {
		if str, _ := v.(string); !slices.Contains(enum, str) {
			return []string{fmt.Sprintf("%s: %v is not one of %v", at, v, enum)}
		}
	}
	return nil
}

func asStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// TestOpenAPICheckFindsLies keeps the checker above honest: each kind of lie
// it exists to find is found.
func TestOpenAPICheckFindsLies(t *testing.T) {
	d := &openAPIDoc{}
	d.Components.Schemas = map[string]map[string]any{"Thing": {"type": "object", "required": []any{"id"},
		"properties": map[string]any{"id": map[string]any{"type": "integer"}, "at": map[string]any{"type": "string", "nullable": true}}}}
	ref := map[string]any{"$ref": "#/components/schemas/Thing"}
	for _, c := range []struct {
		v    string
		lies int
	}{
		{`{"id": 1, "at": null}`, 0},
		{`{"at": "x"}`, 1},              // a required field missing
		{`{"id": null}`, 1},             // null where not nullable
		{`{"id": 1.5}`, 1},              // not an integer
		{`{"id": 1, "extra": true}`, 1}, // a field the schema does not name
		{`null`, 1},
	} {
		var v any
		if err := json.Unmarshal([]byte(c.v), &v); err != nil {
			t.Fatal(err)
		}
		if got := d.check(ref, v, ""); len(got) != c.lies {
			t.Errorf("%s: %d lies found, want %d: %v", c.v, len(got), c.lies, got)
		}
	}
}
